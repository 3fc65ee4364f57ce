"""`doctor` checks about which models and voices will actually run: a model an operator dropped into
models/ (not in the manifest), GPU use when config asks for it, and which voice speaks each language
(festival, or espeak-ng when festival is missing).

Engine modules are asked through receptionist.backends.registry (`ask`); nothing here loads a model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from receptionist.backends import registry
from receptionist.config.app import AppConfig
from receptionist.config.voice import VoiceChoice
from receptionist.modelpack.catalog import FoundModel, gguf_model, piper_voice, whisper_model
from receptionist.ops.doctor import Check

Asker = Callable[..., object]  # registry.ask's shape, replaceable in tests


def check_unlisted(role: str, path: Path, languages: set[str]) -> Check:
    """A configured model file that the manifest does not list: an operator's own model. `role` as in
    doctor ("stt", "llm", "tts-<lang>"); `path` the file config points at (Whisper: its model.bin)."""
    found: FoundModel
    if role == "stt":
        found = whisper_model(path.parent)
    elif role == "llm":
        found = gguf_model(path)
    else:
        found = piper_voice(path)
    name = f"model {role}"
    where = path.parent.name if role == "stt" else path.name
    if found.problem:
        return Check(name, "fail", f"{where}: {found.problem}")
    if found.multilingual is False and languages - {"en"}:
        return Check(name, "fail", f"{where} is an English-only Whisper; callers speak {', '.join(sorted(languages))} "
                                   "(use a multilingual model: small, medium, large-v3-turbo)")
    return Check(name, "ok", f"{where}: dropped in by the operator ({found.detail}, {found.bytes / 1e6:.0f} MB; "
                             "not in the manifest, sha256 not checked)")


def check_gpu(config: AppConfig, *, ask: Asker = registry.ask) -> list[Check]:
    """GPU use config asks for: [stt] device = "cuda"/"auto" (CTranslate2 must see a CUDA device) and
    [llm] n_gpu_layers (llama.cpp must be a GPU build). Nothing when config asks for none."""
    checks = []
    stt = config.voice.stt
    if config.channels.sip.enabled and stt.device != "cpu":
        try:
            count = int(ask(registry.STT, stt.engine, "cuda_devices"))
        except LookupError:
            checks.append(Check("gpu stt", "warn", f'[stt] device = "{stt.device}": engine {stt.engine} cannot tell'))
        else:
            if count:
                checks.append(Check("gpu stt", "ok", f"{count} CUDA device(s): Whisper runs on the GPU "
                                                     f"({stt.compute_type})"))
            elif stt.device == "cuda":
                checks.append(Check("gpu stt", "fail", '[stt] device = "cuda" but CTranslate2 finds no CUDA device '
                                                       "(NVIDIA driver, CUDA 12 cuBLAS and cuDNN 9 libraries)"))
            else:
                checks.append(Check("gpu stt", "ok", '[stt] device = "auto": no CUDA device, Whisper runs on the CPU'))
    llm = config.llm
    if llm.enabled and llm.n_gpu_layers:
        try:
            supported = bool(ask(registry.LLM, llm.engine, "gpu_offload_supported"))
        except (LookupError, ImportError) as exc:
            checks.append(Check("gpu llm", "warn", f"[llm] n_gpu_layers = {llm.n_gpu_layers}: cannot tell ({exc})"))
        else:
            checks.append(Check("gpu llm", "ok", f"{llm.n_gpu_layers} layers on the GPU") if supported else Check(
                "gpu llm", "warn", f"[llm] n_gpu_layers = {llm.n_gpu_layers}, but this llama.cpp build has no GPU "
                                   'support: the model runs on the CPU (rebuild with CMAKE_ARGS="-DGGML_CUDA=on")'))
    return checks


def check_voices(config: AppConfig, *, ask: Asker = registry.ask) -> list[Check]:
    """Per language the tenants speak, the voice that will speak it: the configured one, or its fallback
    (espeak-ng) when the configured engine or voice is missing (warn), or none (fail; only warn while the
    phone line is off: then only `receptionist talk` speaks)."""
    no_voice = "fail" if config.channels.sip.enabled else "warn"
    languages = sorted({lang for t in config.tenants for lang in t.languages})
    checks = []
    for lang in languages:
        choice = config.voice.tts.voices.get(lang)
        if choice is None:
            checks.append(Check(f"voice {lang}", "warn", "no voice configured: replies in the default language's voice"))
            continue
        tried: list[str] = []
        current: VoiceChoice | None = choice
        while current is not None:
            reason = _missing(current, lang, ask)
            if not reason:
                break
            tried.append(reason)
            current = current.fallback
        if current is None:
            checks.append(Check(f"voice {lang}", no_voice, "; ".join(tried)))
        elif tried:
            checks.append(Check(f"voice {lang}", "warn", f"{_label(current)} (instead of {_label(choice)}: "
                                                         f"{'; '.join(tried)})"))
        else:
            checks.append(Check(f"voice {lang}", "ok", _label(current)))
    return checks


def _missing(choice: VoiceChoice, lang: str, ask: Asker) -> str:
    if choice.model is not None:  # a model file (Piper): the file check says more
        return "" if choice.model.is_file() else f"{choice.model} is missing"
    try:
        return str(ask(registry.TTS, choice.engine, "missing", choice) or "")
    except LookupError:
        return ""  # an engine that cannot tell: assume it speaks


def _label(choice: VoiceChoice) -> str:
    if choice.model is not None:
        return f"{choice.engine} {choice.model.stem}"
    return f"{'espeak-ng' if choice.engine == 'espeak' else choice.engine} {choice.voice or ''}".strip()
