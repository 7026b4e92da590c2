"""The stamp grammar: how a commit subject says "this phase shipped", as data and matching.

A :class:`PhaseQuery` is compiled against the workspace's :class:`StampGrammar` into a
:class:`Stamp`: a few anchored regular expressions, one per rung, plus the literal
terms a cheap prefilter (``git log --grep``) needs. Everything here is pure.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from dos.lazy_pattern import LazyPattern
from dos.pattern_cache import ASCII, IGNORECASE
from dos.pattern_cache import compile as compile_pattern
from dos.settings.policy import StampGrammar
from dos.structs import struct
from dos.truth.stamp_patterns import (
    ANY_DIR,
    BEFORE,
    direct_patterns,
    ere,
    flex,
    last_run,
    mention_pattern,
    phase_variants,
    trailer_pattern,
)

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    import re

__all__ = [
    "BODY_MENTION",
    "DIRECT",
    "FILE_PATH",
    "HYG_SLUG",
    "RELEASE_PREFIX",
    "RUNG_ORDER",
    "SUB_PHASE_PARENT",
    "TRAILER",
    "PhaseQuery",
    "Stamp",
    "compile_stamp",
    "is_bookkeeping",
    "is_release_subject",
    "match_body",
    "match_subject",
    "names_other_series",
    "names_series",
]

DIRECT, TRAILER, RELEASE_PREFIX = "direct", "trailer", "release-prefix"
HYG_SLUG, SUB_PHASE_PARENT, BODY_MENTION = "hyg-slug", "sub-phase-parent", "body-mention"
FILE_PATH = "file-path"
RUNG_ORDER = (DIRECT, TRAILER, RELEASE_PREFIX, HYG_SLUG, SUB_PHASE_PARENT, BODY_MENTION)

_RELEASE = LazyPattern(r"(?:release\s+)?v?\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.\-]+)?:",
                      IGNORECASE | ASCII)
_SNAPSHOT = LazyPattern(r"[^:]*\bsnapshot:", IGNORECASE | ASCII)
_ARCHIVE = LazyPattern(r"(?:[^:]*:\s*)?(?:archive|rollup)\s+\d{8}(?:T\d+)?Z?\b",
                      IGNORECASE | ASCII)
_LEADING_ID = LazyPattern(r"(?:[A-Za-z0-9_][\w.\-]*/)?([A-Za-z][A-Za-z_\-]*?)\d[\w.\-]*"
                         r"(?:\s*[:\u2014\u2013]|\s)")


@struct
class PhaseQuery:
    """Did ``phase`` of ``plan`` ship? Both are echoed exactly as the caller typed them."""

    plan: str
    phase: str


@struct
class Stamp:
    """A query prepared against a grammar; build it with :func:`compile_stamp`.

    ``prefilter`` holds POSIX ERE terms one of which every matching message contains;
    ``needles`` the lowercase alphanumeric runs one of which it contains as a whole run
    (empty: no cheap test, always check). Regular expressions are compiled on first
    use, so a query no commit mentions costs no compilation.
    """

    query: PhaseQuery
    grammar: StampGrammar
    series: str
    variants: tuple[str, ...]
    number: str | None
    parent_spec: tuple[tuple[str, ...], str | None, str] | None
    slug: str | None
    prefilter: tuple[str, ...]
    needles: tuple[str, ...]

    @cached_property
    def direct(self) -> tuple[re.Pattern[str], ...]:
        return direct_patterns(self.series, self.variants, self.number, self.grammar)

    @cached_property
    def trailer(self) -> re.Pattern[str] | None:
        if not (self.grammar.trailer_stamp and self.series):
            return None
        return trailer_pattern(self.series, self.variants, self.number)

    @cached_property
    def mention(self) -> re.Pattern[str]:
        return mention_pattern(self.series, self.variants)

    @cached_property
    def parent(self) -> tuple[tuple[re.Pattern[str], ...], str] | None:
        if self.parent_spec is None:
            return None
        variants, number, suffix = self.parent_spec
        return direct_patterns(self.series, variants, number, self.grammar), suffix


def _normalize_slug(text: str) -> str:
    return compile_pattern(r"[\s\-_]+").sub("_", text.strip().lower())


def _bundle_slugs(grammar: StampGrammar) -> set[str]:
    return {p.rstrip(":").rsplit("/", 1)[-1].upper() for p in grammar.summary_bundle_prefixes}


def compile_stamp(query: PhaseQuery, grammar: StampGrammar) -> Stamp:
    """Compile ``query`` against ``grammar`` once; match many commits with it."""
    series = query.plan.strip()
    variants, number = phase_variants(query.phase, series)
    terms = [ere(v) for v in variants]
    if number and series:
        terms.append(ere(series) + "[ \t]*:")
    parent = None
    if grammar.sub_phase_parent_fallback and "-" in query.phase.strip():
        head, _, suffix = query.phase.strip().partition("-")
        parent_variants, parent_number = phase_variants(head, series)
        parent = (parent_variants, parent_number, _normalize_slug(suffix))
        terms += [ere(v) for v in parent_variants]
    slug = None
    if series and series.upper() in _bundle_slugs(grammar):
        slug = _normalize_slug(query.phase)
        terms.append(ere(series))
    spellings = (*variants, *("".join(v.split()) for v in variants), series if number else "",
                 *(series + "".join(v.split()) for v in variants))
    needles = tuple(sorted({last_run(t) for t in spellings} - {""}))
    if parent or slug or any(not last_run(v) for v in variants):
        needles = ()
    return Stamp(query=query, grammar=grammar, series=series, variants=variants, number=number,
                 parent_spec=parent, slug=slug, prefilter=tuple(dict.fromkeys(terms)),
                 needles=needles)


def is_bookkeeping(subject: str, grammar: StampGrammar) -> bool:
    """Ledger and snapshot commits never ship anything, whatever they name."""
    lowered = subject.lower()
    if any(lowered.startswith(p.lower()) for p in grammar.bookkeeping_prefixes if p):
        return True
    return bool(_SNAPSHOT.match(subject) or _ARCHIVE.match(subject))


def is_release_subject(subject: str, grammar: StampGrammar) -> bool:
    """A release / summary-bundle subject: ``v1.2.3:``, ``v2.1:`` or a declared prefix."""
    lowered = subject.lower()
    if any(lowered.startswith(p.lower()) for p in grammar.summary_bundle_prefixes if p):
        return True
    return bool(_RELEASE.match(subject))


def _progress_only(subject: str, end: int, grammar: StampGrammar) -> bool:
    if not grammar.progress_markers or end >= len(subject) or not subject[end].isspace():
        return False
    rest = subject[end:].split()
    markers = {m.lower() for m in grammar.progress_markers}
    return bool(rest) and rest[0].lower() in markers


def _direct_hit(patterns: tuple[re.Pattern[str], ...], subject: str,
                grammar: StampGrammar) -> bool:
    for pattern in patterns:
        found = pattern.match(subject)
        if found and not _progress_only(subject, found.end(), grammar):
            return True
    return False


def _slug_hit(stamp: Stamp, subject: str) -> bool:
    head = compile_pattern(rf"^{ANY_DIR}{flex(stamp.query.plan.strip())}:?\s+(.*)$",
                           IGNORECASE | ASCII).match(subject)
    return bool(head and stamp.slug and stamp.slug in _normalize_slug(head.group(1)))


def _release_hit(stamp: Stamp, subject: str) -> bool:
    anchor = _RELEASE.match(subject)
    found = stamp.mention.search(subject, anchor.end() if anchor else 0)
    return found is not None and not _progress_only(subject, found.end(), stamp.grammar)


def _parent_hit(stamp: Stamp, subject: str) -> bool:
    if stamp.parent is None:
        return False
    patterns, suffix = stamp.parent
    return _direct_hit(patterns, subject, stamp.grammar) and suffix in _normalize_slug(subject)


def match_subject(stamp: Stamp, subject: str) -> str | None:
    """The first subject rung (in :data:`RUNG_ORDER`) that ``subject`` satisfies."""
    grammar = stamp.grammar
    if is_bookkeeping(subject, grammar):
        return None
    release = is_release_subject(subject, grammar)
    trailer = stamp.trailer
    checks: tuple[tuple[str, Callable[[], bool]], ...] = (
        (DIRECT, lambda: _direct_hit(stamp.direct, subject, grammar)),
        (TRAILER, lambda: trailer is not None and not release and bool(trailer.search(subject))),
        (RELEASE_PREFIX, lambda: release and _release_hit(stamp, subject)),
        (HYG_SLUG, lambda: stamp.slug is not None and _slug_hit(stamp, subject)),
        (SUB_PHASE_PARENT, lambda: _parent_hit(stamp, subject)),
    )
    return next((rung for rung, check in checks if check()), None)


def match_body(stamp: Stamp, subject: str, body: str) -> bool:
    """A release commit's body names the phase (series-qualified) on some line."""
    if not body or is_bookkeeping(subject, stamp.grammar):
        return False
    if not is_release_subject(subject, stamp.grammar):
        return False
    return any(stamp.mention.search(line) for line in body.splitlines())


def names_series(subject: str, series: str) -> bool:
    """``subject`` names ``series`` as a word."""
    return bool(series) and compile_pattern(rf"{BEFORE}{flex(series)}(?![A-Za-z])",
                                            IGNORECASE | ASCII).search(subject) is not None


def names_other_series(subject: str, series: str) -> bool:
    """``subject`` opens with a phase id of a different series (``BILL3: …``)."""
    found = _LEADING_ID.match(subject)
    return found is not None and found.group(1).rstrip("_-").lower() != series.lower()
