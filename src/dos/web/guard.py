"""The two layers every request passes: security headers on every answer, and the
gate that lets a request in only with the token (bearer header or session cookie) and,
without a token, only when it was addressed to this machine by name."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dos.api.serve import is_loopback
from dos.web.sessions import COOKIE, Session, Sessions

__all__ = ["OPEN_PATHS", "Gate", "SecurityHeaders", "header"]

# No script or style but the package's own files; never framed; nothing sniffed.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
_HEADERS = [(b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin")]
OPEN_PATHS = ("/login",)  # reachable without a session: the form that makes one


def header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


class SecurityHeaders:
    """Adds the security headers (and no-store for dynamic answers) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(_HEADERS)
                if not static:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)
        await self.app(scope, receive, with_headers)


def _cookie(scope: Scope) -> str:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header(scope, b"cookie"))
    except CookieError:
        return ""
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None else ""


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _host_is_loopback(scope: Scope) -> bool:
    """The Host header names this machine (a DNS-rebound page would send its own name)."""
    name = _host_name(header(scope, b"host").strip())
    return bool(name) and is_loopback(name)


class Gate:
    """Lets a request through with ``scope["state"]["session"]`` set, or answers 401
    (421 for a request addressed to another name while no token is required)."""

    def __init__(self, app: ASGIApp, sessions: Sessions,
                 unauthorized: Any) -> None:
        self.app, self.sessions, self.unauthorized = app, sessions, unauthorized

    def identify(self, scope: Scope) -> Session | None:
        if self.sessions.anonymous is not None:
            return self.sessions.anonymous
        scheme, _, presented = header(scope, b"authorization").partition(" ")
        if scheme.lower() == "bearer" and self.sessions.token_ok(presented.strip()):
            return self.sessions.bearer()
        return self.sessions.get(_cookie(scope))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.sessions.anonymous is not None and not _host_is_loopback(scope):
            await Response("misdirected request: this server answers to localhost only\n",
                           status_code=421, media_type="text/plain")(scope, receive, send)
            return
        path = scope["path"]
        session = self.identify(scope)
        if session is None and not (path in OPEN_PATHS or path.startswith("/static/")):
            await self._refuse(scope, receive, send)
            return
        scope.setdefault("state", {})["session"] = session
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        if path.startswith(("/api/", "/events")) or scope["method"] != "GET":
            response: Response = JSONResponse(
                {"error": {"message": "a token is required", "hint": "send `Authorization: "
                           "Bearer TOKEN` or log in at /login", "status": 401}},
                status_code=401, headers={"www-authenticate": 'Bearer realm="dos"'})
        else:
            response = self.unauthorized()
        await response(scope, receive, send)
