"""The POSTs: log in, log out, resolve a decision. Every form but the login carries the
session's CSRF token; a resolve is journaled as the operator the session belongs to."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from dos.errors import DosError
from dos.web import answers, views
from dos.web.html import page
from dos.web.routes_api import target_of
from dos.web.routes_pages import error_page, html, session_of
from dos.web.sessions import COOKIE, SESSION_TTL_S, Sessions, check_operator

__all__ = ["login", "login_form", "logout", "resolve", "unauthorized_page"]

FORM_MAX = 8192  # bytes: a note is at most 1000 characters


async def _form(request: Request) -> dict[str, str] | None:
    """The urlencoded body, or None when it is not one (or too large)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != \
            "application/x-www-form-urlencoded":
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_MAX:
            return None
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        return None
    return dict(pairs)


def _forbidden(request: Request) -> Response:
    return html(request, "error", "error 403", views.error_body(
        403, "the form's CSRF token is missing or wrong",
        "reload the page and submit the form again"), status=403)


def unauthorized_page(*, refused: bool = False, status: int = 401) -> Response:
    return HTMLResponse(page("login", "log in", views.login_body(refused=refused), live=False),
                        status_code=status)


async def login_form(request: Request) -> Response:
    if session_of_or_none(request) is not None:
        return RedirectResponse("/", status_code=303)
    return unauthorized_page(status=200)


def session_of_or_none(request: Request) -> object:
    return request.scope.get("state", {}).get("session")


async def login(request: Request) -> Response:
    sessions: Sessions = request.app.state.sessions
    form = await _form(request) or {}
    operator = check_operator(form.get("operator", ""))
    session = sessions.login(form.get("token", ""), operator) if operator else None
    if session is None:
        return unauthorized_page(refused=True)
    answer = RedirectResponse("/", status_code=303)
    answer.set_cookie(COOKIE, session.sid, max_age=SESSION_TTL_S, path="/", httponly=True,
                      samesite="strict", secure=request.url.scheme == "https")
    return answer


async def logout(request: Request) -> Response:
    session = session_of(request)
    form = await _form(request)
    if form is None or not Sessions.csrf_ok(session, form.get("csrf", "")):
        return _forbidden(request)
    request.app.state.sessions.logout(session.sid)
    answer = RedirectResponse("/login", status_code=303)
    answer.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return answer


async def resolve(request: Request) -> Response:
    session = session_of(request)
    form = await _form(request)
    if form is None or not Sessions.csrf_ok(session, form.get("csrf", "")):
        return _forbidden(request)
    try:
        target = target_of(request)
        if form.get("decision") not in ("approve", "dismiss"):
            raise views_usage("decision must be approve or dismiss")
        done = await run_in_threadpool(
            answers.resolve, request.app.state.config, target,
            approve=form["decision"] == "approve", note=form.get("note", ""),
            owner=session.operator)
    except DosError as error:
        return error_page(request, error)
    return html(request, "resolved", "resolved", views.resolved_body(done),
                section="decisions")


def views_usage(message: str) -> DosError:
    from dos.errors import UsageError

    return UsageError(message, hint="press the approve or the dismiss button")
