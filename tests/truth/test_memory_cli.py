"""`dos memory` on its surfaces: text lines, the exit-code table, the verdict journal, a
closed pipe; and the pure pieces (ladder, code hits) on their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.git import GitRepo
from tests.truth.test_memory_cases import dos

from dos.errors import EXIT_CLOSED_PIPE
from dos.record.verdict_journal import read_events
from dos.truth.memory.claims import Claim, Kind, Polarity
from dos.truth.memory.code_hits import count_hits
from dos.truth.memory.judge import Check, Status
from dos.truth.memory.ladder import MemoryPolicy, classify
from dos.truth.memory.note import parse_note
from dos.verdicts.memory import MemoryToken
from dos.workspace import load_config

NOTES = {"fresh.md": "src/a.py holds x.\n", "stale.md": "src/b.py holds the parser.\n",
         "opinion.md": "Small modules read better.\n"}


@pytest.fixture
def ws(git_repo: Callable[..., GitRepo], tmp_path: Path) -> tuple[GitRepo, Path]:
    repo = git_repo("ws")
    repo.commit("init", {"src/a.py": "x = 1\n"})
    store = tmp_path / "notes"
    store.mkdir()
    for name, text in NOTES.items():
        (store / name).write_text(text, encoding="utf-8")
    return repo, store


def test_verify_text_lists_the_worst_notes_with_their_culprit(
        ws: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]) -> None:
    repo, store = ws
    code, out, _ = dos(capsys, "--workspace", str(repo.path), "--output", "plain", "memory",
                       "verify", "--store", str(store))
    assert code == 3
    assert out.splitlines() == [
        "# recall sweep - 3 memories  -  STALE:1  UNVERIFIABLE:1  FRESH:1",
        "  STALE         stale",
        "      'src/b.py' -> src/b.py is absent",
        "  UNVERIFIABLE  opinion"]


def test_recall_explain_glosses_and_shows_every_check(
        ws: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]) -> None:
    repo, store = ws
    code, out, _ = dos(capsys, "--workspace", str(repo.path), "--output", "plain", "memory",
                       "recall", "fresh", "--store", str(store), "--explain")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "FRESH  fresh"
    assert lines[2].startswith("  -> FRESH - every checkable claim")
    assert lines[3] == "    CONFIRMS    'src/a.py' -> src/a.py exists (src/a.py)"


def test_the_exit_code_table_has_a_memory_row(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = dos(capsys, "exit-codes", "memory", "--json")
    assert code == 0
    assert json.dumps({"RECALL_FRESH": 0, "RECALL_STALE": 3, "RECALL_UNVERIFIABLE": 0}
                      )[1:-1] in json.dumps(json.loads(out), sort_keys=True)


def test_each_answer_is_journaled_once_per_note(ws: tuple[GitRepo, Path],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    repo, store = ws
    wsarg = ["--workspace", str(repo.path)]
    assert dos(capsys, *wsarg, "lease", "acquire", "nightly")[0] == 0  # makes the store
    assert dos(capsys, *wsarg, "memory", "recall", "stale", "--store", str(store))[0] == 3
    assert dos(capsys, *wsarg, "memory", "verify", "--store", str(store))[0] == 3
    events = [(e.syscall, e.verdict, e.subject, e.source)
              for e in read_events(load_config(repo.path, None)) if e.syscall == "memory"]
    assert events == [("memory", "RECALL_STALE", "stale", "cli"),
                      ("memory", "RECALL_STALE", "stale", "cli"),
                      ("memory", "RECALL_UNVERIFIABLE", "opinion", "cli"),
                      ("memory", "RECALL_FRESH", "fresh", "cli")]


def test_a_closed_pipe_is_141_without_a_traceback(ws: tuple[GitRepo, Path]) -> None:
    repo, store = ws
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "dos", "memory", "verify", "--store",
                               str(store)], cwd=repo.path, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, check=False, timeout=60)
    finally:
        os.close(write_end)
    assert done.returncode == EXIT_CLOSED_PIPE, done.stderr
    assert "Traceback" not in done.stderr


def _check(status: Status) -> Check:
    return Check(Claim("src/a.py", Kind.PATH, Polarity.PRESENT), status, "seen", "stat")


def test_the_ladder_order() -> None:
    note = parse_note("n.md", "body\n")
    assert classify(note, ()).token is MemoryToken.UNVERIFIABLE
    assert classify(note, (_check(Status.UNKNOWN),)).token is MemoryToken.UNVERIFIABLE
    assert classify(note, (_check(Status.CONFIRMS),)).token is MemoryToken.FRESH
    stale = classify(note, (_check(Status.CONFIRMS), _check(Status.CONTRADICTS)))
    assert stale.token is MemoryToken.STALE
    assert stale.culprit is not None
    assert stale.culprit.status is Status.CONTRADICTS
    feedback = parse_note("f.md", "---\ntype: feedback\n---\nbody\n")
    assert classify(feedback, (_check(Status.CONTRADICTS),)).token is MemoryToken.UNVERIFIABLE
    lenient = MemoryPolicy(unfalsifiable_types=frozenset())
    assert classify(feedback, (_check(Status.CONTRADICTS),), lenient).token is \
        MemoryToken.STALE


@pytest.mark.parametrize(("text", "file", "token", "code", "comment"), [
    ('"""uses --verbose flag"""\nimport argparse\n', "a.py", "--verbose", 0, 1),
    ('p.add_argument("--verbose")\n', "a.py", "--verbose", 1, 0),
    ("from app import (\n    x,\n)\n", "a.py", "from app import x", 1, 0),
    ("# from app import x\n", "a.py", "from app import x", 0, 1),
    ("from .app import x\n", "a.py", "from app import x", 0, 0),
    ("def helper():\n    '''helper does it'''\n", "a.py", "helper()", 1, 1),
    ("def broken(:\n  helper\n", "a.py", "helper", 1, 0),  # not Python: read as lines
    ("# --flag\nrun --flag\n", "run.sh", "--flag", 1, 1),
    ("run --flag-more\n", "run.sh", "--flag", 0, 0),
])
def test_code_hits(text: str, file: str, token: str, code: int, comment: int) -> None:
    hits = count_hits(text, file, token)
    assert (hits.code, hits.comment) == (code, comment)


def test_a_process_without_a_findable_home_still_answers(
        ws: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A service account with no passwd entry and no HOME: the default store cannot be
    found, which is an answer (no memories), never an internal error."""
    repo, _ = ws

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    monkeypatch.delenv("HOME")
    code, _, err = dos(capsys, "--workspace", str(repo.path), "memory", "verify")
    assert code in (0, 2), err
    assert "internal error" not in err
