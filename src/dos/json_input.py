"""JSON a caller passes in a flag, read strictly at the edge.

Bounded (size and nesting, through :mod:`dos._fastjson`), and typed: a boolean is
``true``/``false`` (``"false"`` is an error, never true), a number is a number in its
range, and a key nobody reads is an error naming the closest known one, so a misspelt
fact never silently degrades a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dos import _fastjson as jsonc
from dos.errors import UsageError
from dos.limits import fits_int

__all__ = ["Fields", "json_flag"]

MAX_BYTES = 1 << 20
_MAX_DEPTH = 32
_JSON_TYPES: dict[type, str] = {dict: "a JSON object", list: "a JSON array"}


def json_flag(text: str, flag: str, *, expect: type, example: str) -> Any:
    """``text`` as JSON of type ``expect`` (dict or list), at most 1 MiB, 32 levels."""
    want = _JSON_TYPES[expect]
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise UsageError(f"{flag} is over 1 MiB", hint=f"pass {want}, e.g. {example}")
    try:
        value = jsonc.loads(text, max_depth=_MAX_DEPTH)
    except (ValueError, RecursionError) as error:
        raise UsageError(f"{flag} is not valid JSON ({str(error)[:80]})",
                         hint=f"pass {want} in single quotes, e.g. {example}") from None
    if not isinstance(value, expect):
        raise UsageError(f"{flag} must be {want}, got {_kind(value)}",
                         hint=f"e.g. {example}")
    return value


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "an array", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


class Fields:
    """Typed reads from one JSON object (``where`` names it in messages)."""

    def __init__(self, raw: Mapping[str, Any], where: str, known: Iterable[str]) -> None:
        self.raw = raw
        self.where = where
        known_list = sorted(known)
        for key in raw:
            if key not in known_list:
                import difflib

                close = difflib.get_close_matches(key, known_list, n=1)
                hint = f"did you mean '{close[0]}'?" if close else \
                    "known keys: " + ", ".join(known_list)
                raise UsageError(f"{where} has unknown key '{key}'", hint=hint)

    def _fail(self, key: str, want: str) -> UsageError:
        value = self.raw[key]
        shown = repr(value) if not isinstance(value, dict | list) else _kind(value)
        return UsageError(f"{self.where}.{key} must be {want}, got {shown[:60]}",
                          hint=f"write {key} as {want} (JSON true/false are not quoted)")

    def flag(self, key: str, default: bool = False) -> bool:
        if key not in self.raw or self.raw[key] is None:
            return default
        value = self.raw[key]
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int | None:
        if key not in self.raw or self.raw[key] is None:
            return default
        value = self.raw[key]
        if not fits_int(value, low, high):
            raise self._fail(key, f"an integer from {low} to {high}")
        return value

    def text(self, key: str, default: str = "", *, limit: int = 4096) -> str:
        if key not in self.raw or self.raw[key] is None:
            return default
        value = self.raw[key]
        if not isinstance(value, str) or len(value) > limit:
            raise self._fail(key, f"a string of at most {limit} characters")
        return value

    def choice(self, key: str, choices: Iterable[str], default: str) -> str:
        options = tuple(choices)
        value = self.text(key, default)
        folded = value.strip().lower()
        if folded not in options:
            raise UsageError(f"{self.where}.{key} must be one of {', '.join(options)}, got "
                             f"{value[:40]!r}", hint=f"set {key} to one of {', '.join(options)}")
        return folded

    def items(self, key: str) -> list[Any]:
        if key not in self.raw or self.raw[key] is None:
            return []
        value = self.raw[key]
        if not isinstance(value, list):
            raise self._fail(key, "an array")
        return value

    def texts(self, key: str) -> list[str]:
        values = self.items(key)
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            raise self._fail(key, "an array of strings")
        return [str(v) for v in values]

    def table(self, key: str) -> dict[str, Any] | None:
        if key not in self.raw or self.raw[key] is None:
            return None
        value = self.raw[key]
        if not isinstance(value, dict):
            raise self._fail(key, "an object")
        return value
