"""A simulated caller: plays WAV files into the real pipeline and records the whole call.

Each caller line starts after the bot has been quiet for `gap_s` (a polite caller), or — to test
barge-in — `barge_in_after_s` seconds after the bot's audio started. `fast=True` runs on a
VirtualClock: waiting is skipped, while engine computation still takes (real) time, so latencies stay
meaningful. `simulate_calls` runs several callers at once on the same engines and clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, AsyncIterator, Sequence

import numpy as np

from receptionist.audio.framing import split_frames
from receptionist.audio.io import ClockedSink
from receptionist.audio.pcm import AudioChunk
from receptionist.audio.resample import resample
from receptionist.clock import Clock, ShiftedClock, SystemClock
from receptionist.config.voice import VoiceConfig
from receptionist.events import AgentReply, IncomingMessage
from receptionist.pipeline.brain import Brain, OnHolding
from receptionist.pipeline.engines import VoiceEngines, build_session
from receptionist.pipeline.timing import BargeInTiming, TurnTiming
from receptionist.pipeline.virtual_clock import VirtualClock
from receptionist.pipeline.voice_session import CallInfo, EventHook, VoiceSession

CHUNK_S = 0.02
CALLER_RATE = 16000
ERROR_INTENTS = frozenset({"error"})  # an AgentReply with this intent is the agent's own apology


@dataclass(frozen=True, slots=True)
class CallerLine:
    audio: AudioChunk
    barge_in_after_s: float | None = None  # None: wait until the bot is quiet
    label: str = ""  # what the line is, for a benchmark ("turn", "backchannel", "cough", ...)


@dataclass(frozen=True, slots=True)
class LineSpan:
    """When one caller line was played into the call (clock seconds)."""

    index: int
    label: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class SimulatedCall:
    """One caller of `simulate_calls`: what they say, the brain that answers them, their session id."""

    session_id: str
    lines: tuple[CallerLine, ...]
    brain: Brain


@dataclass(frozen=True, slots=True)
class ReplyFailure:
    """One reply the caller did not really get: `turn` 0 is the greeting; `code` is the error code of the
    exception the brain raised (the voice session then says its apology), or "agent-error" when the
    agent answered with its own "something went wrong" reply."""

    turn: int
    code: str


class ReplyAudit:
    """A Brain that passes everything to `inner` and records each failed reply in `failures`, so that a
    simulated call (or a benchmark) can say that the caller heard apologies instead of answers.
    Exceptions are recorded and re-raised unchanged."""

    def __init__(self, inner: Brain) -> None:
        self.inner = inner
        self.replies = 0
        self._turns = 0
        self.failures: list[ReplyFailure] = []

    async def greeting(self, session_id: str, tenant_id: str, channel: str) -> AgentReply:
        return await self._audit(self.inner.greeting(session_id, tenant_id, channel), turn=0)

    async def handle(self, msg: IncomingMessage, *, on_holding: OnHolding | None = None) -> AgentReply:
        self._turns += 1
        return await self._audit(self.inner.handle(msg, on_holding=on_holding), turn=self._turns)

    async def note_heard(self, session_id: str, heard_text: str) -> None:
        await self.inner.note_heard(session_id, heard_text)

    async def _audit(self, pending: Any, *, turn: int) -> AgentReply:
        self.replies += 1
        try:
            reply = await pending
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.failures.append(ReplyFailure(turn, str(getattr(exc, "code", "internal"))))
            raise
        if reply.intent in ERROR_INTENTS:
            self.failures.append(ReplyFailure(turn, "agent-error"))
        return reply

    def summary(self) -> str:
        """"" when every reply was real, else e.g. "2 of 5 replies failed: [config-invalid] turns 0, 1"."""
        if not self.failures:
            return ""
        codes: dict[str, list[int]] = {}
        for failure in self.failures:
            codes.setdefault(failure.code, []).append(failure.turn)
        parts = "; ".join(f"[{code}] turn{'s' if len(turns) > 1 else ''} {', '.join(map(str, turns))}"
                          for code, turns in codes.items())
        return f"{len(self.failures)} of {self.replies} replies failed: {parts}"


@dataclass
class SimulationResult:
    bot_audio: AudioChunk
    caller_audio: AudioChunk
    events: list[tuple[float, Any]] = field(default_factory=list)
    timings: list[TurnTiming] = field(default_factory=list)
    barge_ins: list[BargeInTiming] = field(default_factory=list)
    started_at: float = 0.0  # clock time of the call's start (timeline "t" is relative to it)
    line_spans: list[LineSpan] = field(default_factory=list)
    calendar_start: datetime | None = None  # the calendar time the call began (what "today" meant)

    def call_mix(self) -> np.ndarray:
        """Stereo (caller left, bot right) at 16 kHz, int-ready float32 [n, 2]."""
        bot = resample(self.bot_audio, CALLER_RATE).samples
        n = max(len(bot), len(self.caller_audio))
        out = np.zeros((n, 2), dtype=np.float32)
        out[:len(self.caller_audio), 0] = self.caller_audio.samples
        out[:len(bot), 1] = bot
        return out

    def timeline(self) -> list[dict[str, Any]]:
        """Events as dicts (the wire edge): {"t": seconds since start, "type": ..., fields...}."""
        t0 = self.started_at
        rows = []
        for at, ev in self.events:
            row: dict[str, Any] = {"t": round(at - t0, 3), "type": type(ev).__name__}
            row.update({k: (round(v, 3) if isinstance(v, float) else v) for k, v in dataclasses.asdict(ev).items()})
            for prop in ("voice_to_voice_s", "reaction_s", "stt_s", "agent_s", "tts_s"):
                if hasattr(ev, prop):
                    value = getattr(ev, prop)
                    row[prop] = round(value, 3) if isinstance(value, float) else value
            rows.append(row)
        return rows


async def _caller(lines: list[CallerLine], session: VoiceSession, clock: Clock, recorded: list[np.ndarray],
                  gap_s: float, max_call_s: float, spans: list[LineSpan] | None = None) -> AsyncIterator[AudioChunk]:
    silence = np.zeros(int(CHUNK_S * CALLER_RATE), dtype=np.float32)
    started = clock.monotonic()

    async def emit(samples: np.ndarray) -> AudioChunk:
        recorded.append(samples)
        await clock.sleep(CHUNK_S)
        return AudioChunk(samples, CALLER_RATE)

    def over() -> bool:
        return clock.monotonic() - started > max_call_s

    async def wait_quiet() -> AsyncIterator[AudioChunk]:
        quiet = 0.0
        while quiet < gap_s and not over():
            yield await emit(silence)
            quiet = 0.0 if (session.busy or session.bot_audible) else quiet + CHUNK_S

    async for chunk in wait_quiet():  # the greeting
        yield chunk
    for index, line in enumerate(lines):
        if line.barge_in_after_s is None:
            async for chunk in wait_quiet():
                yield chunk
        else:
            heard = 0.0
            while heard < line.barge_in_after_s and not over():
                yield await emit(silence)
                heard += CHUNK_S if session.bot_audible else 0.0
        start = clock.monotonic()
        for frame in split_frames(resample(line.audio, CALLER_RATE), CHUNK_S):
            yield await emit(frame.samples)
        if spans is not None:
            spans.append(LineSpan(index, line.label, start, clock.monotonic()))
    async for chunk in wait_quiet():
        yield chunk


async def simulate_call(engines: VoiceEngines, cfg: VoiceConfig, lines: list[CallerLine], *, brain: Brain,
                        languages: tuple[str, ...] = ("en", "et", "ru"), fast: bool = True, gap_s: float = 1.0,
                        max_call_s: float = 300.0, sink_rate: int = 22050, greet: bool = True,
                        tenant_id: str = "default", session_id: str = "sim-1",
                        start: datetime | None = None) -> SimulationResult:
    """One simulated call (see the module docstring; `start` as for simulate_calls)."""
    (result,) = await simulate_calls(engines, cfg, [SimulatedCall(session_id, tuple(lines), brain)],
                                     languages=languages, fast=fast, gap_s=gap_s, max_call_s=max_call_s,
                                     sink_rate=sink_rate, greet=greet, tenant_id=tenant_id, start=start)
    return result


async def simulate_calls(engines: VoiceEngines, cfg: VoiceConfig, calls: Sequence[SimulatedCall], *,
                         languages: tuple[str, ...] = ("en", "et", "ru"), fast: bool = True, gap_s: float = 1.0,
                         max_call_s: float = 300.0, sink_rate: int = 22050, greet: bool = True,
                         tenant_id: str = "default", on_event: EventHook | None = None,
                         start: datetime | None = None) -> list[SimulationResult]:
    """Several calls at the same time on one set of engines (shared worker threads) and one clock; each
    call has its own session, sink and recording. `on_event(at, event)` sees every call's events as
    they happen. Results are in the order of `calls`. `start`: the calendar time the calls begin at
    (what "today" and "tomorrow" mean to the agent), timezone-aware; default the real date and time, as
    on a live call, with or without `fast`."""
    calendar_start = start or SystemClock().now()
    if fast:
        clock: Clock = VirtualClock(engines.activity, start=calendar_start)
    else:
        clock = SystemClock() if start is None else ShiftedClock(start)
    started_at = clock.monotonic()
    runs = []
    for call in calls:
        events: list[tuple[float, Any]] = []

        def hook(at: float, ev: Any, events: list[tuple[float, Any]] = events) -> None:
            events.append((at, ev))
            if on_event is not None:
                on_event(at, ev)

        sink = ClockedSink(sink_rate, clock)
        session = build_session(engines, cfg, call=CallInfo(call.session_id, tenant_id), brain=call.brain, sink=sink,
                                clock=clock, languages=languages, greet=greet, on_event=hook)
        recorded: list[np.ndarray] = []
        spans: list[LineSpan] = []
        runs.append((session, sink, events, recorded, spans,
                     _caller(list(call.lines), session, clock, recorded, gap_s, max_call_s, spans)))
    async with asyncio.TaskGroup() as tg:
        driver = tg.create_task(clock.drive()) if isinstance(clock, VirtualClock) else None
        try:
            async with asyncio.TaskGroup() as sessions:
                for session, _sink, _events, _recorded, _spans, source in runs:
                    sessions.create_task(session.run(source))
        finally:
            if driver is not None:
                driver.cancel()
    results = []
    for session, sink, events, recorded, spans, _source in runs:
        caller = AudioChunk(np.concatenate(recorded) if recorded else np.zeros(0, np.float32), CALLER_RATE)
        results.append(SimulationResult(sink.recording(), caller, events, list(session.timings),
                                        list(session.barge_ins), started_at, spans, calendar_start))
    return results
