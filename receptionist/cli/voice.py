"""Voice commands: `transcribe`, `say`, `simulate-call`, `talk`. Thin wrappers over receptionist.pipeline."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timezone
from pathlib import Path
from typing import Any

import click

from receptionist import lang as langdata
from receptionist.config.voice import VoiceConfig
from receptionist.errors import ConfigError, ReceptionistError

LANGS = click.Choice(langdata.folders(builtin=True))  # the shipped language folders


def _voice_config(ctx: click.Context) -> tuple[VoiceConfig, tuple[str, ...], Any]:
    """(VoiceConfig, tenant languages, AppConfig or None). Without a config file: defaults from cwd."""
    from receptionist.config.app import load_config

    path = ctx.find_root().ensure_object(dict).get("config_path", "config.toml")
    if not Path(path).exists():
        return VoiceConfig(), ("en", "et", "ru"), None
    config = load_config(path)
    return config.voice, tuple(config.default_tenant.languages), config


def _fail(exc: Exception) -> None:
    code = getattr(exc, "code", "error")
    raise click.ClickException(f"[{code}] {exc}")


@click.command("transcribe")
@click.argument("wav", type=click.Path(exists=True, dir_okay=False))
@click.option("--lang", type=LANGS, default=None, help="Pin the language (default: detect among the tenant's).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def transcribe_cmd(ctx: click.Context, wav: str, lang: str | None, as_json: bool) -> None:
    """Transcribe an audio file (WAV of any sample format, FLAC, OGG, MP3...) with the packaged Whisper model."""
    from receptionist.audio.files import read_audio
    from receptionist.audio.resample import resample
    from receptionist.app import build_stt

    try:
        audio = resample(read_audio(wav), 16000)  # an unreadable file fails before the model loads
        cfg, languages, _ = _voice_config(ctx)
        stt = build_stt(cfg)
        started = time.perf_counter()
        result = stt.transcribe(audio.samples, language=lang, languages=(lang,) if lang else languages,
                                max_tokens=220)
        elapsed = time.perf_counter() - started
    except (ReceptionistError, OSError, ValueError) as exc:
        _fail(exc)
        return
    if as_json:
        click.echo(json.dumps({"text": result.text, "language": result.language,
                               "language_probability": round(result.language_probability, 3),
                               "no_speech_prob": round(result.no_speech_prob, 3), "audio_s": audio.duration_s,
                               "compute_s": round(elapsed, 3)}, ensure_ascii=False))
    else:
        click.echo(f"[{result.language} {result.language_probability:.2f}] {result.text}")
        click.echo(f"({audio.duration_s:.1f} s of audio in {elapsed:.2f} s)", err=True)


@click.command("say")
@click.argument("text")
@click.option("--lang", type=LANGS, default="en", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="WAV file to write.")
@click.pass_context
def say_cmd(ctx: click.Context, text: str, lang: str, output: str) -> None:
    """Speak TEXT with the configured voice for LANG (numbers, prices and codes read out properly)."""
    import numpy as np

    from receptionist.audio.pcm import AudioChunk, write_wav
    from receptionist.app import build_voices
    from receptionist.pipeline.sentences import split_sentences
    from receptionist.pipeline.speech_text import normalize_for_speech

    try:
        cfg, _, _ = _voice_config(ctx)
        voice = build_voices(cfg, (lang,))[lang]
        started = time.perf_counter()
        parts = [np.concatenate(list(voice.synthesize(normalize_for_speech(s, lang)))) for s in split_sentences(text)]
        elapsed = time.perf_counter() - started
        audio = AudioChunk(np.concatenate(parts) if parts else np.zeros(0, np.float32), voice.sample_rate)
        write_wav(output, audio)
    except (ReceptionistError, OSError, ValueError) as exc:
        _fail(exc)
        return
    click.echo(f"wrote {output}: {audio.duration_s:.1f} s at {audio.sample_rate} Hz (synthesis {elapsed:.2f} s)")


@click.command("simulate-call")
@click.argument("wavs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Folder for results.")
@click.option("--fast", is_flag=True, help="Virtual clock: skip waiting (engine compute still counts).")
@click.option("--barge-in-after", type=float, default=None,
              help="Start each caller line after the first this many seconds into the bot's reply.")
@click.option("--real-agent", is_flag=True, help="Use the real agent (and LLM) instead of the canned fake brain.")
@click.option("--tenant", "tenant_id", default=None,
              help="With --real-agent: the business that answers (default: the config's first tenant).")
@click.option("--no-greeting", is_flag=True)
@click.option("--today", default=None, metavar="DATE",
              help="The call happens on this date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM, in the business's time "
                   "zone): what 'today' and 'tomorrow' mean. Default: now.")
@click.pass_context
def simulate_call_cmd(ctx: click.Context, wavs: tuple[str, ...], out_dir: str, fast: bool,
                      barge_in_after: float | None, real_agent: bool, tenant_id: str | None,
                      no_greeting: bool, today: str | None) -> None:
    """Play WAV files as a caller through the real pipeline; write bot.wav, call.wav and timeline.json.

    Exits non-zero, naming the error code, when any reply failed (the caller heard an apology)."""
    from receptionist.audio.files import read_audio
    from receptionist.audio.pcm import write_wav, write_wav_multi
    from receptionist.app import build_voice_engines
    from receptionist.clock import ShiftedClock, SystemClock
    from receptionist.pipeline.simulate import CALLER_RATE, CallerLine, ReplyAudit, simulate_call
    from receptionist.pipeline.virtual_clock import calendar_start

    try:
        cfg, languages, app_config = _voice_config(ctx)
        tenant = simulation_tenant(app_config, tenant_id, real_agent)
        tz = app_config.tenant(tenant).tz if app_config is not None else timezone.utc
        now = (ctx.find_root().obj or {}).get("clock") or SystemClock()  # tests inject a FakeClock
        start = calendar_start(today, tz, now.now())
        lines = [CallerLine(read_audio(w), barge_in_after if i > 0 else None) for i, w in enumerate(wavs)]
        engines = build_voice_engines(cfg, languages)
        brain, closer = _brain(app_config, real_agent, clock=ShiftedClock(start))
        audit = ReplyAudit(brain)
        try:
            result = asyncio.run(simulate_call(engines, cfg, lines, brain=audit, languages=languages, fast=fast,
                                               greet=not no_greeting, tenant_id=tenant, start=start))
        finally:
            engines.close()
            closer()
    except (ReceptionistError, OSError, ValueError) as exc:
        _fail(exc)
        return
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_wav(out / "bot.wav", result.bot_audio)
    write_wav_multi(out / "call.wav", result.call_mix(), CALLER_RATE)
    summary = [{"turn": t.turn, "language": t.language, "voice_to_voice_s": _r(t.voice_to_voice_s),
                "stt_s": _r(t.stt_s), "agent_s": _r(t.agent_s), "tts_s": _r(t.tts_s),
                "speculative_hit": t.speculative_hit} for t in result.timings]
    barge = [{"outcome": b.outcome, "reaction_s": _r(b.reaction_s)} for b in result.barge_ins]
    (out / "timeline.json").write_text(json.dumps({"calendar_start": start.isoformat(timespec="seconds"),
                                                   "turns": summary, "barge_ins": barge,
                                                   "events": result.timeline()}, ensure_ascii=False, indent=1))
    for row in summary:
        click.echo(f"turn {row['turn']} [{row['language']}] voice-to-voice {row['voice_to_voice_s']} s "
                   f"(stt {row['stt_s']}, agent {row['agent_s']}, tts {row['tts_s']})")
    for b in barge:
        click.echo(f"barge-in: {b['outcome']} (bot stopped {b['reaction_s']} s after caller speech start)")
    click.echo(f"wrote {out}/bot.wav, call.wav, timeline.json")
    if audit.failures:
        raise click.ClickException(audit.summary())


def simulation_tenant(app_config: Any, tenant_id: str | None, real_agent: bool) -> str:
    """The tenant id a simulated call runs under: `--tenant` or the config's default tenant (the real agent
    knows only configured tenants: ConfigError for another id), "default" for the canned brain without a
    config."""
    if app_config is None:
        if real_agent:
            raise ConfigError("--real-agent needs a config file (--config)")
        return tenant_id or "default"
    return app_config.tenant(tenant_id).id


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def _brain(app_config: Any, real: bool, clock: Any = None) -> tuple[Any, Any]:
    if not real:
        from receptionist.backends.fakes import canned_brain

        return canned_brain(), lambda: None
    if app_config is None:
        raise ConfigError("--real-agent needs a config file (--config)")
    from receptionist.app import build_brain

    built = build_brain(app_config, clock=clock)
    return getattr(built, "agent", built), getattr(built, "close", lambda: None)


@click.command("talk")
@click.option("--input-device", default=None, help="sounddevice input (name or index).")
@click.option("--output-device", default=None, help="sounddevice output (name or index).")
@click.option("--real-agent", is_flag=True)
@click.pass_context
def talk_cmd(ctx: click.Context, input_device: str | None, output_device: str | None, real_agent: bool) -> None:
    """Talk to the receptionist through the local microphone and speaker (Ctrl-C to stop)."""
    from receptionist.app import build_voice_engines, run_mic

    try:
        cfg, languages, app_config = _voice_config(ctx)
        engines = build_voice_engines(cfg, languages)
        brain, closer = _brain(app_config, real_agent)
        try:
            asyncio.run(run_mic(engines, cfg, languages, brain, input_device=input_device,
                                output_device=output_device,
                                on_event=lambda at, ev: click.echo(f"{at:9.3f} {type(ev).__name__}")))
        finally:
            closer()
            engines.close()
    except KeyboardInterrupt:
        pass
    except (ReceptionistError, OSError, ValueError) as exc:
        _fail(exc)


COMMANDS = [transcribe_cmd, say_cmd, simulate_call_cmd, talk_cmd]
