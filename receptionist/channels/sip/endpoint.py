"""The pjsua2 library, owned by one thread this class starts and stops.

Every pjsua2 call happens on that thread (`uaConfig.threadCnt = 0`: it runs `libHandleEvents` itself),
so no foreign thread ever touches the library. The asyncio side talks to it through `submit(fn)`
(runs `fn` there, returns a concurrent Future) and hears from it through `post(event)`.

Shutdown order matters: hang up every call, let the BYEs go out, drop every Python `Call`, shut the
account down, *then* `libDestroy()` — a Call object alive at libDestroy aborts.

Media ports are never deleted: the conference bridge removes ports asynchronously since PJSIP 2.15.1
(pjproject #3928), so deleting a pjsua2 `AudioMediaPort` while the bridge may still call into it is a
use-after-free (#4200, #4526) — the random segfault a grace delay only made rarer. A pool of `max_calls`
ports (port_pool.py) is made at start, lent to each admitted call and taken back at its end (reused only
once the bridge has applied everything queued before the call's end: no audio crosses calls). At
shutdown the ports are unbound and left registered: `libDestroy()` tears the bridge down with its clock
stopped, and the (disowned) port objects are left to process exit. Deleting them after `libDestroy()`
would not be safe either: `~AudioMediaPort` releases its pool into pjsua's caching pool, which
`libDestroy()` has already destroyed.
"""

from __future__ import annotations

import concurrent.futures
import gc
import os
import itertools
import logging
import queue
import threading
import time
from typing import Any, Callable

import pjsua2 as pj

from receptionist.channels.sip.account import LineAccount, account_config
from receptionist.channels.sip.call import SipCall
from receptionist.channels.sip.events import CallOffered, CallRejected, SipEvent
from receptionist.channels.sip.media_port import BridgePort, CallAudio, bridge_fence
from receptionist.channels.sip.policy import MediaWatch, admit, caller_number, source_ip
from receptionist.channels.sip.port_pool import PortPool
from receptionist.config.sip import SipConfig
from receptionist.errors import ReceptionistError

log = logging.getLogger(__name__)

_TICK_MS = 10
_WATCH_EVERY_S = 1.0  # how often the callers' RTP counters are read


class SipError(ReceptionistError):
    code = "sip-failed"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, pj.Error):
        return f"{exc.title}: {exc.reason} ({exc.status})"
    return f"{type(exc).__name__}: {exc}"


class _PjLog(pj.LogWriter):
    """pjsip's own log lines go to DEBUG only: they carry URIs and numbers."""

    def write(self, entry: pj.LogEntry) -> None:
        log.debug("pj: %s", entry.msg.rstrip())


class SipEndpoint:
    def __init__(self, cfg: SipConfig, post: Callable[[SipEvent], None],
                 audio_factory: Callable[[], CallAudio]) -> None:
        self.cfg = cfg
        self.post = post
        self._audio_factory = audio_factory
        self._commands: queue.SimpleQueue[tuple[Callable[[], Any], concurrent.futures.Future[Any]]] = \
            queue.SimpleQueue()
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._calls: dict[str, SipCall] = {}
        self._dead: list[str] = []
        self._pool: PortPool[BridgePort] | None = None  # made once the library runs; never emptied
        self._keys = itertools.count(1)
        self._watch = MediaWatch(cfg.media_timeout_s)
        self._watched_at = 0.0
        self._ep: pj.Endpoint | None = None
        self._account: LineAccount | None = None
        self._logger = _PjLog()
        self.local_port = 0
        self.live_calls = 0  # admitted calls not yet reaped (read from any thread)

    @property
    def free_ports(self) -> int:
        """Media ports ready for the next call (any thread); `max_calls` when the line is idle."""
        return self._pool.available if self._pool is not None else 0

    # ---- lifecycle (any thread) -----------------------------------------------------------------
    def start(self, timeout_s: float = 15.0) -> None:
        self._thread = threading.Thread(target=self._run, name="sip-endpoint", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout_s):
            raise SipError("the SIP library did not start in time")
        if self._error is not None:
            raise SipError(f"the SIP line could not start: {self._error}") from self._error

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.error("sip: the endpoint thread did not stop in %.0f s", timeout_s)
            self._thread = None

    def submit(self, fn: Callable[[], Any]) -> "concurrent.futures.Future[Any]":
        fut: concurrent.futures.Future[Any] = concurrent.futures.Future()
        if self._stop.is_set() or self._thread is None:
            fut.set_exception(SipError("the SIP line is stopped"))
        else:
            self._commands.put((fn, fut))
        return fut

    def call(self, key: str) -> SipCall | None:
        """SIP thread only (inside a submitted function)."""
        return self._calls.get(key)

    # ---- the thread ------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._init()
        except BaseException as exc:  # noqa: BLE001 - reported to start()
            self._error = exc
            self._ready.set()
            self._destroy()
            return
        self._ready.set()
        try:
            while not self._stop.is_set():
                self._ep.libHandleEvents(_TICK_MS)  # type: ignore[union-attr]
                self._drain()
                self._reap()
                if self._pool is not None:
                    self._pool.tick(time.monotonic())
                self._watch_media()
                if self._account is not None:
                    self._account.tick(time.monotonic())
        finally:
            self._shutdown()

    def _init(self) -> None:
        cfg = self.cfg
        ep = self._ep = pj.Endpoint()
        ep.libCreate()
        ep_cfg = pj.EpConfig()
        ep_cfg.uaConfig.threadCnt = 0
        ep_cfg.uaConfig.mainThreadOnly = False
        # room to answer 486 ourselves; pjsua clamps it to its PJSUA_MAX_CALLS (4 in the wheel), beyond which
        # it answers 486 itself (config.sip.SIP_LIBRARY_MAX_CALLS keeps max_calls within it)
        ep_cfg.uaConfig.maxCalls = cfg.max_calls + 2
        ep_cfg.uaConfig.userAgent = "receptionist"
        ep_cfg.logConfig.consoleLevel = int(os.environ.get("RECEPTIONIST_PJ_CONSOLE_LOG", "0"))  # debugging aid
        ep_cfg.logConfig.level = max(5 if log.isEnabledFor(logging.DEBUG) else 1, ep_cfg.logConfig.consoleLevel)
        ep_cfg.logConfig.msgLogging = log.isEnabledFor(logging.DEBUG)
        ep_cfg.logConfig.writer = self._logger
        self._logger.__disown__()  # the endpoint deletes its writer at libDestroy: Python must not too
        ep_cfg.medConfig.noVad = True  # keep RTP flowing in silence
        ep_cfg.medConfig.clockRate = 16000
        ep_cfg.medConfig.sndClockRate = 16000
        ep_cfg.medConfig.ecTailLen = 0  # no echo canceller: there is no local loudspeaker
        ep.libInit(ep_cfg)
        tp = pj.TransportConfig()
        tp.boundAddress = cfg.bind
        tp.port = cfg.port
        if cfg.public_address:
            tp.publicAddress = cfg.public_address
        kind = pj.PJSIP_TRANSPORT_TCP if cfg.transport == "tcp" else pj.PJSIP_TRANSPORT_UDP
        tid = ep.transportCreate(kind, tp)
        self.local_port = int(ep.transportGetInfo(tid).localName.rsplit(":", 1)[1])
        ep.audDevManager().setNullDev()
        ep.libStart()
        self._set_codecs(ep)
        self._pool = PortPool(cfg.max_calls, lambda i: BridgePort(f"line-{i}"), bridge_fence())
        host = f"{cfg.public_address or cfg.bind}:{self.local_port}"
        if cfg.transport == "tcp":
            host += ";transport=tcp"
        self._account = LineAccount(self)
        self._account.create(account_config(cfg, host), True)

    def _set_codecs(self, ep: pj.Endpoint) -> None:
        wanted = [c.lower() for c in self.cfg.codecs]
        for info in ep.codecEnum2():
            name = info.codecId.split("/")[0].lower()
            prio = 200 - wanted.index(name) if name in wanted else 0
            ep.codecSetPriority(info.codecId, prio)

    def _drain(self) -> None:
        while True:
            try:
                fn, fut = self._commands.get_nowait()
            except queue.Empty:
                return
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                # a fresh exception: the traceback's frames would keep pjsua2 objects alive past libDestroy
                fut.set_exception(SipError(_describe(exc)))
                del exc

    # ---- calls (SIP thread) --------------------------------------------------------------------
    def incoming(self, account: LineAccount, prm: pj.OnIncomingCallParam) -> None:
        key = f"c{next(self._keys)}"
        call = SipCall(self, account, prm.callId, key, self._audio_factory())
        self._calls[key] = call
        src = str(prm.rdata.srcAddress)
        pool = self._pool
        assert pool is not None
        # a port still cooling after its call counts as busy: one call's audio never reaches the next
        busy = max(self.live_calls, pool.size - pool.available)
        decision = admit(source_ip(src), busy, max_calls=self.cfg.max_calls,
                         allowed_sources=self.cfg.allowed_sources, registered=self.cfg.registrar is not None)
        op = pj.CallOpParam(True)
        op.statusCode = decision.status
        if decision.accepted:
            call.port = pool.acquire(call.audio)
            assert call.port is not None  # admit() refused when no port is free
            call.admitted = True
            self.live_calls += 1
            self.post(CallOffered(key, caller_number(call.getInfo().remoteUri), src, call.audio))
        else:
            log.info("sip: call %s refused (%d %s)", key, decision.status, decision.reason)
            self.post(CallRejected(key, decision.status, decision.reason))
        call.answer(op)

    def _watch_media(self) -> None:
        """Hang up calls whose caller sent no RTP for `media_timeout_s` (sip-media-lost): without this a
        caller that vanished without a BYE holds a call slot until max_call_s, and later callers get 486."""
        now = time.monotonic()
        if now - self._watched_at < _WATCH_EVERY_S:
            return
        self._watched_at = now
        for key, call in list(self._calls.items()):
            if not call.admitted or call.ended:
                continue
            try:
                packets = call.rx_packets()
            except pj.Error:
                continue
            if packets is None:  # on hold (or no audio yet): no RTP is due; counted afresh once it is back
                self._watch.forget(key)
            elif self._watch.silent(key, packets, now):
                log.warning("sip: call %s: no RTP from the caller for %.0f s (sip-media-lost), hanging up", key,
                            self.cfg.media_timeout_s)
                call.media_lost = True
                try:
                    call.hangup_now()
                except pj.Error as exc:
                    log.warning("sip: call %s: hanging up failed (%s)", key, _describe(exc))

    def reap(self, key: str) -> None:
        """Called from the call's own DISCONNECTED callback: delete it on the next loop turn."""
        self._dead.append(key)

    def _reap(self) -> None:
        while self._dead:
            key = self._dead.pop()
            self._watch.forget(key)
            call = self._calls.pop(key, None)
            if call is not None:
                if call.admitted:
                    self.live_calls -= 1
                self._give_back(call.release_media())

    def _give_back(self, port: BridgePort | None) -> None:
        if port is not None and self._pool is not None:
            self._pool.release(port, time.monotonic())

    def _shutdown(self) -> None:
        try:
            if self._ep is not None and self._calls:
                self._hangup_all()
                deadline = time.monotonic() + 2.0
                while self._calls and time.monotonic() < deadline:
                    self._ep.libHandleEvents(_TICK_MS)
                    self._reap()
            self._drain_refused()
        finally:
            self._forget_calls()
            self._destroy()

    def _hangup_all(self) -> None:  # a helper: no SipCall may stay bound to a local of _shutdown
        for call in list(self._calls.values()):
            try:
                call.hangup_now()
            except pj.Error:
                pass

    def _forget_calls(self) -> None:
        for call in self._calls.values():
            call.audio.close()
            self._give_back(call.release_media())
        self._calls.clear()
        self._dead.clear()
        if self._pool is not None:
            self._pool.release_all()  # unbound: no port refers to a call's audio (or its event loop) any more

    def _drain_refused(self) -> None:
        while True:
            try:
                _, fut = self._commands.get_nowait()
            except queue.Empty:
                return
            if fut.set_running_or_notify_cancel():
                fut.set_exception(SipError("the SIP line is stopping"))

    def _destroy(self) -> None:
        self._forget_calls()
        gc.collect()  # no Python Call may outlive the library
        alive = [o for o in gc.get_objects() if isinstance(o, SipCall) and o.native]
        if alive:  # destroying now would abort the process when they are deleted later
            log.error("sip: %d call object(s) still referenced at shutdown; the SIP library is left to process "
                      "exit", len(alive))
            for obj in alive:
                log.debug("sip: referrers of a live call: %r", [type(r).__name__ for r in gc.get_referrers(obj)])
            del obj, alive
            return
        del alive
        if self._account is not None:
            try:
                self._account.shutdown()
            except pj.Error:
                pass
            self._account = None
        if self._ep is not None:
            try:
                self._ep.libDestroy()
            except pj.Error as exc:
                log.warning("sip: libDestroy failed: %s", exc.info() if hasattr(exc, "info") else exc)
            self._ep = None
