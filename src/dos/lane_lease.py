"""Public path of lane leases, the atomic admission step. The code is in ``dos.admission``."""

from __future__ import annotations

from dos.admission.lane_lease import (
    DEFAULT_TTL_S,
    HaltResult,
    HeartbeatResult,
    LeaseResult,
    ReapResult,
    ReleaseResult,
    SpawnResult,
    acquire,
    halt,
    heartbeat,
    lane_matches,
    live_leases,
    reap,
    release,
    spawn,
)
from dos.admission.lease import Lease, LeaseRequest

__all__ = ["DEFAULT_TTL_S", "HaltResult", "HeartbeatResult", "Lease", "LeaseRequest",
           "LeaseResult", "ReapResult", "ReleaseResult", "SpawnResult", "acquire", "halt",
           "heartbeat", "lane_matches", "live_leases", "reap", "release", "spawn"]
