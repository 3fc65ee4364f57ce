"""The GSM modem on a serial port — the only module that imports gsmmodem / serial.

`SerialModem` is blocking (python-gsmmodem-new + pyserial) and lives on one thread of its own;
`ModemLink` is its asyncio face: `await send(number, text)`, incoming texts kept, reconnects after the
modem goes away. Errors are `ModemError` with a code; phone numbers never go into log lines.

Nothing lost: an incoming text is handed to `keep` (which stores it durably, or raises) on the modem's
thread, and only when `keep` returned is it deleted from the SIM — announced ones (+CMTI: the library
deletes after its callback returns without an exception) and the ones read at connect alike. A text
`keep` could not store stays on the SIM and is read again at the next connect.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

import serial
from gsmmodem.exceptions import CommandError, PinRequiredError, TimeoutException
from gsmmodem.modem import GsmModem, Sms
from gsmmodem.pdu import Concatenation

from receptionist.ops import metrics
from receptionist.errors import ReceptionistError

log = logging.getLogger(__name__)
CLOSE_WAIT_S = 5.0  # seconds the link waits for its tasks and the modem when it closes


class ModemError(ReceptionistError):
    """sms-modem-down (port gone / not answering), sms-rejected (the modem answered ERROR), sms-pin."""

    code = "sms-modem-down"


@dataclass(frozen=True, slots=True)
class IncomingSms:
    number: str
    text: str
    concat: tuple[int, int, int] | None = None  # (reference, total parts, part number) of a long message
    sent_at: str | None = None  # the network's timestamp of the message (ISO-8601), part of its identity


def _incoming(sms: Any) -> IncomingSms:
    concat = next(((ie.reference, ie.parts, ie.number) for ie in (getattr(sms, "udh", None) or ())
                   if isinstance(ie, Concatenation)), None)
    at = getattr(sms, "time", None)
    return IncomingSms(str(sms.number), str(sms.text or ""), concat, at.isoformat() if at is not None else None)


Keep = Callable[[IncomingSms], None]  # store a text durably before it leaves the SIM; raise when that failed


class SerialModem:
    """Blocking modem access. Call every method from one thread (ModemLink does)."""

    def __init__(self, port: str, baudrate: int = 115200, *, pin: str | None = None,
                 keep: Keep | None = None, on_lost: Callable[[], None] | None = None) -> None:
        self.port = port
        self.baudrate = baudrate
        self._pin = pin
        self.keep: Keep = keep or _refuse
        self._on_lost = on_lost or (lambda: None)
        self._modem: GsmModem | None = None

    @property
    def connected(self) -> bool:
        return self._modem is not None and bool(self._modem.alive)

    def connect(self) -> int:
        """Open and initialise the modem; texts that arrived while we were away are kept, then deleted from
        the SIM. Returns how many were kept."""
        self.close()
        modem = GsmModem(self.port, self.baudrate, smsReceivedCallbackFunc=self._received, requestDelivery=False,
                         fatalErrorCallbackFunc=self._fatal)
        try:
            modem.connect(pin=self._pin)
            stored = modem.listStoredSms(status=Sms.STATUS_ALL, delete=False)
        except PinRequiredError:
            _close_quietly(modem)
            raise ModemError("the SIM needs a PIN ([sms].pin_file)", code="sms-pin") from None
        except Exception as exc:  # port missing, no answer, an odd reply the library cannot parse
            _close_quietly(modem)
            raise ModemError(f"modem did not initialise ({type(exc).__name__})") from None
        self._modem = modem
        kept = 0
        for sms in stored:
            if getattr(sms, "text", None) is None:  # a status report or something unreadable: left alone
                continue
            try:
                self.keep(_incoming(sms))
            except Exception as exc:  # not stored: it stays on the SIM for the next connect
                log.warning("a stored sms could not be kept (%s); left on the SIM", type(exc).__name__)
                continue
            kept += 1
            try:
                modem.deleteStoredSms(sms.index)
            except Exception as exc:  # kept already: reading it again later is harmless (deduplicated)
                log.warning("a kept sms could not be deleted from the SIM (%s)", type(exc).__name__)
        return kept

    def send(self, number: str, text: str) -> None:
        if not self.connected:
            self.connect()
        assert self._modem is not None
        try:
            self._modem.sendSms(number, text)
        except CommandError as exc:  # the modem answered ERROR: still there, the message was refused
            raise ModemError(f"modem refused the message ({type(exc).__name__})", code="sms-rejected") from None
        except (serial.SerialException, OSError, TimeoutException) as exc:
            self.close()
            raise ModemError(f"modem stopped answering ({type(exc).__name__})") from None

    def close(self) -> None:
        modem, self._modem = self._modem, None
        if modem is not None:
            _close_quietly(modem)

    def _received(self, sms: Any) -> None:  # on the library's notification thread; it deletes when we return
        self.keep(_incoming(sms))

    def _fatal(self, exc: Exception) -> None:  # the read thread lost the port
        log.warning("sms modem went away (%s)", type(exc).__name__)
        self._on_lost()


def _refuse(sms: IncomingSms) -> None:
    raise ModemError("no store for incoming texts yet", code="sms-not-kept")


def _close_quietly(modem: GsmModem) -> None:
    try:
        if getattr(modem, "alive", False) or getattr(modem, "serial", None) is not None:
            modem.alive = False
            if getattr(modem, "rxThread", None) is not None and modem.rxThread is not threading.current_thread():
                modem.rxThread.join(timeout=2)
            modem.serial.close()
    except Exception:  # closing a port that is already gone
        pass


class ModemLink:
    """The modem from asyncio: one thread does all serial work; reconnects with backoff when lost."""

    def __init__(self, port: str, baudrate: int = 115200, *, pin: str | None = None,
                 retry_s: float = 5.0, max_retry_s: float = 300.0) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sms-modem")
        self._port = port
        self._modem = SerialModem(port, baudrate, pin=pin, keep=self._keep, on_lost=self._lost)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._store: Keep = _refuse
        self._on_kept: Callable[[], None] = lambda: None
        self._on_connected: Callable[[], None] = lambda: None
        self._retry = (retry_s, max_retry_s)
        self._lost_event: asyncio.Event | None = None
        self._tasks: set[asyncio.Task] = set()

    @property
    def connected(self) -> bool:
        return self._modem.connected

    async def start(self, keep: Keep, on_kept: Callable[[], None], on_connected: Callable[[], None] | None = None
                    ) -> None:
        """Connect in the background (never raises: a missing modem is retried with backoff).
        `keep(sms)` runs on a modem thread and must store the text durably (or raise: it stays on the SIM);
        `on_kept()` runs on the event loop after texts were kept; `on_connected` after every (re)connect."""
        self._loop = asyncio.get_running_loop()
        self._store = keep
        self._on_kept = on_kept
        self._on_connected = on_connected or (lambda: None)
        self._lost_event = asyncio.Event()
        self._spawn(self._keep_connected())

    async def send(self, number: str, text: str) -> None:
        assert self._loop is not None, "start() first"
        await self._loop.run_in_executor(self._executor, self._modem.send, number, text)

    async def _keep_connected(self) -> None:
        assert self._loop is not None and self._lost_event is not None
        delay, ceiling = self._retry
        wait = delay
        while True:
            if not self.connected:
                try:
                    kept = await self._loop.run_in_executor(self._executor, self._modem.connect)
                except ModemError as exc:
                    log.warning("sms modem unavailable [%s]; retrying in %.0f s", exc.code, wait)
                    metrics.set_modem_connected(False, self._port)
                    try:
                        await asyncio.wait_for(self._lost_event.wait(), wait)
                    except asyncio.TimeoutError:
                        pass
                    wait = min(wait * 2, ceiling)
                    continue
                log.info("sms modem connected (%d stored messages)", kept)
                metrics.set_modem_connected(True, self._port)
                wait = delay
                self._on_connected()
                self._on_kept()
            self._lost_event.clear()
            await self._lost_event.wait()

    def _keep(self, sms: IncomingSms) -> None:  # on a modem thread: store first, then tell the loop
        self._store(sms)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._on_kept)

    def _lost(self) -> None:
        metrics.set_modem_connected(False, self._port)
        if self._loop is not None and not self._loop.is_closed() and self._lost_event is not None:
            self._loop.call_soon_threadsafe(self._lost_event.set)

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Stop: the link's tasks and the modem, each given CLOSE_WAIT_S at most - a serial port
        that never answers must not keep the service from stopping (logged, then let go)."""
        for task in list(self._tasks):
            task.cancel()
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(asyncio.gather(*self._tasks, return_exceptions=True), CLOSE_WAIT_S)
            await asyncio.wait_for(loop.run_in_executor(self._executor, self._modem.close), CLOSE_WAIT_S)
        except asyncio.TimeoutError:
            log.warning("sms modem did not close within %.0f s; left to the process exit", CLOSE_WAIT_S)
            self._executor.shutdown(wait=False, cancel_futures=True)
            return
        self._executor.shutdown(wait=True)
