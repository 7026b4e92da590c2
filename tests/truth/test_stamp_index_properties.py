"""Property: on any generated history — merges, reverts, amends, resets, same-second and
skewed commit times — the stamp index, kept up to date step by step, answers exactly
what a full scan of the history answers, for phases present and absent."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests._support.fuzz import PROFILE
from tests._support.git import GIT_ENV

from dos import config as dos_config
from dos.truth.oracle import PhaseQuery, verify_many
from dos.truth.ship_evidence import GitShipEvidence
from dos.truth.ship_evidence_indexed import IndexedShipEvidence, index_path
from dos.truth.stamp_index_file import index_state

PHASES = [PhaseQuery("AUTH", f"AUTH{n}") for n in range(1, 6)] + [
    PhaseQuery("AUTH", "2"), PhaseQuery("BILL", "BILL1"), PhaseQuery("GONE", "GONE7")]
_SHAPES = ("{p}: ship it", "fix: part (AUTH {p})", "v1.2.{n}: release with {p}",
           "chore: tidy", "{p} wip", "BILL1: billing")

_commit = st.tuples(st.just("commit"), st.integers(1, 5), st.sampled_from(_SHAPES),
                    st.booleans(), st.booleans())
_step = st.one_of(
    _commit, _commit,
    st.tuples(st.just("merge"), st.integers(1, 3), st.integers(1, 5)),
    st.tuples(st.just("revert")), st.tuples(st.just("amend"), st.integers(1, 5)),
    st.tuples(st.just("reset"), st.integers(1, 3)), st.tuples(st.just("check")))


class _History:
    def __init__(self, root: Path, times: list[int]) -> None:
        self.root, self.times, self.count = root, times, 0
        self.git("init", "-q", "-b", "main")
        (root / ".dos").mkdir()

    def git(self, *args: str) -> str:
        when = 1_700_000_000 + self.times[self.count % len(self.times)]
        env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": f"@{when} +0000",
               "GIT_COMMITTER_DATE": f"@{when} +0000"}
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True).stdout.strip()

    def commit(self, subject: str, body: bool, empty: bool, name: str = "") -> None:
        self.count += 1
        if not empty:
            (self.root / (name or f"f{self.count % 4}.txt")).write_text(f"{self.count}\n")
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", subject,
                 *(["-m", f"notes: {subject}"] if body else []))

    def depth(self) -> int:
        return int(self.git("rev-list", "--count", "--first-parent", "HEAD") or "0") \
            if self.git("rev-parse", "--verify", "-q", "HEAD^{commit}") else 0

    def apply(self, step: tuple[Any, ...]) -> None:
        kind = step[0]
        if kind == "commit":
            _, n, shape, body, empty = step
            self.commit(shape.format(p=f"AUTH{n}", n=n), body, empty)
        elif kind == "merge" and self.depth() > step[1]:
            self.count += 1
            side = f"side{self.count}"
            self.git("checkout", "-q", "-b", side, f"HEAD~{step[1]}")
            self.commit(f"AUTH{step[2]}: on a side branch", False, False, f"{side}.txt")
            self.git("checkout", "-q", "main")
            self.git("merge", "-q", "--no-ff", "-m", "Merge side", side)
        elif kind == "revert" and self.depth() > 1 and \
                len(self.git("log", "-1", "--format=%P").split()) == 1:
            subject, sha = self.git("log", "-1", "--format=%s%x00%H").split("\0")
            subprocess.run(["git", "revert", "--no-commit", "HEAD"], cwd=self.root,
                           env={**os.environ, **GIT_ENV}, capture_output=True, check=False)
            self.commit(f'Revert "{subject}"', False, True)
            self.git("commit", "-q", "--amend", "--allow-empty", "-m", f'Revert "{subject}"',
                     "-m", f"This reverts commit {sha}.")
        elif kind == "amend" and self.depth() > 0:
            self.count += 1
            self.git("commit", "-q", "--amend", "--allow-empty", "-m", f"AUTH{step[1]}: amended")
        elif kind == "reset" and self.depth() > step[1]:
            self.git("reset", "-q", "--hard", f"HEAD~{step[1]}")
        elif kind == "check" and self.depth() > 0:
            _agree(self.root)


def _agree(root: Path) -> None:
    config = dos_config.load_workspace_config(root)
    indexed = IndexedShipEvidence(config)
    through_index = [v.to_dict() for v in verify_many(PHASES, config, evidence=indexed)]
    scanned = [v.to_dict() for v in verify_many(PHASES, config,
                                                evidence=GitShipEvidence(config))]
    assert indexed.index_problem == ""
    assert index_state(index_path(config), True).tip == indexed.head
    assert through_index == scanned


@settings(settings.get_profile(PROFILE), max_examples=min(
    25, settings.get_profile(PROFILE).max_examples))
@given(steps=st.lists(_step, min_size=3, max_size=24),
       times=st.lists(st.integers(0, 40), min_size=1, max_size=30))
def test_index_and_full_scan_agree(steps: list[tuple[Any, ...]], times: list[int]) -> None:
    root = Path(tempfile.mkdtemp(prefix="dos-index-prop-"))
    try:
        history = _History(root, times)
        history.commit("AUTH0: start", False, False)
        for step in steps:
            history.apply(step)
        _agree(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
