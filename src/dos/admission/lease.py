"""The lease as data: what a holder was granted, and what a requester asks for.

Both the pure arbiter and every store backend speak these types, so a lease read
from SQLite, PostgreSQL or a ``--leases`` JSON argument is judged the same way.

:class:`Lease` is a plain class with slots, not a dataclass: every hook call reads
leases, and ``dataclasses`` (with ``inspect``) costs more start-up time than the
whole decision.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from dos.admission._lease_request import LeaseRequest

__all__ = ["MODES", "Lease", "LeaseRequest"]

MODES = ("exclusive", "shared")


class Lease:
    """One granted lease. ``lease_id`` is monotonic and doubles as the fencing token.

    Times are epoch milliseconds by the store's clock. A lease is live while it is
    not released and ``renewed_at_ms + ttl_ms > now_ms``. Immutable: use
    :meth:`replace` for a changed copy.
    """

    __match_args__ = (
        "lease_id", "lane", "tree", "holder", "exclusive_lane", "mode", "host_id", "pid",
        "run_id", "loop_ts", "acquired_at_ms", "renewed_at_ms", "ttl_ms", "released_at_ms",
        "release_kind", "start_sha",
    )
    __slots__ = __match_args__

    lease_id: int
    lane: str
    tree: tuple[str, ...]
    holder: str
    exclusive_lane: bool
    mode: str
    host_id: str
    pid: int | None
    run_id: str
    loop_ts: str
    acquired_at_ms: int
    renewed_at_ms: int
    ttl_ms: int
    released_at_ms: int | None
    release_kind: str
    start_sha: str  # the workspace's HEAD at the grant: the holder's commits come after it

    def __init__(  # noqa: PLR0917 - positional fields, as the dataclass it replaced took
        self, lease_id: int, lane: str, tree: tuple[str, ...], holder: str,
        exclusive_lane: bool = False, mode: str = "exclusive", host_id: str = "",
        pid: int | None = None, run_id: str = "", loop_ts: str = "", acquired_at_ms: int = 0,
        renewed_at_ms: int = 0, ttl_ms: int = 300_000, released_at_ms: int | None = None,
        release_kind: str = "", start_sha: str = "",
    ) -> None:
        values = (lease_id, lane, tree, holder, exclusive_lane, mode, host_id, pid, run_id,
                  loop_ts, acquired_at_ms, renewed_at_ms, ttl_ms, released_at_ms, release_kind,
                  start_sha)
        for name, value in zip(_FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a Lease is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a Lease is immutable")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _FIELDS)
        return f"Lease({shown})"

    def __reduce__(self) -> tuple[type[Lease], tuple[object, ...]]:
        return (Lease, self._values())

    def replace(self, **changes: Any) -> Lease:
        """A copy with ``changes`` applied (what ``structs.replace`` did)."""
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise TypeError(f"Lease has no field(s) {', '.join(sorted(unknown))}")
        values = {name: getattr(self, name) for name in _FIELDS}
        values.update(changes)
        return Lease(**values)

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
            "start_sha": self.start_sha,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Lease:
        """Build a lease from a JSON object (``--leases``); raises ValueError when malformed."""
        from collections.abc import Mapping

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
            start_sha=str(raw.get("start_sha", "") or ""),
        )


_FIELDS = Lease.__match_args__


def __getattr__(name: str) -> object:
    # LeaseRequest stays a dataclass; it is loaded only by the verbs that ask.
    if name == "LeaseRequest":
        from dos.admission._lease_request import LeaseRequest

        return LeaseRequest
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
