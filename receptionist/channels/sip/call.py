"""One pjsua2 call (SIP thread only): state changes, media hook-up, DTMF and transfer progress become
frozen events for the asyncio side.

Its pjsua2 (C++) half is deleted inside the DISCONNECTED callback, as the pjsua2 docs recommend ("Call
Disconnection": the call is invalid once that callback returns): pjsua frees the call's slot right after
and may hand its id to the next INVITE within the same event poll, and `~Call` of an object deleted any
later clears that id's user data and *hangs up whichever call holds the id by then* (a soak test caught
the line hanging up fresh calls this way). The Python half stays (`native` False) until the endpoint
reaps it on its next loop turn; nothing calls into pjsua2 through it any more."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pjsua2 as pj

from receptionist.channels.sip.events import CallEnded, DtmfReceived, HoldChanged, MediaReady, TransferStatus
from receptionist.channels.sip.media_port import BridgePort, CallAudio
from receptionist.channels.sip.sdp import prefer_codec

if TYPE_CHECKING:
    from receptionist.channels.sip.endpoint import SipEndpoint

log = logging.getLogger(__name__)

_DTMF_METHODS = {pj.PJSUA_DTMF_METHOD_RFC2833: "rfc2833", pj.PJSUA_DTMF_METHOD_SIP_INFO: "info"}


class SipCall(pj.Call):
    def __init__(self, endpoint: "SipEndpoint", account: pj.Account, call_id: int, key: str,
                 audio: CallAudio) -> None:
        super().__init__(account, call_id)
        self.endpoint = endpoint
        self.key = key
        self.audio = audio
        self.port: BridgePort | None = None  # lent by the endpoint's pool when the call is admitted
        self.admitted = False
        self.ended = False
        self.hung_up_locally = False
        self.media_lost = False  # hung up because the caller's RTP stopped
        self.native = True  # the pjsua2 object exists (False once deleted at DISCONNECTED)
        self._media_announced = False

    # ---- pjsua2 callbacks (SIP thread; DTMF may come from the media thread) --------------------
    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        info = self.getInfo()
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED and not self.ended:
            self.ended = True
            try:
                self.audio.close()
                if self.admitted:
                    by = "media-lost" if self.media_lost else "local" if self.hung_up_locally else "remote"
                    self.endpoint.post(CallEnded(self.key, int(info.lastStatusCode), by))
                self.endpoint.reap(self.key)
            finally:
                del info  # holds nothing of the call, but drop it before the call goes
                self._delete_native()

    def _delete_native(self) -> None:
        """Delete the pjsua2 object now (see the module docstring); the Python object lives on, inert."""
        if self.native:
            self.native = False
            pj.Call.__swig_destroy__(self)  # SWIG disowns it: Python will not delete it a second time

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        """Also called on every re-INVITE: a caller's hold (sendonly/inactive) pauses the bridge, unhold
        resumes it."""
        info = self.getInfo()
        audio = [(idx, m) for idx, m in enumerate(info.media) if m.type == pj.PJMEDIA_TYPE_AUDIO]
        if any(m.status == pj.PJSUA_CALL_MEDIA_REMOTE_HOLD for _, m in audio):
            if self.audio.set_held(True):
                log.info("sip: call %s on hold", self.key)
                self.endpoint.post(HoldChanged(self.key, True))
            return
        for idx, media in audio:
            if media.status != pj.PJSUA_CALL_MEDIA_ACTIVE:
                continue
            if self.audio.set_held(False):
                log.info("sip: call %s resumed", self.key)
                self.endpoint.post(HoldChanged(self.key, False))
            self._note_codec(idx)
            if self.port is None:  # not admitted: refused calls never get this far
                continue
            remote = self.getAudioMedia(idx)
            remote.startTransmit(self.port)
            self.port.startTransmit(remote)
            if not self._media_announced:
                self._media_announced = True
                self.endpoint.post(MediaReady(self.key))

    def _note_codec(self, idx: int) -> None:
        stream = self.getStreamInfo(idx)
        codec = f"{stream.codecName}/{int(stream.codecClockRate)}"
        if codec != self.audio.codec:
            self.audio.codec = codec
            log.info("sip: call %s audio codec %s", self.key, codec)

    def onCallSdpCreated(self, prm: pj.OnCallSdpCreatedParam) -> None:
        """Answer in our codec order (`[sip] codecs`: G.722 first), not in the caller's."""
        try:
            remote = prm.remSdp.wholeSdp
            if remote:
                answer = prefer_codec(prm.sdp.wholeSdp, remote, self.endpoint.cfg.codecs)
                if answer is not None:
                    prm.sdp.wholeSdp = answer
        except Exception:  # an exception must never reach pjsua; its own answer stands
            log.exception("sip: call %s: choosing the codec failed", self.key)

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:
        self.endpoint.post(DtmfReceived(self.key, str(prm.digit), _DTMF_METHODS.get(prm.method, "other")))

    def onCallTransferStatus(self, prm: pj.OnCallTransferStatusParam) -> None:
        self.endpoint.post(TransferStatus(self.key, int(prm.statusCode), bool(prm.finalNotify)))
        if prm.finalNotify or int(prm.statusCode) >= 200:
            prm.cont = False  # no more NOTIFYs wanted; the line decides whether to hang up

    # ---- commands (SIP thread, through SipEndpoint.submit) ---------------------------------------
    def hangup_now(self, status: int = 200) -> None:
        if self.ended:
            return
        self.hung_up_locally = True
        op = pj.CallOpParam(True)
        if status != 200:
            op.statusCode = status
        self.hangup(op)

    def rx_packets(self) -> int | None:
        """RTP packets received so far on the call's active audio streams; None while no audio stream is
        active (not yet answered, on hold, or over)."""
        if self.ended or self.port is None:
            return None
        total, active = 0, False
        info = self.getInfo()  # keep it referenced: its media items point into it
        for idx, media in enumerate(info.media):
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                total += int(self.getStreamStat(idx).rtcp.rxStat.pkt)
                active = True
        return total if active else None

    def transfer(self, target: str) -> None:
        if self.ended:
            raise RuntimeError("the call is over")
        self.xfer(target, pj.CallOpParam(True))

    def release_media(self) -> "BridgePort | None":
        """Hand the pooled port back (the endpoint returns it to its pool; it is never deleted). By the time
        the call is DISCONNECTED pjsua has queued the removal of its audio stream from the bridge, which
        drops the stream's connections to and from the port; the pool waits for that to be applied."""
        port, self.port = self.port, None
        return port
