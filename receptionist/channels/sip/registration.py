"""Registration with a PBX: the retry timing and the words for a failure. Pure (no pjsua2): unit-tested
with plain values, and read by `doctor` to explain a refused registration.

Two kinds of failure:
* transient (timeout, 5xx, 6xx, the registrar unreachable): pjsua itself retries every `retry_s`
  (`retry_interval_s`, with up to 25% jitter), as long as it takes;
* refused (401/403/404/407, anything else): pjsua gives up; the account retries itself after
  `RefusedBackoff` delays (doubling from 2 x retry_s up to REFUSED_MAX_S), so a wrong password is
  one error line and one REGISTER every so often, never a loop, and a password fixed on the PBX
  side is picked up without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass

# pjsua schedules its own re-registration after these (pjsua_acc.c regc_cb); not after any other failure
PJSUA_RETRIES = frozenset({408, 480, 500, 502, 503, 504})
REFUSED_MAX_S = 1800.0
_HINTS = {
    401: "wrong sip.user or password?",
    403: "wrong sip.user or password, or this user may not register from here?",
    404: "the registrar does not know sip.user",
    407: "wrong sip.user or password?",
    408: "no answer from the registrar (address, port, transport or firewall?)",
    503: "the registrar is unreachable or unavailable (address, port, transport?)",
}


def retry_interval_s(register_interval_s: int) -> int:
    """Seconds between pjsua's own retries after a transient failure: a quarter of the registration
    interval, 2..30 s (300 s registrations retry every 30 s)."""
    return max(2, min(30, register_interval_s // 4))


def pjsua_retries(status: int) -> bool:
    """Whether pjsua re-registers by itself after a failure with this SIP status."""
    return status in PJSUA_RETRIES or 600 <= status < 700


def hint(status: int) -> str:
    """A short likely cause for a failed registration's status ("" when there is nothing useful to say)."""
    return _HINTS.get(status, "")


def describe(status: int, reason: str = "") -> str:
    """ "403 Wrong password (wrong sip.user or password, ...)" — a registration failure for a log line."""
    text = f"{status} {reason}".strip() if status else (reason or "no answer")
    why = hint(status)
    return f"{text} ({why})" if why else text


@dataclass(frozen=True, slots=True)
class RefusedBackoff:
    """Delays before retrying a refused registration: `first_s`, doubling, at most `max_s`."""

    first_s: float
    max_s: float = REFUSED_MAX_S

    def delay(self, refusals: int) -> float:
        """Seconds to wait after the `refusals`-th refusal in a row (1 = the first)."""
        if refusals < 1:
            raise ValueError("refusals counts from 1")
        return min(self.max_s, self.first_s * 2 ** min(refusals - 1, 30))
