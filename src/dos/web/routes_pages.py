"""The HTML pages: each asks the same question as its ``/api`` twin and draws it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from dos.errors import DosError
from dos.web import answers, params, views
from dos.web.errors import status_of
from dos.web.html import page
from dos.web.routes_api import compute, found_or_404, target_of
from dos.web.sessions import Session

__all__ = ["decision_page", "decisions_page", "html", "observe_page", "plan_page",
           "session_of", "top_page"]


def session_of(request: Request) -> Session:
    session: Session = request.scope["state"]["session"]
    return session


def html(request: Request, name: str, title: str, body: str, *, status: int = 200,
         section: str = "") -> Response:
    """The whole page, or only its view for the page's own refresh (``X-Dos-Fragment``)."""
    if request.headers.get("x-dos-fragment") == "1":
        return HTMLResponse(body, status_code=status)
    session = session_of(request)
    return HTMLResponse(page(name, title, body, operator=session.operator, csrf=session.csrf,
                             logout=bool(session.sid), section=section), status_code=status)


def error_page(request: Request, error: DosError) -> Response:
    status = status_of(error)
    return html(request, "error", f"error {status}",
                views.error_body(status, error.message, error.hint), status=status)


async def _view(request: Request, name: str, question: Callable[..., Any],
                schema: Mapping[str, tuple[str, Any]], draw: Callable[[Any], str],
                *args: Any, section: str = "") -> Response:
    try:
        payload = await compute(request, question, schema, *args)
    except DosError as error:
        return error_page(request, error)
    return html(request, name, name, draw(payload), section=section)


async def top_page(request: Request) -> Response:
    return await _view(request, "top", answers.top, params.TOP, views.top_body)


async def decisions_page(request: Request) -> Response:
    csrf = session_of(request).csrf
    return await _view(request, "decisions", answers.decisions, params.DECISIONS,
                       lambda payload: views.decisions_body(payload, csrf))


async def decision_page(request: Request) -> Response:
    try:
        target = target_of(request)
    except DosError as error:
        return error_page(request, error)
    csrf = session_of(request).csrf
    return await _view(request, "decision", found_or_404(answers.decision), params.TOP,
                       lambda row: views.decision_body(row, csrf), target,
                       section="decisions")


async def plan_page(request: Request) -> Response:
    return await _view(request, "plan", answers.plan, params.PLAN, views.plan_body)


async def observe_page(request: Request) -> Response:
    return await _view(request, "observe", answers.observe, params.OBSERVE,
                       views.observe_body)
