"""faster-whisper (CTranslate2) speech recognition: the only module that imports faster_whisper.

One encoder pass per utterance: the encoder output is reused for language detection (restricted to
the tenant's languages) and for greedy decoding (temperature 0, no fallback ladder, token cap) —
utterances are shorter than Whisper's 30 s window, so one segment is all there is.

Encoder window: CTranslate2 accepts fewer than Whisper's 3000 mel frames. Encoding
max(`min_encoder_frames`, 2 x the audio + 2 s) frames instead of a 30 s window cuts the encoder from
~0.9-1.0 s to ~0.2-0.3 s here with the same transcripts on our test clips (1000 frames started to
misread words; 1500 did not). `min_encoder_frames=3000` restores Whisper's own behaviour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping
from typing import TYPE_CHECKING

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.feature_extractor import FeatureExtractor
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens

from receptionist.backends.base import SttResult, choose_language
from receptionist.errors import ModelError

if TYPE_CHECKING:
    from receptionist.config.voice import SttConfig


class WhisperStt:
    sample_rate = 16000

    def __init__(self, model_dir: str | Path, *, threads: int = 2, compute_type: str = "int8",
                 beam_size: int = 1, switch_threshold: float = 0.9, min_encoder_frames: int = 1500,
                 ambiguous_below: float = 0.8, device: str = "cpu") -> None:
        path = Path(model_dir)
        for name in ("model.bin", "config.json", "tokenizer.json"):
            if not (path / name).is_file():
                raise ModelError(f"Whisper model file missing: {path / name}", code="model-missing")
        if device == "cuda" and cuda_devices() == 0:
            raise ModelError('[stt] device = "cuda" but CTranslate2 finds no CUDA device (NVIDIA driver, CUDA 12 '
                             'cuBLAS and cuDNN 9 libraries needed)', code="model-failed")
        try:
            self._model = WhisperModel(str(path), device=device, compute_type=compute_type, cpu_threads=threads,
                                       local_files_only=True)
        except (RuntimeError, ValueError) as exc:  # e.g. a compute type the device lacks, a broken model.bin
            raise ModelError(f"Whisper model {path.name} failed to load on {device}: {exc}", code="model-failed") from exc
        mels = int(getattr(self._model.model, "n_mels", 80))
        if self._model.feature_extractor.mel_filters.shape[0] != mels:  # large-v3 dropped in without its
            self._model.feature_extractor = FeatureExtractor(feature_size=mels)  # preprocessor_config.json
        self.device = device
        self.beam_size = beam_size
        self.switch_threshold = switch_threshold
        self.ambiguous_below = ambiguous_below
        self.min_encoder_frames = max(300, min(3000, min_encoder_frames))
        self._suppress: dict[str, list[int]] = {}

    def transcribe(self, samples: np.ndarray, *, language: str | None, languages: tuple[str, ...],
                   max_tokens: int, prompts: Mapping[str, str] | None = None) -> SttResult:
        """See SpeechToText.transcribe. A language's prompt is given to the decoder as previous text
        (faster-whisper's `initial_prompt`: its last max_length/2 tokens after <|startofprev|>)."""
        m = self._model
        prompts = prompts or {}
        audio = samples[: 30 * self.sample_rate].astype(np.float32)
        features = m.feature_extractor(audio)[:, : m.feature_extractor.nb_max_frames]
        frames = min(m.feature_extractor.nb_max_frames, max(self.min_encoder_frames, 2 * features.shape[1] + 200))
        window = np.zeros((features.shape[0], frames), dtype=np.float32)
        used = min(frames, features.shape[1])
        window[:, :used] = features[:, :used]
        encoder_output = m.encode(window)
        lang, lang_prob = language or "en", 1.0
        runner_up: str | None = None
        if m.model.is_multilingual and (language is None or len(languages) > 1):
            probs = {tok[2:-2]: p for tok, p in m.model.detect_language(encoder_output)[0]}
            lang, lang_prob = choose_language(probs, languages, language, self.switch_threshold)
            if language is None and lang_prob < self.ambiguous_below and len(languages) > 1:
                runner_up = max((x for x in languages if x != lang), key=lambda x: probs.get(x, 0.0))
        result = self._decode(encoder_output, lang, lang_prob, max_tokens, prompts.get(lang, ""))
        if runner_up is not None:  # unsure which language: decode both, keep the likelier transcript
            other = self._decode(encoder_output, runner_up, 1.0 - lang_prob, max_tokens, prompts.get(runner_up, ""))
            if _score(other) > _score(result):
                result = other
        return result

    def _decode(self, encoder_output: object, lang: str, lang_prob: float, max_tokens: int,
                initial_prompt: str = "") -> SttResult:
        m = self._model
        tokenizer = Tokenizer(m.hf_tokenizer, m.model.is_multilingual, task="transcribe", language=lang)
        previous = tokenizer.encode(" " + initial_prompt.strip()) if initial_prompt.strip() else []
        prompt = m.get_prompt(tokenizer, previous, without_timestamps=True)
        if lang not in self._suppress:
            self._suppress[lang] = get_suppressed_tokens(tokenizer, [-1])
        result = m.model.generate(
            encoder_output, [prompt], beam_size=self.beam_size, max_length=len(prompt) + max_tokens,
            return_scores=True, return_no_speech_prob=True, suppress_blank=True,
            suppress_tokens=self._suppress[lang],
        )[0]
        tokens = result.sequences_ids[0]
        text = tokenizer.decode(tokens).strip()
        avg_logprob = result.scores[0] / (len(tokens) + 1)
        no_speech = float(result.no_speech_prob)
        if previous:  # a prompt lowers no-speech on silence: ask the unprompted decoder (one step)
            plain = m.get_prompt(tokenizer, [], without_timestamps=True)
            no_speech = float(m.model.generate(encoder_output, [plain], max_length=len(plain) + 1,
                                               return_no_speech_prob=True)[0].no_speech_prob)
        return SttResult(text=text, language=lang, language_probability=float(lang_prob),
                         no_speech_prob=no_speech, avg_logprob=float(avg_logprob),
                         compression_ratio=float(get_compression_ratio(text)) if text else 1.0,
                         tokens=len(tokens), prompt=initial_prompt.strip())


def _score(r: SttResult) -> float:
    """How plausible a transcript is: decoder confidence, minus a penalty when the script is wrong
    for the language (a "Russian" transcript without Cyrillic, an English one with it)."""
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in r.text)
    wrong_script = (r.language == "ru") != cyrillic and bool(r.text)
    return r.avg_logprob - (1.0 if wrong_script else 0.0)


def create(cfg: SttConfig) -> WhisperStt:
    """The registry's factory (`[stt] engine = "whisper"`)."""
    return WhisperStt(cfg.model_dir, threads=cfg.threads, compute_type=cfg.compute_type, beam_size=cfg.beam_size,
                      switch_threshold=cfg.switch_threshold, min_encoder_frames=cfg.min_encoder_frames,
                      device=cfg.device)


def cuda_devices() -> int:
    """How many CUDA devices CTranslate2 (faster-whisper's runtime) can use here; 0 without an NVIDIA GPU,
    its driver, or a CUDA-enabled CTranslate2."""
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except (RuntimeError, OSError):
        return 0


def log_mel_features(samples: np.ndarray, seconds: int = 8) -> np.ndarray:
    """Whisper's 80-bin log-mel spectrogram of `seconds` of 16 kHz audio: float32 [80, seconds*100].
    `samples` must already be exactly `seconds` long (the caller pads/cuts). faster-whisper's own
    extractor, so Smart Turn needs neither transformers nor pipecat (matches pipecat's vendored
    numpy copy to 2e-6)."""
    from faster_whisper.feature_extractor import FeatureExtractor

    if len(samples) != seconds * 16000:
        raise ValueError(f"need exactly {seconds * 16000} samples (got {len(samples)})")
    return FeatureExtractor(chunk_length=seconds)(samples.astype(np.float32), padding=0).astype(np.float32)
