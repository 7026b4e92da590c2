"""A small YAML subset reader for the workspace's ledgers (no dependency needed).

Accepted: JSON; block mappings and sequences (``- key: value`` items included),
plain / single- / double-quoted scalars, ``#`` comments, ``|`` and ``>`` block
scalars, and one-line flow collections ``[a, b]`` / ``{k: v}``. Scalars stay strings (a
commit sha is never turned into a number); ``null``, ``~`` and empty are ``None``.
Anything else raises :class:`ValueError` naming the line.
"""

from __future__ import annotations

from dos import _fastjson as jsonc
from dos.lazy_pattern import LazyPattern

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["loads"]

_Line = tuple[int, str, int]  # indent, content, 1-based line number
_KEY = LazyPattern(r"""^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"][^:#]*?)\s*:(?:\s+|$)(.*)$""")


def _strip_comment(text: str) -> str:
    quote = ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1].isspace()):
            return text[:index].rstrip()
    return text.rstrip()


def _lines(text: str) -> list[_Line]:
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ValueError(f"line {number}: tabs are not allowed for indentation")
        content = _strip_comment(raw.strip())
        if content and content not in ("---", "..."):
            found.append((len(raw) - len(raw.lstrip()), content, number))
    return found


def _scalar(text: str, number: int) -> Any:
    text = text.strip()
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text[0] == '"':
        try:
            return jsonc.loads(text)
        except ValueError:
            raise ValueError(f"line {number}: bad double-quoted string {text}") from None
    if text[0] == "'":
        if len(text) < 2 or text[-1] != "'":
            raise ValueError(f"line {number}: unterminated single-quoted string")
        return text[1:-1].replace("''", "'")
    if text[0] in "[{":
        return _flow(text, number)
    if text[0] in "&*!|>%@`":
        raise ValueError(f"line {number}: unsupported YAML syntax {text[:20]!r}")
    return text


def _split_flow(inner: str, number: int) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quote, depth = "", 0
    for char in inner:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    if quote or depth:
        raise ValueError(f"line {number}: unbalanced quotes or brackets in a flow collection")
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _flow(text: str, number: int) -> Any:
    closing = {"[": "]", "{": "}"}[text[0]]
    if not text.endswith(closing):
        raise ValueError(f"line {number}: unterminated flow collection {text[:20]!r}")
    items = _split_flow(text[1:-1], number)
    if text[0] == "[":
        return [_scalar(item, number) for item in items]
    mapping = {}
    for item in items:
        match = _KEY.match(item)
        if not match:
            raise ValueError(f"line {number}: expected 'key: value' in {item!r}")
        mapping[str(_scalar(match.group(1), number))] = _scalar(match.group(2), number)
    return mapping


def _block_scalar(lines: list[_Line], index: int, indent: int, style: str) -> tuple[str, int]:
    parts = []
    while index < len(lines) and lines[index][0] > indent:
        parts.append(lines[index][1])
        index += 1
    return ("\n" if style.startswith("|") else " ").join(parts), index


def _mapping(lines: list[_Line], index: int, indent: int) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    while index < len(lines) and lines[index][0] == indent:
        _, content, number = lines[index]
        match = _KEY.match(content)
        if content.startswith("- ") or content == "-" or not match:
            raise ValueError(f"line {number}: expected 'key: value'")
        key = str(_scalar(match.group(1), number))
        rest = match.group(2).strip()
        index += 1
        if rest in ("|", ">", "|-", ">-", "|+", ">+"):
            result[key], index = _block_scalar(lines, index, indent, rest)
        elif rest:
            result[key] = _scalar(rest, number)
        elif index < len(lines) and (lines[index][0] > indent or (
                lines[index][0] == indent and lines[index][1].startswith("-"))):
            result[key], index = _block(lines, index, lines[index][0])
        else:
            result[key] = None
    return result, index


def _sequence(lines: list[_Line], index: int, indent: int) -> tuple[list[Any], int]:
    result: list[Any] = []
    while index < len(lines) and lines[index][0] == indent and (
            lines[index][1] == "-" or lines[index][1].startswith("- ")):
        _, content, number = lines[index]
        rest = content[1:].strip()
        if not rest:
            index += 1
            if index < len(lines) and lines[index][0] > indent:
                item, index = _block(lines, index, lines[index][0])
            else:
                item = None
        elif _KEY.match(rest) and not rest.startswith(("'", '"', "[", "{")):
            nested = indent + len(content) - len(rest)
            lines[index] = (nested, rest, number)
            item, index = _mapping(lines, index, nested)
        else:
            item, index = _scalar(rest, number), index + 1
        result.append(item)
    return result, index


def _block(lines: list[_Line], index: int, indent: int) -> tuple[Any, int]:
    content = lines[index][1]
    if content == "-" or content.startswith("- "):
        return _sequence(lines, index, indent)
    if _KEY.match(content):
        return _mapping(lines, index, indent)
    if index + 1 < len(lines) and lines[index + 1][0] >= indent:
        raise ValueError(f"line {lines[index + 1][2]}: unexpected content after a scalar")
    return _scalar(content, lines[index][2]), index + 1


def loads(text: str) -> Any:
    """Parse ``text`` (JSON or the YAML subset above); an empty document is ``None``."""
    stripped = text.lstrip("\ufeff").strip()
    if stripped[:1] in ("{", "["):
        try:
            return jsonc.loads(stripped)
        except ValueError:
            pass  # a YAML flow value that is not JSON: fall through to the subset
    lines = _lines(stripped)
    if not lines:
        return None
    value, index = _block(lines, 0, lines[0][0])
    if index < len(lines):
        raise ValueError(f"line {lines[index][2]}: unexpected indentation")
    return value
