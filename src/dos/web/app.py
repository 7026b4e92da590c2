"""The ASGI app: routes, the gate, the headers and the one watcher, in one factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dos.config import SubstrateConfig
from dos.web import routes_api as api
from dos.web import routes_forms as forms
from dos.web import routes_pages as pages
from dos.web.events import TICK_S, events
from dos.web.guard import Gate, SecurityHeaders
from dos.web.sessions import Sessions
from dos.web.static import asset
from dos.web.watch import Watcher, watcher_for

__all__ = ["create_app"]


async def _static(request: Request) -> Response:
    found = asset(str(request.path_params["name"]))
    if found is None:
        return Response("not found\n", status_code=404, media_type="text/plain")
    body, media = found
    return Response(body, media_type=media, headers={"cache-control": "max-age=300"})


ROUTES = [
    Route("/", pages.top_page), Route("/decisions", pages.decisions_page),
    Route("/decisions/{target}", pages.decision_page),
    Route("/decisions/{target}/resolve", forms.resolve, methods=["POST"]),
    Route("/plan", pages.plan_page), Route("/observe", pages.observe_page),
    Route("/login", forms.login_form), Route("/login", forms.login, methods=["POST"]),
    Route("/logout", forms.logout, methods=["POST"]),
    Route("/api/top", api.api_top), Route("/api/decisions", api.api_decisions),
    Route("/api/decisions/{target}", api.api_decision), Route("/api/plan", api.api_plan),
    Route("/api/observe", api.api_observe), Route("/api/openapi.json", api.api_openapi),
    Route("/events", events), Route("/static/{name}", _static),
]


def create_app(config: SubstrateConfig, *, token: str = "", owner: str = "",
               watcher: Watcher | None = None, poll_s: float = 0.3,
               tick_s: float = TICK_S) -> Starlette:
    """The app for ``config``'s workspace. With ``token`` every request needs it (a
    bearer header, or the session cookie /login sets); without, requests must be
    addressed to localhost and a resolve is journaled as ``owner``."""
    sessions = Sessions(token, owner)
    follower = watcher or watcher_for(config, interval_s=poll_s)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await follower.stop()

    app = Starlette(routes=ROUTES, lifespan=lifespan, middleware=[
        Middleware(SecurityHeaders),
        Middleware(Gate, sessions=sessions, unauthorized=forms.unauthorized_page)])
    app.state.config, app.state.sessions = config, sessions
    app.state.watcher, app.state.tick_s = follower, tick_s
    return app
