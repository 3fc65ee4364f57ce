"""Fixtures for the agent tests: conversations with the real agent on a real SQLite file."""

from __future__ import annotations

import pytest

from tests.agent.harness import Conversation


@pytest.fixture
def convo(pet_config, tmp_path, clock):
    """A factory of pet-hotel conversations (keyword arguments go to `Conversation`); all closed after."""
    made = []

    def make(**kwargs):
        conv = Conversation(pet_config, tmp_path / "cal.db", clock, **kwargs)
        made.append(conv)
        return conv

    yield make
    for conv in made:
        conv.close()
