"""Query parameters as psycopg sends them: ``%s`` placeholders become ``$n``, and each
value goes as text with the type psycopg gives it (a ``str`` as unknown, so the
server infers it from the context), bytes as binary ``bytea``."""

from __future__ import annotations

from dos.store.pgwire.errors import DataError, ProgrammingError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["Param", "encode", "literal", "placeholders"]

Param = tuple[int, int, "bytes | None"]  # type oid, format (0 text, 1 binary), value
_BOOL, _BYTEA, _FLOAT8, _NUMERIC = 16, 17, 701, 1700
# int2, int4, int8, then numeric: the smallest type that holds the value, as psycopg picks.
_INTS = ((2**15, 21, 1005), (2**31, 23, 1007), (2**63, 20, 1016))
_NUMERIC_ARRAY = 1231


def placeholders(query: str, count: int) -> str:
    """``query`` with ``%s`` (or ``%b``, ``%t``) as ``$1``, ``$2``... and ``%%`` as ``%``."""
    parts, index, seen = [], 0, 0
    while (mark := query.find("%", index)) >= 0:
        code = query[mark + 1:mark + 2]
        parts.append(query[index:mark])
        if code in ("%", ""):  # a '%' that ends the query stays, as in psycopg
            parts.append("%")
        elif code in ("s", "b", "t"):
            seen += 1
            parts.append(f"${seen}")
        elif code == "(":
            raise ProgrammingError("named placeholders require a mapping of parameters")
        else:
            raise ProgrammingError("only '%s', '%b', '%t' are allowed as placeholders, "
                                   f"got '%{code}'")
        index = mark + 2
    if seen != count:
        raise ProgrammingError(f"the query has {seen} placeholders but {count} parameters "
                               "were passed")
    parts.append(query[index:])
    return "".join(parts)


def encode(value: Any) -> Param:
    """One parameter's type oid, format and bytes (None: SQL NULL)."""
    if value is None:
        return 0, 0, None
    encoder = _ENCODERS.get(type(value)) or next(
        (found for kind, found in _ENCODERS.items() if isinstance(value, kind)), None)
    if encoder is None:
        raise ProgrammingError(f"cannot adapt type {type(value).__name__!r}")
    return encoder(value)


def _bool(value: bool) -> Param:
    return _BOOL, 0, b"t" if value else b"f"


def _int(value: int) -> Param:
    return _int_oid(value, value, array=False), 0, str(value).encode()


def _str(value: str) -> Param:
    return 0, 0, _text(value)


def _float8(value: float) -> Param:
    return _FLOAT8, 0, _float(value)


def _bytes(value: bytes | bytearray | memoryview) -> Param:
    return _BYTEA, 1, bytes(value)


def _int_oid(low: int, high: int, *, array: bool) -> int:
    for bound, oid, array_oid in _INTS:
        if -bound <= low and high < bound:
            return array_oid if array else oid
    return _NUMERIC_ARRAY if array else _NUMERIC


def _text(value: str) -> bytes:
    if "\x00" in value:
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return value.encode("utf-8")


def _float(value: float) -> bytes:
    if value != value:  # noqa: PLR0124 - NaN is the one value unequal to itself
        return b"NaN"
    if value in (float("inf"), float("-inf")):
        return b"Infinity" if value > 0 else b"-Infinity"
    return repr(value).encode()


def _array(items: Sequence[Any]) -> Param:
    """A one-dimensional list of strings (sent as unknown, like a string) or of ints."""
    present = [item for item in items if item is not None]
    if all(isinstance(item, str) for item in present):
        return 0, 0, _literal(items)
    if all(isinstance(item, int) and not isinstance(item, bool) for item in present):
        low, high = min(present, default=0), max(present, default=0)
        return _int_oid(low, high, array=True), 0, _literal(items)
    raise ProgrammingError("cannot adapt a list that is not all strings or all integers")


def _literal(items: Sequence[Any]) -> bytes:
    return _text("{" + ",".join(map(_cell, items)) + "}")


def _cell(item: Any) -> str:
    """One array element, quoted only where psycopg quotes it."""
    if item is None:
        return "NULL"
    text = str(item)
    if text and text.upper() != "NULL" and not any(char in _SPECIAL for char in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_SPECIAL = frozenset('{}",\\ \t\n\r\v\f')


# bool before int: a bool is an int too
_ENCODERS: dict[type, Callable[[Any], Param]] = {
    bool: _bool, int: _int, str: _str, float: _float8, bytes: _bytes, bytearray: _bytes,
    memoryview: _bytes, list: _array}


def literal(text: str) -> str:
    """``text`` as an SQL string literal (as libpq's PQescapeLiteral writes it), for the
    few statements sent as plain text, several at once."""
    quoted = _text(text).decode("utf-8").replace("'", "''")
    if "\\" in quoted:
        return " E'" + quoted.replace("\\", "\\\\") + "'"
    return "'" + quoted + "'"
