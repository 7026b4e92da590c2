"""Where a workspace keeps its plans, registry and store."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dos.settings import check_keys, expect_str

__all__ = ["PathLayout"]

_OVERRIDABLE = (
    "execution_state", "findings_queue", "fanout_runs", "dispatch_loops", "chained_runs",
    "next_packets", "replan_dir", "soaks_index", "picker_audits", "archive_lock",
    "lane_journal", "leases_dir", "project_card", "verdict_journal", "store",
)


@dataclass(frozen=True)
class PathLayout:
    """The files a workspace uses; ``style`` is ``dos`` (under ``.dos/``) or ``repo``."""

    root: Path
    execution_state: Path
    plans_glob: str
    findings_queue: Path
    fanout_runs: Path
    dispatch_loops: Path
    chained_runs: Path
    next_packets: Path
    replan_dir: Path
    soaks_index: Path
    picker_audits: Path
    archive_lock: Path
    lane_journal: Path
    leases_dir: Path
    project_card: Path | None
    verdict_journal: Path
    store: Path
    style: str

    @property
    def dot_dos(self) -> Path:
        return self.root / ".dos"

    @classmethod
    def for_dos_dir(cls, root: Path | str) -> PathLayout:
        """The default layout: everything dos owns lives under ``<root>/.dos``."""
        base = Path(root)
        dot = base / ".dos"
        return cls(
            root=base, execution_state=base / "dos.state.yaml",
            plans_glob="docs/**/*-plan.md", findings_queue=base / "dos.findings.md",
            fanout_runs=dot / "runs", dispatch_loops=dot / "runs", chained_runs=dot / "runs",
            next_packets=dot / "verdicts", replan_dir=dot / "replan",
            soaks_index=dot / "soaks" / "index.yaml", picker_audits=dot / "picker_audits",
            archive_lock=dot / "leases" / ".archive.lock",
            lane_journal=dot / "lane-journal.jsonl", leases_dir=dot / "leases",
            project_card=dot / "project.json", verdict_journal=dot / "verdict-journal.jsonl",
            store=dot / "dos.db", style="dos",
        )

    @classmethod
    def for_root(cls, root: Path | str) -> PathLayout:
        """The repo layout drivers use: plans and registry under ``docs/``."""
        base = Path(root)
        plans = base / "docs" / "_plans"
        return dataclasses.replace(
            cls.for_dos_dir(base),
            execution_state=plans / "execution-state.yaml",
            findings_queue=plans / "findings-followup-queue.md",
            fanout_runs=base / "docs" / "_fanout_runs",
            dispatch_loops=base / "docs" / "_dispatch_loops",
            chained_runs=base / "docs" / "_chained_runs",
            next_packets=base / "output" / "next-up", replan_dir=base / "docs" / "_replan",
            soaks_index=base / "docs" / "_soaks" / "index.yaml",
            picker_audits=base / "docs" / "_picker_audits",
            archive_lock=base / "docs" / "_fanout_runs" / ".archive.lock",
            lane_journal=plans / "lane-journal.jsonl", leases_dir=plans, project_card=None,
            verdict_journal=plans / "verdict-journal.jsonl", style="repo",
        )

    def with_root(self, root: Path | str) -> PathLayout:
        """The same layout style under another root."""
        if self.style == "repo":
            return PathLayout.for_root(root)
        return PathLayout.for_dos_dir(root)

    def with_overrides(self, raw: Mapping[str, Any]) -> PathLayout:
        """Apply a ``[paths]`` table; relative values resolve against the root."""
        check_keys("paths", raw, (*_OVERRIDABLE, "plans_glob"))
        changes: dict[str, Any] = {}
        for key, value in raw.items():
            text = expect_str("paths", key, value)
            if key == "plans_glob":
                changes[key] = text
            else:
                path = Path(text)
                changes[key] = path if path.is_absolute() else self.root / path
        return dataclasses.replace(self, **changes)
