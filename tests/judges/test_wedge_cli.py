"""`dos judge wedge RUN` end to end: real git, a real store, real `dos next` answers
(and, for the lies a correct picker never tells, records appended to the journal)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import run_cli

from dos.record.verdict_journal import read_events
from dos.store import writing
from dos.store.verdicts import VerdictEntry
from dos.workspace import load_config

PLAN = "id: AUTH\n## AUTH1 — a\n## AUTH2 — b\n## AUTH3 — c\n"
TOML = '[lanes]\nconcurrent = ["src"]\nautopick = ["src"]\n[lanes.trees]\nsrc = ["src/**"]\n'
R1, R2 = "RID-1M8HSC4V72JNYG0", "RID-1M8HSC4V72JNYG1"


@pytest.fixture
def ws(git_repo: Callable[..., Any]) -> Any:
    repo = git_repo("ws")
    repo.commit("plan", {"dos.toml": TOML, "docs/auth-plan.md": PLAN})
    repo.commit("AUTH1: a", {"src/a.py": "a\n"})
    repo.commit("AUTH2: b", {"src/b.py": "b\n"})
    return repo


def _dos(capsys: pytest.CaptureFixture[str], root: Path, *argv: str) -> tuple[int, Any]:
    code, out, err = run_cli(capsys, ["--workspace", str(root), *argv])
    return code, json.loads(out) if out.strip().startswith("{") else out + err


def _age(root: Path, *names: str) -> None:
    """Date the files an hour back, so they read as unchanged since any answer."""
    past = (root / names[0]).stat().st_mtime - 3600
    for name in names:
        os.utime(root / name, (past, past))


def _record(root: Path, run: str, verdict: str, **detail: Any) -> None:
    with writing(load_config(str(root), None)) as tx:
        tx.append_verdict(VerdictEntry(syscall="next", verdict=verdict, source="cli",
                                       run_id=run, detail=detail))


def test_a_real_drain_is_confirmed_then_unverifiable_once_the_plan_changes(
        ws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(ws.path)
    ws.commit("AUTH3: c", {"src/c.py": "c\n"})
    assert _dos(capsys, root, "lease-lane", "acquire", "--lane", "src", "--owner", "x")[0] == 0
    code, answer = _dos(capsys, root, "next", "--owner", "w1", "--run-id", R1, "--json")
    assert (code, answer["verdict"], answer["run_id"]) == (3, "DRAINED", R1)
    _age(root, "docs/auth-plan.md", "dos.toml")
    code, audit = _dos(capsys, root, "judge", "wedge", R1, "--json")
    assert code == 0, audit
    assert (audit["verdict"], audit["cause"], audit["oracle_disagrees"]) == \
        ("AGREES", "TRUE_DRAIN", False)
    (root / "docs/auth-plan.md").write_text(PLAN + "## AUTH4 — d\n", encoding="utf-8")
    code, audit = _dos(capsys, root, "judge", "wedge", R1, "--json")
    assert (code, audit["verdict"]) == (0, "ABSTAINS")
    assert "docs/auth-plan.md" in audit["evidence"][0]


def test_a_drain_with_work_left_is_a_provable_picker_bug(
        ws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(ws.path)
    _age(root, "docs/auth-plan.md", "dos.toml")
    _record(root, R1, "DRAINED", because="ALL_SHIPPED", units=3, remaining=0,
            docs="docs/auth-plan.md")
    code, text = _dos(capsys, root, "judge", "wedge", R1)
    assert code == 1
    assert "VERDICT     oracle_disagrees=TRUE — provable picker bug" in text
    assert "AUTH/AUTH3" in text
    assert "PICKER SAID ALL_SHIPPED" in text


def test_a_recorded_document_outside_the_workspace_is_never_read(
        ws: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = Path(ws.path)
    (tmp_path / "elsewhere.md").write_text("id: X\n## X1 — x\n", encoding="utf-8")
    _record(root, R1, "DRAINED", because="ALL_SHIPPED", units=1, remaining=0,
            docs="../elsewhere.md")
    code, audit = _dos(capsys, root, "judge", "wedge", R1, "--json")
    assert (code, audit["verdict"]) == (0, "ABSTAINS")
    assert "not a file inside the workspace" in audit["evidence"][0]


def test_held_by_another_workers_lease_is_confirmed_and_a_lie_is_not(
        ws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(ws.path)
    assert _dos(capsys, root, "next", "--owner", "w1", "--json")[1]["unit"] == "AUTH3"
    code, held = _dos(capsys, root, "next", "--owner", "w2", "--run-id", R1, "--json")
    assert (code, held["because"]) == (4, "ALL_LEASED")
    code, audit = _dos(capsys, root, "judge", "wedge", R1, "--json")
    assert (code, audit["verdict"], audit["cause"]) == (0, "AGREES", "STALE_CLAIM")
    assert "(w1)" in audit["evidence"][0]
    assert _dos(capsys, root, "lease-lane", "release", "--lane", "src", "--owner", "w1")[0] == 0
    _record(root, R2, "HELD", because="ALL_LEASED", owner="w2")
    code, audit = _dos(capsys, root, "judge", "wedge", R2, "--json")
    assert (code, audit["verdict"]) == (1, "DISAGREES")


def test_the_audit_is_journaled(ws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(ws.path)
    _record(root, R1, "HELD", because="ALL_COOLING", owner="w2")
    assert _dos(capsys, root, "judge", "wedge", R1, "--json")[0] == 1
    events = [e for e in read_events(load_config(str(root), None)) if e.syscall == "judge"]
    assert [(e.verdict, e.run_id, e.detail["cause"]) for e in events] == \
        [("DISAGREES", R1, "COOLDOWN")]


@pytest.mark.parametrize(("run", "message"), [
    ("../../../etc/passwd", "is not a run id"),
    ("", "name the run to audit"),
    (R2, f"no `dos next` answer is recorded for run {R2}"),
])
def test_a_run_that_is_not_on_record_is_exit_2(ws: Any, capsys: pytest.CaptureFixture[str],
                                                run: str, message: str) -> None:
    root = Path(ws.path)
    _record(root, R1, "DRAINED", because="ALL_SHIPPED")
    code, out, err = run_cli(capsys, ["--workspace", str(root), "judge", "wedge", run])
    assert (code, out) == (2, "")
    assert message in err
    assert "dos observe --syscall next --by run_id" in err or "run id" in err


def test_an_unreadable_store_is_74(ws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(ws.path)
    (root / ".dos").mkdir()
    (root / ".dos" / "dos.db").write_bytes(b"not a database at all" * 100)
    code, out, err = run_cli(capsys, ["--workspace", str(root), "judge", "wedge", R1])
    assert (code, out) == (74, "")
    assert err.startswith("dos: error:")
