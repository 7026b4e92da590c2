"""`dos reap` removes only what it can prove dead, and only inside .dos/ (loops.md §22
item 13: the reference deleted live run-dirs by directory mtime and could delete the
product tree through [paths])."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from dos.config import load_workspace_config
from dos.run_id import mint
from dos.store import writing

if TYPE_CHECKING:
    from tests._support.temporal import Workspace

T0 = 1_767_225_600_000
MINUTE = 60_000
LANES = ('[lanes]\nconcurrent = ["src", "docs"]\n[lanes.trees]\nsrc = ["src/**"]\n'
         'docs = ["docs/**"]\n')


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _run(ws: Workspace, lane: str, owner: str, *, at: int, ttl_s: int, pid: int | None,
         steps: str = "a,b") -> str:
    run_id = mint(owner).run_id
    extra = ("--pid", str(pid)) if pid else ()
    ws.acquire(lane, owner, run_id, at=at, ttl_s=ttl_s, extra=extra)
    started = ws.dos("intent", "start", run_id, "--steps", steps, "--unit", f"U-{owner}",
                     "--lane", lane, at=at)
    assert started.code == 0, started.err
    return run_id


def test_reap_ends_only_the_dead(workspace: Workspace) -> None:
    (workspace.path / "dos.toml").write_text(LANES, encoding="utf-8")
    dead = _run(workspace, "src", "gone", at=T0, ttl_s=60, pid=_dead_pid())
    live = _run(workspace, "docs", "alive", at=T0, ttl_s=3600, pid=os.getpid())
    later = T0 + 10 * MINUTE
    dry = workspace.dos("reap", "--json", at=later)
    report = dry.json()
    assert (dry.code, report["verdict"], report["found"]) == (3, "WOULD_REAP", 2)
    assert [run["run_id"] for run in report["runs"]] == [dead]
    assert "pid" in report["runs"][0]["reason"]
    assert [lease["holder"] for lease in report["leases"]] == ["gone"]
    assert workspace.dos("lease-lane", "live", "--json", at=T0).code == 0
    applied = workspace.dos("reap", "--apply", at=later)
    assert (applied.code, applied.out.split("  ")[0]) == (0, "REAPED")
    config = load_workspace_config(workspace.path)
    with writing(config) as tx:
        ended = {lease.holder: lease.release_kind for lease in tx.run_leases(dead)}
        alive = tx.run_leases(live)
        reaps = [r.holder for r in tx.journal_records(op="REAP")]
    assert ended == {"gone": "reap"}
    assert [(lease.holder, lease.released_at_ms) for lease in alive] == [("alive", None)]
    assert reaps == ["gone"]
    assert workspace.dos("intent", "show", dead, "--json", at=later).json()["reaped"] is True
    assert workspace.dos("intent", "show", live, "--json", at=later).json()["reaped"] is False
    abandoned = workspace.dos("attempt", "list", "U-gone", "--json").json()["attempts"]
    assert [a["outcome"] for a in abandoned] == ["abandoned"]
    again = workspace.dos("reap", at=later + MINUTE)
    assert (again.code, again.out.split("  ")[0]) == (0, "CLEAN")


def test_a_run_is_not_dead_while_it_may_be_alive(workspace: Workspace) -> None:
    (workspace.path / "dos.toml").write_text(LANES, encoding="utf-8")
    running = _run(workspace, "src", "busy", at=T0, ttl_s=60, pid=os.getpid())
    quiet = mint("q").run_id
    assert workspace.dos("intent", "start", quiet, "--steps", "a", at=T0 + 9 * MINUTE).code == 0
    sha = workspace.repo.commit("a", {"a.py": "a\n"})
    finished = mint("f").run_id
    workspace.dos("intent", "start", finished, "--steps", "a", at=T0)
    workspace.dos("intent", "step", finished, "a", "--done", "--commit", sha, at=T0)
    report = workspace.dos("reap", "--json", at=T0 + 10 * MINUTE).json()
    # its lease expired, but its pid still runs here; quiet is inside the grace period;
    # finished did every step it declared
    assert report["runs"] == []
    assert [lease["run_id"] for lease in report["leases"]] == [running]
    zero = workspace.dos("reap", "--grace-seconds", "0", "--json", at=T0 + 10 * MINUTE)
    assert [run["run_id"] for run in zero.json()["runs"]] == [quiet]


def test_a_dry_run_on_a_fresh_workspace_creates_nothing(workspace: Workspace) -> None:
    ran = workspace.dos("reap")
    assert (ran.code, ran.out.split("  ")[0]) == (0, "CLEAN")
    assert not (workspace.path / ".dos").exists()


def _old(path: Path) -> Path:
    path.write_text("x", encoding="utf-8")
    stale = time.time() - 7200
    os.utime(path, (stale, stale))
    return path


def test_only_dos_own_dead_temporary_files_go(workspace: Workspace, tmp_path: Path) -> None:
    state = workspace.path / ".dos"
    state.mkdir()
    dead_tmp = state / f".hook-cache.json.{_dead_pid()}.ab12.tmp"
    dead_tmp.write_text("{}", encoding="utf-8")
    live_tmp = state / f".hook-cache.json.{os.getpid()}.cd34.tmp"
    live_tmp.write_text("{}", encoding="utf-8")
    old_init = _old(state / ".dos.db.k3j4h5.init")
    young_init = state / ".dos.db.zz99.init"
    young_init.write_text("x", encoding="utf-8")
    outside = _old(tmp_path / "precious.txt")
    trap = state / ".dos.db.trap.init"
    trap.symlink_to(outside)
    os.utime(trap, (time.time() - 7200,) * 2, follow_symlinks=False)
    other = _old(state / "notes.init")  # not a name dos writes
    dry = workspace.dos("reap", "--json").json()
    assert dry["files"] == [".dos/.dos.db.k3j4h5.init", f".dos/{dead_tmp.name}"]
    assert any(".dos.db.trap.init" in why for why in dry["refused"])
    assert workspace.dos("reap", "--apply").code == 0
    assert not dead_tmp.exists()
    assert not old_init.exists()
    for kept in (live_tmp, young_init, outside, other):
        assert kept.exists(), kept
    assert trap.is_symlink()


def test_paths_cannot_point_reap_at_the_product_tree(workspace: Workspace) -> None:
    """[paths] store elsewhere does not move what reap may delete: only <root>/.dos/."""
    (workspace.path / "dos.toml").write_text('[paths]\nstore = "src/state/dos.db"\n',
                                             encoding="utf-8")
    product = workspace.path / "src" / "state"
    product.mkdir(parents=True)
    victim = _old(product / ".dos.db.abc123.init")
    assert workspace.dos("reap", "--apply").code == 0
    assert victim.exists()


def test_a_dot_dos_symlink_is_never_entered(workspace: Workspace, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = _old(elsewhere / ".dos.db.abc123.init")
    (workspace.path / ".dos").symlink_to(elsewhere)
    ran = workspace.dos("reap", "--apply", "--json")
    assert ran.code == 0
    assert ran.json()["files"] == []
    assert "not a plain directory" in ran.json()["refused"][0]
    assert victim.exists()
