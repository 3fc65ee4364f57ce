"""The audio bridge of one call: pjsua2's media thread on one side, asyncio on the other.

- `CallAudio` is the thread-safe half: the media thread hands it each received 20 ms frame
  (`received`, a copy posted to the event loop, never blocking) and asks it for each frame to send
  (`requested`, read from a `RingSink`, zero-padded when the bot is quiet). So the bot's audio is paced
  to real time by the media clock, and `clear_buffer()` (barge-in) takes effect within one frame.
  While the caller holds the call (re-INVITE with sendonly/inactive) the bot's playout pauses where it
  is (nothing is read from the sink) and the caller's frames (music on hold) are dropped; both resume
  on unhold.
- `BridgePort` is the pjsua2 `AudioMediaPort` subclass; it only forwards frames to/from the `CallAudio`
  it is bound to. The endpoint makes a fixed pool of them at start (port_pool.py) and never deletes one:
  a port is bound to a call when it is answered and unbound when it ends (then it forwards nothing).
"""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator

import numpy as np
import pjsua2 as pj

from receptionist.audio.io import RingSink
from receptionist.audio.pcm import AudioChunk, float_to_pcm16
from receptionist.channels.sip.port_pool import ToggleFence

log = logging.getLogger(__name__)

FRAME_S = 0.02
PORT_RATE = 16000  # the conference bridge runs at this rate: G.722 passes through at its own 16 kHz,
                   # G.711's 8 kHz is resampled up by pjsua (it carries nothing above 4 kHz)


class CallAudio:
    """Caller frames in (an async iterator that ends at hang-up), bot audio out (`sink`)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, sample_rate: int = PORT_RATE,
                 max_backlog_s: float = 5.0) -> None:
        self.sample_rate = sample_rate
        self.sink = RingSink(sample_rate)
        self._loop = loop
        self._queue: asyncio.Queue[AudioChunk | None] = asyncio.Queue()
        self._max_backlog = int(max_backlog_s / FRAME_S)
        self._closed = False
        self._held = False
        self.codec = ""  # the negotiated audio codec, "G722/16000" or "PCMU/8000" (set by the SIP thread)
        self.frames_in = 0
        self.frames_out = 0
        self.dropped = 0
        self.holds = 0  # how many times the caller put the call on hold

    # ---- media thread -------------------------------------------------------------------------
    def received(self, pcm: bytes) -> None:
        if self._closed or self._held:
            return
        chunk = AudioChunk(np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32767.0, self.sample_rate)
        self.frames_in += 1
        self._post(self._put, chunk)

    def requested(self, n_samples: int) -> bytes:
        self.frames_out += 1
        if self._held:
            return bytes(2 * n_samples)
        return float_to_pcm16(self.sink.ring.read(n_samples))

    # ---- any thread ---------------------------------------------------------------------------
    def set_held(self, held: bool) -> bool:
        """The caller put the call on hold (True) or took it off (False); returns whether that changed."""
        if held == self._held:
            return False
        self._held = held
        if held:
            self.holds += 1
        return True

    @property
    def held(self) -> bool:
        return self._held

    def close(self) -> None:
        """The call is over: the source ends after the frames already received."""
        if not self._closed:
            self._closed = True
            self._post(self._put, None)

    def _post(self, fn, arg) -> None:  # type: ignore[no-untyped-def]
        try:
            self._loop.call_soon_threadsafe(fn, arg)
        except RuntimeError:  # the loop is closed: nobody listens any more
            pass

    # ---- event loop ---------------------------------------------------------------------------
    def _put(self, chunk: AudioChunk | None) -> None:
        if chunk is not None and self._queue.qsize() >= self._max_backlog:
            self.dropped += 1  # the consumer stalled: keep the newest audio
            self._queue.get_nowait()
        self._queue.put_nowait(chunk)

    async def frames(self) -> AsyncIterator[AudioChunk]:
        while (chunk := await self._queue.get()) is not None:
            yield chunk

    @property
    def closed(self) -> bool:
        return self._closed


class BridgePort(pj.AudioMediaPort):
    """A conference-bridge port whose frames go to / come from the `CallAudio` it is bound to, if any.

    Created on the SIP thread once per pool slot and *disowned*: Python never runs the C++ destructor,
    which would free memory the bridge's clock thread may still use (pjproject #3928/#4200). Binding
    and unbinding happen on the SIP thread; the media thread reads the binding once per frame, so a
    frame in flight at `unbind()` goes to the old (already closed) `CallAudio`, which drops it.
    """

    def __init__(self, name: str, sample_rate: int = PORT_RATE) -> None:
        super().__init__()
        self.name = name
        self.sample_rate = sample_rate
        self._audio: CallAudio | None = None
        self._samples = int(sample_rate * FRAME_S)
        self._silence = bytes(2 * self._samples)
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, sample_rate, 1, int(FRAME_S * 1_000_000), 16)
        self.createPort(name, fmt)
        self.__disown__()  # never deleted from Python (the director now keeps this object alive)

    # ---- SIP thread ---------------------------------------------------------------------------
    def bind(self, audio: CallAudio) -> None:
        if audio.sample_rate != self.sample_rate:
            raise ValueError(f"a {audio.sample_rate} Hz call on a {self.sample_rate} Hz port")
        self._audio = audio

    def unbind(self) -> None:
        self._audio = None

    @property
    def audio(self) -> CallAudio | None:
        return self._audio

    def connected(self) -> bool:
        """Whether the bridge still transmits from this port to anywhere (its applied state: a queued
        disconnect or removal counts as connected until the clock thread has carried it out)."""
        return len(self.getPortInfo().listeners) > 0

    # ---- media thread -------------------------------------------------------------------------
    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        audio = self._audio
        if audio is None:
            return
        try:
            if frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO and frame.size:
                audio.received(bytes(frame.buf))
        except Exception:  # an exception must never reach the media thread
            log.exception("sip media: receiving a frame failed")

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:
        audio = self._audio
        try:
            data = audio.requested(self._samples) if audio is not None else self._silence
            frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
            frame.buf = pj.ByteVector(data)
            frame.size = len(data)
        except Exception:
            log.exception("sip media: producing a frame failed")


def bridge_fence() -> ToggleFence:
    """The port pool's fence: a connection between two ports of its own (never bound to a call) that is
    switched on and off; seeing a switch applied means the bridge has applied everything queued before
    it. SIP thread only, after `libStart()`."""
    source, sink = BridgePort("fence-a"), BridgePort("fence-b")

    def flip(on: bool) -> None:
        if on:
            source.startTransmit(sink)
        else:
            source.stopTransmit(sink)

    return ToggleFence(flip, source.connected)
