"""``dos projects``, ``dos reindex`` and ``dos learn``: the cross-project registry, for
the CLI and MCP alike. Reads never create the registry; ``reindex`` does."""

from __future__ import annotations

from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.record.projects.upkeep import Reindexed
from dos.render import with_schema
from dos.store.registry import Group, Move
from dos.structs import field, struct

__all__ = ["AXES", "Learned", "Listed", "Listing", "learn", "learn_json", "projects",
           "projects_json", "reindex", "reindex_json"]

AXES = ("wedge-hotspots", "lane-refusals", "oracle-calibration")
_DAY_MS = 86_400_000
MAX_IDLE_DAYS = 36_500


@struct
class Listed:
    project_id: str
    label: str
    root: str
    status: str  # active, idle (not used for the idle window) or stale (root gone)
    first_seen_ms: int
    last_seen_ms: int
    copied_from: str = ""
    moves: tuple[Move, ...] = ()
    history: dict[str, int] = field(default_factory=dict)


@struct
class Listing:
    registry: str
    rows: tuple[Listed, ...]
    idle_days: int


@struct
class Learned:
    registry: str
    axis: str
    groups: tuple[Group, ...]


def _status(stale: bool, last_seen_ms: int, now: int, idle_days: int) -> str:
    if stale:
        return "stale"
    return "idle" if now - last_seen_ms > idle_days * _DAY_MS else "active"


def projects(config: SubstrateConfig, *, stale_only: bool = False,
             idle_days: int = 90) -> Listing:
    """Every project this user registered, with its moves and history counts; with
    ``stale_only`` those whose root is gone or that were not used for ``idle_days``."""
    from dos.record.projects.home import owner
    from dos.record.projects.upkeep import now_ms, open_for, stale

    if not 1 <= idle_days <= MAX_IDLE_DAYS:
        raise UsageError(f"--idle-days must be 1 to {MAX_IDLE_DAYS}, got {idle_days}",
                         hint="pass a number of days, e.g. --idle-days 30")
    registry = open_for(config)
    with registry.transaction(write=False, owner=owner()) as reg:
        if reg is None:
            return Listing(registry.shown, (), idle_days)
        found, moves, counts = reg.projects(), reg.moves(), reg.counts()
    now = now_ms()
    rows = tuple(Listed(
        row.project_id, row.label, row.root,
        _status(stale(row), row.last_seen_ms, now, idle_days), row.first_seen_ms,
        row.last_seen_ms, row.copied_from,
        tuple(move for move in moves if move.project_id == row.project_id),
        counts.get(row.project_id, {})) for row in found)
    kept = tuple(row for row in rows if row.status != "active") if stale_only else rows
    return Listing(registry.shown, kept, idle_days)


def reindex(config: SubstrateConfig, *, prune: bool = False) -> Reindexed:
    """Re-check every registered project and read its new history; ``prune`` drops
    this user's projects whose root no longer holds them."""
    from dos.record.projects import upkeep

    return upkeep.reindex(config, prune=prune)


def learn(config: SubstrateConfig, axis: str) -> Learned:
    """One of :data:`AXES`, grouped and counted by the registry's database."""
    from dos.record.projects.home import owner
    from dos.record.projects.upkeep import open_for

    if axis not in AXES:
        raise UsageError(f"unknown axis {axis[:40]!r}", hint="one of " + ", ".join(AXES))
    registry = open_for(config)
    with registry.transaction(write=False, owner=owner()) as reg:
        groups = () if reg is None else tuple(reg.group(axis))
    return Learned(registry.shown, axis, groups)


def _iso(ms: int) -> str:
    from dos.api.observe import iso_ms

    return iso_ms(ms)


def projects_json(listing: Listing) -> dict[str, Any]:
    rows = [{"project_id": row.project_id, "label": row.label, "root": row.root,
             "status": row.status, "first_seen": _iso(row.first_seen_ms),
             "last_seen": _iso(row.last_seen_ms), "copied_from": row.copied_from or None,
             "moves": [{"from": m.from_root, "to": m.to_root, "at": _iso(m.at_ms)}
                       for m in row.moves],
             "history": {kind: row.history.get(kind, 0)
                         for kind in ("refusal", "wedge", "decision")}}
            for row in listing.rows]
    return with_schema({"registry": listing.registry, "idle_days": listing.idle_days,  # type: ignore[no-any-return]
                        "count": len(rows), "projects": rows}, "projects")


def reindex_json(result: Reindexed) -> dict[str, Any]:
    rows = [{"project_id": c.project_id, "label": c.label, "root": c.root,
             "status": c.status, "events": c.events, "problem": c.problem or None}
            for c in result.checked]
    counts = {status: result.count(status)
              for status in ("active", "stale", "pruned", "unreadable")}
    return with_schema({"registry": result.registry, **counts,  # type: ignore[no-any-return]
                        "events": sum(c.events for c in result.checked),
                        "verdict": "INCOMPLETE" if counts["unreadable"] else "REINDEXED",
                        "projects": rows}, "reindex")


def learn_json(learned: Learned) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for group in learned.groups:
        row: dict[str, Any] = {"group": group.group or "(none)", "count": group.count}
        if learned.axis == "oracle-calibration":
            row.update(upheld=group.upheld, overruled=group.overruled)
        if group.project_id:
            row["project_id"] = group.project_id
        rows.append(row)
    return with_schema({"registry": learned.registry, "axis": learned.axis,  # type: ignore[no-any-return]
                        "groups": rows}, "learn")
