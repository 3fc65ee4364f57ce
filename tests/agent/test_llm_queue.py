"""The shared LLM on a fake blocking engine: concurrent sessions each get their own answer, queue
voice before text, and only a request's owner can cancel it (no real model, no timing)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, Iterator

import pytest

from receptionist.backends.llama_llm import QueuedJsonModel
from receptionist.errors import ModelError
from receptionist.ownership import TEXT, VOICE, Owner

GRAMMAR = 'root ::= [a-z]+'
GATE_WAIT_S = 10.0  # a gate the test forgot to open fails the test instead of hanging it


class GatedEngine:
    """A ChatEngine that answers "answer:<user text>", one character per token. A request for a user
    text listed in `held` waits before its first token until `release(text)`."""

    def __init__(self, *held: str) -> None:
        self._gates = {text: threading.Event() for text in held}
        self._lock = threading.Lock()
        self.started: list[str] = []  # user texts, in the order the engine began them
        self.tokens: dict[str, int] = {}  # tokens handed out per user text

    def release(self, *texts: str) -> None:
        for text in texts or tuple(self._gates):
            self._gates[text].set()

    def create_chat_completion(self, *, messages: list[dict[str, str]], max_tokens: int, temperature: float,
                               repeat_penalty: float, stream: bool, **constraint: Any) -> Iterator[dict[str, Any]]:
        assert stream and constraint["grammar"] == GRAMMAR and messages[0]["role"] == "system"
        user = messages[-1]["content"]
        with self._lock:
            self.started.append(user)

        def tokens() -> Iterator[dict[str, Any]]:
            gate = self._gates.get(user)
            if gate is not None and not gate.wait(GATE_WAIT_S):
                raise AssertionError(f"the test never released {user!r}")
            for ch in f"answer:{user}":
                with self._lock:
                    self.tokens[user] = self.tokens.get(user, 0) + 1
                yield {"choices": [{"delta": {"content": ch}}]}

        return tokens()


@pytest.fixture
def make_model():
    made: list[tuple[QueuedJsonModel, GatedEngine]] = []

    def make(*held: str, **options: Any) -> tuple[QueuedJsonModel, GatedEngine]:
        engine = GatedEngine(*held)
        model = QueuedJsonModel(engine, **options)
        made.append((model, engine))
        return model, engine

    yield make
    for model, engine in made:
        engine.release()
        model.close()


async def until(condition: Callable[[], bool], what: str) -> None:
    """Let the worker thread get somewhere (bounded: fails rather than hangs)."""
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never happened: {what}")


def ask(model: QueuedJsonModel, text: str, owner: Owner | None, timeout_s: float = 30.0) -> "asyncio.Task[str]":
    return asyncio.create_task(model.complete("You label messages.", text, grammar=GRAMMAR, timeout_s=timeout_s,
                                              owner=owner))


async def test_four_sessions_at_once_each_get_their_own_answer(make_model):
    model, engine = make_model()
    sessions = [f"session-{n}" for n in range(4)]
    answers = await asyncio.gather(*(ask(model, f"question {s}", Owner(s, 1)) for s in sessions))
    assert answers == [f"answer:question {s}" for s in sessions]
    assert sorted(engine.started) == sorted(f"question {s}" for s in sessions)


async def test_cancelling_one_owner_never_touches_another(make_model):
    model, engine = make_model("a")
    a = ask(model, "a", Owner("call-a", 3, VOICE))
    await until(lambda: engine.started == ["a"], "a running")
    b, c = ask(model, "b", Owner("chat-b", 1)), ask(model, "c", Owner("chat-c", 1))
    await until(lambda: model.waiting == 2, "b and c queued")

    assert model.cancel(Owner("chat-b")) == 1  # every turn of session chat-b: only its queued request
    with pytest.raises(ModelError) as cancelled:
        await b  # released at once, while a still runs
    assert cancelled.value.code == "llm-cancelled" and not a.done()

    assert model.cancel(Owner("call-a", 2)) == 0  # another turn of the same call owns nothing here
    engine.release("a")
    assert (await a, await c) == ("answer:a", "answer:c")
    assert engine.started == ["a", "c"]  # the cancelled request never ran


async def test_a_cancelled_voice_turn_stops_its_own_request_and_no_other(make_model):
    model, engine = make_model("barged", "chat")
    voice = ask(model, "barged", Owner("call-a", 2, VOICE))
    await until(lambda: engine.started == ["barged"], "the voice turn running")
    chat = ask(model, "chat", Owner("chat-b", 5))
    await until(lambda: model.waiting == 1, "the chat turn queued")

    voice.cancel()  # a barge-in cancels the voice reply's task
    with pytest.raises(asyncio.CancelledError):
        await voice
    engine.release("barged", "chat")
    assert await chat == "answer:chat"
    assert engine.tokens["barged"] <= 1  # the running generation stopped at its next token
    assert engine.tokens["chat"] == len("answer:chat")


async def test_voice_turns_wait_ahead_of_text_turns_first_come_first_served_within_each(make_model):
    model, engine = make_model("running chat")
    first = ask(model, "running chat", Owner("chat-0", 1, TEXT))
    await until(lambda: engine.started == ["running chat"], "the first request running")
    queued = [("chat 1", TEXT), ("call 1", VOICE), ("chat 2", TEXT), ("call 2", VOICE)]
    tasks = []
    for text, priority in queued:  # arrival order, one at a time
        tasks.append(ask(model, text, Owner(text, 1, priority)))
        await until(lambda n=len(tasks): model.waiting == n, f"{text} queued")
    engine.release("running chat")
    await asyncio.gather(first, *tasks)
    assert engine.started == ["running chat", "call 1", "call 2", "chat 1", "chat 2"]  # never pre-empted


async def test_a_request_that_waited_longer_than_max_wait_never_runs(make_model):
    now = [0.0]
    model, engine = make_model("long", "long again", monotonic=lambda: now[0], max_wait_s=20.0)
    long = ask(model, "long", Owner("chat-a", 1), timeout_s=100.0)
    await until(lambda: engine.started == ["long"], "the first request running")
    patient = ask(model, "patient", Owner("chat-b", 1), timeout_s=2.0)
    await until(lambda: model.waiting == 1, "the second request queued")
    now[0] = 19.0  # longer than its own generation timeout, shorter than max_wait_s: it still runs
    engine.release("long")
    assert (await long, await patient) == ("answer:long", "answer:patient")

    again = ask(model, "long again", Owner("chat-a", 2), timeout_s=100.0)
    await until(lambda: engine.started[-1] == "long again", "the third request running")
    late = ask(model, "late", Owner("chat-c", 1), timeout_s=2.0)
    await until(lambda: model.waiting == 1, "the fourth request queued")
    now[0] = 19.0 + 21.0  # the queue held it longer than max_wait_s
    engine.release("long again")
    assert await again == "answer:long again"
    with pytest.raises(ModelError) as timed_out:
        await late
    assert timed_out.value.code == "llm-timeout" and "late" not in engine.started


async def test_a_generation_past_its_deadline_stops_with_llm_timeout(make_model):
    now = [0.0]
    model, engine = make_model("slow", monotonic=lambda: now[0])
    slow = ask(model, "slow", Owner("chat-a", 1), timeout_s=2.0)
    await until(lambda: engine.started == ["slow"], "running")
    now[0] = 5.0
    engine.release("slow")
    with pytest.raises(ModelError) as timed_out:
        await slow
    assert timed_out.value.code == "llm-timeout" and engine.tokens["slow"] == 1


def test_warm_up_runs_one_short_request_and_blocks_until_done(make_model):
    model, engine = make_model()
    model.warm("You label messages.", "hello", GRAMMAR)
    assert engine.started == ["hello"]
