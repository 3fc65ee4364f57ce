"""[agent] and [llm] sections."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from receptionist.backends import registry
from receptionist.config.fields import Section
from receptionist.errors import ConfigError


@dataclass(frozen=True, slots=True)
class AgentConfig:
    language_threshold: float = 0.85  # confidence needed to commit / switch the session language
    tool_timeout_s: float = 5.0  # per attempt, booking backend calls
    tool_retries: int = 2  # on transient failures only (timeouts, 5xx, connection errors)
    holding_phrase_after_s: float = 0.6  # emit "one moment…" when a tool/LLM call may take longer
    booking_backend: str = "local"  # "local" SQLite calendar or "http" (another appliance's booking API)
    backend_url: str | None = None
    backend_token: str | None = None
    session_idle_minutes: int = 120  # a session untouched this long starts fresh
    # Who may manage a booking (see receptionist/agent/verify.py): failed code+phone look-ups before a lock-out,
    # per conversation, per client (hashed web address / caller id) and per tenant within lookup_window_minutes.
    lookup_failures_per_session: int = 3
    lookup_failures_per_client: int = 10
    lookup_failures_per_tenant: int = 100
    lookup_window_minutes: int = 60
    otp_valid_minutes: int = 10  # a one-time code texted to the booking's phone
    otp_tries: int = 3  # wrong one-time codes before the attempt counts as a failed look-up
    otp_texts_per_phone: int = 3  # one-time code texts to one number within lookup_window_minutes
    # More language folders (each holding <code>/*.toml like receptionist/lang/<code>/), registered at load
    # so that tenants may list those languages; relative paths are taken from the config file's folder.
    language_dirs: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class LlmConfig:
    enabled: bool = True
    engine: str = "llama"  # a kind in backends/registry.py LLM
    model_path: Path = Path("models/llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    threads: int = 2
    context_tokens: int = 2048
    max_tokens: int = 48
    timeout_s: float = 8.0
    n_gpu_layers: int = 0  # layers llama.cpp offloads to an NVIDIA GPU (-1 = all; needs a CUDA build)


def parse_agent(s: Section) -> AgentConfig:
    s.reject_unknown((*AgentConfig.__slots__, "backend_token_file"))
    d = AgentConfig()
    backend = s.str("booking_backend", d.booking_backend, choices=("local", "http"))
    url = s.opt_str("backend_url")
    if backend == "http" and not url:
        raise ConfigError(f"{s.key('backend_url')} is required when {s.key('booking_backend')} = \"http\"")
    return AgentConfig(
        language_threshold=s.float("language_threshold", d.language_threshold, lo=0.5, hi=0.99),
        tool_timeout_s=s.float("tool_timeout_s", d.tool_timeout_s, lo=0.1, hi=60),
        tool_retries=s.int("tool_retries", d.tool_retries, lo=0, hi=5),
        holding_phrase_after_s=s.float("holding_phrase_after_s", d.holding_phrase_after_s, lo=0.0, hi=10),
        booking_backend=backend,
        backend_url=url,
        backend_token=s.secret("backend_token"),
        session_idle_minutes=s.int("session_idle_minutes", d.session_idle_minutes, lo=1, hi=60 * 24 * 90),
        lookup_failures_per_session=s.int("lookup_failures_per_session", d.lookup_failures_per_session, lo=1, hi=100),
        lookup_failures_per_client=s.int("lookup_failures_per_client", d.lookup_failures_per_client, lo=1, hi=10000),
        lookup_failures_per_tenant=s.int("lookup_failures_per_tenant", d.lookup_failures_per_tenant, lo=1, hi=100000),
        lookup_window_minutes=s.int("lookup_window_minutes", d.lookup_window_minutes, lo=1, hi=60 * 24 * 7),
        otp_valid_minutes=s.int("otp_valid_minutes", d.otp_valid_minutes, lo=1, hi=60),
        otp_tries=s.int("otp_tries", d.otp_tries, lo=1, hi=10),
        otp_texts_per_phone=s.int("otp_texts_per_phone", d.otp_texts_per_phone, lo=1, hi=100),
        language_dirs=_language_dirs(s),
    )


def _language_dirs(s: Section) -> tuple[Path, ...]:
    dirs = []
    for i, value in enumerate(s.str_list("language_dirs", ())):
        path = Path(value).expanduser()
        path = path if path.is_absolute() else s.base_dir / path
        if not path.is_dir():
            raise ConfigError(f"{s.key('language_dirs')}[{i}] must be a directory of language folders (got {value!r})")
        dirs.append(path)
    return tuple(dirs)


def parse_llm(s: Section) -> LlmConfig:
    s.reject_unknown(LlmConfig.__slots__)
    d = LlmConfig()
    return LlmConfig(
        enabled=s.bool("enabled", d.enabled),
        engine=s.str("engine", d.engine, choices=registry.kinds(registry.LLM)),
        model_path=s.path_value("model_path", str(d.model_path)) or d.model_path,
        threads=s.int("threads", d.threads, lo=1, hi=64),
        context_tokens=s.int("context_tokens", d.context_tokens, lo=512, hi=32768),
        max_tokens=s.int("max_tokens", d.max_tokens, lo=8, hi=512),
        timeout_s=s.float("timeout_s", d.timeout_s, lo=0.5, hi=120),
        n_gpu_layers=s.int("n_gpu_layers", d.n_gpu_layers, lo=-1, hi=1000),
    )
