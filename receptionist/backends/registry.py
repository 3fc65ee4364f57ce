"""The engine registry: which module makes each engine kind that config can name. One line per engine.

    [vad] engine = "silero"     -> VAD["silero"]
    [stt] engine = "whisper"    -> STT["whisper"]
    [tts.<lang>] engine = "piper" | "espeak" | "festival"  -> TTS[...]
    [llm] engine = "llama"      -> LLM["llama"]
    (text language ID)          -> LANGID["fasttext"]

Adding an engine = one module under `backends/` with a function `create(settings)` that returns the
engine (settings: `VadConfig`, `SttConfig`, the language's `VoiceChoice`, `LlmConfig`), plus one line
in the table below. The module is imported only when config names its kind, so code that runs on
fakes never imports onnxruntime, faster_whisper, piper or llama_cpp. An entry may also be a factory
callable instead of a module path (a test's toy engine: `monkeypatch.setitem(registry.STT, "toy", ToyStt)`).

Only `receptionist.app` (the composition root) calls `create`; config validates kinds against these
tables (an unknown kind is a ConfigError naming the key).
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Mapping

from receptionist.errors import ConfigError

Factory = Callable[[Any], Any]
Entry = str | Factory  # "package.module" (its `create` is called) or the factory itself

VAD: dict[str, Entry] = {
    "silero": "receptionist.backends.silero_vad",
}
STT: dict[str, Entry] = {
    "whisper": "receptionist.backends.whisper_stt",
}
TTS: dict[str, Entry] = {
    "piper": "receptionist.backends.piper_tts",
    "espeak": "receptionist.backends.espeak_tts",
    "festival": "receptionist.backends.festival_tts",
}
TURN: dict[str, Entry] = {
    "smart-turn": "receptionist.backends.smart_turn",
}
LLM: dict[str, Entry] = {
    "llama": "receptionist.backends.llama_llm",
}
LANGID: dict[str, Entry] = {  # text language identification, one signal of agent/language.py
    "fasttext": "receptionist.backends.fasttext_langid",
}


def create(table: Mapping[str, Entry], kind: str, settings: Any, *, key: str) -> Any:
    """Build the engine of `kind` from `table` with `settings`. ConfigError naming `key` (the config key
    that chose the kind, e.g. "stt.engine") when no engine of that kind is registered; whatever the
    engine raises (ModelError "model-missing", ...) passes through."""
    entry = table.get(kind)
    if entry is None:
        raise ConfigError(f"{key} = {kind!r} is not a known engine (known: {', '.join(sorted(table))})")
    factory = importlib.import_module(entry).create if isinstance(entry, str) else entry
    return factory(settings)


def ask(table: Mapping[str, Entry], kind: str, question: str, *args: Any) -> Any:
    """Call the function `question(*args)` of the module that makes `kind`, without making the engine (e.g.
    "cuda_devices" of the Whisper engine: can it use a GPU here?). LookupError when `kind` is not a registered
    module or the module has no such function."""
    entry = table.get(kind)
    function = getattr(importlib.import_module(entry), question, None) if isinstance(entry, str) else None
    if not callable(function):
        raise LookupError(f"engine {kind!r} cannot answer {question!r}")
    return function(*args)


def kinds(table: Mapping[str, Entry]) -> tuple[str, ...]:
    """The kinds a config key may name, sorted (for validation messages)."""
    return tuple(sorted(table))
