"""``/api/*``: the CLI's ``--json`` answers, byte for byte (``dos.render.dumps``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dos.errors import DosError, UsageError
from dos.render import dumps
from dos.web import answers, params
from dos.web.errors import NotFoundError, status_of
from dos.web.openapi import openapi

__all__ = ["TARGET", "api_decision", "api_decisions", "api_observe", "api_openapi", "api_plan",
           "api_top", "compute", "json_response", "target_of"]

TARGET = re.compile(r"[0-9]{1,9}|h[0-9a-f]{10}")


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(dumps(payload) + "\n", status_code=status, media_type="application/json")


def error_payload(error: DosError) -> dict[str, Any]:
    return {"error": {"message": error.message, "hint": error.hint,
                      "status": status_of(error), "exit_code": error.exit_code}}


def target_of(request: Request) -> str:
    """The decision a path names: a # or a handle, else 404 before anything is read."""
    target = str(request.path_params["target"])
    if not TARGET.fullmatch(target):
        raise NotFoundError(f"{target[:40]!r} names no decision",
                       hint="a decision is named by its # or its handle (h + 10 hex digits)")
    return target


async def compute(request: Request, question: Callable[..., Any],
                  schema: Mapping[str, tuple[str, Any]], *args: Any) -> Any:
    """``question(config, *args, **query)`` off the event loop."""
    keywords = params.parse_query(request.query_params.multi_items(), schema)
    return await run_in_threadpool(question, request.app.state.config, *args, **keywords)


async def _answer(request: Request, question: Callable[..., Any],
                  schema: Mapping[str, tuple[str, Any]], *args: Any) -> Response:
    try:
        return json_response(await compute(request, question, schema, *args))
    except DosError as error:
        return json_response(error_payload(error), status_of(error))


async def api_top(request: Request) -> Response:
    return await _answer(request, answers.top, params.TOP)


async def api_decisions(request: Request) -> Response:
    return await _answer(request, answers.decisions, params.DECISIONS)


async def api_decision(request: Request) -> Response:
    try:
        target = target_of(request)
    except DosError as error:
        return json_response(error_payload(error), status_of(error))
    return await _answer(request, found_or_404(answers.decision), params.TOP, target)


async def api_plan(request: Request) -> Response:
    return await _answer(request, answers.plan, params.PLAN)


async def api_observe(request: Request) -> Response:
    return await _answer(request, answers.observe, params.OBSERVE)


async def api_openapi(_request: Request) -> Response:
    return json_response(openapi())


def found_or_404(question: Callable[..., Any]) -> Callable[..., Any]:
    """``question``, its "no such row" UsageError turned into a 404."""
    def asked(*args: Any, **keywords: Any) -> Any:
        try:
            return question(*args, **keywords)
        except NotFoundError:
            raise
        except UsageError as error:
            raise NotFoundError(error.message, hint=error.hint) from None
    return asked
