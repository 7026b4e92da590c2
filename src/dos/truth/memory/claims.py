"""The checkable claims a note makes: paths, commit shas and code tokens bound to a file.

Polarity comes from the sentence (:mod:`dos.truth.negation`): "foo.py was deleted"
asserts absence. A path that locates something ("in src/cli.py", the file a code token
is said to be in) asserts only that the file is there, whatever the sentence denies.
"""

from __future__ import annotations

import re
from enum import StrEnum

from dos.structs import struct
from dos.truth.negation import CueKind, negated_at

__all__ = ["MAX_CLAIMS", "Claim", "Kind", "Polarity", "extract_claims", "sentences"]

MAX_CLAIMS = 200  # per note: a note citing more is not read past this many


class Kind(StrEnum):
    PATH = "PATH"
    SHA = "SHA"
    CODE_TOKEN = "CODE_TOKEN"  # noqa: S105 - a claim kind, not a secret


class Polarity(StrEnum):
    PRESENT = "ASSERTS_PRESENT"
    ABSENT = "ASSERTS_ABSENT"
    SHIPPED = "ASSERTS_SHIPPED"
    NEUTRAL = "NEUTRAL"


@struct
class Claim:
    """``target_file`` is the file a token is said to be in, or the files a sha is said
    to have changed (joined by ", "); ``line_hint`` a ``file:LINE``'s line."""

    raw: str
    kind: Kind
    polarity: Polarity
    target_file: str | None = None
    line_hint: int | None = None


_EXT = ("toml|yaml|yml|json|jsonl|py|pyi|md|rst|cfg|ini|txt|sh|bash|js|mjs|ts|tsx|jsx|rs|go|"
        "java|kt|rb|php|c|h|cc|cpp|hpp|cs|swift|sql|html|css|scss|lock|xml|proto|tf")
_PATH = re.compile(rf"(?<![\w/.:~\\-])((?:[\w.-]+/)*[\w-][\w.-]*\.(?:{_EXT}))"
                   rf"(?::(\d+))?(?![\w/])")
_SHA = re.compile(r"(?<![\w/.-])[0-9a-fA-F]{7,40}(?![\w-])")
_CODE = re.compile(r"`([^`\n]{1,200})`")
_TOKEN = re.compile(r"(?:from\s+\.*[\w.]+\s+import\s+\w+|import\s+[\w.]+|--[\w][\w-]*|"
                    r"(?:def\s+|class\s+)?[A-Za-z_][\w.]*(?:\(\))?)")
_GENERIC_IMPORT = re.compile(r"import\s+(?:os|re|sys|json|time|enum|subprocess)")
_LOCATIVE = re.compile(r"(?:\b(?:in|from|inside|within|under|at|of|into|to)\s+`?)\Z",
                       re.IGNORECASE)
_SHIP = re.compile(r"\b(?:fix(?:ed|es)?|ship(?:ped|s)?|land(?:ed|s)?|committed|merg(?:ed|es)|"
                   r"cut|introduc(?:ed|es)|add(?:ed|s)|chang(?:ed|es)|touch(?:ed|es)|"
                   r"remov(?:ed|es)|delet(?:ed|es))\b|\b(?:in|by|via|commit)\s+`?\Z",
                   re.IGNORECASE)
_INTENT = re.compile(r"\b(?:will|todo|to-do|plan(?:ned)?\s+to|next\s+step|should|"
                     r"to\s+be\s+(?:written|created|added)|would|might|could)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^\n]*?(?:[.!?;](?=\s)|\n|\Z)")


def sentences(body: str) -> list[tuple[int, str]]:
    """``(offset, text)`` of each sentence (or line) of ``body``."""
    return [(m.start(), m.group(0)) for m in _SENTENCE.finditer(body) if m.group(0).strip()]


def _is_sha(text: str) -> bool:
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def _paths(text: str) -> list[re.Match[str]]:
    return [m for m in _PATH.finditer(text) if ".." not in m.group(1).split("/")]


def _path_polarity(text: str, match: re.Match[str], located: bool) -> Polarity:
    if located or _LOCATIVE.search(text[:match.start()]):
        return Polarity.PRESENT
    if negated_at(text, match.start(), match.end()):
        return Polarity.ABSENT
    return Polarity.NEUTRAL if _INTENT.search(text) else Polarity.PRESENT


def _sha_polarity(text: str, match: re.Match[str], files: list[str]) -> Polarity:
    if negated_at(text, match.start(), match.end(), kinds=frozenset({CueKind.NEGATOR})):
        return Polarity.ABSENT
    if _SHIP.search(text[:match.start()]) or files:
        return Polarity.SHIPPED
    return Polarity.NEUTRAL


def _nearest(paths: list[re.Match[str]], at: int) -> re.Match[str]:
    return min(paths, key=lambda m: abs(m.start() - at))


def _tokens(text: str, paths: list[re.Match[str]]) -> list[tuple[re.Match[str], Claim]]:
    found = []
    for code in _CODE.finditer(text):
        inner = code.group(1).strip()
        if not paths or not _TOKEN.fullmatch(inner) or _GENERIC_IMPORT.fullmatch(inner) \
                or _PATH.fullmatch(inner) or (_SHA.fullmatch(inner) and _is_sha(inner)):
            continue
        where = _nearest(paths, code.start())
        polarity = Polarity.ABSENT if negated_at(text, code.start(), code.end()) \
            else Polarity.PRESENT
        line = int(where.group(2)) if where.group(2) else None
        found.append((where, Claim(inner, Kind.CODE_TOKEN, polarity, where.group(1), line)))
    return found


def _sentence_claims(text: str) -> list[Claim]:
    paths = _paths(text)
    tokens = _tokens(text, paths)
    located = {id(where) for where, _ in tokens}
    claims = [claim for _, claim in tokens]
    files = [m.group(1) for m in paths]
    claims += [Claim(m.group(1), Kind.PATH, _path_polarity(text, m, id(m) in located),
                     line_hint=int(m.group(2)) if m.group(2) else None) for m in paths]
    spans = [(m.start(), m.end()) for m in paths]
    for match in _SHA.finditer(text):
        inside = any(lo <= match.start() < hi for lo, hi in spans)
        if not inside and _is_sha(match.group(0)):
            claims.append(Claim(match.group(0).lower(), Kind.SHA,
                                _sha_polarity(text, match, files),
                                ", ".join(dict.fromkeys(files)) or None))
    return claims


def extract_claims(body: str) -> tuple[Claim, ...]:
    """The claims of ``body`` in the order they appear, each (kind, raw, polarity, file)
    once, at most :data:`MAX_CLAIMS`."""
    seen: dict[tuple[str, str, str, str | None], Claim] = {}
    for _, text in sentences(body):
        for claim in _sentence_claims(text):
            seen.setdefault((claim.kind, claim.raw, claim.polarity, claim.target_file), claim)
            if len(seen) >= MAX_CLAIMS:
                return tuple(seen.values())
    return tuple(seen.values())
