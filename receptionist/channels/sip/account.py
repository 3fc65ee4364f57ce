"""The line's SIP account (SIP thread only): local (no registrar, calls straight to our address) or
registered with a PBX/provider, re-registering every `register_interval_s`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pjsua2 as pj

from receptionist.config.sip import SipConfig

if TYPE_CHECKING:
    from receptionist.channels.sip.endpoint import SipEndpoint

log = logging.getLogger(__name__)


def account_config(cfg: SipConfig, local_host: str) -> pj.AccountConfig:
    acc = pj.AccountConfig()
    if cfg.registrar:
        host = cfg.registrar.split(":", 1)[1]
        acc.idUri = f"sip:{cfg.user}@{host}"
        acc.regConfig.registrarUri = cfg.registrar
        acc.regConfig.timeoutSec = cfg.register_interval_s
        acc.regConfig.retryIntervalSec = 30
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
    def __init__(self, endpoint: "SipEndpoint") -> None:
        super().__init__()
        self.endpoint = endpoint
        self.registered = False

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        self.endpoint.incoming(self, prm)

    def onRegState(self, prm: pj.OnRegStateParam) -> None:
        self.registered = int(prm.code) // 100 == 2 and int(prm.expiration) > 0
        if self.registered:
            log.info("sip: registered (expires in %ss)", prm.expiration)
        else:
            log.warning("sip: registration failed or ended (status %s)", prm.code)
