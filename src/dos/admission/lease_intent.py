"""Recorded intent: a spawn or a halt is written to the journal and nothing else.

dos never starts or signals a process. A halt records the command it proposes so
the host (or an operator) can run it; a spawn records that a worker is meant to
start. Neither changes the live lease set.
"""

from __future__ import annotations

import os

from dos.admission.holder import check_run_id, host_id, resolve_owner
from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.store import writing
from dos.store.journal import JournalEntry
from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["HaltResult", "SpawnResult", "halt", "spawn"]


@struct
class SpawnResult:
    recorded: bool
    holder: str
    lane: str
    loop_ts: str
    run_id: str = ""
    seq: int = 0

    def to_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"holder": self.holder, "lane": self.lane,
                                   "loop_ts": self.loop_ts, "recorded": self.recorded,
                                   "seq": self.seq}
        if self.run_id:
            payload["run_id"] = self.run_id
        return payload


@struct
class HaltResult:
    recorded: bool
    handle: str
    lane: str
    loop_ts: str
    command: str | None
    run_id: str = ""
    lease_id: int | None = None
    seq: int = 0
    suspended: bool | None = None
    suspend_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"command": self.command, "handle": self.handle,
                                   "lane": self.lane, "loop_ts": self.loop_ts,
                                   "recorded": self.recorded, "lease_id": self.lease_id,
                                   "seq": self.seq}
        if self.run_id:
            payload["run_id"] = self.run_id
        if self.suspended is not None:
            payload.update(suspended=self.suspended, suspend_note=self.suspend_note)
        return payload


def spawn(config: SubstrateConfig, *, lane: str, owner: str = "", loop_ts: str = "",
          run_id: str = "", reason: str = "") -> SpawnResult:
    """Record that a worker is meant to start on ``lane``. Grants no lease."""
    if not lane.strip():
        raise UsageError("a spawn needs a lane", hint="pass --lane NAME")
    holder = resolve_owner(owner, allow_host_pid=True)
    run = check_run_id(run_id)
    with writing(config) as tx:
        record = tx.append(JournalEntry(
            "SPAWN", lane=lane.strip(), holder=holder, run_id=run, loop_ts=loop_ts,
            payload={"host_id": host_id(), "pid": os.getpid(),
                     "reason": reason or f"spawn:{holder}"}))
    return SpawnResult(True, holder, lane.strip(), loop_ts, run, record.seq)


def _correlate(live: list[Lease], *, lane: str, loop_ts: str, handle: str,
               run_id: str) -> Lease | None:
    """The live lease a halt is about: by lane and loop_ts, else by run id or pid."""
    for lease in live:
        if (lane or loop_ts) and (not lane or lease.lane.casefold() == lane.casefold()) \
                and (not loop_ts or lease.loop_ts == loop_ts):
            return lease
    for lease in live:
        if not (lane or loop_ts) and ((run_id and lease.run_id == run_id)
                                      or (handle and str(lease.pid) == handle)):
            return lease
    return None


def halt(config: SubstrateConfig, *, handle: str, lane: str = "", loop_ts: str = "",
         owner: str = "", reason: str = "", run_id: str = "", command: str | None = None,
         resumable: bool = False, resume_sha: str = "") -> HaltResult:
    """Record a decision to stop a run and the command proposed for it. Sends nothing.

    ``resumable`` with a run id also records a SUSPEND (the run may resume later).
    """
    by = resolve_owner(owner, allow_host_pid=True)
    run = check_run_id(run_id)
    handle = str(handle).strip()
    with writing(config) as tx:
        now = tx.now_ms()
        live = [lease for lease in tx.unreleased_leases() if lease.is_live(now)]
        lease = _correlate(live, lane=lane.strip(), loop_ts=loop_ts, handle=handle,
                           run_id=run)
        lane = lease.lane if lease else lane.strip()
        loop_ts = lease.loop_ts if lease else loop_ts
        lease_id = lease.lease_id if lease else None
        record = tx.append(JournalEntry(
            "HALT", lane=lane, holder=by, run_id=run, loop_ts=loop_ts, lease_id=lease_id,
            payload={"handle": handle, "command": command, "host_id": host_id(),
                     "reason": reason or f"halt:{by}"}))
        suspended, note = None, ""
        if resumable and not run:
            suspended, note = False, ("--resumable needs --run-id (the run to suspend); "
                                      "recorded a plain HALT only")
        elif resumable:
            tx.append(JournalEntry(
                "SUSPEND", lane=lane, holder=by, run_id=run, loop_ts=loop_ts,
                lease_id=lease_id, payload={"handle": handle, "resume_sha": resume_sha,
                                            "halt_seq": record.seq}))
            suspended, note = True, f"run {run} suspended; it may resume later"
    return HaltResult(True, handle, lane, loop_ts, command, run, lease_id, record.seq,
                      suspended, note)
