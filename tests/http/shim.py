"""A real HTTP shim for tests: the real agent (LLM off unless given), a real SQLite file in tmp_path, an
injected clock, served on 127.0.0.1 by aiohttp's TestServer or a real `start_http` site."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from receptionist.app import Brain, build_brain
from receptionist.booking.service import CalendarService
from receptionist.channels.http import auth
from receptionist.channels.http.server import HttpServices, build_app, build_staff_app, start_http
from receptionist.clock import Clock
from receptionist.config.app import AppConfig, load_config
from tests.conftest import PET_CONFIG, REPO, copy_config


def shim_config(tmp_path: Path, source: Path = PET_CONFIG, **http: Any) -> AppConfig:
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = load_config(copy_config(source, tmp_path))
    tenants = tuple(replace(t, knowledge_dir=REPO / "knowledge" / t.knowledge_dir.name)
                    if t.knowledge_dir is not None and not t.knowledge_dir.exists() else t for t in config.tenants)
    channels = replace(config.channels, http=replace(config.channels.http, **http))
    llm = config.llm
    if not llm.model_path.exists():  # the copy lives in tmp_path; the packaged model stays in the repo
        llm = replace(llm, model_path=REPO / "models" / "llm" / llm.model_path.name)
    return replace(config, tenants=tenants, channels=channels, llm=llm)


class Shim:
    def __init__(self, config: AppConfig, clock: Clock, *, model: Any = None, backend: Any = None,
                 ready: bool = True) -> None:
        self.config = config
        self.clock = clock
        self.brain: Brain = build_brain(config, clock=clock, model=model, backend=backend, warm=model is not None)
        self.ready = ready
        self.services = HttpServices(config, self.brain.agent, self.brain.worker, clock, ready=lambda: self.ready)
        self.app: web.Application = build_app(self.services)
        self.staff_app: web.Application | None = build_staff_app(self.services)  # with [http] staff_listen
        self.client: TestClient | None = None
        self.staff_client: TestClient | None = None
        self.runner: web.AppRunner | None = None

    async def start_client(self) -> TestClient:
        self.client = TestClient(TestServer(self.app, host="127.0.0.1"))
        await self.client.start_server()
        if self.staff_app is not None:
            self.staff_client = TestClient(TestServer(self.staff_app, host="127.0.0.1"))
            await self.staff_client.start_server()
        return self.client

    async def serve(self) -> str:
        """A real site on a free loopback port; returns its base URL."""
        self.runner = await start_http(self.app, "127.0.0.1", 0)
        host, port = self.runner.addresses[0][:2]
        return f"http://{host}:{port}"

    async def token(self, name: str = "test", tenant_id: str | None = None, *, scope: str = "write",
                    expires_in: Any = None) -> str:
        _, secret = await self.brain.worker.run(lambda db: auth.create_token(
            db, name, self.clock.now(), tenant_id, scope=scope, expires_in=expires_in))
        return secret

    async def calendar(self, fn: Any) -> Any:
        return await self.brain.worker.run(lambda db: fn(CalendarService(db, self.config, self.clock)))

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()
        if self.staff_client is not None:
            await self.staff_client.close()
        if self.runner is not None:
            await self.runner.cleanup()
        self.brain.close()
