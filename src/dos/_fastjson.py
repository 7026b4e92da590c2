"""``json.loads`` and ``json.dumps`` for the hook's start-up path: the same C codec the
``json`` package runs (CPython's ``_json``), without the package itself.

Importing ``json`` compiles its regexes, which imports ``re``, which imports ``enum``:
together more start-up time than a hook's whole decision. The codec answers only a
well-formed document; anything else (a parse error, a recursion error, an interpreter
whose ``_json`` raises ``SystemError`` because ``json.decoder`` is not loaded yet) is
parsed again by ``json.loads``, so a failure is always the package's own ValueError.
Both paths refuse documents nested deeper than ``max_depth``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["MAX_DEPTH", "SCANNER_CONTEXT", "dumps", "loads"]

MAX_DEPTH = 100  # arrays and objects inside each other; hook payloads nest a handful
_SPACE = " \t\n\r"  # what the json package skips around a document
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}
# What _json.make_scanner reads from its context (a json.JSONDecoder in the package).
SCANNER_CONTEXT = ("strict", "object_hook", "object_pairs_hook", "parse_float", "parse_int",
                   "parse_constant")


class _Defaults:
    """The attributes ``_json.make_scanner`` reads, as ``json.JSONDecoder()`` sets them."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


def _not_serializable(value: object) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


try:
    from _json import encode_basestring_ascii, make_encoder, make_scanner

    # typeshed types the context as another scanner; any object with these attributes does
    _scan: Callable[[str, int], tuple[Any, int]] | None = make_scanner(
        _Defaults())  # type: ignore[arg-type]
except Exception:  # noqa: BLE001 - another interpreter or another _json: use the package
    _scan = None

_MISSING = object()


def _error(message: str, text: object) -> ValueError:
    from json import JSONDecodeError  # only for a document that is not JSON

    return JSONDecodeError(message, text if isinstance(text, str) else "", 0)


def _skip_space(text: str, index: int) -> int:
    rest = len(text) - index
    return index + rest - len(text[index:].lstrip(_SPACE)) if rest else index


def _fast(text: str) -> Any:
    """The value of a well-formed document, else ``_MISSING`` (the package decides)."""
    if text.startswith("\ufeff"):
        return _MISSING
    try:
        value, end = _scan(text, _skip_space(text, 0))  # type: ignore[misc]
    except Exception:  # noqa: BLE001 - every failure is re-parsed by json.loads
        return _MISSING
    return value if _skip_space(text, end) == len(text) else _MISSING


def _standard(text: str | bytes | bytearray) -> Any:
    import json

    try:
        return json.loads(text)
    except RecursionError:
        raise _error("Nesting too deep to parse", text) from None


def _deeper_than(value: object, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels (level by level: no
    recursion, whatever the depth)."""
    level, depth = [value], 0
    while level:
        containers = [item for item in level if isinstance(item, list | dict)]
        if not containers:
            return False
        depth += 1
        if depth > limit:
            return True
        level = [inner for box in containers
                 for inner in (box.values() if isinstance(box, dict) else box)]
    return False


def loads(text: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(text)``: the value, or ValueError (a ``json.JSONDecodeError`` for a
    document that is not JSON or nests deeper than ``max_depth``)."""
    value = _fast(text) if _scan is not None and isinstance(text, str) else _MISSING
    if value is _MISSING:  # bytes (the package detects the encoding), or not plain JSON
        value = _standard(text)
    if _deeper_than(value, max_depth):
        raise _error(f"Nesting deeper than {max_depth} levels", text)
    return value


def dumps(value: object, *, sort_keys: bool = False) -> str:
    """``json.dumps(value, sort_keys=sort_keys)``: ASCII only, ``", "`` and ``": "``."""
    if _scan is None:
        import json

        return json.dumps(value, sort_keys=sort_keys)
    if isinstance(value, str):
        return str(encode_basestring_ascii(value))
    # a fresh circular-reference memo per call, as json.dumps keeps
    encode = make_encoder({}, _not_serializable, encode_basestring_ascii, None, ": ", ", ",
                          sort_keys, False, True)
    return "".join(encode(value, 0))
