"""The line's SIP account (SIP thread only): local (no registrar, calls straight to our address) or
registered with a PBX/provider (digest authentication, UDP or TCP), refreshed before it expires.

Failures (see registration.py): pjsua retries transient ones itself; a refused registration (wrong
user or password) is one ERROR line naming the account and the registrar's answer, then a retry after
a doubling back-off driven by `tick()` from the endpoint's loop. Every change is posted to the line as
a `RegistrationChanged` event (the service turns it into the `receptionist_sip_registered` metric that
`doctor` reads).
"""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING

import pjsua2 as pj

from receptionist.channels.sip.events import RegistrationChanged
from receptionist.channels.sip.registration import RefusedBackoff, describe, pjsua_retries, retry_interval_s
from receptionist.config.sip import SipConfig

if TYPE_CHECKING:
    from receptionist.channels.sip.endpoint import SipEndpoint

log = logging.getLogger(__name__)

_TRANSPORT_PARAM = re.compile(r";\s*transport=", re.IGNORECASE)


def registrar_uri(cfg: SipConfig) -> str:
    """The registrar URI as configured, with `;transport=tcp` added when the line runs over TCP (pjsua
    would otherwise send the REGISTER over UDP, which the line has no transport for)."""
    uri = cfg.registrar or ""
    if cfg.transport == "tcp" and not _TRANSPORT_PARAM.search(uri):
        uri += ";transport=tcp"
    return uri


def registrar_domain(registrar: str) -> str:
    """ "sip:pbx.clinic.lan:5070;transport=tcp" -> "pbx.clinic.lan:5070" (the host part of our address)."""
    host = registrar.split(":", 1)[1] if ":" in registrar else registrar
    return host.split(";", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]


def account_name(cfg: SipConfig) -> str:
    """ "reception@pbx.clinic.lan" — the account as log lines and `doctor` name it (never a password)."""
    return f"{cfg.user}@{registrar_domain(cfg.registrar or '')}"


def account_config(cfg: SipConfig, local_host: str) -> pj.AccountConfig:
    acc = pj.AccountConfig()
    if cfg.registrar:
        retry = retry_interval_s(cfg.register_interval_s)
        acc.idUri = f"sip:{account_name(cfg)}"
        acc.regConfig.registrarUri = registrar_uri(cfg)
        acc.regConfig.timeoutSec = cfg.register_interval_s
        acc.regConfig.retryIntervalSec = retry
        acc.regConfig.randomRetryIntervalSec = max(1, retry // 4)
        acc.regConfig.unregWaitMsec = 2000  # at shutdown: do not wait long for an unreachable registrar
        acc.sipConfig.authCreds.append(pj.AuthCredInfo("digest", "*", cfg.user or "", 0, cfg.password or ""))
    else:
        acc.idUri = f"sip:receptionist@{local_host}"
    tp = acc.mediaConfig.transportConfig
    tp.boundAddress = cfg.bind
    tp.port = cfg.rtp_port
    tp.portRange = cfg.rtp_port_range if cfg.rtp_port else 0
    if cfg.public_address:
        tp.publicAddress = cfg.public_address
    return acc


class LineAccount(pj.Account):
    """The pjsua2 account; `registered` and `refusals` may be read from any thread."""

    def __init__(self, endpoint: "SipEndpoint") -> None:
        super().__init__()
        self.endpoint = endpoint
        cfg = endpoint.cfg
        self.registered = False
        self.refusals = 0  # refused registrations in a row
        self._last_status = 0
        self._retry_at: float | None = None
        self._backoff = RefusedBackoff(2.0 * retry_interval_s(cfg.register_interval_s))
        self._name = account_name(cfg) if cfg.registrar else ""

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        self.endpoint.incoming(self, prm)

    def onRegState(self, prm: pj.OnRegStateParam) -> None:
        code, expires, reason = int(prm.code), int(prm.expiration), str(prm.reason)
        registered = code // 100 == 2 and expires > 0
        retry: float | None = None
        if registered:
            if not self.registered:
                log.info("sip: registered as %s (expires in %d s)", self._name, expires)
            else:
                log.debug("sip: registration as %s refreshed (expires in %d s)", self._name, expires)
            self.refusals, self._retry_at = 0, None
        elif code // 100 == 2:
            log.info("sip: unregistered %s", self._name)
        elif pjsua_retries(code):
            if self.registered or code != self._last_status:
                log.warning("sip: registration as %s failed: %s; retrying every %d s", self._name,
                            describe(code, reason), retry_interval_s(self.endpoint.cfg.register_interval_s))
        else:
            self.refusals += 1
            retry = self._backoff.delay(self.refusals)
            self._retry_at = time.monotonic() + retry
            log.error("sip: registration as %s refused by %s: %s; next try in %.0f s", self._name,
                      self.endpoint.cfg.registrar, describe(code, reason), retry)
        self.registered = registered
        self._last_status = code
        self.endpoint.post(RegistrationChanged(self.endpoint.cfg.registrar or "", self._name, registered, code,
                                               reason, expires if registered else 0, retry))

    def tick(self, now: float) -> None:
        """SIP thread, every loop turn: retry a refused registration when its back-off is over."""
        if self._retry_at is None or now < self._retry_at:
            return
        self._retry_at = None
        try:
            self.setRegistration(True)
        except pj.Error as exc:
            self.refusals += 1
            self._retry_at = now + self._backoff.delay(self.refusals)
            log.warning("sip: registration as %s could not be sent (%s)", self._name, exc.reason)
