"""The oracle's batched paths give the same answers as the simple ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dos import config as dos_config
from dos.truth.oracle import PhaseQuery, verify, verify_many


def test_more_queries_than_one_grep_pattern_holds(git_repo: Callable[..., Any]) -> None:
    """Past the prefilter's size limit the whole history is read; answers do not change."""
    repo = git_repo()
    repo.commit("init", {"a": "a\n"})
    shipped = {f"AUTH{n}" for n in (3, 250, 999)}
    for phase in sorted(shipped):
        repo.commit(f"{phase}: ship", {f"src/{phase}.py": "x\n"})
    config = dos_config.load_workspace_config(repo.path)
    queries = [PhaseQuery("AUTH", f"AUTH{n}") for n in range(1, 1001)]
    verdicts = verify_many(queries, config)
    assert {v.phase for v in verdicts if v.shipped} == shipped
    assert verify("AUTH", "AUTH250", config) == verdicts[249]


def test_artifact_search_over_many_named_files(git_repo: Callable[..., Any]) -> None:
    """More named paths than one pathspec list holds: the files are filtered in Python."""
    repo = git_repo()
    repo.commit("init", {"a": "a\n"})
    work = repo.commit("wire the modules", {"src/m7.py": "x\n", "src/m31.py": "y\n"})
    files = " ".join(f"src/m{n}.py" for n in range(40))
    repo.write("docs/big-plan.md", f"## 1. BIG BIG1 — many files\nTouches {files}.\n")
    config = dos_config.load_workspace_config(repo.path)
    verdict = verify("BIG", "BIG1", config)
    assert (verdict.shipped, verdict.grade, verdict.sha) == (True, "artifact", work[:12])
