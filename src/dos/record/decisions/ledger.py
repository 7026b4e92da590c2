"""The fold: sightings grouped into open questions, minus what a resolution covered.

A :class:`Ledger` takes the resolutions first, then sightings in any order (two
journals are read one after the other); it can be copied and fed only the records
after a cursor, so a refreshing screen never replays the journals.
"""

from __future__ import annotations

from collections.abc import Iterable

from dos.record.decisions.model import Key, Kind, Point, Resolution
from dos.record.decisions.sightings import Sighting
from dos.structs import struct

__all__ = ["Group", "Ledger"]


@struct
class Group:
    """The records of one question since its last resolution: the first, the newest
    (whose text and evidence the row shows) and how many."""

    key: Key
    first: Point
    latest: Sighting
    count: int
    epoch: int

    @property
    def last(self) -> Point:
        return self.latest.at


class Ledger:
    """Open questions by key; see the module docstring."""

    def __init__(self, resolutions: Iterable[Resolution] = ()) -> None:
        self.groups: dict[Key, Group] = {}
        self.resolutions: dict[Key, list[Resolution]] = {}
        self.arbiter_grants: dict[str, Point] = {}  # lane → newest dos arbitrate ACQUIRE
        self.last_loop: Point | None = None
        for resolution in resolutions:
            self.resolve(resolution)

    def copy(self) -> Ledger:
        twin = Ledger()
        twin.groups, twin.arbiter_grants = dict(self.groups), dict(self.arbiter_grants)
        twin.resolutions = {key: list(found) for key, found in self.resolutions.items()}
        twin.last_loop = self.last_loop
        return twin

    def resolve(self, resolution: Resolution) -> None:
        """Remember a resolution (before the sightings it covers are seen)."""
        key = resolution.key()
        if key is not None and resolution.decision in ("approve", "dismiss"):
            self.resolutions.setdefault(key, []).append(resolution)

    def epoch(self, key: Key) -> int:
        """The seq of the newest resolution of ``key`` (0: never resolved)."""
        return max((r.seq for r in self.resolutions.get(key, ())), default=0)

    def covered(self, key: Key, at: Point | None = None) -> bool:
        """Whether a resolution of ``key`` already covers the record at ``at`` (or,
        for a row read from the leases or the plans, any resolution of it at all)."""
        found = self.resolutions.get(key, ())
        if at is None:
            return bool(found)
        return any(r.through.get(at.journal, 0) >= at.seq for r in found)

    def see(self, sighting: Sighting) -> None:
        key = sighting.key
        if self.covered(key, sighting.at):
            return
        held = self.groups.get(key)
        if held is None:
            self.groups[key] = Group(key, sighting.at, sighting, 1, self.epoch(key))
            return
        first = min(held.first, sighting.at, key=lambda p: (p.ts_ms, p.seq))
        latest = sighting if (sighting.at.ts_ms, sighting.at.seq) >= (
            held.last.ts_ms, held.last.seq) else held.latest
        self.groups[key] = Group(key, first, latest, held.count + 1, held.epoch)

    def granted(self, lane: str, at: Point) -> None:
        """``dos arbitrate`` answered ACQUIRE on ``lane`` at ``at``."""
        for name in (lane.casefold(), "*"):  # "*": any lane, for an auto-pick refusal
            held = self.arbiter_grants.get(name)
            if held is None or at.seq > held.seq:
                self.arbiter_grants[name] = at

    def ticked(self, at: Point) -> None:
        """A ``dos loop`` tick: a lane it did not escalate again has calmed down."""
        if self.last_loop is None or at.seq > self.last_loop.seq:
            self.last_loop = at

    def forget_before(self, since_ms: int) -> None:
        """Drop questions whose newest record is older than the window."""
        self.groups = {key: group for key, group in self.groups.items()
                       if group.last.ts_ms >= since_ms}

    def open(self) -> list[Group]:
        """The questions still open by the journals alone (the leases are checked later)."""
        return [group for group in self.groups.values() if not self._settled(group)]

    def _settled(self, group: Group) -> bool:
        kind, last = group.key.kind, group.last
        if kind is Kind.RESTART_ESCALATION:
            return self.last_loop is not None and self.last_loop.seq > last.seq
        if kind is Kind.ARBITER_REFUSE:
            grant = self.arbiter_grants.get(group.key.lane.casefold() or "*")
            return grant is not None and grant.seq > last.seq
        return False
