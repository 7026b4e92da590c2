"""The oracle's facts with the commit candidates read from the stamp index, and the one
place that decides whether the index is used (``.dos/`` exists and nobody said no)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from dos.config import SubstrateConfig
from dos.git.index_log import ensure_commit_graph, object_dir
from dos.truth.commits import Commit
from dos.truth.ship_evidence import GitShipEvidence
from dos.truth.stamp import Stamp
from dos.truth.stamp_index import index_words
from dos.truth.stamp_index_file import (
    INDEX_NAME,
    IndexUnavailableError,
    cached_files,
    indexed_candidates,
    keep_files,
)

__all__ = ["IndexedShipEvidence", "default_evidence", "index_enabled", "index_path"]


def index_path(config: SubstrateConfig) -> Path:
    """Where the workspace's stamp index lives: beside the default store, in ``.dos/``."""
    return config.root / ".dos" / INDEX_NAME


def index_enabled(config: SubstrateConfig) -> bool:
    """The index is kept only where dos already owns a directory: a read never creates it."""
    return index_path(config).parent.is_dir()


class IndexedShipEvidence(GitShipEvidence):
    """Candidates from the index; anything it cannot answer falls back to a full scan.
    The files a weighed commit changed are read from git once and then from the index.
    The artifact rung's path-limited read gets git's changed-path filters, written once."""

    def __init__(self, config: SubstrateConfig, ref: str = "HEAD") -> None:
        super().__init__(config, ref)
        self.index_problem = ""

    def candidates(self, stamps: Sequence[Stamp]) -> Sequence[Commit]:
        words = index_words(stamps)
        if words is None or self.shallow:
            return super().candidates(stamps)
        try:
            return indexed_candidates(index_path(self.config), self.root, self.head,
                                      sorted(words))
        except IndexUnavailableError as error:
            self.index_problem = str(error)
            return super().candidates(stamps)

    def files(self, commits: Sequence[Commit]) -> Mapping[str, tuple[str, ...]]:
        if self.shallow:  # a boundary commit's change depends on how deep the clone is
            return super().files(commits)
        path, objects = index_path(self.config), object_dir(self.root)
        found = cached_files(path, objects, [c.sha for c in commits])
        missing = [c for c in commits if c.sha not in found]
        if missing:
            fresh = dict(super().files(missing))
            keep_files(path, objects, fresh)
            found.update(fresh)
        return found

    def touching(self, paths: Sequence[str]) -> Sequence[tuple[Commit, tuple[str, ...]]]:
        if not self.shallow:
            ensure_commit_graph(self.root)
        return super().touching(paths)


def default_evidence(config: SubstrateConfig, ref: str = "HEAD", *,
                     use_index: bool = True) -> GitShipEvidence:
    """The index-backed evidence where the index is kept, else a full scan."""
    if use_index and index_enabled(config):
        return IndexedShipEvidence(config, ref)
    return GitShipEvidence(config, ref)
