"""/metrics and `receptionist stats` count the same things from the conversation log; the voice
pipeline's timings land in per-stage histograms."""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families

from receptionist.ops import metrics
from receptionist.ops.stats import collect, percentile
from receptionist.booking.service import CalendarService
from receptionist.pipeline.timing import BargeInTiming, TurnTiming
from tests.agent.harness import Conversation
from tests.http.shim import Shim
from tests.ops.opskit import E164, book_by_chat


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_turn_timings_fill_the_stage_histograms():
    before = _samples(metrics.generate_latest(metrics.REGISTRY).decode())
    metrics.record_turn_timing(TurnTiming("s1", 1, "et", speech_start=1.0, speech_end=3.0, transcript_ready=3.25,
                                          reply_ready=3.5, first_audio_out=3.9, speculative_hit=True,
                                          stt_compute_s=0.2))
    metrics.line_event("session", BargeInTiming("s1", 2, speech_start=5.0, audio_stopped=5.15, outcome="interrupted"))
    metrics.watch_active_calls(lambda: 2)
    after = _samples(metrics.generate_latest(metrics.REGISTRY).decode())
    delta = lambda name, **lb: _value(after, name, **lb) - _value(before, name, **lb)  # noqa: E731
    assert delta("receptionist_stt_seconds_count") == 1 and abs(delta("receptionist_stt_seconds_sum") - 0.25) < 1e-9
    assert abs(delta("receptionist_voice_to_voice_seconds_sum", language="et") - 0.9) < 1e-9
    assert delta("receptionist_first_audio_seconds_count") == 1 and delta("receptionist_reply_seconds_count") == 1
    assert delta("receptionist_barge_in_reaction_seconds_count") == 1
    assert delta("receptionist_stt_speculative_hits_total") == 1
    assert _value(after, "receptionist_active_calls") == 2


async def test_metrics_endpoint_counts_turns_and_bookings_made_over_chat(tmp_path, clock, config):
    shim = Shim(config, clock)
    client = await shim.start_client()
    try:
        first = await client.get("/metrics")
        assert first.status == 200 and first.headers["Content-Type"].startswith("text/plain")
        before = _samples(await first.text())
        body = {"message": "I want to book a room for my dog Max from December 10 to 15", "language": "en"}
        r = await (await client.post("/api/v1/chat", json=body)).json()
        r = await (await client.post("/api/v1/chat", json={"message": "+372 5123 4567", "session_id": r["session_id"]})).json()
        r = await (await client.post("/api/v1/chat", json={"message": r["options"][0]["value"],
                                                             "session_id": r["session_id"]})).json()
        assert r["booking"]["status"] == "confirmed"
        text = await (await client.get("/metrics")).text()
    finally:
        await shim.close()
    after = _samples(text)
    turns = _value(after, "receptionist_turns_total", channel="web", llm="no") - \
        _value(before, "receptionist_turns_total", channel="web", llm="no")
    bookings = _value(after, "receptionist_bookings_total", tenant="pawsome", channel="web") - \
        _value(before, "receptionist_bookings_total", tenant="pawsome", channel="web")
    assert turns == 3 and bookings == 1
    assert _value(after, "receptionist_active_sessions", channel="web") >= 1
    assert E164 not in text and "5123" not in text and "Max" not in text  # no caller content in metrics


async def test_stats_and_metrics_see_the_same_tool_failures(config, clock, tmp_path):
    conv = Conversation(config, config.app.database, clock, fault="down", tool_timeout_s=0.05)
    conv.brain.agent.tools.backoff_s = 0.0
    await metrics.prime(conv.brain.worker)
    before = _samples(metrics.generate_latest(metrics.REGISTRY).decode())
    await conv.say("I want to book a room for my dog Max from December 10 to 15", "en")
    text = (await metrics.scrape(conv.brain.worker, clock, 120)).decode()
    conv.close()
    after = _samples(text)
    failures = _value(after, "receptionist_tool_failures_total", tool="check_availability", code="tool-timeout") - \
        _value(before, "receptionist_tool_failures_total", tool="check_availability", code="tool-timeout")
    assert failures == 1
    cal = CalendarService(config.app.database, config, clock)
    s = collect(cal.db, ["pawsome"], now=clock.now(), hours=1)
    cal.close()
    assert s.tool_failures == 1 and s.failures_by_code == {"tool-timeout": 1} and s.tool_retries == 2
    assert s.turns == 1 and s.llm_share == 0.0


async def test_stats_summarises_the_last_hours(config, clock):
    await book_by_chat(config, config.app.database, clock)
    clock.advance(3 * 3600)
    await book_by_chat(config, config.app.database, clock, phone="+372 5555 0101", pet="Rex", channel="sms")
    cal = CalendarService(config.app.database, config, clock)
    recent = collect(cal.db, ["pawsome"], now=clock.now(), hours=1)
    both = collect(cal.db, ["pawsome"], now=clock.now(), hours=24)
    cal.close()
    assert (recent.turns, recent.sessions, recent.bookings, recent.channels) == (3, 1, 1, {"sms": 3})
    assert (both.turns, both.bookings, both.languages) == (6, 2, {"en": 6})
    assert both.reply_ms_p50 is not None and both.reply_ms_p95 >= both.reply_ms_p50


def test_stats_command_prints_a_table_and_json(cli):
    out = cli.ok("stats", "--hours", "24").stdout
    assert re.search(r"turns\s+│\s+0", out) and "LLM share" in out
    assert cli.json("stats", "--hours", "2")["turns"] == 0
    assert cli("stats", "--hours", "-1").exit_code == 2


def test_percentile_is_nearest_rank():
    assert percentile([], 50) is None
    assert percentile([5, 1, 3], 50) == 3 and percentile(list(range(1, 101)), 95) == 95
