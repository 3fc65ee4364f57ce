"""The spoken mode of scripts/bench-dialogues: every caller line a dialogue may say is spoken by a
caller voice and transcribed by Whisper (tests/dialogues/spoken_engines.py, run in its own process
with THIS checkout's engines), and the dialogue is replayed with the transcripts.

Nothing here imports `receptionist`: the benchmark process may hold another checkout's.
The runner and its scoring are unchanged; only the words the agent receives change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

import jiwer

from tests.dialogues.suite import Dialogue

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache/spoken/transcripts.json"
_WORDS = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip(),
                        jiwer.ReduceToListOfListOfWords()])
_CHARS = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip(),
                        jiwer.ReduceToListOfListOfChars()])


@dataclass(frozen=True, slots=True)
class SpokenLines:
    """What the caller voices and Whisper made of the lines. `voices`: caller voice per language;
    `model`: the transcriber; `heard`: per (text, lang) the transcript the agent receives, or None
    when the pipeline would drop it (a filtered hallucination); `lines`: the raw records
    (spoken_engines.Heard as dicts)."""

    voices: Mapping[str, str]
    model: str
    heard: Mapping[tuple[str, str], str | None]
    lines: tuple[Mapping[str, Any], ...]

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "SpokenLines":
        lines = tuple(data["lines"])
        heard = {(r["text"], r["lang"]): (r["heard"] if r["kept"] and r["heard"].strip() else None) for r in lines}
        return SpokenLines(dict(data["voices"]), str(data["model"]), heard, lines)


def lines_of(dialogues: Iterable[Dialogue], *, listening: bool = False) -> list[tuple[str, str]]:
    """Every (text, lang) a dialogue may say, without repeats: its turns, its answers, the confirm
    word (the plain yes when it has no `confirm` answer) and, for a caller who listens to the
    summary, their corrections and their last no."""
    from tests.dialogues import listening as listener

    seen: dict[tuple[str, str], None] = {}
    for d in dialogues:
        said = (*listener.corrections(d.expect, d.lang).values(), listener.give_up(d.lang)) if listening else ()
        for text in (*d.turns, *d.answers.values(), d.confirm_word, *said):
            seen[(text, d.lang)] = None
    return list(seen)


def speak_and_hear(lines: list[tuple[str, str]], *, cache: Path = CACHE, root: Path = ROOT,
                   prompt: bool = True) -> SpokenLines:
    """Runs tests.dialogues.spoken_engines in a child process of this checkout (`root`); its
    progress goes to stderr. `prompt` False: Whisper without its initial prompts. Raises
    RuntimeError when it fails."""
    request = json.dumps([{"text": t, "lang": lang} for t, lang in lines], ensure_ascii=False)
    flags = [] if prompt else ["--no-prompt"]
    proc = subprocess.run([sys.executable, "-m", "tests.dialogues.spoken_engines", "--cache", str(cache), *flags],
                          input=request, stdout=subprocess.PIPE, text=True, cwd=root,
                          env=_child_env(root), check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"speaking and transcribing the caller lines failed (exit {proc.returncode})")
    return SpokenLines.from_json(json.loads(proc.stdout))


def _child_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)  # this checkout's receptionist, never --repo's
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def as_heard(d: Dialogue, spoken: SpokenLines, *, listening: bool = False) -> Dialogue:
    """The dialogue with every caller line replaced by its transcript. A line the pipeline would
    drop is not said (a turn is left out, an answer is not given)."""
    turns = tuple(h for h in (spoken.heard[(t, d.lang)] for t in d.turns) if h is not None)
    answers = {k: h for k, v in d.answers.items() if (h := spoken.heard[(v, d.lang)]) is not None}
    answers.pop("confirm", None)
    confirm = spoken.heard[(d.confirm_word, d.lang)]
    if confirm is not None:
        answers["confirm"] = confirm
    from tests.dialogues import listening as listener

    fixes = {k: spoken.heard.get((v, d.lang)) or "" for k, v in listener.corrections(d.expect, d.lang).items()} \
        if listening else {}
    return replace(d, turns=turns, answers=answers, corrections=fixes)


def error_rates(spoken: SpokenLines) -> list[dict[str, Any]]:
    """Per language (and all): lines, word and character error rate of the transcripts against the
    written lines (lower case, punctuation removed; dropped lines count as heard empty), lines
    dropped as hallucinations, and lines said by a fallback voice."""
    rows = []
    langs = list(dict.fromkeys(r["lang"] for r in spoken.lines))
    for label, group in [*((lang, [r for r in spoken.lines if r["lang"] == lang]) for lang in langs),
                         ("all", list(spoken.lines))]:
        if not group:
            continue
        refs = [r["text"] for r in group]
        hyps = [r["heard"] if r["kept"] else "" for r in group]
        rows.append({"group": label, "lines": len(group),
                     "wer": jiwer.wer(refs, hyps, reference_transform=_WORDS, hypothesis_transform=_WORDS),
                     "cer": jiwer.cer(refs, hyps, reference_transform=_CHARS, hypothesis_transform=_CHARS),
                     "dropped": sum(not r["kept"] or not r["heard"].strip() for r in group),
                     "fallback": sum(r["spoken_by"] != r["voice"] for r in group),
                     "audio_s": round(sum(r["audio_s"] for r in group), 1)})
    return rows


def meta(spoken: SpokenLines) -> dict[str, Any]:
    """The spoken run for the benchmark's JSON meta: voices, model, error rates (numbers only)."""
    return {"voices": dict(spoken.voices), "model": spoken.model, "error_rates": error_rates(spoken)}


def render(info: Mapping[str, Any]) -> str:
    """The voices, the transcriber and the error-rate table (from meta())."""
    out = ["spoken: caller lines synthesized and transcribed with this checkout's engines "
           f"({CACHE.relative_to(ROOT)})",
           "  voices: " + ", ".join(f"{lang}: {v}" for lang, v in info["voices"].items()),
           f"  STT: {info['model']}", ""]
    head = f"{'transcripts vs written lines':<30} {'lines':>5} {'WER':>6} {'CER':>6} {'dropped':>7} " \
           f"{'fallback':>8} {'audio s':>8}"
    out += [head, "-" * len(head)]
    for r in info["error_rates"]:
        out.append(f"{r['group']:<30} {r['lines']:>5} {100 * r['wer']:>5.1f}% {100 * r['cer']:>5.1f}% "
                   f"{r['dropped']:>7} {r['fallback']:>8} {r['audio_s']:>8.0f}")
    out.append("  (numbers written as digits in the scripts are spoken as words and may come back either "
               "way: WER counts that too)")
    return "\n".join(out)
