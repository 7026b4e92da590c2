"""``json.loads`` and ``json.dumps`` for the hook's start-up path: the same C codec the
``json`` package runs (CPython's ``_json``), without the package itself.

Importing ``json`` compiles its regexes, which imports ``re``, which imports ``enum``:
together more start-up time than a hook's whole decision. The results are the
package's own (the same scanner and encoder, configured as ``json.loads`` and
``json.dumps`` configure them); where ``_json`` is missing, the package is used.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["dumps", "loads"]

_SPACE = " \t\n\r"  # what the json package skips around a document
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _Defaults:
    """What ``_json.make_scanner`` reads from a ``json.JSONDecoder()``."""

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
except (ImportError, TypeError):  # another interpreter, or another _json
    _scan = None


def _error(message: str, text: str, index: int) -> ValueError:
    from json import JSONDecodeError  # only for a document that is not JSON

    return JSONDecodeError(message, text, index)


def _skip_space(text: str, index: int) -> int:
    rest = len(text) - index
    return index + rest - len(text[index:].lstrip(_SPACE)) if rest else index


def loads(text: str | bytes | bytearray) -> Any:
    """``json.loads(text)``: the value, or ValueError (a ``json.JSONDecodeError``)."""
    if _scan is None or not isinstance(text, str):  # bytes: the package detects the encoding
        import json

        return json.loads(text)
    if text.startswith("\ufeff"):
        raise _error("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    try:
        value, end = _scan(text, _skip_space(text, 0))
    except StopIteration as stop:
        raise _error("Expecting value", text, stop.value) from None
    end = _skip_space(text, end)
    if end != len(text):
        raise _error("Extra data", text, end)
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
