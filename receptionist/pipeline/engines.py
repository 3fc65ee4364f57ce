"""The voice engines a process shares (`VoiceEngines`) and one VoiceSession per call built from them.

The engines themselves are made by the composition root (`receptionist.app.build_voice_engines`, through
backends/registry.py); nothing here imports a backend, so fakes-only code never loads onnxruntime,
faster_whisper or piper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from receptionist.audio.io import AudioSink
from receptionist.backends.base import SpeechToText, TextToSpeech, TurnModel, VadModel
from receptionist.clock import Clock
from receptionist.config.turn import TurnConfig
from receptionist.config.voice import BargeInConfig, VadConfig, VoiceConfig
from receptionist.pipeline.brain import Brain
from receptionist.pipeline.end_of_turn import EndOfTurnPolicy, TurnChecker
from receptionist.pipeline.interruption import BargeInPolicy, default_backchannels
from receptionist.pipeline.line_idle import IdlePolicy
from receptionist.pipeline.stt import SpeechRecognizer, SttPolicy
from receptionist.pipeline.stt_prompts import stt_prompts
from receptionist.pipeline.tts import SpeechSynthesizer
from receptionist.pipeline.turn import TurnDetector, TurnPolicy
from receptionist.pipeline.vad import VadStage
from receptionist.pipeline.voice_session import CallInfo, EventHook, VoiceSession
from receptionist.pipeline.worker import Activity, EngineWorker


@dataclass
class VoiceEngines:
    """Process-wide engines, each with its own single worker thread (VAD: one instance per call)."""

    vad_factory: Callable[[], VadModel]
    stt: SpeechToText
    voices: Mapping[str, TextToSpeech]
    activity: Activity = field(default_factory=Activity)
    turn_model: TurnModel | None = None  # end-of-turn model ([turn] model), None = silence and text cues
    stt_worker: EngineWorker = field(init=False)
    tts_worker: EngineWorker = field(init=False)
    turn_worker: EngineWorker = field(init=False)

    def __post_init__(self) -> None:
        self.stt_worker = EngineWorker("stt", self.activity)
        self.tts_worker = EngineWorker("tts", self.activity)
        self.turn_worker = EngineWorker("turn", self.activity)

    def close(self) -> None:
        self.stt_worker.close()
        self.tts_worker.close()
        self.turn_worker.close()
        for voice in {id(v): v for v in self.voices.values()}.values():
            closer = getattr(voice, "close", None)  # a voice that runs a process of its own (festival)
            if callable(closer):
                closer()


def turn_policy(cfg: VadConfig, turn: TurnConfig | None = None) -> TurnPolicy:
    turn = turn or TurnConfig()
    return TurnPolicy(threshold=cfg.threshold, min_speech_s=cfg.min_speech_ms / 1000,
                      end_silence_s=cfg.min_silence_ms / 1000, speculative_pause_s=cfg.speculative_pause_ms / 1000,
                      max_utterance_s=cfg.max_utterance_s, echo_threshold=cfg.echo_threshold,
                      echo_min_speech_s=cfg.echo_min_speech_ms / 1000,
                      max_silence_s=max(turn.max_silence_ms, cfg.min_silence_ms) / 1000)


def end_of_turn_policy(cfg: TurnConfig) -> EndOfTurnPolicy:
    return EndOfTurnPolicy(complete_threshold=cfg.complete_threshold, incomplete_threshold=cfg.incomplete_threshold,
                           model_languages=cfg.model_languages, text_cues=cfg.text_cues)


def barge_in_policy(cfg: BargeInConfig) -> BargeInPolicy:
    backchannels = default_backchannels()
    backchannels.update({lang: frozenset(words) for lang, words in cfg.backchannels.items()})
    return BargeInPolicy(enabled=cfg.enabled, min_speech_s=cfg.min_speech_ms / 1000, min_words=cfg.min_words,
                         commit_speech_s=cfg.commit_speech_ms / 1000, resume_after_s=cfg.resume_after_ms / 1000,
                         backchannels=backchannels, pause_after_s=cfg.pause_after_ms / 1000)


def warm_up(engines: VoiceEngines) -> None:
    """One tiny inference per engine so the first caller does not pay for lazy initialisation."""
    import numpy as np

    engines.stt.transcribe(np.zeros(16000, dtype=np.float32), language="en", languages=("en",), max_tokens=4)
    for voice in {id(v): v for v in engines.voices.values()}.values():
        list(voice.synthesize("Hello."))
    if engines.turn_model is not None:
        engines.turn_model.complete_prob(np.zeros(16000, dtype=np.float32))


def build_session(engines: VoiceEngines, cfg: VoiceConfig, *, call: CallInfo, brain: Brain, sink: AudioSink,
                  clock: Clock, languages: tuple[str, ...], greet: bool = True,
                  on_event: EventHook | None = None, keypad: bool = False,
                  prompts: Mapping[str, str] | None = None) -> VoiceSession:
    """One call's session. `keypad`: the line carries DTMF (the phone line), so the number and date
    questions offer it ([turn] keypad_help). `prompts`: Whisper's initial prompt per language
    (default: the language folders' stt.toml prompts, when [stt] prompt is on)."""
    if prompts is None:
        prompts = stt_prompts(languages, enabled=cfg.stt.prompt)
    stt = SpeechRecognizer(engines.stt, engines.stt_worker,
                           SttPolicy(languages=languages, max_tokens=cfg.stt.max_tokens,
                                     no_speech_threshold=cfg.stt.no_speech_threshold, prompts=prompts), clock)
    default = cfg.tts.default_language if cfg.tts.default_language in languages else languages[0]
    tts = SpeechSynthesizer(engines.voices, engines.tts_worker, clock, default)
    model = engines.turn_model
    checker = TurnChecker(model, engines.turn_worker, end_of_turn_policy(cfg.turn)) if model is not None else None
    detector = TurnDetector(turn_policy(cfg.vad, cfg.turn), verdicts=checker is not None)
    return VoiceSession(call=call, brain=brain, vad=VadStage(engines.vad_factory(), clock),
                        detector=detector, stt=stt, tts=tts, sink=sink, clock=clock,
                        barge_in=barge_in_policy(cfg.barge_in), preroll_s=cfg.vad.preroll_ms / 1000,
                        greet=greet, on_event=on_event, activity=engines.activity, turn_checker=checker,
                        text_cues=cfg.turn.text_cues, keypad=keypad and cfg.turn.keypad_help,
                        idle=IdlePolicy(cfg.turn.silence_prompt_s, cfg.turn.silence_hangup_s))
