"""``dos enumerate``: a plan's units split into shipped and remaining, by git alone.

Pure: joins the units a document declares (:mod:`dos.truth.plan_units`) with the
oracle's verdict for each. The document's prose ("SHIPPED", "will be shipped", a
ticked box) never decides anything. A unit with children ships only when every child
has shipped; with ``rollup_parents`` that is enough, without it the parent must also
ship itself. A caller's list of ids it believes shipped (``--shipped``) is compared,
never believed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dos.structs import struct
from dos.truth.plan_units import Drift, PlanUnit, PlanUnits
from dos.truth.ship_verdict import ShipVerdict
from dos.verdicts.picker import EnumerateToken

__all__ = ["Enumeration", "UnitStatus", "fold"]

_ABSENCE = ("none", "registry-unverified")


@struct
class UnitStatus:
    """One unit: how it was declared, and what git says."""

    unit: PlanUnit
    children: tuple[str, ...]
    shipped: bool
    shipped_by: str  # oracle | child-rollup | none
    verdict: ShipVerdict | None

    def to_dict(self) -> dict[str, Any]:
        v = self.verdict
        return {"unit": self.unit.unit, "plan": self.unit.plan, "line": self.unit.line,
                "source": self.unit.source, "parent": self.unit.parent or None,
                "children": list(self.children), "shipped": self.shipped,
                "shipped_by": self.shipped_by,
                "oracle": None if v is None else {
                    "shipped": v.shipped, "source": v.source, "grade": v.grade,
                    "sha": v.sha or None}}


@struct
class Enumeration:
    doc: str
    series: str
    statuses: tuple[UnitStatus, ...]
    drift: tuple[Drift, ...]

    @property
    def token(self) -> EnumerateToken:
        if not self.statuses:
            return EnumerateToken.EMPTY
        return EnumerateToken.DRIFT if self.drift else EnumerateToken.CLEAN

    @property
    def shipped(self) -> list[str]:
        return [s.unit.unit for s in self.statuses if s.shipped]

    @property
    def remaining(self) -> list[str]:
        return [s.unit.unit for s in self.statuses if not s.shipped]

    @property
    def leaves_remaining(self) -> list[PlanUnit]:
        """Remaining units a worker can take: a parent is done through its children."""
        return [s.unit for s in self.statuses if not s.shipped and not s.children]

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.token.value, "doc": self.doc, "series": self.series or None,
                "units": [s.unit.unit for s in self.statuses], "shipped": self.shipped,
                "remaining": self.remaining,
                "by_unit": {s.unit.unit: s.to_dict() for s in self.statuses},
                "drift": [{"kind": d.kind, "detail": d.detail, "line": d.line or None}
                          for d in self.drift]}


def _variants(unit: PlanUnit, series: str) -> set[str]:
    """How a caller may spell ``unit``: itself, and ``Phase N`` for ``<SERIES>N``."""
    names = {unit.key}
    if series and unit.key.startswith(series.casefold()):
        number = unit.unit[len(series):]
        if number[:1].isdigit():
            names.add(f"phase {number}".casefold())
    return names


def _claims(units: PlanUnits, claimed: Sequence[str],
            shipped: Mapping[str, bool]) -> list[Drift]:
    """``--shipped`` ids the document lacks, and ids git has not seen ship."""
    spelled = {name: u for u in units.units for name in _variants(u, units.series)}
    unknown, over = [], []
    for entry in claimed:
        unit = spelled.get(" ".join(entry.split()).casefold())
        if unit is None:
            unknown.append(entry)
        elif not shipped[unit.key]:
            over.append(unit.unit)
    drift = []
    if unknown and units.units:
        drift.append(Drift("list_table_mismatch", f"--shipped names {len(unknown)} id(s) the "
                           f"document does not declare: {', '.join(unknown[:10])}"))
    if over:
        drift.append(Drift("over_claim", f"--shipped says {', '.join(over[:10])} shipped; git "
                           "shows no ship (kept as remaining)"))
    return drift


def _deepest_first(units: Sequence[PlanUnit]) -> list[PlanUnit]:
    """Children before their parents, so each parent is settled after all of them."""
    parent = {u.key: u.parent.casefold() for u in units}
    depth: dict[str, int] = {}
    for unit in units:
        chain, key = [], unit.key
        while key and key not in depth and key not in chain:
            chain.append(key)
            key = parent.get(key, "")
        base = depth.get(key, -1) if key else -1
        for step, name in enumerate(reversed(chain), start=1):
            depth[name] = base + step
    return sorted(units, key=lambda u: -depth[u.key])


def fold(units: PlanUnits, verdicts: Mapping[str, ShipVerdict], *, doc: str,
         rollup_parents: bool = True, claimed: Sequence[str] = ()) -> Enumeration:
    """Join ``units`` with the oracle's ``verdicts`` (keyed by :attr:`PlanUnit.key`;
    a unit without one was not asked: it has no plan to ask about)."""
    children = {u.key: units.children(u) for u in units.units}
    shipped: dict[str, bool] = {}
    by: dict[str, str] = {}
    drift = list(units.drift)

    for unit in _deepest_first(units.units):
        own = verdicts.get(unit.key)
        own_shipped = own is not None and own.shipped
        kids = children[unit.key]
        if not kids:
            shipped[unit.key], by[unit.key] = own_shipped, "oracle" if own_shipped else "none"
        elif all(shipped[k.key] for k in kids) and (own_shipped or rollup_parents):
            shipped[unit.key] = True
            by[unit.key] = "oracle" if own_shipped else "child-rollup"
        else:
            shipped[unit.key], by[unit.key] = False, "none"
            if own_shipped:
                open_kids = [k.unit for k in kids if not shipped[k.key]]
                drift.append(Drift("parent_ahead", f"{unit.unit} is stamped in git but "
                                   f"{', '.join(open_kids[:5])} has not shipped; a parent "
                                   "ships only with all its children", unit.line))
    drift += _claims(units, claimed, shipped)
    shallow = [u.unit for u in units.units if (v := verdicts.get(u.key)) is not None
               and v.extra.get("shallow") and not v.shipped and v.source in _ABSENCE]
    if shallow:
        drift.append(Drift("shallow", f"this is a shallow clone: a commit older than its "
                           f"boundary may ship {', '.join(shallow[:5])}; `git fetch "
                           "--unshallow` to know"))
    statuses = tuple(UnitStatus(u, tuple(k.unit for k in children[u.key]), shipped[u.key],
                                by[u.key], verdicts.get(u.key)) for u in units.units)
    return Enumeration(doc, units.series, statuses, tuple(drift))
