"""The units a plan document declares, in document order, with their parents.

Pure. What a unit *is* comes from the document; whether it shipped never does (that
is the oracle's, see :mod:`dos.truth.enumerate`). Fenced blocks and HTML comments are
blanked first (line numbers kept). A unit is declared by

* a heading (levels from ``[enumerate] heading_levels``, indented up to 3 spaces):
  ``## 3. AUTH AUTH3 — …`` (plan and phase), ``## AUTH3 …`` (the series token at the
  start of the title, after optional numbering such as ``3.``), ``## AUTH3-AUTH5 …``
  (a range: each unit), ``## Phase 3 …`` (``AUTH3`` in a series, else ``Phase 3``), and
  with no series ``## 3. …`` / ``## 3.1 …`` (a number followed by ``.``, ``)`` or a dash,
  or holding a dot: ``## 2024 roadmap`` is not a unit);
* a bullet ``- **AUTH3.1 — …`` under a unit heading (a child of that unit);
* a table row whose first cell is a series token (or, with ``generic_numeric_table``,
  a number).

A unit ``X.N`` is a child of ``X`` when the document declares both. Ids are compared
without regard to case (``auth1`` is ``AUTH1``); the first spelling is kept.
"""

from __future__ import annotations

import re

from dos.structs import field, replace, struct

__all__ = ["Drift", "EnumerateGrammar", "PlanUnit", "PlanUnits", "parse_units", "plan_class"]

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_DOC_ID = re.compile(r"^\s*id:\s*([A-Za-z][A-Za-z0-9_\-]*)\s*$")
_CLASS = re.compile(r"^\s*class:\s*(.*?)\s*$")
_SEPARATOR = r"(?:\s*[\u2014\u2013:]|\s+-(?:\s|$)|\s*$)"
_BOARD = re.compile(rf"^\d+\.\s+([A-Za-z][A-Za-z0-9_\-]*)\s+([A-Za-z0-9][A-Za-z0-9_\-.]*?)"
                    rf"{_SEPARATOR}")
_BULLET = re.compile(rf"^\s*[-*]\s+\*\*([A-Za-z0-9][A-Za-z0-9_\-./']*?)"
                     rf"(?:{_SEPARATOR}|\s*\*\*)")
_LEAD = re.compile(r"^[\s*_`\[]*(?:\d+[.)]\s+)?[\s*_`]*")
_PHASE_N = re.compile(r"^Phase\s+(\d+[A-Za-z]?(?:\.\d+)*)(?![A-Za-z0-9])", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)(?:[.)]|\s*[\u2014\u2013-](?:\s|$)|(?=\s|$))")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?[\s:|\-]+\|?\s*$")
_MAX_RANGE = 50


@struct
class EnumerateGrammar:
    """``[enumerate]``: which parts of a plan document declare units."""

    heading_levels: tuple[int, ...] = (2, 3, 4, 5, 6)
    scan_tables: bool = True
    generic_numeric_table: bool = False
    bare_phase_fallback: bool = True
    rollup_parents: bool = True


@struct
class PlanUnit:
    """One declared unit. ``plan`` is what git is asked about ("" when no series is
    known); ``source`` says how it was declared (``header``, ``bullet``, ``table-row``,
    or ``header+table-row``)."""

    unit: str
    plan: str
    line: int
    source: str
    parent: str = ""

    @property
    def key(self) -> str:
        return self.unit.casefold()


@struct
class Drift:
    """Something in the document a reader should fix; it never changes a verdict of git."""

    kind: str
    detail: str
    line: int = 0


@struct
class PlanUnits:
    series: str
    units: tuple[PlanUnit, ...]
    drift: tuple[Drift, ...] = field(default=())
    # the document's `class: NAME` line as written ("" when it has none): [lifecycle]'s
    plan_class: str = ""

    def children(self, unit: PlanUnit) -> tuple[PlanUnit, ...]:
        return tuple(u for u in self.units if u.parent.casefold() == unit.key)


def _blank(text: str) -> list[str]:
    """The lines, with fenced blocks and HTML comments emptied (line count kept)."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            lines.append("")
        else:
            lines.append("" if fenced else line)
    return lines


def _token_pattern(series: str) -> re.Pattern[str]:
    s = re.escape(series)
    return re.compile(rf"^({s}-?(\d+)[A-Za-z]?(?:\.\d+)*(?:-[A-Za-z][A-Za-z0-9]*)?"
                      rf"|{s}-[A-Za-z][A-Za-z0-9]*)(?![A-Za-z0-9])", re.IGNORECASE)


def _range_pattern(series: str) -> re.Pattern[str]:
    s = re.escape(series)
    return re.compile(rf"^{s}-?(\d+)\s*[-\u2013]\s*{s}-?(\d+)(?![A-Za-z0-9.])", re.IGNORECASE)


def _has_letter_and_digit(token: str) -> bool:
    return any(c.isalpha() for c in token) and any(c.isdigit() for c in token)


class _Reader:
    """One pass over the document's lines."""

    def __init__(self, series: str, grammar: EnumerateGrammar) -> None:
        self.series = series
        self.grammar = grammar
        self.token = _token_pattern(series) if series else None
        self.range = _range_pattern(series) if series else None
        self.found: dict[str, PlanUnit] = {}
        self.drift: list[Drift] = []
        self.current: PlanUnit | None = None  # the unit heading bullets belong to

    def add(self, unit: str, plan: str, line: int, source: str, parent: str = "") -> None:
        key = unit.casefold()
        first = self.found.get(key)
        if first is None:
            self.found[key] = PlanUnit(unit, plan, line, source, parent)
            return
        if {first.source, source} == {"header", "table-row"}:
            self.found[key] = replace(first, source="header+table-row")
            return
        spelled = "" if first.unit == unit else f" as {unit!r}"
        self.drift.append(Drift("duplicate", f"{first.unit} is declared again{spelled} at "
                                f"line {line} (first at line {first.line}); the first counts",
                                line))

    def heading(self, title: str, line: int) -> None:
        board = _BOARD.match(title)
        if board and _has_letter_and_digit(board.group(2)):
            self.add(board.group(2), board.group(1), line, "header")
            self.current = self.found[board.group(2).casefold()]
            return
        ids = self.heading_ids(title, line)
        for unit in ids:
            self.add(unit, self.series, line, "header")
        self.current = self.found[ids[0].casefold()] if len(ids) == 1 else None

    def heading_ids(self, title: str, line: int) -> list[str]:
        rest = title[_LEAD.match(title).end():]  # type: ignore[union-attr]  # always matches
        if self.range is not None and (span := self.range.match(rest)):
            return self.expand(span, line)
        if self.token is not None and (token := self.token.match(rest)):
            return [token.group(1)]
        phase = _PHASE_N.match(rest)
        if phase and self.grammar.bare_phase_fallback:
            number = phase.group(1)
            return [f"{self.series}{number}" if self.series else f"Phase {number}"]
        if not self.series and (numbered := _NUMBERED.match(title.lstrip("*_` "))):
            number = numbered.group(1)
            if "." in number or numbered.group(0) != number:
                return [number]
        return []

    def expand(self, span: re.Match[str], line: int) -> list[str]:
        low, high = int(span.group(1)), int(span.group(2))
        if not 0 < high - low < _MAX_RANGE:
            self.drift.append(Drift("range", f"heading '{span.group(0)}' names a range dos "
                                    f"will not expand (at most {_MAX_RANGE - 1} units, "
                                    "low to high); declare each unit", line))
            return []
        return [f"{self.series}{n}" for n in range(low, high + 1)]

    def bullet(self, token: str, line: int) -> None:
        if self.current is not None and _has_letter_and_digit(token):
            self.add(token, self.current.plan, line, "bullet", self.current.unit)

    def table_row(self, text: str, line: int) -> None:
        if _TABLE_SEPARATOR.match(text):
            return
        cell = text.strip().lstrip("|").split("|", 1)[0].replace("*", "").replace("`", "")
        cell = cell.strip()
        if self.token is not None:
            token = self.token.match(cell)
            if token and (len(token.group(1)) == len(cell) or cell[len(token.group(1))] == " "):
                self.add(token.group(1), self.series, line, "table-row")
        elif self.grammar.generic_numeric_table and re.fullmatch(r"\d+(?:\.\d+)*", cell):
            self.add(cell, "", line, "table-row")


def _series(given: str | None, lines: list[str]) -> str:
    if given is not None and given.strip():
        return given.strip().upper()
    for line in lines:
        found = _DOC_ID.match(line)
        if found:
            return found.group(1).upper()
    return ""


def plan_class(lines: list[str]) -> str:
    """The class the first ``class: NAME`` line of ``lines`` names ("" when none does)."""
    for line in lines:
        found = _CLASS.match(line)
        if found:
            return found.group(1).strip("\"'")[:200]
    return ""


def _with_parents(units: list[PlanUnit]) -> tuple[PlanUnit, ...]:
    """A unit ``X.N`` whose parent is not yet known belongs to ``X`` when declared."""
    keys = {u.key for u in units}
    linked = []
    for unit in units:
        parent = unit.parent
        stem = unit.unit
        while not parent and "." in stem:
            stem = stem.rsplit(".", 1)[0]
            if stem.casefold() in keys:
                parent = next(u.unit for u in units if u.key == stem.casefold())
        linked.append(replace(unit, parent=parent))
    return tuple(linked)


def parse_units(text: str, *, series: str | None = None,
                grammar: EnumerateGrammar | None = None) -> PlanUnits:
    """The units ``text`` declares. ``series`` (default: the document's ``id:`` line)
    names the plan git is asked about; a ``class:`` line names its lifecycle class."""
    rules = grammar or EnumerateGrammar()
    lines = _blank(text)
    reader = _Reader(_series(series, lines), rules)
    for number, line in enumerate(lines, start=1):
        heading = _HEADING.match(line)
        if heading:
            if len(heading.group(1)) in rules.heading_levels:
                reader.heading(heading.group(2), number)
            else:
                reader.current = None
        elif (bullet := _BULLET.match(line)) is not None:
            reader.bullet(bullet.group(1), number)
        elif rules.scan_tables and line.lstrip().startswith("|"):
            reader.table_row(line, number)
    units = list(reader.found.values())
    drift = list(reader.drift)
    if not units:
        drift.insert(0, Drift("empty", "no unit ids found in the document"))
    elif any(not u.plan for u in units):
        drift.append(Drift("no_series", "units are numbered but the document names no "
                           "series (an `id: AUTH` line, or --series), so git cannot be asked "
                           "whether they shipped"))
    return PlanUnits(reader.series, _with_parents(units), tuple(drift), plan_class(lines))
