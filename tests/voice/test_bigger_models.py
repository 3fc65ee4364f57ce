"""Config selects a bigger Whisper or GGUF and the GPU: [stt] model_dir / device / compute_type, [llm]
model_path / n_gpu_layers. The packaged Whisper, copied under another name, stands in for a bigger one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from receptionist.config.agent import parse_llm
from receptionist.config.fields import Section
from receptionist.config.voice import SttConfig, VoiceConfig, parse_voice
from receptionist.errors import ConfigError, ModelError
from voicekit import WHISPER, espeak, need


def stt(data: dict, base: Path = Path("/etc/rcp")) -> SttConfig:
    return parse_voice(Section({"stt": data}, "", base)).stt


def test_whisper_runs_on_the_cpu_unless_config_says_otherwise():
    cfg = stt({})
    assert (cfg.device, cfg.compute_type) == ("cpu", "int8")


def test_a_dropped_in_whisper_on_the_gpu_is_selected_by_folder_device_and_compute_type():
    cfg = stt({"model_dir": "models/whisper-large-v3-turbo", "device": "cuda", "compute_type": "float16"})
    assert cfg.model_dir == Path("/etc/rcp/models/whisper-large-v3-turbo")
    assert (cfg.device, cfg.compute_type) == ("cuda", "float16")


def test_half_precision_on_the_cpu_is_a_config_error_naming_both_keys():
    with pytest.raises(ConfigError, match=r'stt.compute_type = .float16. needs stt.device = "cuda"'):
        stt({"compute_type": "float16"})
    with pytest.raises(ConfigError, match="stt.device"):
        stt({"device": "tpu"})


def test_llama_layers_on_the_gpu_are_a_number_of_layers_or_all():
    assert parse_llm(Section({}, "llm", Path("/etc/rcp"))).n_gpu_layers == 0
    assert parse_llm(Section({"n_gpu_layers": -1}, "llm", Path("/etc/rcp"))).n_gpu_layers == -1
    with pytest.raises(ConfigError, match="llm.n_gpu_layers"):
        parse_llm(Section({"n_gpu_layers": -2}, "llm", Path("/etc/rcp")))


def renamed_whisper(tmp_path: Path, name: str) -> Path:
    need(WHISPER / "model.bin")
    folder = tmp_path / name
    folder.mkdir()
    for f in WHISPER.iterdir():
        if f.is_file() and not f.name.startswith("."):
            try:
                os.link(f, folder / f.name)
            except OSError:
                shutil.copyfile(f, folder / f.name)
    return folder


def test_cuda_on_a_machine_without_a_gpu_is_a_model_error_not_a_crash(tmp_path):
    from receptionist.app import build_stt

    folder = renamed_whisper(tmp_path, "whisper-small")
    cfg = VoiceConfig(stt=SttConfig(model_dir=folder, device="cuda", compute_type="float16"))
    from receptionist.backends import registry

    if registry.ask(registry.STT, "whisper", "cuda_devices"):
        pytest.skip("this machine has a CUDA device")
    with pytest.raises(ModelError) as err:
        build_stt(cfg)
    assert err.value.code == "model-failed" and "no CUDA device" in str(err.value)


@pytest.mark.models
def test_the_selected_dropped_in_whisper_is_the_one_that_transcribes(tmp_path):
    from receptionist.app import build_stt
    from receptionist.audio.resample import resample

    folder = renamed_whisper(tmp_path, "whisper-medium")
    engine = build_stt(VoiceConfig(stt=SttConfig(model_dir=folder, device="auto")))
    clip = resample(espeak("I would like to book a room for my dog.", "en", tmp_path), 16000)
    result = engine.transcribe(clip.samples, language="en", languages=("en",), max_tokens=48)
    assert "dog" in result.text.lower()
    assert engine.device == "auto" and np.isfinite(result.avg_logprob)
