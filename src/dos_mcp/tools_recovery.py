"""Recovery tools: a unit's attempts, a run's intent ledger, and where to resume it.
All read only: ``dos_resume`` answers as ``dos resume --no-record`` does."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from dos.config import SubstrateConfig
from dos_mcp.params import Answer, RunId, Workspace
from dos_mcp.session import Session

__all__ = ["RecoveryTools"]

Unit = Annotated[str | None, Field(description="only this unit's attempts (e.g. a plan "
                                               "phase such as AUTH2)")]
Limit = Annotated[int, Field(description="how many, newest first (default 50)")]


class RecoveryTools:
    """``dos attempt list``, ``dos intent show``, ``dos resume``, ``dos complete`` and
    ``dos rewind`` as tools."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_attempts(self, *, unit: Unit = None, limit: Limit = 50,
                     workspace: Workspace = None) -> Answer:
        """The newest recorded attempts at units of work (how each ended, when, by whom).
        Same answer as `dos attempt list [UNIT] --json`; exit code 0."""
        from dos.api import attempts

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            return attempts.attempts_json(attempts.listing(config, unit=unit, limit=limit)), 0
        return self.session.answer(workspace, compute)

    def dos_intent_show(self, *, run_id: RunId, workspace: Workspace = None) -> Answer:
        """A run's intent ledger: its declared steps, each step's state by git (DONE,
        UNSHOWN, STARTED, PENDING), its checkpoints and every record, with whether its
        hash chain holds. Same answer as `dos intent show RID --json`; exit code 0."""
        from dos.api import intents

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            return intents.show_json(intents.show(config, run_id)), 0
        return self.session.answer(workspace, compute)

    def dos_resume(self, *, run_id: RunId, workspace: Workspace = None) -> Answer:
        """Where a successor re-enters a stopped run: the first declared step git does
        not show done. Records nothing. Same answer as `dos resume RID --no-record
        --json`; exit code 0 RESUMABLE or COMPLETE, 3 DIVERGED, 4 UNRESUMABLE."""
        from dos.api import recovery

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            found = recovery.resume(config, run_id, record=False)
            return recovery.resume_json(found), found.plan.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_complete(self, *, run_id: RunId, workspace: Workspace = None) -> Answer:
        """Whether git shows every distinct declared step of the run done. Same answer as
        `dos complete RID --json`; exit code 0 COMPLETE, 3 INCOMPLETE, 4 INDETERMINATE,
        5 UNDERDECLARED."""
        from dos.api import recovery

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            found = recovery.complete(config, run_id)
            return recovery.complete_json(found), found.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_rewind(self, *, run_id: RunId,
                   to_seq: Annotated[int | None, Field(
                       description="the checkpoint's seq in the run's ledger (default: the "
                                   "latest)")] = None,
                   workspace: Workspace = None) -> Answer:
        """Whether to cut the run back to a checkpoint sealed in its ledger's chain; the
        dead end is read from git, never asserted. Same answer as `dos rewind RID [--to
        SEQ] --json`; exit code 0 REWIND or NO_REWIND, 3 UNANCHORED."""
        from dos.api import recovery

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            found = recovery.rewind(config, run_id, to_seq=to_seq)
            return recovery.rewind_json(found), found.token.exit_code
        return self.session.answer(workspace, compute)
