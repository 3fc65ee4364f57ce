"""Two callers on the line at once share the speech engines, never their audio: a barge-in in one call
stops that call's reply only. The packaged models, the real agent (rules only), sipp + RTP peers."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from callkit import PoliteCaller, code_heard, synth, transcribe_8k
from siphelpers import english_config, running_line, sip_config
from receptionist.app import build_brain
from receptionist.channels.sip.line import voice_sessions
from receptionist.clock import SystemClock
from receptionist.pipeline.engines import VoiceEngines
from receptionist.pipeline.timing import BargeInTiming, BotSpoke, TurnTiming
from sipmedia import RtpPeer
from sippkit import Sipp

pytestmark = [pytest.mark.models, pytest.mark.usefixtures("need_sip_tools")]

ANNA, BORIS = "+37251234501", "+37251234502"
SYNTH_DELAY_S = 1.5  # per sentence: synthesis as slow as on a busy CPU, so speech jobs of both calls overlap


class SlowVoice:
    """A real voice that takes SYNTH_DELAY_S longer per sentence (it runs on the TTS worker thread)."""

    def __init__(self, voice) -> None:
        self._voice = voice
        self.sample_rate = voice.sample_rate

    def synthesize(self, text: str):
        time.sleep(SYNTH_DELAY_S)
        yield from self._voice.synthesize(text)


async def until_voice(peer: RtpPeer, since: float, timeout_s: float = 25.0) -> float:
    deadline = time.monotonic() + timeout_s
    while (at := peer.first_voice_after(since)) is None:
        assert time.monotonic() < deadline, "the bot did not answer"
        await asyncio.sleep(0.02)
    return at


async def reply_heard(events: list, session_id: str, since: int, peer: RtpPeer, timeout_s: float = 40.0) -> None:
    """Wait until the reply to the session's next turn (events from index `since` on) was played to its end
    and its last RTP arrived: the reply's first audio (TurnTiming), then its BotSpoke, then 0.5 s of quiet."""
    deadline = time.monotonic() + timeout_s

    def done() -> bool:
        timed = False
        for ev in events[since:]:
            if getattr(ev, "session_id", None) != session_id:
                continue
            timed = timed or isinstance(ev, TurnTiming)
            if timed and isinstance(ev, BotSpoke):
                return True
        return False

    while not (done() and peer.quiet_for(0.5)):
        assert time.monotonic() < deadline, "the bot did not answer"
        await asyncio.sleep(0.05)


async def test_a_barge_in_in_one_call_leaves_the_other_calls_reply_whole(tmp_path: Path, sip_engines) -> None:
    config = english_config(tmp_path)
    brain = build_brain(config, clock=SystemClock(), model=None)
    voice_cfg, engines = sip_engines
    slow = VoiceEngines(engines.vad_factory, engines.stt, {lang: SlowVoice(v) for lang, v in engines.voices.items()})
    tenant = config.default_tenant
    say = {text: synth(engines.voices["en"], text) for text in (
        "Hi, I would like to book a room for my dog Max from December tenth to December twelfth.",
        "Hi, I would like to book a room for my cat Tom from December twentieth to December twenty second.",
        "Yes, please.", "Sorry, I need to change the dates of my booking.")}
    lines = list(say)
    events: list = []
    peers = {who: await RtpPeer().open() for who in (ANNA, BORIS)}
    sessions = voice_sessions(slow, voice_cfg, SystemClock(), tenant.languages)
    try:
        async with running_line(sip_config(max_calls=2), brain.agent, brain.local, tenant, sessions, events) as line:
            sipps = {}
            for who, peer in peers.items():
                sipps[who] = Sipp(tmp_path / who.strip("+"), line.port)
                (tmp_path / who.strip("+")).mkdir()
                await sipps[who].start("call_until_bye", rtp_port=peer.port, caller=who, bye_timeout_ms=150000,
                                       max_s=180)
                await peer.wait_remote()
                peer.keep_sending()
            anna, boris = PoliteCaller(peers[ANNA]), PoliteCaller(peers[BORIS])
            await asyncio.gather(anna.wait_bot_done(time.monotonic() - 1), boris.wait_bot_done(time.monotonic() - 1))
            session_of = {line.flow(i).caller_id: line.flow(i).call.session_id for i in range(2)}

            mark = len(events)
            await peers[ANNA].speak(say[lines[0]])
            await reply_heard(events, session_of[ANNA], mark, peers[ANNA])  # Anna hears her summary to the end
            await peers[BORIS].speak(say[lines[1]])  # Boris asks for his; while it is being read out ...
            await until_voice(peers[BORIS], peers[BORIS].sent_until)
            mark = len(events)
            await peers[ANNA].speak(say[lines[2]])  # ... Anna says yes; while her booking is made and her
            anna_yes = peers[ANNA].sent_until  # confirmation code is being synthesized ...
            await asyncio.sleep(0.8)
            await peers[BORIS].speak(say[lines[3]])  # ... Boris talks over his own reply
            boris_barged_in = peers[BORIS].sent_until  # by now his reply is stopped (PAUSE, then INTERRUPT)
            await reply_heard(events, session_of[ANNA], mark, peers[ANNA])
            anna_heard = peers[ANNA].audio(since=anna_yes)
            for sipp in sipps.values():
                sipp.kill()
    finally:
        for peer in peers.values():
            peer.close()
        slow.close()
        brain.close()

    spoken = [e for e in events if isinstance(e, BotSpoke)]
    boris_cut = [e for e in events if isinstance(e, BargeInTiming) and e.session_id == session_of[BORIS]
                 and e.outcome == "interrupted"]
    assert boris_cut, "Boris's barge-in stopped his reply"
    anna_code_reply = [e for e in spoken if e.session_id == session_of[ANNA] and e.protected]
    dialogue = [(type(e).__name__, getattr(e, "session_id", "")[:4], getattr(e, "text", ""))
                for e in events if type(e).__name__ in ("BotSpoke", "Transcript")]
    assert len(anna_code_reply) == 1 and not anna_code_reply[0].interrupted, "\n".join(map(str, dialogue))
    assert anna_code_reply[0].ended > boris_barged_in  # she was still hearing it when Boris barged in
    db = sqlite3.connect(config.app.database)
    codes = dict(db.execute("SELECT phone, code FROM bookings").fetchall())
    db.close()
    heard = transcribe_8k(engines.stt, anna_heard)
    assert code_heard(heard, codes[ANNA]), (codes[ANNA], heard)
