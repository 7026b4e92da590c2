"""The oracle's facts from git and the workspace's files (the edge :class:`ShipEvidence`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property

from dos.config import SubstrateConfig
from dos.git import history
from dos.truth.commits import Commit
from dos.truth.plan_source import PlanPhase, harvest
from dos.truth.registry import RegistryRow, read_registry
from dos.truth.stamp import Stamp
from dos.truth.stamp_index import generations, index_words, keep_candidate, newest_first

__all__ = ["GitShipEvidence"]


class GitShipEvidence:
    """Reads the history of ``ref`` (resolved once, so every read sees one snapshot)."""

    def __init__(self, config: SubstrateConfig, ref: str = "HEAD") -> None:
        self.config = config
        self.root = config.root
        self.ref = ref
        # shallow: commits older than the clone's boundary are never searched
        self.head, self.shallow = history.resolve_with_depth(self.root, ref)

    def candidates(self, stamps: Sequence[Stamp]) -> Sequence[Commit]:
        terms = [term for stamp in stamps for term in stamp.prefilter]
        found = history.scan_messages(self.root, self.head, terms)
        words = index_words(stamps)
        if words is not None:  # the same set the stamp index answers with
            found = [c for c in found if keep_candidate(c, words)]
        return self.in_order(found)

    def in_order(self, commits: list[Commit]) -> list[Commit]:
        """Newest first as the index orders them; generations are read only on a tie."""
        times = [c.time for c in commits]
        if len(set(times)) == len(times):
            return newest_first(commits, {})
        from dos.git.index_log import graph_of

        return newest_first(commits, generations(graph_of(self.root, self.head)))

    def files(self, commits: Sequence[Commit]) -> Mapping[str, tuple[str, ...]]:
        return history.touched_files(self.root, commits)

    def registry(self) -> tuple[RegistryRow, ...]:
        return self._registry

    @cached_property
    def _registry(self) -> tuple[RegistryRow, ...]:
        return read_registry(self.config.paths.execution_state)

    def plan_phases(self) -> tuple[PlanPhase, ...]:
        return self._phases

    @cached_property
    def _phases(self) -> tuple[PlanPhase, ...]:
        return harvest(self.root, self.config.paths.plans_glob)

    def resolve(self, names: Sequence[str]) -> Mapping[str, str]:
        return history.existing_commits(self.root, names)

    def in_history(self, shas: Sequence[str]) -> set[str]:
        return history.ancestors(self.root, self.head, shas)

    def touching(self, paths: Sequence[str]) -> Sequence[tuple[Commit, tuple[str, ...]]]:
        return history.commits_touching(self.root, self.head, paths)
