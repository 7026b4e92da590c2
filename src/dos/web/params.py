"""Query parameters, parsed and bounded at the edge: each endpoint names the ones it
reads, a name it does not know or a value out of range is a UsageError (HTTP 400),
and what passes is exactly the keyword the CLI's flag would have given the api."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from dos.errors import UsageError

__all__ = ["DECISIONS", "OBSERVE", "PLAN", "TOP", "parse_query"]

_VALUE_MAX = 200
_PAIRS_MAX = 200
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/@^~{}+-]{0,199}")


def _flag(name: str, text: str) -> bool:
    if text in ("1", "true", "yes", "on", ""):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise UsageError(f"{name}={text[:40]!r} is not a boolean", hint=f"{name}=1 or {name}=0")


def _text(name: str, text: str) -> str:
    if not text.strip():
        raise UsageError(f"{name} is empty", hint=f"leave {name} out instead")
    return text


def _tail(name: str, text: str) -> int:
    if not text.isdigit() or len(text) > 6:
        raise UsageError(f"{name}={text[:40]!r} is not a count", hint=f"e.g. {name}=20")
    return int(text)  # the api bounds it (1 to MAX_TAIL) with the CLI's own message


def _pairs(name: str, text: str) -> list[str]:
    words = [word.strip() for word in text.split(",")]
    if len(words) > _PAIRS_MAX or not all(words):
        raise UsageError(f"{name} must be PLAN,PHASE[,PLAN,PHASE…] (at most {_PAIRS_MAX} "
                         "words, none empty)", hint=f"e.g. {name}=AUTH,AUTH1,AUTH,AUTH2")
    return words


def _ref(name: str, text: str) -> str:
    if not _REF.fullmatch(text) or ".." in text:
        raise UsageError(f"{name}={text[:40]!r} is not a ref dos will read",
                         hint=f"a branch, tag or commit, e.g. {name}=HEAD or {name}=main")
    return text


# query name → (api keyword, parser); the defaults are the api's own
TOP: dict[str, tuple[str, Any]] = {}
DECISIONS = {"all": ("everything", _flag), "since": ("since", _text)}
OBSERVE = {"run": ("run", _text), "syscall": ("syscall", _text), "by": ("by", _text),
           "tail": ("tail", _tail), "since": ("since", _text)}
PLAN = {"pairs": ("pairs", _pairs), "ref": ("ref", _ref), "source": ("source", _text)}


def parse_query(items: Iterable[tuple[str, str]],
                schema: Mapping[str, tuple[str, Any]]) -> dict[str, Any]:
    """The api keywords for ``items``: each known name once, each value bounded."""
    found: dict[str, Any] = {}
    for name, value in items:
        if name not in schema:
            known = ", ".join(sorted(schema)) or "none"
            raise UsageError(f"unknown query parameter {name[:40]!r}",
                             hint=f"this endpoint reads: {known}")
        keyword, parse = schema[name]
        if keyword in found:
            raise UsageError(f"{name} is given twice", hint=f"pass {name} once")
        if len(value) > _VALUE_MAX * 10 or (name != "pairs" and len(value) > _VALUE_MAX):
            raise UsageError(f"{name} is too long", hint=f"at most {_VALUE_MAX} characters")
        found[keyword] = parse(name, value)
    return found
