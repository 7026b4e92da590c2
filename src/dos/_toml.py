"""``tomllib.loads`` with bounded nesting: a document whose arrays or tables nest deeper
than :data:`MAX_DEPTH` is a ``TOMLDecodeError`` like any other malformed file, never a
RecursionError from the parser or from code that walks the parsed value."""

from __future__ import annotations

import tomllib

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MAX_DEPTH", "NestingTooDeep", "loads"]

MAX_DEPTH = 32  # dos.toml and the hosts' files nest a handful of levels


class NestingTooDeep(tomllib.TOMLDecodeError):
    """The document nests deeper than :data:`MAX_DEPTH` (or than the parser can)."""

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)  # not TOMLDecodeError's (msg, doc, pos) of 3.14


def _deeper_than(value: object, limit: int) -> bool:
    """Whether lists and tables nest more than ``limit`` levels, level by level."""
    level, depth = [value], 0
    while level:
        boxes = [item for item in level if isinstance(item, list | dict)]
        if not boxes:
            return False
        depth += 1
        if depth > limit:
            return True
        level = [inner for box in boxes for inner in (box.values() if isinstance(box, dict)
                                                        else box)]
    return False


def loads(text: str) -> dict[str, Any]:
    """The parsed document; ``TOMLDecodeError`` when it is not TOML or nests too deep."""
    too_deep = NestingTooDeep(f"arrays or tables nest deeper than {MAX_DEPTH} levels")
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise too_deep from None
    if _deeper_than(data, MAX_DEPTH):
        raise too_deep
    return data
