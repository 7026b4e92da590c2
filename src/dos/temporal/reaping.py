"""Which runs are provably dead. Pure.

A run is dead only when all of these hold: it declared steps and has not finished them
(by its own ledger: a finished run is not abandoned), `dos reap` has not marked it yet,
its ledger has been quiet for the grace period, none of its leases is live by the
store's clock, and no lease of it names a process this host still runs. A pid on
another host cannot be probed; then the lease alone decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dos.admission.lease import Lease
from dos.temporal.ledger import Ledger

__all__ = ["dead_because"]


def dead_because(ledger: Ledger, leases: Sequence[Lease], *, now_ms: int, grace_ms: int,
                 process_alive: Mapping[int, bool | None]) -> str:
    """Why the run is dead, or "" when that cannot be proved. ``process_alive`` maps a
    lease id to its recorded pid's probe (True alive, False gone, None cannot say)."""
    if not ledger.has_intent or ledger.reaped or ledger.chain_problem:
        return ""
    if ledger.declared and all(step in ledger.done for step in ledger.declared):
        return ""
    if now_ms - ledger.last_ts_ms < grace_ms:
        return ""
    live = [lease for lease in leases if lease.released_at_ms is None and lease.is_live(now_ms)]
    if live:
        return ""
    running = [lease for lease in leases if process_alive.get(lease.lease_id)]
    if running:
        return ""
    gone = [f"pid {lease.pid} gone" for lease in leases
            if process_alive.get(lease.lease_id) is False]
    what = f"no live lease ({len(leases)} ended)" if leases else "no lease at all"
    quiet = (now_ms - ledger.last_ts_ms) // 1000
    return ", ".join([what, *gone, f"ledger quiet for {quiet} s", "steps left: " + ", ".join(
        step for step in ledger.declared if step not in ledger.done)])
