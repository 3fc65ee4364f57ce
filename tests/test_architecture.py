"""Dependencies point inward, heavy engines stay behind their one backend module, nothing reaches
for a model hub. Checked by parsing imports, not by convention."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "receptionist"
HEAVY = {
    "llama_cpp": {"backends/llama_llm.py"},
    "faster_whisper": {"backends/whisper_stt.py"},
    "piper": {"backends/piper_tts.py"},
    "pjsua2": None,  # only under channels/sip/
    "gsmmodem": None,  # only under channels/sms/
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(sub: str = "") -> list[Path]:
    return sorted((PKG / sub).rglob("*.py"))


@pytest.mark.parametrize("inner", ["agent", "booking"])
def test_inner_layers_never_import_channels_or_pipeline(inner):
    for path in _files(inner):
        bad = {m for m in _imports(path) if m.startswith(("receptionist.channels", "receptionist.pipeline"))}
        assert not bad, f"{path.relative_to(PKG)} imports {bad}"


def test_heavy_engines_are_imported_in_one_place_each():
    for path in _files():
        rel = path.relative_to(PKG).as_posix()
        for module in _imports(path):
            root = module.split(".")[0]
            if root not in HEAVY:
                continue
            allowed = HEAVY[root]
            if allowed is None:
                home = "channels/sip/" if root == "pjsua2" else "channels/sms/"
                assert rel.startswith(home), f"{rel} imports {root}"
            else:
                assert rel in allowed, f"{rel} imports {root}"


def test_no_code_reaches_for_a_model_hub():
    for path in _files():
        text = path.read_text(encoding="utf-8")
        for needle in ("hf_hub_download", "snapshot_download", "from_pretrained(", "huggingface_hub"):
            assert needle not in text, f"{path.relative_to(PKG)} mentions {needle}"
