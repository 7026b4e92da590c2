"""The lease as data: what a holder was granted, and what a requester asks for.

Both the pure arbiter and every store backend speak these types, so a lease read
from SQLite, PostgreSQL or a ``--leases`` JSON argument is judged the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MODES", "Lease", "LeaseRequest"]

MODES = ("exclusive", "shared")


@dataclass(frozen=True)
class Lease:
    """One granted lease. ``lease_id`` is monotonic and doubles as the fencing token.

    Times are epoch milliseconds by the store's clock. A lease is live while it is
    not released and ``renewed_at_ms + ttl_ms > now_ms``.
    """

    lease_id: int
    lane: str
    tree: tuple[str, ...]
    holder: str
    exclusive_lane: bool = False
    mode: str = "exclusive"
    host_id: str = ""
    pid: int | None = None
    run_id: str = ""
    loop_ts: str = ""
    acquired_at_ms: int = 0
    renewed_at_ms: int = 0
    ttl_ms: int = 300_000
    released_at_ms: int | None = None
    release_kind: str = ""

    def is_live(self, now_ms: int) -> bool:
        return self.released_at_ms is None and self.renewed_at_ms + self.ttl_ms > now_ms

    def to_dict(self) -> dict[str, Any]:
        return {
            "lease_id": self.lease_id, "lane": self.lane, "tree": list(self.tree),
            "holder": self.holder, "exclusive_lane": self.exclusive_lane, "mode": self.mode,
            "host_id": self.host_id, "pid": self.pid, "run_id": self.run_id,
            "loop_ts": self.loop_ts, "acquired_at_ms": self.acquired_at_ms,
            "renewed_at_ms": self.renewed_at_ms, "ttl_ms": self.ttl_ms,
            "released_at_ms": self.released_at_ms, "release_kind": self.release_kind,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Lease:
        """Build a lease from a JSON object (``--leases``); raises ValueError when malformed."""
        if not isinstance(raw, Mapping):
            raise ValueError(f"a lease must be a JSON object, got {type(raw).__name__}")
        tree = raw.get("tree", [])
        if isinstance(tree, str) or not isinstance(tree, list | tuple) or not all(
            isinstance(item, str) for item in tree
        ):
            raise ValueError("a lease's tree must be an array of glob strings")
        lane = raw.get("lane", "")
        if not isinstance(lane, str):
            raise ValueError("a lease's lane must be a string")
        return cls(
            lease_id=int(raw.get("lease_id", 0) or 0), lane=lane, tree=tuple(tree),
            holder=str(raw.get("holder", "") or ""),
            exclusive_lane=bool(raw.get("exclusive_lane", False)),
            mode=str(raw.get("mode", "exclusive") or "exclusive"),
            host_id=str(raw.get("host_id", "") or ""),
            pid=raw.get("pid") if isinstance(raw.get("pid"), int) else None,
            run_id=str(raw.get("run_id", "") or ""), loop_ts=str(raw.get("loop_ts", "") or ""),
            acquired_at_ms=int(raw.get("acquired_at_ms", 0) or 0),
            renewed_at_ms=int(raw.get("renewed_at_ms", 0) or 0),
            ttl_ms=int(raw.get("ttl_ms", 300_000) or 300_000),
        )


@dataclass(frozen=True)
class LeaseRequest:
    """What an agent asks for. An empty ``lane`` asks the arbiter to auto-pick;
    an empty ``tree`` means the lane's declared tree."""

    lane: str = ""
    tree: tuple[str, ...] = ()
    mode: str = "exclusive"
    owner: str = ""
    force: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
