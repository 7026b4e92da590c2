"""Regular expressions and prefilter terms built from a phase's spellings (pure).

Boundaries: a phase token ends where the next character is not a letter, digit or
underscore, nor a ``.``, ``-`` or ``'`` followed by one (``AUTH1`` never matches
``AUTH10``, ``AUTH1.1`` or ``AUTH1-port``).
"""

from __future__ import annotations

from dos.lazy_pattern import LazyPattern
from dos.pattern_cache import ASCII, IGNORECASE, escape
from dos.pattern_cache import compile as compile_pattern
from dos.settings.policy import StampGrammar

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    import re

__all__ = [
    "ANY_DIR",
    "BEFORE",
    "alternation",
    "direct_patterns",
    "ere",
    "flex",
    "last_run",
    "mention_pattern",
    "phase_variants",
    "series_spellings",
    "starts_with_series",
    "trailer_pattern",
]

_AFTER = r"(?![A-Za-z0-9_]|[.'\-][A-Za-z0-9])"
BEFORE = r"(?<![A-Za-z0-9_.\-'])"
_SEP = r"\s*(?:[,+&]|\band\b)\s*"
_ELEM = r"(?:phase\s*)?[A-Za-z]*\d[\w.'\-]*"
_GLUED_ELEM = r"[A-Za-z][A-Za-z_\-]*\d[\w.'\-]*"
_TERM = r"(?:\s*[:\u2014\u2013]|\s+-(?=\s|$))"
ANY_DIR = r"(?:[A-Za-z0-9_][\w.\-]*/)?"
_GENERIC_PHASE = LazyPattern(r"phase\s*(\d+(?:\.\d+)*)", IGNORECASE | ASCII)
_NUMBER = LazyPattern(r"\d+(?:\.\d+)*")
_LETTERS_NUMBER = LazyPattern(r"([A-Za-z]+)\s*(\d+(?:\.\d+)*)")


def flex(text: str) -> str:
    """A literal as a regex, with any run of whitespace matching any (or no) whitespace."""
    return r"\s*".join(escape(part) for part in text.split())


def alternation(items: list[str]) -> str:
    """A non-capturing alternation of regex fragments, longest first."""
    return "(?:" + "|".join(sorted(set(items), key=len, reverse=True)) + ")"


def _dedupe(items: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        key = " ".join(item.lower().split())
        if item.strip() and key not in seen:
            seen[key] = item
    return tuple(seen.values())


def phase_variants(phase: str, series: str) -> tuple[tuple[str, ...], str | None]:
    """The spellings of ``phase`` and, when it is numbered within ``series``, its number."""
    text = phase.strip()
    found = [text]
    if "'" in text:
        found.append(text.replace("'", "prime"))
    if "prime" in text.lower():
        found.append(compile_pattern("prime", IGNORECASE).sub("'", text))
    number: str | None = None
    if series:
        generic = _GENERIC_PHASE.fullmatch(text)
        numbered = _LETTERS_NUMBER.fullmatch(text)
        if generic or _NUMBER.fullmatch(text):
            number = generic.group(1) if generic else text
            found = [f for f in found if f != number]
            found += [f"{series}{number}", f"{series} {number}", f"Phase {number}"]
        elif numbered and numbered.group(1).lower() == series.lower():
            number = numbered.group(2)
            found += [f"{series} {number}", f"Phase {number}"]
    return _dedupe(found), number


def series_spellings(series: str) -> list[str]:
    """``series``, and for ``286_slug`` style names also the numbered head ``286``."""
    spellings = [series]
    head, underscore, _ = series.partition("_")
    if underscore and compile_pattern(r"\d").search(head):
        spellings.append(head)
    return spellings


def starts_with_series(variant: str, series: str) -> bool:
    """``variant`` opens with the whole ``series`` name (``AUTH10`` for ``AUTH``, not ``A``)."""
    if not series or not variant.lower().startswith(series.lower()):
        return False
    rest = variant[len(series):]
    return not rest or not rest[0].isalpha() or not series[-1].isalpha()


def _prefix(grammar: StampGrammar) -> str:
    if grammar.subject_dirs:
        return alternation([escape(d.strip("/")) for d in grammar.subject_dirs]) + "/"
    return ANY_DIR


def direct_patterns(series: str, variants: tuple[str, ...], number: str | None,
                    grammar: StampGrammar) -> tuple[re.Pattern[str], ...]:
    """Stamps at the start of a subject: ``S: V``, ``S V``, and glued ``SV:`` lists."""
    pfx = _prefix(grammar)
    spelled = [flex(v) for v in variants]
    patterns = []
    if series:
        ser = alternation([flex(s) for s in series_spellings(series)])
        with_number = alternation(spelled + ([escape(number)] if number else []))
        patterns.append(rf"^{pfx}{ser}\s*:\s*(?:{_ELEM}{_SEP})*?{with_number}{_AFTER}")
        patterns.append(rf"^{pfx}{ser}\s+(?:{_ELEM}{_SEP})*?{alternation(spelled)}{_AFTER}")
    if not grammar.subject_dirs:
        targets = [flex(v) for v in variants if not series or starts_with_series(v, series)]
        targets += [flex(series) + f for v, f in zip(variants, spelled, strict=True)
                    if series and not starts_with_series(v, series)]
        if number and series:
            targets.append(flex(series) + escape(number))
        if targets:
            patterns.append(rf"^{pfx}(?:{_GLUED_ELEM}{_SEP})*?{alternation(targets)}"
                            rf"(?:{_SEP}{_GLUED_ELEM})*{_TERM}")
    return tuple(compile_pattern(p, IGNORECASE | ASCII) for p in patterns)


def mention_pattern(series: str, variants: tuple[str, ...]) -> re.Pattern[str]:
    """A series-qualified spelling anywhere in free text: never a series-less token."""
    items = []
    for variant in variants:
        if not series or series.lower() in variant.lower():
            items.append(flex(variant))
        else:
            items.append(rf"{flex(series)}\s*:?\s*{flex(variant)}")
    return compile_pattern(rf"{BEFORE}{alternation(items)}{_AFTER}", IGNORECASE | ASCII)


def trailer_pattern(series: str, variants: tuple[str, ...],
                    number: str | None) -> re.Pattern[str]:
    """A parenthesised stamp ending the subject: ``… (AUTH AUTH3)``."""
    ser = alternation([flex(s) for s in series_spellings(series)])
    spelled = alternation([flex(v) for v in variants] + ([escape(number)] if number else []))
    return compile_pattern(
        rf"\(\s*(?:refs\s+)?{ANY_DIR}{ser}\s*:?\s+(?:{_ELEM}{_SEP})*?{spelled}{_AFTER}"
        rf"(?:{_SEP}{_ELEM})*\s*\)\s*$", IGNORECASE | ASCII)


def ere(text: str) -> str:
    """``text`` as a POSIX ERE literal (git runs in the C locale: non-ASCII is any bytes)."""
    out = []
    for char in text:
        if char.isspace():
            out.append("[ \t]*")
        elif not char.isascii():
            out.append(".{1,4}")
        elif char in r"\.[]()*+?{}|^$":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def last_run(text: str) -> str:
    """The last lowercase alphanumeric run of ``text`` ("" when there is none)."""
    runs = compile_pattern(r"[a-z0-9]+").findall(text.lower())
    return runs[-1] if runs else ""
