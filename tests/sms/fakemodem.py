"""A fake GSM modem on a pseudo-terminal: it speaks enough AT (PDU mode) for python-gsmmodem-new's
connect, send (single and multipart, GSM-7 and UCS2), +CMTI → AT+CMGR → AT+CMGD, AT+CMGL; it can answer
ERROR to sends, and disappear (the pty closes) and come back (a new pty behind the same path)."""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from pathlib import Path

from gsmmodem.pdu import Concatenation, decodeSmsPdu


def _semi_octets(digits: str) -> bytes:
    if len(digits) % 2:
        digits += "F"
    return bytes(int(digits[i + 1] + digits[i], 16) for i in range(0, len(digits), 2))


def deliver_pdu(number: str, text: str, concat: tuple[int, int, int] | None = None, serial: int = 0) -> str:
    """An SMS-DELIVER PDU (UCS2), optionally one part of a concatenated message (ref, total, seq). The
    network's timestamp is 11:MM:SS of one fixed day, MM:SS = `serial` seconds, so texts differ like real ones."""
    digits = number.lstrip("+")
    udh = bytes([5, 0, 3, *concat]) if concat else b""
    body = udh + text.encode("utf-16-be")
    first = 0x04 | (0x40 if concat else 0)
    minutes, seconds = divmod(serial % 3600, 60)
    tpdu = (bytes([first, len(digits), 0x91]) + _semi_octets(digits) + bytes([0x00, 0x08])
            + _semi_octets(f"61112411{minutes:02d}{seconds:02d}00") + bytes([len(body)]) + body)
    return (b"\x00" + tpdu).hex().upper()


class FakeModem:
    def __init__(self, path: Path) -> None:
        self.path = path  # what the app opens: a symlink to the current /dev/pts/N
        self.commands: list[str] = []
        self.submitted: list[dict] = []  # decoded SMS-SUBMIT PDUs, in order
        self.storage: dict[int, str] = {}
        self.delivered: list[str] = []  # every PDU that arrived, in order (to deliver one again)
        self.fail_sends = 0  # answer the next N AT+CMGS with +CMS ERROR
        self._next_index = 1
        self._ref = 0
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self._thread: threading.Thread | None = None
        self.appear()

    # -- test controls --------------------------------------------------------------------------------

    def appear(self) -> None:
        master, slave = os.openpty()
        tty.setraw(master)
        tty.setraw(slave)
        self._master, self._slave = master, slave
        tmp = self.path.with_suffix(".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(os.ttyname(slave))
        tmp.replace(self.path)
        self._alive = True
        self._thread = threading.Thread(target=self._loop, args=(master,), daemon=True)
        self._thread.start()

    def vanish(self) -> None:
        """The USB modem is unplugged: the pty goes away under the app."""
        self._alive = False
        if self._thread is not None:
            self._thread.join(timeout=2)
        for fd in (self._master, self._slave):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._master = self._slave = None
        self.path.unlink(missing_ok=True)

    def receive(self, number: str, text: str, *, parts: int = 1, ref: int = 7) -> None:
        """A text arrives: stored on the 'SIM', announced with +CMTI (one per part)."""
        size = -(-len(text) // parts)
        chunks = [text[i:i + size] for i in range(0, len(text), size)]
        for seq, chunk in enumerate(chunks, 1):
            concat = (ref, len(chunks), seq) if len(chunks) > 1 else None
            with self._lock:
                index = self._next_index
                self._next_index += 1
                self.storage[index] = pdu = deliver_pdu(number, chunk, concat, serial=index)
                self.delivered.append(pdu)
            self.announce(index)
            time.sleep(0.05)

    def announce(self, index: int) -> None:
        """+CMTI for a stored text (again, to play a modem that repeats itself)."""
        self._write(f'\r\n+CMTI: "ME",{index}\r\n')

    def store(self, number: str, text: str) -> int:
        """A text that arrived while the app was away (read with AT+CMGL at connect); returns its index."""
        return self.store_pdu(deliver_pdu(number, text, serial=self._next_index))

    def store_pdu(self, pdu: str) -> int:
        """Put a PDU on the 'SIM' (e.g. one delivered before, as a modem that did not delete it would)."""
        with self._lock:
            index = self._next_index
            self.storage[index] = pdu
            self._next_index += 1
        return index

    def messages(self) -> list[tuple[str, str]]:
        """Sent texts as (number, text), concatenated parts joined."""
        out: list[tuple[str, str]] = []
        pending: dict[int, dict[int, str]] = {}
        for pdu in self.submitted:
            concat = next((ie for ie in pdu.get("udh", ()) if isinstance(ie, Concatenation)), None)
            if concat is None:
                out.append((pdu["number"], pdu["text"]))
                continue
            parts = pending.setdefault(concat.reference, {})
            parts[concat.number] = pdu["text"]
            if len(parts) == concat.parts:
                out.append((pdu["number"], "".join(parts[i] for i in sorted(parts))))
                del pending[concat.reference]
        return out

    # -- the AT side ------------------------------------------------------------------------------------

    def _write(self, data: str) -> None:
        if self._master is not None:
            try:
                os.write(self._master, data.encode())
            except OSError:
                pass

    def _reply(self, *lines: str) -> None:
        self._write("".join(f"\r\n{line}\r\n" for line in lines))

    def _loop(self, master: int) -> None:
        buffer = b""
        pdu_length: int | None = None
        while self._alive:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(master, 4096)
            except OSError:
                time.sleep(0.02)
                continue
            buffer += data
            while True:
                if pdu_length is not None:
                    if b"\x1a" not in buffer:
                        break
                    pdu, buffer = buffer.split(b"\x1a", 1)
                    self._submit(pdu.decode().strip())
                    pdu_length = None
                    continue
                if b"\r" not in buffer:
                    break
                line, buffer = buffer.split(b"\r", 1)
                command = line.decode(errors="replace").strip()
                if command:
                    pdu_length = self._command(command)

    def _submit(self, pdu: str) -> None:
        if self.fail_sends > 0:
            self.fail_sends -= 1
            self._reply("+CMS ERROR: 500")
            return
        self.submitted.append(decodeSmsPdu(pdu))
        self._ref = (self._ref + 1) % 256
        self._reply(f"+CMGS: {self._ref}", "OK")

    def _command(self, cmd: str) -> int | None:
        self.commands.append(cmd)
        upper = cmd.upper()
        simple = {"AT+CFUN?": ["+CFUN: 1"], "AT+CPIN?": ["+CPIN: READY"], "AT+CGMI": ["FakeModem"],
                  "AT+CLAC": ["+CLAC: +CMGS,+CMGR,+CMGL,+CMGD,+CSCS,+CPMS,+CNMI"],
                  "AT+CSCA?": ['+CSCA: "+3725099000",145'], "AT+CSCS=?": ['+CSCS: ("GSM","UCS2","IRA")'],
                  "AT+CSCS?": ['+CSCS: "GSM"'], "AT+CPMS=?": ['+CPMS: ("ME","SM"),("ME","SM"),("ME","SM")']}
        if upper in simple:
            self._reply(*simple[upper], "OK")
        elif upper.startswith("AT+CMGS="):
            self._write("\r\n> ")
            return int(upper.split("=")[1])
        elif upper.startswith("AT+CMGR="):
            index = int(upper.split("=")[1])
            with self._lock:
                pdu = self.storage.get(index)
            if pdu is None:
                self._reply("+CMS ERROR: 321")
            else:
                self._reply(f"+CMGR: 0,,{len(pdu) // 2 - 1}", pdu, "OK")
        elif upper.startswith("AT+CMGL="):
            with self._lock:
                stored = sorted(self.storage.items())
            lines = [x for i, pdu in stored for x in (f"+CMGL: {i},0,,{len(pdu) // 2 - 1}", pdu)]
            self._reply(*lines, "OK")
        elif upper.startswith("AT+CMGD="):
            with self._lock:
                self.storage.pop(int(upper.split("=")[1].split(",")[0]), None)
            self._reply("OK")
        elif upper.startswith("AT+CPMS="):
            self._reply("+CPMS: 0,50,0,50,0,50", "OK")
        elif upper in ("AT", "ATZ", "ATE0", "AT+CMEE=1", "AT+CMGF=0", "AT+COPS=3,0", "AT+CLIP=1", "AT+CRC=1",
                       "AT+CVHU=0") or upper.startswith(("AT+CSMP=", "AT+CNMI=", "AT+CSCS=")):
            self._reply("OK")
        else:
            self._reply("ERROR")
        return None
