"""The GSM modem on a serial port — the only module that imports gsmmodem / serial.

`SerialModem` is blocking (python-gsmmodem-new + pyserial) and lives on one thread of its own;
`ModemLink` is its asyncio face: `await send(number, text)`, incoming texts handed to the event loop,
reconnects after the modem goes away. Errors are `ModemError` with a code; phone numbers never go
into log lines.
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


class ModemError(ReceptionistError):
    """sms-modem-down (port gone / not answering), sms-rejected (the modem answered ERROR), sms-pin."""

    code = "sms-modem-down"


@dataclass(frozen=True, slots=True)
class IncomingSms:
    number: str
    text: str
    concat: tuple[int, int, int] | None = None  # (reference, total parts, part number) of a long message


def _incoming(sms: Any) -> IncomingSms:
    concat = next(((ie.reference, ie.parts, ie.number) for ie in (getattr(sms, "udh", None) or ())
                   if isinstance(ie, Concatenation)), None)
    return IncomingSms(str(sms.number), str(sms.text or ""), concat)


class SerialModem:
    """Blocking modem access. Call every method from one thread (ModemLink does)."""

    def __init__(self, port: str, baudrate: int = 115200, *, pin: str | None = None,
                 on_sms: Callable[[IncomingSms], None] | None = None, on_lost: Callable[[], None] | None = None) -> None:
        self.port = port
        self.baudrate = baudrate
        self._pin = pin
        self._on_sms = on_sms or (lambda sms: None)
        self._on_lost = on_lost or (lambda: None)
        self._modem: GsmModem | None = None

    @property
    def connected(self) -> bool:
        return self._modem is not None and bool(self._modem.alive)

    def connect(self) -> list[IncomingSms]:
        """Open and initialise the modem; returns texts that arrived while we were away (deleted from the SIM)."""
        self.close()
        modem = GsmModem(self.port, self.baudrate, smsReceivedCallbackFunc=self._received, requestDelivery=False,
                         fatalErrorCallbackFunc=self._fatal)
        try:
            modem.connect(pin=self._pin)
            stored = modem.listStoredSms(status=Sms.STATUS_ALL, delete=True)
        except PinRequiredError:
            _close_quietly(modem)
            raise ModemError("the SIM needs a PIN ([sms].pin_file)", code="sms-pin") from None
        except Exception as exc:  # port missing, no answer, an odd reply the library cannot parse
            _close_quietly(modem)
            raise ModemError(f"modem did not initialise ({type(exc).__name__})") from None
        self._modem = modem
        return [_incoming(s) for s in stored if getattr(s, "text", None) is not None]

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

    def _received(self, sms: Any) -> None:  # on the library's notification thread
        self._on_sms(_incoming(sms))

    def _fatal(self, exc: Exception) -> None:  # the read thread lost the port
        log.warning("sms modem went away (%s)", type(exc).__name__)
        self._on_lost()


def _close_quietly(modem: GsmModem) -> None:
    try:
        if getattr(modem, "alive", False) or getattr(modem, "serial", None) is not None:
            modem.alive = False
            if getattr(modem, "rxThread", None) is not None and modem.rxThread is not threading.current_thread():
                modem.rxThread.join(timeout=2)
            modem.serial.close()
    except Exception:  # closing a port that is already gone
        pass


OnSms = Callable[[IncomingSms], Awaitable[None]]


class ModemLink:
    """The modem from asyncio: one thread does all serial work; reconnects with backoff when lost."""

    def __init__(self, port: str, baudrate: int = 115200, *, pin: str | None = None,
                 retry_s: float = 5.0, max_retry_s: float = 300.0) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sms-modem")
        self._port = port
        self._modem = SerialModem(port, baudrate, pin=pin, on_sms=self._from_thread, on_lost=self._lost)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_sms: OnSms | None = None
        self._on_connected: Callable[[], None] = lambda: None
        self._retry = (retry_s, max_retry_s)
        self._lost_event: asyncio.Event | None = None
        self._tasks: set[asyncio.Task] = set()

    @property
    def connected(self) -> bool:
        return self._modem.connected

    async def start(self, on_sms: OnSms, on_connected: Callable[[], None] | None = None) -> None:
        """Connect in the background (never raises: a missing modem is retried with backoff).
        `on_connected` runs on the event loop after every (re)connect."""
        self._loop = asyncio.get_running_loop()
        self._on_sms = on_sms
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
                    pending = await self._loop.run_in_executor(self._executor, self._modem.connect)
                except ModemError as exc:
                    log.warning("sms modem unavailable [%s]; retrying in %.0f s", exc.code, wait)
                    metrics.set_modem_connected(False, self._port)
                    try:
                        await asyncio.wait_for(self._lost_event.wait(), wait)
                    except asyncio.TimeoutError:
                        pass
                    wait = min(wait * 2, ceiling)
                    continue
                log.info("sms modem connected (%d stored messages)", len(pending))
                metrics.set_modem_connected(True, self._port)
                wait = delay
                self._on_connected()
                for sms in pending:
                    self._spawn(self._deliver(sms))
            self._lost_event.clear()
            await self._lost_event.wait()

    def _from_thread(self, sms: IncomingSms) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(lambda: self._spawn(self._deliver(sms)))

    def _lost(self) -> None:
        metrics.set_modem_connected(False, self._port)
        if self._loop is not None and not self._loop.is_closed() and self._lost_event is not None:
            self._loop.call_soon_threadsafe(self._lost_event.set)

    async def _deliver(self, sms: IncomingSms) -> None:
        if self._on_sms is None:
            return
        try:
            await self._on_sms(sms)
        except Exception:  # one bad message never stops the channel
            log.exception("handling an incoming sms failed")

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._modem.close)
        self._executor.shutdown(wait=True)
