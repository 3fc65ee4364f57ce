import numpy as np
import pytest

from receptionist.audio.framing import Framer, split_frames
from receptionist.audio.io import ClockedSink, RingSink
from receptionist.audio.pcm import AudioChunk, concat, read_wav, wav_bytes
from receptionist.audio.resample import StreamResampler, resample
from receptionist.audio.ring import AudioHistory, PlayoutRing
from receptionist.clock import FakeClock


def test_chunk_carries_rate_and_pcm_roundtrip():
    chunk = AudioChunk(np.array([0.0, 0.5, -0.5, 1.0], dtype=np.float64), 8000)
    assert chunk.samples.dtype == np.float32 and chunk.sample_rate == 8000
    back = AudioChunk.from_pcm16(chunk.to_pcm16(), 8000)
    assert np.allclose(back.samples, chunk.samples, atol=1e-4)
    assert read_wav(wav_bytes(chunk)).sample_rate == 8000
    with pytest.raises(ValueError):
        concat([chunk, AudioChunk(np.zeros(2, np.float32), 16000)])


def test_resample_one_shot_and_stream_agree_on_length():
    x = AudioChunk(np.random.default_rng(0).standard_normal(8000).astype(np.float32) * 0.1, 8000)
    assert len(resample(x, 16000)) == 16000
    stream = StreamResampler(8000, 16000)
    parts = [stream.process(c) for c in split_frames(x, 0.02)] + [stream.flush()]
    assert abs(sum(len(p) for p in parts) - 16000) <= 2


def test_framer_makes_fixed_windows_and_keeps_remainder():
    framer = Framer(512, 16000)
    frames = framer.push(AudioChunk(np.ones(1000, np.float32), 16000))
    assert [len(f) for f in frames] == [512]
    frames = framer.push(AudioChunk(np.ones(100, np.float32), 16000))
    assert [len(f) for f in frames] == [512]
    assert len(framer.flush()) == 512 and framer.flush() is None


def test_audio_history_slices_by_stream_time_across_wraparound():
    h = AudioHistory(1.0, 100)
    h.append(np.arange(80, dtype=np.float32))
    h.append(np.arange(80, 160, dtype=np.float32))  # wraps
    piece = h.slice(0.7, 1.2)
    assert piece.samples.tolist() == list(range(70, 120))
    assert h.slice(0.0, 0.7).samples.tolist() == list(range(60, 70))  # clamped to what is still held
    h.append(np.arange(160, 400, dtype=np.float32))  # longer than the ring
    assert h.slice(3.5, 4.0).samples.tolist() == list(range(350, 400))


def test_playout_ring_clear_drops_everything_at_once():
    ring = PlayoutRing(100)
    ring.write(np.ones(50, np.float32))
    assert ring.read(20).sum() == 20 and ring.played == 20
    assert ring.clear() == 30
    assert ring.read(10).sum() == 0 and ring.queued == 0


def test_ring_sink_rejects_wrong_rate():
    sink = RingSink(8000)
    with pytest.raises(ValueError):
        sink.write(AudioChunk(np.zeros(10, np.float32), 16000))


def test_clocked_sink_plays_in_step_with_clock_and_records_silence():
    clock = FakeClock()
    sink = ClockedSink(100, clock)
    clock.advance(0.5)
    sink.write(AudioChunk(np.ones(100, np.float32), 100))
    clock.advance(0.3)
    assert sink.pending_samples() == 70
    sink.clear_buffer()
    clock.advance(0.2)
    rec = sink.recording()
    assert len(rec) == 100 and rec.samples[:50].sum() == 0 and rec.samples[50:80].sum() == 30
    assert rec.samples[80:].sum() == 0
