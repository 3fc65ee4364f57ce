"""The whole configuration: `load_config(path) -> AppConfig`, parsed once at start."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from receptionist import lang as langdata
from receptionist.config.agent import AgentConfig, LlmConfig, parse_agent, parse_llm
from receptionist.config.channels import ChannelsConfig, parse_channels
from receptionist.config.fields import Section
from receptionist.config.privacy import PrivacyConfig, parse_privacy
from receptionist.config.tenant import TenantConfig, parse_tenant
from receptionist.config.voice import VoiceConfig, parse_voice
from receptionist.errors import ConfigError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

# Top-level tables. Sections parsed by parse_voice / parse_channels must be listed here too, so that a
# typo such as [tss] is reported instead of silently ignored. Add new section names to the right tuple.
CORE_SECTIONS = ("app", "tenants", "agent", "llm", "privacy")
VOICE_SECTIONS = ("audio", "vad", "turn", "stt", "langid", "tts", "barge_in", "mic", "pipeline")
CHANNEL_SECTIONS = ("http", "web", "sip", "sms")
ROOT_SECTIONS = CORE_SECTIONS + VOICE_SECTIONS + CHANNEL_SECTIONS


@dataclass(frozen=True, slots=True)
class AppSettings:
    data_dir: Path
    database: Path
    log_level: str = "INFO"


@dataclass(frozen=True, slots=True)
class AppConfig:
    app: AppSettings
    tenants: tuple[TenantConfig, ...]
    agent: AgentConfig
    llm: LlmConfig
    voice: VoiceConfig
    channels: ChannelsConfig
    source: Path | None = None  # the file it was read from, if any
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)

    @property
    def default_tenant(self) -> TenantConfig:
        return self.tenants[0]

    def tenant(self, tenant_id: str | None = None) -> TenantConfig:
        """The tenant with this id (the first one when None); ConfigError if unknown."""
        if tenant_id is None:
            return self.default_tenant
        for t in self.tenants:
            if t.id == tenant_id:
                return t
        raise ConfigError(f"unknown tenant {tenant_id!r} (known: {', '.join(t.id for t in self.tenants)})")


def load_config(path: str | Path) -> AppConfig:
    """Read and validate a TOML config file; relative paths are taken from the file's folder."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    return parse_config(data, base_dir=path.resolve().parent, source=path)


def parse_config(data: Mapping[str, Any], *, base_dir: Path, source: Path | None = None) -> AppConfig:
    root = Section(data, "", base_dir)
    root.reject_unknown(ROOT_SECTIONS)
    agent = parse_agent(root.section("agent"))
    for folder in agent.language_dirs:  # before the tenants, which may name those languages
        langdata.add_root(folder)
    tenants = tuple(parse_tenant(t) for t in root.sections("tenants"))
    if not tenants:
        raise ConfigError("tenants: at least one [[tenants]] table is required")
    seen: set[str] = set()
    for i, t in enumerate(tenants):
        if t.id in seen:
            raise ConfigError(f"tenants[{i}].id {t.id!r} is used by another tenant")
        seen.add(t.id)
    return AppConfig(
        app=_parse_app(root.section("app")),
        tenants=tenants,
        agent=agent,
        llm=parse_llm(root.section("llm")),
        voice=parse_voice(root),
        channels=parse_channels(root),
        source=source,
        privacy=parse_privacy(root.section("privacy")),
    )


def _parse_app(s: Section) -> AppSettings:
    s.reject_unknown(("data_dir", "database", "log_level"))
    data_dir = s.path_value("data_dir", "data")
    database = s.path_value("database", "data/receptionist.db")
    if data_dir is None or database is None:
        raise ConfigError(f"{s.key('data_dir' if data_dir is None else 'database')} must be a path string")
    return AppSettings(
        data_dir=data_dir,
        database=database,
        log_level=s.str("log_level", "INFO", choices=LOG_LEVELS),
    )
