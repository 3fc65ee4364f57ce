"""llama-cpp-python backend: one `Llama` per stable system prompt, on its own worker thread.

The only module that imports llama_cpp. Generation is bounded three ways: a GBNF grammar
(constrained output), `max_tokens`, and a deadline checked between tokens; a newer
request's generation number makes an older one stop early (cancellation for barge-in).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from receptionist.errors import ModelError

log = logging.getLogger(__name__)


class LlamaJsonModel:
    """Answers `complete(system, user, grammar=GBNF)` with grammar-constrained text; raises
    ModelError when it can't (deadline passed, superseded by a newer request)."""

    def __init__(self, model_path: Path, *, threads: int = 2, context_tokens: int = 2048,
                 max_tokens: int = 48) -> None:
        if not Path(model_path).is_file():
            raise ModelError(f"LLM model file not found: {model_path} (run scripts/setup)", code="llm-missing")
        from llama_cpp import Llama  # heavy import, only here

        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm")
        self._max_tokens = max_tokens
        self._lock = threading.Lock()
        self._generation = 0
        self._grammars: dict[str, Any] = {}
        t0 = time.monotonic()
        self._llm = Llama(model_path=str(model_path), n_ctx=context_tokens, n_threads=threads,
                          n_batch=256, verbose=False)
        self.load_seconds = time.monotonic() - t0
        log.info("llm loaded in %.1fs", self.load_seconds)

    def _grammar(self, text: str) -> Any:
        from llama_cpp import LlamaGrammar

        if text not in self._grammars:
            self._grammars[text] = LlamaGrammar.from_string(text, verbose=False)
        return self._grammars[text]

    def _generate(self, generation: int, system: str, user: str, constraint: dict[str, Any],
                  deadline: float, max_tokens: int) -> str:
        with self._lock:
            if generation != self._generation:
                raise ModelError("superseded", code="llm-cancelled")
            if "grammar" in constraint:
                constraint = {"grammar": self._grammar(constraint["grammar"])}
            stream = self._llm.create_chat_completion(
                messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                max_tokens=max_tokens, temperature=0.0, repeat_penalty=1.1, stream=True, **constraint,
            )
            pieces: list[str] = []
            for chunk in stream:  # token by token: a deadline or a newer request stops generation
                pieces.append(chunk["choices"][0]["delta"].get("content") or "")
                if time.monotonic() > deadline:
                    raise ModelError("LLM deadline passed", code="llm-timeout")
                if generation != self._generation:
                    raise ModelError("superseded", code="llm-cancelled")
        return "".join(pieces)

    async def _submit(self, fn: Any, timeout_s: float, *args: Any) -> Any:
        self._generation += 1
        generation = self._generation
        deadline = time.monotonic() + timeout_s
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(self._executor, fn, generation, *args, deadline)
        fut.add_done_callback(_retrieve)  # a superseded job's error is expected: never "never retrieved"
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout_s + 0.5)
        except asyncio.TimeoutError:
            self._generation += 1  # makes the worker stop at the next token
            raise ModelError("LLM timed out", code="llm-timeout") from None
        except asyncio.CancelledError:
            self._generation += 1
            raise

    async def complete(self, system: str, user: str, *, grammar: str, timeout_s: float,
                       max_tokens: int | None = None) -> str:
        """Text constrained by a GBNF grammar (compact outputs are the fastest: ~12 tokens/s here)."""
        n = max_tokens or self._max_tokens
        return await self._submit(lambda g, d: self._generate(g, system, user, {"grammar": grammar}, d, n), timeout_s)

    def warm(self, system: str, user: str, grammar: str) -> None:
        """Evaluate the stable system prefix once so the first caller turn hits the prefix cache."""
        self._generation += 1
        try:
            self._generate(self._generation, system, user, {"grammar": grammar}, time.monotonic() + 120, 2)
        except ModelError:
            pass

    def close(self) -> None:
        self._generation += 1
        self._executor.shutdown(wait=True, cancel_futures=True)
        close = getattr(self._llm, "close", None)
        if close:
            close()


def _retrieve(fut: "asyncio.Future[Any]") -> None:
    if not fut.cancelled():
        fut.exception()
