"""The route table: every handler is registered from it, and the OpenAPI document is built from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable, Literal

from aiohttp import web

from receptionist.channels.http.auth import Scope

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Listener = Literal["public", "staff", "both"]


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    description: str = ""
    required: bool = False
    type: str = "string"  # JSON schema type
    format: str | None = None  # e.g. "date", "date-time"


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    auth: bool = False  # needs a staff Bearer token (GET: read scope; any other method: write scope)
    limited: bool = False  # counts against the per-client rate limit
    query: tuple[Param, ...] = ()
    body: str | None = None  # name of the request schema (components/schemas)
    response: str | None = None  # name of the 200 response schema; None: not JSON (a page, a script)
    content_type: str = "application/json"
    status: int = 200
    where: Listener | None = None  # None: "staff" for token routes, else "public" (see `listener`)

    @property
    def listener(self) -> Listener:
        """Where the route is served when [http] staff_listen splits the shim in two (otherwise: everywhere)."""
        return self.where or ("staff" if self.auth else "public")

    @property
    def scope(self) -> Scope:
        """The token scope the route needs (when `auth`): reading is GET, everything else writes."""
        return "read" if self.method in ("GET", "HEAD") else "write"

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{") and part.endswith("}"))

    @property
    def operation_id(self) -> str:
        words = [p.strip("{}") for p in self.path.split("/") if p and p not in ("api", "v1")] or ["root"]
        return self.method.lower() + "_" + "_".join(w.replace(".", "_").replace("-", "_") for w in words)


TENANT = Param("tenant", "Tenant id (default: the token's tenant or the first tenant)")
