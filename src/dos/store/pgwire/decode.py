"""Result cells (text format) as the Python values psycopg returns for them.

Types psycopg turns into something this module does not build (dates, times,
intervals, uuids, network addresses, ranges) are refused rather than handed back
as strings: a query that needs them belongs on psycopg.
"""

from __future__ import annotations

from dos.store.pgwire.errors import InterfaceError, NotSupportedError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["loader_for"]

def _bool(text: str) -> bool:
    return text == "t"


def _numeric(text: str) -> Any:
    from decimal import Decimal

    return Decimal(text)


def _json(text: str) -> Any:
    import json

    return json.loads(text)


def _bytea(text: str) -> bytes:
    if text.startswith("\\x"):
        return bytes.fromhex(text[2:])
    out, index = bytearray(), 0  # the 'escape' output format
    raw = text.encode("latin-1")
    while index < len(raw):
        if raw[index] != 0x5C:  # backslash
            out.append(raw[index])
            index += 1
        elif raw[index + 1] == 0x5C:
            out.append(0x5C)
            index += 2
        else:
            out.append(int(raw[index + 1:index + 4], 8))
            index += 4
    return bytes(out)


def _text(text: str) -> str:
    return text


_SCALARS: dict[int, Callable[[str], Any]] = {
    16: _bool, 17: _bytea, 20: int, 21: int, 23: int, 26: int, 700: float, 701: float,
    1700: _numeric, 114: _json, 3802: _json,
    **dict.fromkeys((18, 19, 25, 142, 705, 1042, 1043, 2205, 2206, 24, 2278), _text),
}
# array type oid -> element type oid (element types above only)
_ARRAYS = {1000: 16, 1001: 17, 1005: 21, 1007: 23, 1016: 20, 1028: 26, 1021: 700, 1022: 701,
           1231: 1700, 199: 114, 3807: 3802, 1002: 18, 1003: 19, 1009: 25, 1014: 1042,
           1015: 1043, 2210: 2205}
# Built-in oids below this are the server's own types; higher ones are user-defined
# (enums, domains over text...), which psycopg returns as strings.
_FIRST_USER_OID = 16384


def loader_for(oid: int) -> Callable[[str], Any]:
    """How to read a text-format cell of type ``oid``."""
    scalar = _SCALARS.get(oid)
    if scalar is not None:
        return scalar
    element = _ARRAYS.get(oid)
    if element is not None:
        load = _SCALARS[element]
        return lambda text: _array(text, load)
    if oid >= _FIRST_USER_OID:
        return _text
    raise NotSupportedError(f"the result has a column of type oid {oid}, which this client "
                            "does not read; set DOS_PG_DRIVER=psycopg")


def _array(text: str, load: Callable[[str], Any]) -> list[Any]:
    """A text-format array (``{a,"b c",NULL}``, nested for more dimensions)."""
    if text.startswith("["):  # explicit bounds, "[0:1]={...}": psycopg drops them too
        text = text[text.index("=") + 1:]
    try:
        found, end = _items(text, 1, load)
    except (IndexError, ValueError):
        raise InterfaceError(f"the server sent a malformed array: {text[:80]!r}") from None
    if end != len(text):
        raise InterfaceError(f"the server sent a malformed array: {text[:80]!r}")
    return found


def _items(text: str, index: int, load: Callable[[str], Any]) -> tuple[list[Any], int]:
    """The items of the array opened just before ``index``; the index after its '}'."""
    items: list[Any] = []
    while text[index] != "}":
        if text[index] == "{":
            nested, index = _items(text, index + 1, load)
            items.append(nested)
        elif text[index] == '"':
            cell, index = _quoted(text, index + 1)
            items.append(load(cell))
        else:
            end = min(_find(text, ",", index), _find(text, "}", index))
            cell = text[index:end]
            items.append(None if cell == "NULL" else load(cell))
            index = end
        if text[index] == ",":
            index += 1
    return items, index + 1


def _quoted(text: str, index: int) -> tuple[str, int]:
    chars: list[str] = []
    while text[index] != '"':
        if text[index] == "\\":
            index += 1
        chars.append(text[index])
        index += 1
    return "".join(chars), index + 1


def _find(text: str, char: str, start: int) -> int:
    found = text.find(char, start)
    return len(text) if found < 0 else found
