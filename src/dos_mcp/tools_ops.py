"""Run and workspace tools: is this run moving, what is its state, what is the fleet
doing, what does dos see."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from dos.config import SubstrateConfig
from dos_mcp.params import Answer, RunId, Workspace
from dos_mcp.session import Session

__all__ = ["OpsTools"]

StartSha = Annotated[str, Field(description="the commit the run started from; without it "
                                            "no commit counts as progress")]
RunRef = Annotated[str, Field(description="the run's branch or ref whose commits count "
                                          "(default HEAD)")]
NowMs = Annotated[int | None, Field(description="judge at this epoch-ms time (default: the "
                                                "store's clock)")]
HeartbeatAge = Annotated[int | None, Field(
    description="override the heartbeat age read from the run's lease (ms)")]
IdLane = Annotated[str, Field(description="with loop_ts: a lease identity to count as "
                                          "the run's")]
IdLoopTs = Annotated[str, Field(description="the lease's loop_ts (see lane)")]


class OpsTools:
    """``dos liveness``, ``dos status``, ``dos top`` and ``dos doctor`` as tools."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_liveness(
        self, *, run_id: RunId, start_sha: StartSha = "", ref: RunRef = "HEAD",
        now_ms: NowMs = None, last_heartbeat_age_ms: HeartbeatAge = None,
        lane: IdLane = "", loop_ts: IdLoopTs = "",
        pid: Annotated[int | None, Field(
            description="the run's worker process; a confirmed-dead pid means STALLED")] = None,
        host_id: Annotated[str, Field(
            description="the host pid lives on (a foreign host is not probed)")] = "",
        no_proc: Annotated[bool, Field(description="do not probe pid")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """Is this run moving? ADVANCING, SPINNING or STALLED, from commits on its ref and
        its journal events, not from its narration (UNKNOWN when nothing knows the run).
        Same answer as `dos liveness --run-id RID --json`; exit code 0 ADVANCING,
        3 SPINNING, 4 STALLED, 5 UNKNOWN."""
        from dos.api import temporal

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            verdict = temporal.liveness(
                config, run_id=run_id, start_sha=start_sha, ref=ref, now_ms=now_ms,
                last_heartbeat_age_ms=last_heartbeat_age_ms, lane=lane, loop_ts=loop_ts,
                pid=pid, host_id=host_id, no_proc=no_proc)
            return temporal.liveness_json(verdict, run_id), verdict.verdict.exit_code
        return self.session.answer(workspace, compute)

    def dos_status(
        self, *, run_id: RunId, start_sha: StartSha = "", ref: RunRef = "HEAD",
        now_ms: NowMs = None, last_heartbeat_age_ms: HeartbeatAge = None,
        lane: IdLane = "", loop_ts: IdLoopTs = "", workspace: Workspace = None,
    ) -> Answer:
        """One digest of a run: liveness, the steps git confirms (and the claimed ones it
        does not), its lease and region. Same answer as `dos status --run-id RID --json`;
        exit code is the liveness verdict."""
        from dos.api import temporal

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            found = temporal.status(
                config, run_id=run_id, start_sha=start_sha, ref=ref, now_ms=now_ms,
                last_heartbeat_age_ms=last_heartbeat_age_ms, lane=lane, loop_ts=loop_ts)
            return temporal.status_json(found), found.digest.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_top(self, *, workspace: Workspace = None) -> Answer:
        """The operator's desk: each lane's holder, lease and heartbeat ages, liveness
        since its current lease was granted (ADVANCING, SPINNING, STALLED; SPAWNING; FREE),
        commits in its tree since the grant; the totals, the newest verdicts of the
        verdict journal and the newest commits. Reads only. Same answer as
        `dos top --json`; exit code 0."""
        from dos.api import top

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            return top.top_json(top.frame(config)), 0
        return self.session.answer(workspace, compute)

    def dos_doctor(
        self, *,
        check: Annotated[bool, Field(
            description="strict: lint warnings are problems too")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """What dos sees in this workspace (version, config source, lanes, stamp grammar,
        store, git, hook wiring) and every problem with its fix. Same answer as
        `dos doctor [--check] --json`; exit code 0 healthy, 1 any problem."""
        from dos.api import doctor

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            diagnosis = doctor.diagnose(config, check=check)
            return doctor.doctor_json(diagnosis), diagnosis.verdict.exit_code
        return self.session.answer(workspace, compute)
