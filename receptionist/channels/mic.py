"""Local microphone + speaker channel (sounddevice), with separate input and output streams
(a duplex stream ran at a tenth of real time here).

The input callback copies each block and hands it to the event loop; the output callback pulls
exactly the frames it needs from a RingSink, so `clear_buffer()` silences the speaker within one block.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

import numpy as np

from receptionist.audio.io import RingSink
from receptionist.audio.pcm import AudioChunk
from receptionist.clock import SystemClock
from receptionist.config.voice import VoiceConfig
from receptionist.pipeline.brain import Brain
from receptionist.pipeline.engines import VoiceEngines, build_session
from receptionist.pipeline.voice_session import CallInfo, EventHook

BLOCK_S = 0.02


def _device(value: str | None) -> Any:
    if value is None:
        return None
    return int(value) if value.isdigit() else value


async def mic_source(sd: Any, rate: int, device: Any) -> AsyncIterator[AudioChunk]:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[np.ndarray] = asyncio.Queue(maxsize=500)

    def callback(indata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        block = indata[:, 0].astype(np.float32).copy()
        loop.call_soon_threadsafe(_offer, queue, block)

    with sd.InputStream(samplerate=rate, channels=1, dtype="float32", blocksize=int(rate * BLOCK_S),
                        device=device, callback=callback):
        while True:
            yield AudioChunk(await queue.get(), rate)


def _offer(queue: asyncio.Queue[np.ndarray], block: np.ndarray) -> None:
    if queue.full():
        queue.get_nowait()  # drop the oldest block rather than fall behind
    queue.put_nowait(block)


async def run_mic_session(engines: VoiceEngines, cfg: VoiceConfig, languages: tuple[str, ...], brain: Brain, *,
                          input_device: str | None = None, output_device: str | None = None,
                          on_event: EventHook | None = None, tenant_id: str = "default") -> None:
    """One conversation through the local microphone and speaker on `engines` (built by the composition
    root, `receptionist.app.build_voice_engines`; the caller closes them), until cancelled."""
    import sounddevice as sd

    in_dev, out_dev = _device(input_device), _device(output_device)
    in_rate = int(sd.query_devices(in_dev, "input")["default_samplerate"])
    out_rate = int(sd.query_devices(out_dev, "output")["default_samplerate"])
    sink = RingSink(out_rate)

    def play(outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        outdata[:, 0] = sink.ring.read(frames)

    clock = SystemClock()
    session = build_session(engines, cfg, call=CallInfo("mic-1", tenant_id, "voice"), brain=brain, sink=sink,
                            clock=clock, languages=languages, on_event=on_event)
    with sd.OutputStream(samplerate=out_rate, channels=1, dtype="float32", blocksize=int(out_rate * BLOCK_S),
                         device=out_dev, callback=play):
        await session.run(mic_source(sd, in_rate, in_dev))
