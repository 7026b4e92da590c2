"""Record tools: what has the referee decided, does its verdict journal hold, and what
waits on the operator."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from dos.config import SubstrateConfig
from dos_mcp.confine import Confinement
from dos_mcp.params import Answer, Workspace
from dos_mcp.session import Session

__all__ = ["RecordTools"]

Dimension = Literal["syscall", "verdict", "run_id", "lane", "source"]
Axis = Literal["wedge-hotspots", "lane-refusals", "oracle-calibration"]


class RecordTools:
    """``dos observe``, ``dos decisions``, ``dos projects`` and ``dos learn`` as tools."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_observe(
        self, *,
        run: Annotated[str | None, Field(description="only this run's verdicts")] = None,
        syscall: Annotated[str | None, Field(
            description="only this syscall's verdicts, e.g. verify, lease-lane, pretool")] = None,
        by: Annotated[Dimension, Field(
            description="roll the verdicts up by this dimension (default syscall)")] = "syscall",
        tail: Annotated[int | None, Field(
            description="how many of the newest matching verdicts to return (default 20)")
        ] = None,
        since: Annotated[str | None, Field(
            description="only verdicts since then: epoch ms, ISO-8601, or an age such as "
                        "30m, 24h, 7d")] = None,
        verify_all: Annotated[bool, Field(
            description="re-hash every record now, however long that takes")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """Every verdict dos handed out (verbs, MCP tools, hook decisions), counted per
        dimension value and verdict, the newest ones, and whether the verdict journal's
        hash chain holds. Reads only. Same answer as `dos observe --json`; exit code 0
        the chain holds, 1 it does not."""
        from dos.api import observe

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            found = observe.observe(config, run=run, syscall=syscall, by=by, tail=tail,
                                    since=since, full=verify_all)
            return observe.observe_json(found), observe.observe_token(found).exit_code
        return self.session.answer(workspace, compute)

    def dos_decisions(
        self, *,
        all_rows: Annotated[bool, Field(
            description="every row (as --all): also those backpressure or an oracle "
                        "settles, not only those waiting on a human")] = False,
        since: Annotated[str | None, Field(
            description="the window read: epoch ms, ISO-8601, or an age such as 30m, 24h, "
                        "7d (default 24h)")] = None,
        workspace: Workspace = None,
    ) -> Answer:
        """The operator's decisions queue: halt proposals, restart-intensity escalations,
        lease and arbitrate refusals, expired leases never released, plan over-claims;
        each with its resolver, evidence and proposed command, ranked; and the recent
        resolutions and overrides. Reads only (resolving is the operator's, through the
        CLI). Same answer as `dos decisions --json`; exit code 0."""
        from dos.api import decisions

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            found = decisions.queue(config, everything=all_rows, since=since)
            return decisions.queue_json(found), 0
        return self.session.answer(workspace, compute)

    def dos_projects(
        self, *,
        stale: Annotated[bool, Field(
            description="only projects whose directory is gone or that were not used for "
                        "idle_days")] = False,
        idle_days: Annotated[int, Field(
            description="a project not used for this many days is idle (default 90)")] = 90,
        workspace: Workspace = None,
    ) -> Answer:
        """Every workspace this user's write verbs registered, by the stable id in its
        .dos/project.json (a moved repository keeps its id, with its moves listed; a
        copy has its own), with its status (active, idle, stale) and history counts
        (refusals, no-pick runs, operator decisions). Reads only; the registry is the
        workspace's shared PostgreSQL store, else DOS_HOME. Same answer as
        `dos projects --json`, except that a directory outside the server's workspace is
        withheld (null) unless the server runs with --allow-any-workspace; exit code 0."""
        from dos.api import projects

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            listing = projects.projects(config, stale_only=stale, idle_days=idle_days)
            return _confined(projects.projects_json(listing), self.session.confinement), 0
        return self.session.answer(workspace, compute)

    def dos_learn(
        self, *,
        axis: Annotated[Axis, Field(
            description="wedge-hotspots: no-pick answers per project; lane-refusals: "
                        "refusals per lane; oracle-calibration: the operator's decisions "
                        "per refusal category, upheld or overruled")],
        workspace: Workspace = None,
    ) -> Answer:
        """Across every registered project, where the referee said no, grouped and
        counted by the registry's database, largest group first. Reads only. Same
        answer as `dos learn AXIS --json`; exit code 0."""
        from dos.api import projects

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            return projects.learn_json(projects.learn(config, axis)), 0
        return self.session.answer(workspace, compute)


def _confined(answer: dict[str, Any], confinement: Confinement) -> dict[str, Any]:
    """The projects listing with every directory the server may not show withheld."""
    for row in answer["projects"]:
        row["root"] = confinement.shown(row["root"])
        for move in row["moves"]:
            move.update({end: confinement.shown(move[end]) for end in ("from", "to")})
    return answer
