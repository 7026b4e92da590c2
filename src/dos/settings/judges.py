"""``[judges]``: the settings of the shipped judges, one sub-table each.

``[judges.similarity]`` and ``[judges.llm]`` name their external programs as argument
lists (never a shell line) and their endpoint as an http(s) URL; a wrong type, a bound
out of range or an unknown key stops the load, like every other table.
"""

from __future__ import annotations

from dos.settings import (
    SchemaProblem,
    Validator,
    expect_int,
    expect_number,
    expect_str,
    expect_str_list,
    expect_table,
    validate_table,
)

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["JUDGES_SCHEMA"]


def _argv(table: str, key: str, value: Any) -> tuple[str, ...]:
    argv = expect_str_list(table, key, value)
    if argv and not argv[0].strip():
        raise SchemaProblem(table, key, f"[{table}] {key} names no program",
                            hint=f'e.g. {key} = ["my-scorer", "--json"]')
    return argv


def _url(table: str, key: str, value: Any) -> str:
    text = expect_str(table, key, value)
    if not text:
        return ""
    try:
        from urllib.parse import urlsplit  # start-up time: only for a judge's URL

        parts = urlsplit(text)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or len(text) > 2048 or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise SchemaProblem(table, key, f"[{table}] {key} must be an http(s) URL",
                            hint=f'e.g. {key} = "http://127.0.0.1:8080/judge"')
    return text


def _sub(schema: dict[str, tuple[Validator, Any]]) -> tuple[Validator, Any]:
    """A sub-table validated by ``schema``; absent, it reads as its defaults."""
    def check(table: str, key: str, value: Any) -> dict[str, Any]:
        return validate_table(f"{table}.{key}", expect_table(table, key, value), schema)
    return check, {key: default for key, (_, default) in schema.items()}


_TIMEOUT = (expect_number(0.0, 3600.0, low_open=True), 120.0)

JUDGES_SCHEMA: dict[str, tuple[Validator, Any]] = {
    "similarity": _sub({
        "threshold": (expect_number(0.0, 1.0), 0.82),
        "command": (_argv, ()),
        "timeout_s": _TIMEOUT,
    }),
    "llm": _sub({
        "command": (_argv, ()),
        "url": (_url, ""),
        "timeout_s": _TIMEOUT,
        "max_output_bytes": (expect_int(64, 1 << 24), 1 << 16),
    }),
}
