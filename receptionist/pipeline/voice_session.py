"""One phone call (or mic session): caller audio in, bot audio out. The only place that knows the order:

  source -> VadStage -> TurnDetector -> (speculative) SpeechRecognizer -> Brain -> sentences ->
  SpeechSynthesizer -> Utterance (playout, barge-in handle) -> sink

Tasks (one TaskGroup per call): the ingest loop (runs VAD, turn detection and barge-in decisions
inline, so playback stops in the same loop turn as the decision), the responder (one caller turn at a
time), and at most one reply task (agent + TTS + playout, cancelled on barge-in).

End of turn: at the short pause the turn model is asked (`TurnChecker`); a transcript that reads
unfinished (`unfinished_text`) waits up to `max_silence_s` for the caller to go on, and what they add
is answered together with it. Barge-in: caller sound over the bot pauses the playout within two VAD
windows; the arbiter then resumes or cancels. Silence on the line: `IdleWatch` prompts once, then says
goodbye and ends the call (`ended_by = "caller-silent"`). Keypad: `on_key` (the phone line's DTMF)
fills the number and date answers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable

from receptionist.audio.io import AudioSink
from receptionist.audio.pcm import AudioChunk
from receptionist.errors import caller_message
from receptionist.events import AgentReply, HoldingPhrase, IncomingMessage
from receptionist.pipeline.end_of_turn import TurnChecker, unfinished_text
from receptionist.pipeline.keypad import KEYPAD_HINTS, KeypadAnswer, keypad_hint
from receptionist.pipeline.line_idle import IdlePolicy, IdleWatch
from receptionist.clock import Clock
from receptionist.ownership import VOICE, Owner
from receptionist.pipeline.brain import Brain
from receptionist.pipeline.interruption import BargeInArbiter, BargeInPolicy, Decision
from receptionist.pipeline.playout import Utterance
from receptionist.pipeline.stt import SpeechRecognizer, Transcript
from receptionist.pipeline.timing import BargeInTiming, BotSpoke, CallerTurnDropped, TurnTiming
from receptionist.pipeline.tts import SpeechSynthesizer
from receptionist.pipeline.turn import SpeechPaused, SpeechResumed, SpeechStarted, TurnDetector, TurnEnded
from receptionist.pipeline.vad import VadStage
from receptionist.pipeline.turn_taking import TurnTaking
from receptionist.pipeline.voice_line import PhoneLine
from receptionist.pipeline.worker import Activity, StaleResult

log = logging.getLogger(__name__)
# The turn model ended a turn at a short pause, and the caller speaks again this soon after the bot began
# answering (within the turn's longest pause): they were going on, not interrupting. The agent then gets
# the whole sentence again.
CONTINUATION_S = 0.6
DICTATED_SLOTS = frozenset(KEYPAD_HINTS)  # phone, start_date, end_date, date: pauses up to max_silence_s
EventHook = Callable[[float, Any], None]


@dataclass(frozen=True, slots=True)
class CallInfo:
    session_id: str
    tenant_id: str
    channel: str = "voice"
    caller_id: str | None = None


@dataclass(slots=True)
class _Turn:
    start_s: float
    end_s: float
    speech_start: float  # clock
    speech_end: float  # clock
    audio: AudioChunk
    speculation: "asyncio.Task[Transcript | None] | None"
    typed: Transcript | None = None  # a keypad answer: no audio to transcribe
    early: bool = False  # ended by the turn model at a short pause (the caller may still go on)


class VoiceSession(TurnTaking, PhoneLine):
    def __init__(self, *, call: CallInfo, brain: Brain, vad: VadStage, detector: TurnDetector,
                 stt: SpeechRecognizer, tts: SpeechSynthesizer, sink: AudioSink, clock: Clock,
                 barge_in: BargeInPolicy, preroll_s: float = 0.3, greet: bool = True,
                 on_event: EventHook | None = None, activity: Activity | None = None,
                 turn_checker: TurnChecker | None = None, text_cues: bool = True,
                 idle: IdlePolicy | None = None, keypad: bool = False) -> None:
        self.call, self.brain, self.vad, self.detector = call, brain, vad, detector
        self.stt, self.tts, self.sink, self.clock = stt, tts, sink, clock
        self.barge_in, self.preroll_s, self.greet = barge_in, preroll_s, greet
        self.turn_checker, self.text_cues, self.keypad = turn_checker, text_cues, keypad
        self._idle = IdleWatch(idle or IdlePolicy(prompt_after_s=0), clock.monotonic())
        self._keys = KeypadAnswer()
        self._awaiting: str | None = None  # the slot the last reply asked for
        self._language = tts.default_language  # the language the bot last spoke
        self._speech_epoch = 0  # caller utterances started so far (a held turn waits for the next)
        self._speech_wake = asyncio.Event()
        self._held = False  # `_unanswered` holds an unfinished sentence waiting for the rest
        self._answering = False  # the responder is working on a caller turn (transcribing, holding)
        self._stop = False
        self.ended_by: str | None = None  # "caller-silent" when the session ended the call itself
        self._on_event = on_event
        self._activity = activity  # the agent's thinking counts as computing (see VirtualClock)
        self._tg: asyncio.TaskGroup | None = None
        self._turns: asyncio.Queue[_Turn | None] = asyncio.Queue()
        self._utterance: Utterance | None = None
        self._speech_owner: Owner | None = None  # owns the TTS jobs of `_utterance` (one per bot utterance)
        self._speech_no = 0
        self._arbiter: BargeInArbiter | None = None
        self._reply_task: asyncio.Task[None] | None = None
        self._holding_task: asyncio.Task[None] | None = None
        self._spec: tuple[float, float, asyncio.Task[Transcript | None]] | None = None
        self._speech_start_clock = 0.0
        self._sound_start_clock = 0.0  # clock time of the first voiced window of the current sound
        self._unasked: tuple[float, float] | None = None  # a pause over the bot the turn model was not asked about
        self._barge_start: float | None = None
        self._turn_no = 0
        self._unanswered = ""  # caller text whose reply was superseded before any audio
        self._answered: tuple[str, float, bool] = ("", -1e9, False)  # last text answered, its end, ended early
        self.timings: list[TurnTiming] = []
        self.barge_ins: list[BargeInTiming] = []

    # ------------------------------------------------------------------ public
    async def run(self, source: AsyncIterator[AudioChunk]) -> None:
        """Until the source ends (hang-up); then every task of the call is cancelled and awaited."""
        async with asyncio.TaskGroup() as tg:
            self._tg = tg
            if self.greet:
                self._reply_task = tg.create_task(self._reply(None, None))
            responder = tg.create_task(self._responder())
            try:
                async for chunk in source:
                    for frame in self.vad.push(chunk):
                        self._on_frame(frame.prob, frame.start_s, frame.end_s)
                    self._apply(self._arbiter.tick(self.clock.monotonic()) if self._arbiter else Decision.NONE)
                    self._watch_idle()
                    if self._stop:
                        break
            finally:
                responder.cancel()
                for task in (self._reply_task, self._holding_task, self._spec[2] if self._spec else None):
                    if task is not None:
                        task.cancel()
                self.sink.clear_buffer()

    @property
    def busy(self) -> bool:
        """A turn is waiting or being answered, or the bot is talking."""
        return (not self._turns.empty() or self.detector.speaking or self._answering
                or self._reply_task is not None and not self._reply_task.done())

    @property
    def dictating(self) -> bool:
        """The last question asked for a phone number or a date: the answer may come in groups."""
        return self._awaiting in DICTATED_SLOTS

    @property
    def bot_audible(self) -> bool:
        return self._utterance is not None and self._utterance.audible

    # ------------------------------------------------------------------ ingest (sync, inline)
    def _emit(self, event: Any) -> None:
        if isinstance(event, TurnTiming):
            self.timings.append(event)
        elif isinstance(event, BargeInTiming):
            self.barge_ins.append(event)
        if self._on_event is not None:
            self._on_event(self.clock.monotonic(), event)

    def _on_frame(self, prob: float, start_s: float, end_s: float) -> None:
        det = self.detector
        det.set_echo_guard(self.bot_audible)
        was_sounding = det.onset_s > 0
        event = det.step(prob, start_s, end_s)
        now = self.clock.monotonic()
        if isinstance(event, SpeechStarted):
            self._speech_start_clock = self.vad.clock_at(event.start_s)
            self._speech_epoch += 1
            self._speech_wake.set()
            self._unasked = None
            if self._arbiter is not None:
                self._arbiter.new_caller_utterance()
            self._emit(event)
        if self._arbiter is not None:
            if det.sounding_now:  # pause within a breath, decide later
                if not self._arbiter.reacted and det.sound_start_s is not None:
                    self._sound_start_clock = self.vad.clock_at(det.sound_start_s)
                self._apply(self._arbiter.on_speech(det.onset_s, now, confirmed=det.speaking))
            elif was_sounding and det.onset_s == 0 and not isinstance(event, TurnEnded):
                self._apply(self._arbiter.on_sound_gone(now))  # a click or a cough: carry on
        if isinstance(event, SpeechPaused):
            self._emit(event)
            self._start_speculation(event)
            if self.dictating:  # a number or a date is being said: groups come with pauses
                det.verdict("hold", event.speech_end_s, end_s)
            if self.turn_checker is not None and det.verdicts:
                utt = self._utterance
                if utt is not None and not (utt.finished or utt.interrupted):
                    det.verdict("hold" if self.dictating else "none", event.speech_end_s, end_s)  # "Yes," may go on
                    self._unasked = (event.start_s, event.speech_end_s)  # asked once the barge-in is decided
                else:
                    self._ask_turn_model(event.start_s, event.speech_end_s)
        elif isinstance(event, SpeechResumed):
            self._unasked = None
            self._emit(event)
        elif isinstance(event, TurnEnded):
            self._turn_ended(event)

    def _apply(self, decision: Decision) -> None:
        utt, now = self._utterance, self.clock.monotonic()
        if decision is Decision.NONE or utt is None:
            return
        if decision is Decision.PAUSE:
            self._barge_start = self._sound_start_clock
            utt.pause()
            return
        start = self._barge_start if self._barge_start is not None else now
        if decision is Decision.RESUME:
            utt.resume()
            self._emit(BargeInTiming(self.call.session_id, self._turn_no, start, utt.stopped_at, "resumed"))
        elif decision is Decision.INTERRUPT:
            utt.interrupt()
            said, ended, early = self._answered
            began = utt.first_audio_at if utt.first_audio_at is not None else now
            if early and start - ended <= self.detector.policy.max_silence_s and start - began <= CONTINUATION_S:
                self._unanswered, self._held = said, True  # they were going on: answer it all together
            if self._unasked is not None and self.detector.speaking:  # the caller has the floor now
                self._ask_turn_model(*self._unasked)
            heard = utt.heard_text()
            self._emit(BargeInTiming(self.call.session_id, self._turn_no, start, utt.stopped_at,
                                     "interrupted", heard))
            if self._speech_owner is not None:  # this call's interrupted speech only, never another call's
                self.tts.cancel(self._speech_owner)
            if self._reply_task is not None:
                self._reply_task.cancel()
            assert self._tg is not None
            self._tg.create_task(self._computing(self.brain.note_heard(self.call.session_id, heard)))
        self._barge_start = None

    # ------------------------------------------------------------------ responder
    async def _responder(self) -> None:
        while (turn := await self._turns.get()) is not None:
            self._answering = True
            try:
                await self._respond(turn)
            finally:
                self._answering = False

    async def _respond(self, turn: _Turn) -> None:
        """One caller turn: its transcript, the barge-in decision it settles, then the reply."""
        transcript = await self._final_transcript(turn)
        ready = self.clock.monotonic()
        text = transcript.text if transcript else ""
        utt, arb = self._utterance, self._arbiter
        if utt is not None and arb is not None and not (utt.finished or utt.interrupted):
            asking = utt.asking()
            decision = arb.on_transcript(text, ready, final=True, asking=asking)
            self._apply(decision)
            if decision is Decision.INTERRUPT and self._reply_task is not None:
                await asyncio.wait([self._reply_task])
            else:
                if not text or self.barge_in.is_backchannel(text, self.stt.policy.languages, asking=asking):
                    if decision is Decision.NONE and not arb.reacted:
                        self._emit(BargeInTiming(self.call.session_id, self._turn_no,
                                                 turn.speech_start, None, "ignored"))
                    self._emit(CallerTurnDropped(self.call.session_id, "backchannel", ready))
                    return
                if self._reply_task is not None:  # protected: let it finish, then answer
                    await asyncio.wait([self._reply_task])
        if transcript is None:
            self._emit(CallerTurnDropped(self.call.session_id, "no-speech", ready))
            return
        self._emit(transcript)
        self._idle.activity(ready)
        if self._reply_task is not None and not self._reply_task.done():
            self._reply_task.cancel()  # still thinking: answer both utterances together
            await asyncio.wait([self._reply_task])
            self._emit(CallerTurnDropped(self.call.session_id, "superseded", ready))
        elif not self._held:
            self._unanswered = ""
        self._unanswered = f"{self._unanswered} {transcript.text}".strip()
        self._held = False
        if turn.typed is None and self.text_cues and unfinished_text(self._unanswered, transcript.language):
            if await self._caller_goes_on(turn):  # "... and", "five five five": wait for the rest
                self._held = True
                self._emit(CallerTurnDropped(self.call.session_id, "held", self.clock.monotonic()))
                return
        assert self._tg is not None
        self._turn_no += 1
        self._reply_task = self._tg.create_task(self._reply(turn, transcript, ready))

    async def _computing(self, coro: Any) -> Any:
        if self._activity is None:
            return await coro
        self._activity.enter()
        try:
            return await coro
        finally:
            self._activity.exit()

    # ------------------------------------------------------------------ replies
    async def _reply(self, turn: _Turn | None, transcript: Transcript | None, ready: float = 0.0) -> None:
        try:
            await self._reply_inner(turn, transcript, ready)
        except Exception as exc:  # the call never goes silent because of an exception
            code = getattr(exc, "code", "internal")
            log.error("reply failed (%s): %s", code, type(exc).__name__)
            log.debug("reply failed traceback", exc_info=exc)  # DEBUG only: may carry caller content
            lang = transcript.language if transcript else self.tts.default_language
            sorry = AgentReply(session_id=self.call.session_id, language=lang, intent="error",
                               sentences=(caller_message(code, lang),))  # the one error table
            await self._speak(sorry, None)

    async def _reply_inner(self, turn: _Turn | None, transcript: Transcript | None, ready: float) -> None:
        if turn is None or transcript is None:
            reply = await self._computing(
                self.brain.greeting(self.call.session_id, self.call.tenant_id, self.call.channel))
            await self._speak(reply, None)
            return
        msg = IncomingMessage(text=self._unanswered, channel="voice", session_id=self.call.session_id,
                              tenant_id=self.call.tenant_id, received_at=self.clock.now(),
                              language_hint=transcript.language, caller_id=self.call.caller_id)
        reply = await self._computing(self.brain.handle(msg, on_holding=self._on_holding))
        reply_ready = self.clock.monotonic()
        self._awaiting = reply.awaiting
        if self.keypad and (hint := keypad_hint(reply.awaiting, reply.language)):
            reply = dataclasses.replace(reply, sentences=(*reply.sentences, hint))
        self._answered = (msg.text, turn.speech_end, turn.early)
        self._unanswered = ""
        if reply.language == transcript.language:
            self.stt.pin(reply.language)  # caller and agent agree: the session language is committed
        turn_no = self._turn_no

        def first_audio(at: float) -> None:
            self._emit(TurnTiming(self.call.session_id, turn_no, transcript.language, turn.speech_start,
                                  turn.speech_end, ready, reply_ready, at, transcript.speculative,
                                  transcript.compute_s, self.tts.last_compute_s))

        await self._speak(reply, first_audio)

    async def _speak(self, reply: AgentReply, on_first_audio: Callable[[float], None] | None,
                     *, after_holding: bool = True) -> None:
        if after_holding and self._holding_task is not None:
            await asyncio.wait([self._holding_task])
        utt = Utterance(self.sink, self.clock, protected=reply.protected, on_first_audio=on_first_audio)
        self._language = reply.language
        self._speech_no += 1
        owner = Owner(self.call.session_id, self._speech_no, VOICE)
        self._utterance, self._speech_owner = utt, owner
        self._arbiter = BargeInArbiter(self.barge_in, protected=reply.protected,
                                       languages=self.stt.policy.languages)
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(self._synthesize(reply.sentences, reply.language, utt, owner))
                await utt.play()
        finally:
            if self._utterance is utt:
                self._arbiter = None
            self._emit(BotSpoke(self.call.session_id, self._turn_no, reply.text, utt.heard_text(),
                                utt.interrupted or not utt.finished, reply.protected, utt.first_audio_at,
                                self.clock.monotonic()))

    async def _synthesize(self, sentences: tuple[str, ...], language: str, utt: Utterance, owner: Owner) -> None:
        try:
            for piece in self.tts.plan(sentences):
                if utt.interrupted:
                    return
                utt.add(piece, await self.tts.synthesize(piece, language, owner=owner))
        except StaleResult:
            return  # a barge-in superseded this reply while a sentence was being synthesized
        except Exception as exc:  # a failing voice must not end the call: say what is ready, go on
            log.error("tts-failed: %s", type(exc).__name__)
            log.debug("tts-failed traceback", exc_info=exc)  # DEBUG only: may carry caller content
        finally:
            utt.close()

    async def _on_holding(self, phrase: HoldingPhrase) -> None:
        if self.bot_audible or (self._holding_task is not None and not self._holding_task.done()):
            return
        reply = AgentReply(session_id=phrase.session_id, language=phrase.language, sentences=(phrase.text,),
                           intent="holding")
        assert self._tg is not None
        self._holding_task = self._tg.create_task(self._speak(reply, None, after_holding=False))
