"""llama-cpp-python backend: one `Llama` for the whole process, on its own worker thread, shared by
every call and chat.

The only module that imports llama_cpp. Generation is bounded three ways: a GBNF grammar
(constrained output), `max_tokens`, and a deadline checked between tokens.

Sharing policy — who waits, who runs, who may cancel:
- Every request carries an `Owner` (session id + turn number, `receptionist.ownership`). Only that
  owner cancels it: cancelling the task that awaits `complete()` (a voice reply cancelled by a
  barge-in), or `cancel(owner)`. A request never cancels or supersedes another owner's request.
- One request runs at a time (one llama context). Requests that wait form a queue: voice turns
  (a caller listens to silence) ahead of text turns (web chat, SMS, no owner), first come, first
  served within each. A running request is never pre-empted, not even by a voice turn.
- A request cancelled while it waits never runs; one cancelled while running stops at the next token.
- `timeout_s` bounds a request's generation (it stops there with `llm-timeout`); the wait in the
  queue is bounded separately by `max_wait_s` (default 30 s: under load a late answer beats the
  "didn't understand" fallback): a request that waited longer is answered `llm-timeout` without
  running. Owners cancel sooner (a barge-in, a hang-up).
- The system prompt is the same for every request of a tenant (only the caller's words change), so
  llama.cpp keeps its evaluation from one request to the next (prefix cache); `warm()` evaluates it
  once at start-up. Requests of different tenants alternating re-evaluate it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Protocol

from receptionist.errors import ModelError
from receptionist.ownership import Job, JobCancelled, Owner, OwnedWorker

if TYPE_CHECKING:
    from receptionist.config.agent import LlmConfig

log = logging.getLogger(__name__)
DEFAULT_MAX_WAIT_S = 30.0


class ChatEngine(Protocol):
    """The part of `llama_cpp.Llama` used here: a streamed chat completion (blocking)."""

    def create_chat_completion(self, *, messages: list[dict[str, str]], max_tokens: int, temperature: float,
                               repeat_penalty: float, stream: bool, **constraint: Any) -> Iterator[dict[str, Any]]: ...


class QueuedJsonModel:
    """Answers `complete(system, user, grammar=GBNF, owner=...)` with grammar-constrained text from a
    `ChatEngine` on one worker thread, queued and cancelled per owner (see the module docstring).
    Raises ModelError `llm-timeout` or `llm-cancelled` when it can't answer.

    `grammar` turns GBNF text into what the engine takes (compiled once per text); `max_wait_s` bounds
    the time a request may wait in the queue; `monotonic` is the clock of the deadlines (seconds)."""

    def __init__(self, engine: ChatEngine, *, max_tokens: int = 48, grammar: Callable[[str], Any] = lambda g: g,
                 max_wait_s: float = DEFAULT_MAX_WAIT_S, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._engine = engine
        self._max_tokens = max_tokens
        self.max_wait_s = max_wait_s
        self._make_grammar = grammar
        self._grammars: dict[str, Any] = {}  # used on the worker thread only
        self._now = monotonic
        self._worker = OwnedWorker("llm")

    @property
    def waiting(self) -> int:
        """Requests queued behind the running one."""
        return self._worker.waiting

    def _grammar(self, text: str) -> Any:
        if text not in self._grammars:
            self._grammars[text] = self._make_grammar(text)
        return self._grammars[text]

    def _generate(self, job: Job[str], system: str, user: str, grammar: str, timeout_s: float, start_by: float,
                  max_tokens: int) -> str:  # worker thread
        if self._now() > start_by:
            raise ModelError("waited longer than max_wait_s in the LLM queue", code="llm-timeout")
        deadline = self._now() + timeout_s
        stream = self._engine.create_chat_completion(
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            max_tokens=max_tokens, temperature=0.0, repeat_penalty=1.1, stream=True, grammar=self._grammar(grammar),
        )
        pieces: list[str] = []
        for chunk in stream:  # token by token: a deadline or the owner's cancel stops generation
            if job.cancelled:
                raise ModelError("cancelled by its owner", code="llm-cancelled")
            pieces.append(chunk["choices"][0]["delta"].get("content") or "")
            if self._now() > deadline:
                raise ModelError("LLM deadline passed", code="llm-timeout")
        return "".join(pieces)

    async def complete(self, system: str, user: str, *, grammar: str, timeout_s: float,
                       max_tokens: int | None = None, owner: Owner | None = None) -> str:
        """Text constrained by a GBNF grammar (compact outputs are the fastest: ~12 tokens/s here),
        generated for `owner` (None: an unowned text request, cancelled only with its task).
        Raises ModelError `llm-timeout` or `llm-cancelled`."""
        n = max_tokens or self._max_tokens
        start_by = self._now() + self.max_wait_s
        job = self._worker.submit(lambda j: self._generate(j, system, user, grammar, timeout_s, start_by, n),
                                  owner=owner)
        try:  # the worker enforces both bounds; this only guards against an engine stuck in C code
            return await asyncio.wait_for(job.result(), self.max_wait_s + timeout_s + 1.0)
        except asyncio.TimeoutError:
            raise ModelError("LLM timed out", code="llm-timeout") from None
        except JobCancelled:
            raise ModelError("cancelled by its owner", code="llm-cancelled") from None

    def cancel(self, owner: Owner) -> int:
        """Cancel the requests `owner` covers (waiting: never run; running: stops at the next token).
        Other owners' requests are untouched. Returns how many were cancelled."""
        return self._worker.cancel(owner)

    def warm(self, system: str, user: str, grammar: str) -> None:
        """Evaluate the stable system prefix once so the first caller turn hits the prefix cache (blocks)."""
        job = self._worker.submit(lambda j: self._generate(j, system, user, grammar, 120.0, float("inf"), 2))
        try:
            job.future.result()
        except (ModelError, JobCancelled):
            pass

    def close(self) -> None:
        """Cancel every request and stop the worker thread (waits for a running request's next token)."""
        self._worker.close(wait=True)


class LlamaJsonModel(QueuedJsonModel):
    """The packaged GGUF model through llama-cpp-python. Raises ModelError `llm-missing` when the file
    is absent."""

    def __init__(self, model_path: Path, *, threads: int = 2, context_tokens: int = 2048,
                 max_tokens: int = 48, max_wait_s: float = DEFAULT_MAX_WAIT_S, n_gpu_layers: int = 0) -> None:
        if not Path(model_path).is_file():
            raise ModelError(f"LLM model file not found: {model_path} (run scripts/setup)", code="llm-missing")
        from llama_cpp import Llama  # heavy import, only here

        t0 = time.monotonic()
        if n_gpu_layers and not gpu_offload_supported():
            log.warning("[llm] n_gpu_layers = %d, but this llama.cpp build has no GPU support: the model "
                        "runs on the CPU", n_gpu_layers)
        self._llm = Llama(model_path=str(model_path), n_ctx=context_tokens, n_threads=threads,
                          n_batch=256, n_gpu_layers=n_gpu_layers, verbose=False)
        self.load_seconds = time.monotonic() - t0
        log.info("llm loaded in %.1fs", self.load_seconds)
        super().__init__(self._llm, max_tokens=max_tokens, grammar=_llama_grammar, max_wait_s=max_wait_s)

    def close(self) -> None:
        super().close()
        close = getattr(self._llm, "close", None)
        if close:
            close()


def _llama_grammar(text: str) -> Any:
    from llama_cpp import LlamaGrammar

    return LlamaGrammar.from_string(text, verbose=False)


def create(cfg: LlmConfig) -> LlamaJsonModel:
    """The registry's factory (`[llm] engine = "llama"`): the packaged GGUF model."""
    return LlamaJsonModel(cfg.model_path, threads=cfg.threads, context_tokens=cfg.context_tokens,
                          max_tokens=cfg.max_tokens, n_gpu_layers=cfg.n_gpu_layers)


def gpu_offload_supported() -> bool:
    """Whether this llama.cpp build can put layers on a GPU (built with CUDA); False for the CPU build
    scripts/setup makes."""
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())
