"""Bigger models when available: an operator drops a larger Whisper folder or another GGUF into models/ and
selects it in config; `models list` and `doctor` show it. The packaged models stand in for bigger ones: a
renamed copy of the Whisper folder is a "dropped-in" Whisper, a renamed GGUF another language model."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from receptionist.cli.main import main
from receptionist.config.app import load_config
from receptionist.config.voice import VoiceChoice
from receptionist.modelpack.catalog import dropped_in, whisper_model
from receptionist.ops.doctor import check_models
from receptionist.ops.doctor_models import check_gpu, check_voices
from tests.conftest import PET_CONFIG, REPO

MODELS = REPO / "models"
WHISPER = MODELS / "whisper-base"
GGUF = MODELS / "llm" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def need_packaged_models() -> None:
    if not (WHISPER / "model.bin").is_file() or not GGUF.is_file():
        pytest.skip("packaged models absent (scripts/setup)")


def copy_whisper(target: Path, *, english_only: bool = False, without: tuple[str, ...] = ()) -> Path:
    """A Whisper folder made of the packaged one's files (hard-linked where the file system allows: 145 MB;
    not symlinked, which would make it the packaged model itself to doctor)."""
    target.mkdir(parents=True)
    for f in WHISPER.iterdir():
        if f.is_file() and not f.name.startswith(".") and f.name not in without:
            if f.name == "config.json" and english_only:
                data = json.loads(f.read_text())
                data.pop("lang_ids", None)
                (target / f.name).write_text(json.dumps(data))
            else:
                _link(f, target / f.name)
    return target


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


@pytest.fixture
def models(tmp_path) -> Path:
    """A models folder: the packaged models (linked) plus a dropped-in Whisper and GGUF."""
    need_packaged_models()
    folder = tmp_path / "models"
    folder.mkdir()
    for entry in MODELS.iterdir():
        (folder / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    copy_whisper(folder / "whisper-large-v3-turbo")
    (folder / "llm-big").mkdir()
    _link(GGUF, folder / "llm-big" / "bigger-instruct-q4_k_m.gguf")
    return folder


def selecting(tmp_path: Path, models: Path) -> Path:
    """A copy of the bundled config that selects the dropped-in models."""
    text = PET_CONFIG.read_text(encoding="utf-8")
    text = text.replace('[stt]\n', f'[stt]\nmodel_dir = "{models / "whisper-large-v3-turbo"}"\n', 1)
    text = text.replace('model_path = "models/llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"',
                        f'model_path = "{models / "llm-big" / "bigger-instruct-q4_k_m.gguf"}"')
    text = text.replace('knowledge_dir = "knowledge/pawsome"', f'knowledge_dir = "{REPO / "knowledge" / "pawsome"}"')
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_dropped_in_models_are_found_by_their_shape(models):
    found = {(m.role, m.path.name): m for m in dropped_in(models, known=[])}
    whisper = found[("stt", "whisper-large-v3-turbo")]
    assert whisper.multilingual and whisper.problem == "" and "multilingual" in whisper.detail
    assert found[("llm", "bigger-instruct-q4_k_m.gguf")].problem == ""


def test_the_packaged_models_are_not_counted_as_dropped_in(models):
    known = [models / "whisper-base" / "model.bin", models / "llm" / GGUF.name,
             models / "piper" / "en_US-joe-medium.onnx"]
    names = {m.path.name for m in dropped_in(models, known=known)}
    assert names == {"whisper-large-v3-turbo", "bigger-instruct-q4_k_m.gguf"}


def test_a_whisper_folder_without_its_tokenizer_cannot_be_used(tmp_path):
    need_packaged_models()
    folder = copy_whisper(tmp_path / "whisper-small", without=("tokenizer.json",))
    assert "tokenizer.json" in whisper_model(folder).problem


def test_a_file_that_is_not_gguf_is_named_as_such(tmp_path):
    (tmp_path / "llm").mkdir()
    (tmp_path / "llm" / "model.gguf").write_bytes(b"PK\x03\x04 not a model")
    (found,) = dropped_in(tmp_path)
    assert found.role == "llm" and "not a GGUF" in found.problem


def test_models_list_shows_the_dropped_in_models_and_which_config_uses(tmp_path, models):
    config = selecting(tmp_path, models)
    result = CliRunner().invoke(main, ["--config", str(config), "models", "list", "--models-dir", str(models),
                                       "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["file"]: r for r in json.loads(result.output)}
    stt, llm = rows["whisper-large-v3-turbo"], rows["llm-big/bigger-instruct-q4_k_m.gguf"]
    assert (stt["role"], stt["source"], stt["in_use"]) == ("stt", ["dropped in by the operator"], True)
    assert (llm["role"], llm["in_use"]) == ("llm", True)
    assert rows["whisper-base/model.bin"]["in_use"] is False  # the packaged one, no longer selected


def test_doctor_names_the_selected_dropped_in_models(tmp_path, models):
    config = load_config(selecting(tmp_path, models))
    config = replace(config, channels=replace(config.channels, sip=replace(config.channels.sip, enabled=True)))
    checks = {c.name: c for c in check_models(config, models)}
    assert checks["model stt"].status == "ok" and "whisper-large-v3-turbo: dropped in" in checks["model stt"].detail
    assert checks["model llm"].status == "ok" and "dropped in" in checks["model llm"].detail


def test_doctor_fails_an_english_only_whisper_for_estonian_and_russian_callers(tmp_path, models):
    copy_whisper(models / "whisper-medium.en", english_only=True)
    config = load_config(selecting(tmp_path, models))
    config = replace(config, channels=replace(config.channels, sip=replace(config.channels.sip, enabled=True)),
                     voice=replace(config.voice, stt=replace(config.voice.stt, model_dir=models / "whisper-medium.en")))
    check = {c.name: c for c in check_models(config, models)}["model stt"]
    assert check.status == "fail" and "English-only" in check.detail


def gpu_config(device: str = "cpu", layers: int = 0):
    config = load_config(PET_CONFIG)
    return replace(config, channels=replace(config.channels, sip=replace(config.channels.sip, enabled=True)),
                   voice=replace(config.voice, stt=replace(config.voice.stt, device=device)),
                   llm=replace(config.llm, n_gpu_layers=layers))


def machine(cuda_devices: int, gpu_llama: bool):
    """registry.ask answered as on a machine with `cuda_devices` GPUs and a llama.cpp build with or without GPU."""
    def ask(table, kind, question, *args):
        return {"cuda_devices": cuda_devices, "gpu_offload_supported": gpu_llama}[question]
    return ask


def test_doctor_says_nothing_about_gpus_when_config_asks_for_none():
    assert check_gpu(gpu_config(), ask=machine(0, False)) == []


def test_doctor_fails_cuda_whisper_without_a_gpu_and_warns_about_a_cpu_only_llama_build():
    checks = {c.name: c for c in check_gpu(gpu_config("cuda", 99), ask=machine(0, False))}
    assert checks["gpu stt"].status == "fail" and "no CUDA device" in checks["gpu stt"].detail
    assert checks["gpu llm"].status == "warn" and "runs on the CPU" in checks["gpu llm"].detail


def test_doctor_passes_gpu_use_on_a_gpu_machine():
    checks = {c.name: c for c in check_gpu(gpu_config("cuda", -1), ask=machine(1, True))}
    assert checks["gpu stt"].status == "ok" and checks["gpu llm"].status == "ok"
    auto = check_gpu(gpu_config("auto"), ask=machine(0, False))
    assert [c.status for c in auto] == ["ok"] and "on the CPU" in auto[0].detail


def test_this_machines_own_answers_are_a_cpu_build():
    need_packaged_models()
    checks = {c.name: c for c in check_gpu(gpu_config("auto", 10))}
    assert checks["gpu stt"].status == "ok" and checks["gpu llm"].status in ("ok", "warn")


def test_doctor_says_which_voice_speaks_when_festival_is_missing():
    config = load_config(PET_CONFIG)

    def no_festival(table, kind, question, choice):
        return "festival is not installed" if kind == "festival" else ""

    checks = {c.name: c for c in check_voices(config, ask=no_festival)}
    assert checks["voice ru"].status == "warn"
    assert checks["voice ru"].detail.startswith("espeak-ng ru (instead of festival msu_ru_nsh_clunits")
    assert checks["voice en"].status == "ok"

    def nothing(table, kind, question, choice):
        return f"{kind} is not installed"

    assert {c.name: c.status for c in check_voices(config, ask=nothing)}["voice et"] == "warn"  # no phone line
    on_the_phone = replace(config, channels=replace(config.channels, sip=replace(config.channels.sip, enabled=True)))
    assert {c.name: c.status for c in check_voices(on_the_phone, ask=nothing)}["voice et"] == "fail"


def test_a_festival_voice_choice_reads_its_missing_reason_from_the_engine():
    from receptionist.backends import registry

    assert "not installed" in registry.ask(registry.TTS, "festival", "missing", VoiceChoice("festival", voice="nope"))
    if shutil.which("festival"):
        assert registry.ask(registry.TTS, "festival", "missing", VoiceChoice("festival", voice="msu_ru_nsh_clunits")) \
            in ("", "festival voice msu_ru_nsh_clunits is not installed (Debian festvox-* package)")
