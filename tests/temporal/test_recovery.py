"""The intent ledger, resume, complete and rewind, and the recovery weaknesses of the
reference (loops.md §22 items 14-18), each a test ours passes."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dos.config import load_workspace_config
from dos.run_id import mint
from dos.store import writing
from dos.store.intents import IntentEntry

if TYPE_CHECKING:
    from tests._support.temporal import Workspace


@pytest.fixture
def rid() -> str:
    return mint("worker").run_id


def _kinds(ws: Workspace, run_id: str) -> list[str]:
    return [r["kind"] for r in ws.dos("intent", "show", run_id, "--json").json()["records"]]


def _start(ws: Workspace, run_id: str, steps: str = "a,b,c") -> None:
    assert ws.dos("intent", "start", run_id, "--steps", steps).code == 0


def _done(ws: Workspace, run_id: str, step: str, sha: str) -> None:
    ran = ws.dos("intent", "step", run_id, step, "--done", "--commit", sha)
    assert ran.code == 0, ran.err


def test_resume_names_the_first_step_git_does_not_show(workspace: Workspace, rid: str) -> None:
    _start(workspace, rid)
    sha = workspace.repo.commit("step a", {"src/a.py": "a\n"})
    _done(workspace, rid, "a", sha)
    assert workspace.dos("intent", "step", rid, "b", "--started").code == 0
    ran = workspace.dos("resume", rid, "--json")
    plan = ran.json()
    assert (ran.code, plan["verdict"], plan["resume_step"], plan["resume_sha"]) == \
        (0, "RESUMABLE", "b", sha)
    assert plan["residual"] == ["b", "c"]
    assert plan["proposed_command"] == f"dos intent step {rid} b --started"
    complete = workspace.dos("complete", rid, "--json")
    assert (complete.code, complete.json()["fraction_done"]) == (3, 0.3333)
    for step in ("b", "c"):
        _done(workspace, rid, step, workspace.repo.commit(f"step {step}", {f"{step}.py": "x"}))
    assert workspace.dos("resume", rid).out.startswith("COMPLETE  ")
    assert workspace.dos("complete", rid).code == 0


def test_a_step_whose_commit_left_history_is_resumed_again(workspace: Workspace,
                                                          rid: str) -> None:
    _start(workspace, rid, "a,b")
    sha = workspace.repo.commit("step a", {"a.py": "a\n"})
    _done(workspace, rid, "a", sha)
    workspace.repo.git("reset", "-q", "--hard", "HEAD~1")
    plan = workspace.dos("resume", rid, "--json", "--no-record").json()
    assert (plan["verdict"], plan["resume_step"], plan["unshown"]) == ("RESUMABLE", "a", ["a"])


def test_a_hole_before_a_done_step_is_diverged(workspace: Workspace, rid: str) -> None:
    _start(workspace, rid, "a,b")
    _done(workspace, rid, "b", workspace.repo.commit("step b", {"b.py": "b\n"}))
    ran = workspace.dos("resume", rid)
    assert (ran.code, ran.out.split("  ")[0]) == (3, "DIVERGED")
    assert "RESUME_PROPOSED" not in _kinds(workspace, rid)


def test_unknown_runs_and_runs_without_a_store_write_nothing(workspace: Workspace,
                                                             rid: str) -> None:
    for verb, code in (("resume", 4), ("complete", 4), ("rewind", 3)):
        assert workspace.dos(verb, rid).code == code
    assert workspace.dos("intent", "show", rid).code == 0
    assert not (workspace.path / ".dos").exists()


@pytest.mark.parametrize("bad", ["/tmp/escape", "../x", "RID-../../etc", "", "   ",
                                 "RID-1M8HSC4V72JNYG0/..", "rid with spaces"])
@pytest.mark.parametrize("verb", [["resume"], ["complete"], ["rewind"], ["intent", "show"],
                                  ["intent", "start"], ["intent", "checkpoint"]])
def test_item14_a_run_id_is_validated_before_any_use(workspace: Workspace, tmp_path: Path,
                                                     verb: list[str], bad: str) -> None:
    """§22 item 14: the run id was joined to a path unchecked (absolute, `..`)."""
    extra = ["--steps", "a"] if verb == ["intent", "start"] else []
    before = set(tmp_path.iterdir())
    ran = workspace.dos(*verb, bad, *extra)
    assert ran.code == 2, ran.out
    assert ran.err.startswith("dos: error:")
    assert not (workspace.path / ".dos").exists()
    assert set(tmp_path.iterdir()) == before


def test_item15_resume_proposes_once_per_reentry_point(workspace: Workspace, rid: str) -> None:
    """§22 item 15: a torn ledger tail merged records and RESUME_PROPOSED was recorded
    again; the ledger is now a store table, and a second resume records nothing."""
    _start(workspace, rid)
    first = workspace.dos("resume", rid, "--json").json()
    second = workspace.dos("resume", rid, "--json").json()
    assert (first["proposed_now"], second["proposed_now"], second["already_proposed"]) == \
        (True, False, True)
    assert _kinds(workspace, rid).count("RESUME_PROPOSED") == 1
    _done(workspace, rid, "a", workspace.repo.commit("step a", {"a.py": "a\n"}))
    moved = workspace.dos("resume", rid, "--json").json()
    assert (moved["resume_step"], moved["proposed_now"]) == ("b", True)
    assert _kinds(workspace, rid).count("RESUME_PROPOSED") == 2
    assert workspace.dos("resume", rid).out.splitlines()[-1].startswith("  (a resume at b")


@pytest.mark.parametrize("commit", ["HEAD", "main", "HEAD~0", "v1", "abbrev"])
def test_item16_symbolic_refs_are_not_step_commits(workspace: Workspace, rid: str,
                                                   commit: str) -> None:
    """§22 item 16: HEAD or a branch name was accepted as a verified step's SHA."""
    _start(workspace, rid)
    sha = workspace.repo.commit("step a", {"a.py": "a\n"})
    workspace.repo.git("tag", "v1")
    ran = workspace.dos("intent", "step", rid, "a", "--done", "--commit",
                        sha[:12] if commit == "abbrev" else commit)
    assert ran.code == 2
    assert "not a full commit SHA" in ran.err
    assert "STEP_DONE" not in _kinds(workspace, rid)


def test_item16_an_object_that_is_not_a_commit_is_refused(workspace: Workspace,
                                                          rid: str) -> None:
    _start(workspace, rid)
    blob = workspace.repo.git("rev-parse", "HEAD:README.md")
    ran = workspace.dos("intent", "step", rid, "a", "--done", "--commit", blob)
    assert (ran.code, "is not a commit" in ran.err) == (2, True)
    missing = workspace.dos("intent", "step", rid, "a", "--done", "--commit", "0" * 40)
    assert missing.code == 2


def test_item16_a_ref_written_past_the_verb_never_counts(workspace: Workspace,
                                                         rid: str) -> None:
    _start(workspace, rid, "a")
    workspace.repo.commit("step a", {"a.py": "a\n"})
    config = load_workspace_config(workspace.path)
    with writing(config) as tx:
        tx.append_intent(IntentEntry(rid, "STEP_DONE", step="a", commit="HEAD"))
    plan = workspace.dos("resume", rid, "--json", "--no-record").json()
    assert (plan["verdict"], plan["resume_step"], plan["unshown"]) == ("RESUMABLE", "a", ["a"])
    assert workspace.dos("complete", rid).code == 3


def test_item17_a_step_counts_once(workspace: Workspace, rid: str) -> None:
    """§22 item 17: duplicate declared steps inflated `complete` to 3/3."""
    twice = workspace.dos("intent", "start", rid, "--steps", "a,b,a")
    assert (twice.code, "declared more than once" in twice.err) == (2, True)
    config = load_workspace_config(workspace.path)
    with writing(config) as tx:  # a declaration that got past the verb
        tx.append_intent(IntentEntry(rid, "INTENT", payload={"steps": ["a", "b", "a"]}))
    _done(workspace, rid, "a", workspace.repo.commit("step a", {"a.py": "a\n"}))
    found = workspace.dos("complete", rid, "--json").json()
    assert (found["state"], found["declared"], found["fraction_done"]) == \
        ("INCOMPLETE", ["a", "b"], 0.5)
    assert "  verified     : 1/2 (50%)" in workspace.dos("complete", rid).out


def test_a_run_declares_once(workspace: Workspace, rid: str) -> None:
    _start(workspace, rid, "a,b")
    again = workspace.dos("intent", "start", rid, "--steps", "a,b")
    other = workspace.dos("intent", "start", rid, "--steps", "x")
    assert (again.code, other.code) == (0, 1)
    assert "a run declares once" in other.out
    undeclared = workspace.dos("intent", "step", rid, "zz", "--started")
    assert undeclared.code == 1
    assert workspace.dos("intent", "step", mint("w").run_id, "a", "--started").code == 1


def _checkpointed(ws: Workspace, run_id: str) -> tuple[str, int]:
    _start(ws, run_id, "a,b")
    sha = ws.repo.commit("step a", {f"a-{run_id}.py": "a\n"})
    _done(ws, run_id, "a", sha)
    point = ws.dos("intent", "checkpoint", run_id, "--turn", "7", "--json")
    assert point.code == 0, point.err
    return sha, point.json()["record"]["seq"]


def test_item18_rewind_reads_the_dead_end_from_git(workspace: Workspace, rid: str) -> None:
    """§22 item 18: --fire was taken on faith; now there is no such flag, and the dead end
    is a step done after the checkpoint whose commit git no longer shows."""
    anchor, seq = _checkpointed(workspace, rid)
    assert workspace.dos("rewind", rid, "--fire", "DIVERGED").code == 2
    healthy = workspace.dos("rewind", rid, "--json")
    assert (healthy.code, healthy.json()["verdict"]) == (0, "NO_REWIND")
    _done(workspace, rid, "b", workspace.repo.commit("step b", {"b.py": "b\n"}))
    workspace.repo.git("reset", "-q", "--hard", anchor)
    ran = workspace.dos("--output", "json", "rewind", rid)
    found = ran.json()  # --output json is honoured
    assert (ran.code, found["verdict"], found["fire"]) == (0, "REWIND", "DIVERGED")
    assert (found["checkpoint_seq"], found["checkpoint_commit"], found["rewind_to_turn"]) == \
        (seq, anchor, 7)
    assert found["dropped_steps"] == ["b"]


def test_item18_a_checkpoint_outside_the_chain_is_refused(workspace: Workspace,
                                                          rid: str) -> None:
    _, seq = _checkpointed(workspace, rid)
    assert workspace.dos("rewind", rid, "--to", str(seq - 1)).code == 3  # a STEP_DONE
    other = mint("other").run_id
    _checkpointed(workspace, other)
    assert workspace.dos("rewind", rid, "--to", str(seq + 5)).code == 3


def test_item18_a_forged_or_altered_ledger_anchors_nothing(workspace: Workspace,
                                                           rid: str) -> None:
    """A checkpoint inserted behind dos's back, or an earlier record altered, breaks the
    run's chain: every record after the change is untrusted."""
    _, seq = _checkpointed(workspace, rid)
    db = workspace.path / ".dos" / "dos.db"
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO intents SELECT run_id, seq + 1, kind, step, commit_sha, "
                     "ts_ms, '{\"turn\":0}', hash, 'forged' FROM intents WHERE seq = ?",
                     (seq,))
    conn.close()
    forged = workspace.dos("rewind", rid, "--to", str(seq + 1), "--json")
    assert (forged.code, forged.json()["verdict"]) == (3, "UNANCHORED")
    assert "hash chain" in forged.json()["reason"]
    assert workspace.dos("resume", rid).code == 4
    assert workspace.dos("complete", rid).code == 4
    shown = workspace.dos("intent", "show", rid)
    assert "hash chain BROKEN" in shown.out


def test_each_recovery_verdict_is_journaled(workspace: Workspace, rid: str) -> None:
    from dos.record.verdict_journal import read_events

    _start(workspace, rid, "a")
    for argv in (["resume", rid], ["complete", rid], ["rewind", rid], ["reap"],
                 ["intent", "show", rid], ["attempt", "list"]):
        workspace.dos(*argv)
    config = load_workspace_config(workspace.path)
    seen = [(e.syscall, e.verdict, e.run_id) for e in read_events(config)]
    assert seen == [("resume", "RESUMABLE", rid), ("complete", "INCOMPLETE", rid),
                    ("rewind", "UNANCHORED", rid), ("reap", "CLEAN", "")]
