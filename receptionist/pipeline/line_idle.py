"""Silence on the line — a pure watch fed activity times and "now" (clock seconds).

Nobody has said anything (and the bot is quiet) for `prompt_after_s`: PROMPT once ("Are you still
there?", replies.toml template `still_there`). Still nothing `hangup_after_s` after the prompt:
HANGUP (the goodbye, then the call ends as abandoned; no callback). Only a real caller turn (a
transcript or keypad answer) or the bot speaking counts as activity: background noise that never
became words keeps the watch running. While the caller holds the call (`set_held`) nothing is said
and nothing counts as silence: the watch starts over when they come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class IdlePolicy:
    prompt_after_s: float = 10.0  # 0 disables the watch
    hangup_after_s: float = 8.0

    @property
    def enabled(self) -> bool:
        return self.prompt_after_s > 0


class IdleWatch:
    def __init__(self, policy: IdlePolicy, now: float) -> None:
        self.policy = policy
        self._since = now
        self._prompted = False
        self._done = False
        self._held = False

    def activity(self, now: float) -> None:
        """The caller said something real: the silence starts over (and may be prompted again)."""
        self._since = now
        self._prompted = False

    def set_held(self, held: bool, now: float) -> None:
        """The caller put the call on hold (True) or took it off hold (False). A hold of any length is no
        silence: no prompt and no hang-up while held, and the silence starts over at the resume."""
        self._held = held
        self.activity(now)

    def tick(self, now: float, *, busy: bool, caller_sounding: bool = False) -> Literal["prompt", "hangup"] | None:
        """What to do now. `busy`: a turn is being answered or the bot is talking (the silence starts
        after it); `caller_sounding`: the caller is making a sound right now (wait, but a sound that
        never becomes words does not restart the silence)."""
        if busy or self._held:
            self._since = max(self._since, now)
            return None
        if not self.policy.enabled or self._done or caller_sounding:
            return None
        quiet = now - self._since
        if not self._prompted and quiet >= self.policy.prompt_after_s:
            self._prompted = True
            self._since = now
            return "prompt"
        if self._prompted and quiet >= self.policy.hangup_after_s:
            self._done = True
            return "hangup"
        return None
