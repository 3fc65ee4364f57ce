"""What a benchmark ran with, in words: the brain, the speech models and their settings, the bot's voices.

Benchmarks print these lines before their numbers so that a figure is never read without knowing which
models, which settings and which brain produced it. Pure: reads config dataclasses, loads nothing.

    for line in voice_setup(config.voice, languages): print(line)
    print(brain_setup(config.llm, llm_loaded=True))
"""

from __future__ import annotations

from typing import Any

from receptionist.config.voice import VoiceChoice, VoiceConfig


def voice_choice(choice: VoiceChoice | None) -> str:
    """One voice as "piper en_US-joe-medium" / "espeak-ng et" (speed shown when not 1.0)."""
    if choice is None:
        return "none configured"
    if choice.model is not None:
        name = f"{choice.engine} {choice.model.stem}"
    else:
        name = f"{'espeak-ng' if choice.engine == 'espeak' else choice.engine} {choice.voice or ''}".strip()
    return name if choice.speed == 1.0 else f"{name} (speed {choice.speed:g})"


def voice_setup(cfg: VoiceConfig, languages: tuple[str, ...]) -> list[str]:
    """Lines naming the STT model and compute type, the VAD and turn settings, barge-in policy and the
    bot's voice per language."""
    stt, vad, barge = cfg.stt, cfg.vad, cfg.barge_in
    voices = ", ".join(f"{lang}: {voice_choice(cfg.tts.voices.get(lang))}" for lang in languages)
    return [
        f"STT: Whisper {stt.model_dir.name} ({stt.compute_type}, {stt.threads} threads, beam {stt.beam_size}, "
        f"max {stt.max_tokens} tokens, encoder frames {stt.min_encoder_frames})",
        f"VAD: Silero {vad.model_path.name} (threshold {vad.threshold:g}); turn: min speech {vad.min_speech_ms} ms, "
        f"end silence {vad.min_silence_ms} ms, speculative pause {vad.speculative_pause_ms} ms, "
        f"pre-roll {vad.preroll_ms} ms, max utterance {vad.max_utterance_s:g} s",
        f"barge-in: {'on' if barge.enabled else 'off'} (pause after {barge.pause_after_ms} ms of caller sound, "
        f"min speech {barge.min_speech_ms} ms, min words {barge.min_words}, commit {barge.commit_speech_ms} ms, "
        f"resume after {barge.resume_after_ms} ms)",
        turn_setup(cfg),
        f"bot voices: {voices}",
    ]


def turn_setup(cfg: VoiceConfig) -> str:
    """One line naming the end-of-turn model and where its verdict counts, or "silence only"."""
    t = cfg.turn
    cues = "text cues on" if t.text_cues else "text cues off"
    if t.model == "off":
        return f"end of turn: silence only ({cues}, max silence {t.max_silence_ms} ms when unfinished)"
    return (f"end of turn: Smart Turn v3.2 {t.model_path.name} asked at the speculative pause, trusted for "
            f"{', '.join(t.model_languages)} (complete >= {t.complete_threshold:g}, unfinished <= "
            f"{t.incomplete_threshold:g}); {cues}; max silence {t.max_silence_ms} ms when unfinished")


def brain_setup(llm_cfg: Any, *, llm_loaded: bool, fake: bool = False, max_wait_s: float | None = None) -> str:
    """One line naming the brain: the canned fake, the rules-only agent, or the agent with its LLM file and
    settings (`llm_cfg`: the [llm] section, receptionist.config.agent.LlmConfig)."""
    if fake:
        return "brain: canned fake brain (--fake-brain): fixed replies, no agent, no LLM, no calendar"
    if not llm_loaded:
        return "brain: the real agent, rules only (no LLM), scratch calendar"
    wait = "" if max_wait_s is None else f", max queue wait {max_wait_s:g} s"
    return (f"brain: the real agent + LLM {llm_cfg.model_path.name} ({llm_cfg.threads} threads, context "
            f"{llm_cfg.context_tokens}, max {llm_cfg.max_tokens} tokens, timeout {llm_cfg.timeout_s:g} s{wait}), "
            f"scratch calendar")
