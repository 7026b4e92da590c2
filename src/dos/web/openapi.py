"""The OpenAPI description of the JSON API, served at ``/api/openapi.json``."""

from __future__ import annotations

from typing import Any

from dos._version import __version__

__all__ = ["openapi"]

_ERROR = {"type": "object", "properties": {"error": {"type": "object", "properties": {
    "message": {"type": "string"}, "hint": {"type": "string"},
    "status": {"type": "integer"}, "exit_code": {"type": "integer"}}}}}


def _query(name: str, schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": text}


_SINCE = _query("since", {"type": "string", "maxLength": 200},
                "epoch ms, ISO-8601 or an age such as 30m, 24h, 7d")


def _get(summary: str, cli: str, family: str,
         parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"get": {
        "summary": summary, "description": f"Exactly what `{cli} --json` prints.",
        "parameters": parameters, "security": [{"bearer": []}, {"session": []}],
        "responses": {
            "200": {"description": f"the `{family}` answer (schema.family = {family})",
                    "content": {"application/json": {"schema": {"type": "object"}}}},
            "400": {"description": "a parameter is unknown or out of range",
                    "content": {"application/json": {"schema": _ERROR}}},
            "401": {"description": "the token is missing or wrong"},
            "503": {"description": "the store cannot be read",
                    "content": {"application/json": {"schema": _ERROR}}}}}}


def openapi() -> dict[str, Any]:
    """The description: four questions, one drill-in, one event stream."""
    handle = {"name": "target", "in": "path", "required": True,
              "schema": {"type": "string", "pattern": "^([0-9]{1,9}|h[0-9a-f]{10})$"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "dos serve", "version": __version__,
                 "description": "The operator's views of a dos workspace, read-only."},
        "components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "dos_session"}}},
        "paths": {
            "/api/top": _get("the fleet: lanes, holders, liveness", "dos top", "top", []),
            "/api/decisions": _get("what waits on the operator", "dos decisions",
                                   "decisions", [_query("all", {"type": "boolean"},
                                                        "every row, not only HUMAN ones"),
                                                 _SINCE]),
            "/api/decisions/{target}": _get("one decision in full", "dos decisions show N",
                                            "decisions", [handle]),
            "/api/plan": _get("each phase's claim beside git's verdict", "dos plan", "plan", [
                _query("pairs", {"type": "string"}, "PLAN,PHASE[,PLAN,PHASE…]"),
                _query("ref", {"type": "string", "maxLength": 200}, "judge against this ref"),
                _query("source", {"type": "string", "enum": ["markdown"]}, "phase source")]),
            "/api/observe": _get("the verdict journal rolled up", "dos observe", "observe", [
                _query("by", {"type": "string", "enum": ["syscall", "verdict", "run_id",
                                                         "lane", "source"]}, "dimension"),
                _query("run", {"type": "string", "maxLength": 200}, "one run's verdicts"),
                _query("syscall", {"type": "string", "maxLength": 200}, "one syscall"),
                _query("tail", {"type": "integer", "minimum": 1, "maximum": 10_000},
                       "the newest N verdicts"), _SINCE]),
            "/events": {"get": {
                "summary": "server-sent events: hello, change (the store's journal heads) "
                           "and tick (every 15 s)",
                "responses": {"200": {"description": "text/event-stream"}}}},
        },
    }
