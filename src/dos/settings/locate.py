"""Find the line of a table or key in TOML text, so errors can say file:line."""

from __future__ import annotations

from dos.lazy_pattern import LazyPattern

__all__ = ["line_of"]

_HEADER = LazyPattern(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = LazyPattern(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.\-" ]+?)\s*=""")


def _norm(dotted: str) -> str:
    parts = [part.strip().strip("\"'") for part in dotted.split(".")]
    return ".".join(parts)


def line_of(text: str, table: str, key: str = "") -> int | None:
    """1-based line of ``key`` inside ``[table]`` (a top-level key when ``table`` is "";
    the table's header when ``key`` is ""), if found."""
    current = ""
    header_line: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = _norm(header.group(1))
            if current == table and header_line is None:
                header_line = number
            continue
        match = _KEY.match(line)
        if not match:
            continue
        full = _norm(f"{current}.{match.group(1)}" if current else match.group(1))
        if key and full == (f"{table}.{key}" if table else key):
            return number
        if not key and full.startswith(f"{table}.") and header_line is None:
            header_line = number
    return header_line
