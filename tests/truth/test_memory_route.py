"""`dos memory verify --route` at its edges: the store it creates stays out of `git
status` (real git, a real `dos` process, the host's own memory directory), a sweep with
nothing to route creates nothing, `--route` with recall is a usage error, no reason needs
declaring (and a reference workspace's declaration is harmless), a route that fails
half-way writes nothing, and the routed sweep is journaled note by note."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable

import pytest
from tests._support.git import GitRepo
from tests.truth.test_memory_cases import dos, host_store

from dos.api import memory, memory_route
from dos.record.decisions import memory_plan
from dos.record.verdict_journal import read_events
from dos.store import reading
from dos.workspace import load_config

NOTES = {"fresh.md": "src/a.py holds x.\n", "stale.md": "src/b.py holds the parser.\n",
         "lexer.md": "src/c.py holds the lexer.\n", "opinion.md": "Small modules read better.\n"}


@pytest.fixture(autouse=True)
def _no_config_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)


def _workspace(git_repo: Callable[..., GitRepo], notes: dict[str, str] = NOTES,
               toml: str = "") -> GitRepo:
    """A plain repository (no dos.toml unless given) and its notes in the host's store."""
    repo = git_repo("ws")
    repo.commit("init", {"src/a.py": "x = 1\n", **({"dos.toml": toml} if toml else {})})
    store = host_store(repo.path)
    store.mkdir(parents=True)
    for name, text in notes.items():
        (store / name).write_text(text, encoding="utf-8")
    return repo


def _ops(repo: GitRepo) -> list[str]:
    with reading(load_config(repo.path, None)) as tx:
        return [] if tx is None else [record.op for record in tx.journal_records()]


def test_the_store_it_creates_stays_out_of_git_status(
        git_repo: Callable[..., GitRepo]) -> None:
    repo = _workspace(git_repo)
    assert repo.git("status", "--porcelain") == ""
    done = subprocess.run([sys.executable, "-m", "dos", "memory", "verify", "--route"],
                          cwd=repo.path, capture_output=True, text=True, check=False,
                          timeout=60)
    assert done.returncode == 3, done.stderr
    assert (repo.path / ".dos" / "dos.db").is_file()
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""
    last = done.stdout.splitlines()[-3:]
    assert last[0] == "  → dos decisions: 2 routed, 0 closed, 0 already routed (unchanged)"
    assert re.fullmatch(r"      routed  h[0-9a-f]{10}  lexer  'src/c.py' → src/c.py is absent",
                        last[1])
    assert re.fullmatch(r"      routed  h[0-9a-f]{10}  stale  'src/b.py' → src/b.py is absent",
                        last[2])


def test_nothing_to_route_creates_no_store(git_repo: Callable[..., GitRepo],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = _workspace(git_repo, {"fresh.md": NOTES["fresh.md"],
                                 "opinion.md": NOTES["opinion.md"]})
    code, out, _ = dos(capsys, "--workspace", str(repo.path), "--output", "plain", "memory",
                       "verify", "--route")
    assert code == 0
    assert out.splitlines()[-1] == ("  -> dos decisions: nothing to route (no STALE note, "
                                    "no open routed row)")
    assert not (repo.path / ".dos").exists()


def test_route_with_recall_is_a_usage_error(git_repo: Callable[..., GitRepo],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    repo = _workspace(git_repo)
    code, _, err = dos(capsys, "--workspace", str(repo.path), "memory", "recall", "stale",
                       "--route")
    assert code == 2
    assert "--route hands a sweep's STALE notes to `dos decisions`; it goes with verify" in err
    assert "fix: dos memory verify --route" in err
    assert not (repo.path / ".dos").exists()


def test_help_says_what_is_routed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = dos(capsys, "memory", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert "UNVERIFIABLE notes are never routed" in text
    assert "the MCP tool dos_memory never routes" in text


@pytest.mark.parametrize("toml", ["", '[reasons.RECALL_STALE]\ncategory = "STALE_CLAIM"\n'
                                      '[reasons.RECALL_UNVERIFIABLE]\ncategory = "STALE_CLAIM"\n'],
                         ids=["undeclared", "reference-declaration"])
def test_no_reason_needs_declaring(git_repo: Callable[..., GitRepo],
                                   capsys: pytest.CaptureFixture[str], toml: str) -> None:
    repo = _workspace(git_repo, toml=toml)
    code, out, err = dos(capsys, "--workspace", str(repo.path), "--json", "memory", "verify",
                         "--route")
    assert (code, err) == (3, "")
    assert [r["memory"] for r in json.loads(out)["route"]["raised"]] == ["lexer", "stale"]
    assert _ops(repo) == ["MEMORY_STALE", "MEMORY_STALE"]
    code, out, _ = dos(capsys, "--workspace", str(repo.path), "--json", "decisions")
    assert [(r["kind"], r["resolver_kind"]) for r in json.loads(out)["rows"]] == [
        ("MEMORY_STALE", "HUMAN")] * 2  # a declared category never hides them


def test_a_route_that_fails_half_way_writes_nothing(git_repo: Callable[..., GitRepo],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _workspace(git_repo)
    config = load_config(repo.path, None)
    sweep = memory.verify(config)
    real = memory_plan.finding_entry
    calls: list[str] = []

    def second_fails(finding: memory_plan.Finding) -> memory_plan.JournalEntry:
        calls.append(finding.memory)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(finding)
    monkeypatch.setattr(memory_plan, "finding_entry", second_fails)
    with pytest.raises(OSError, match="disk full"):
        memory_route.route(config, sweep)
    assert calls == ["lexer", "stale"]
    assert _ops(repo) == []  # the first finding was rolled back with the second
    monkeypatch.setattr(memory_plan, "finding_entry", real)
    assert len(memory_route.route(config, sweep).raised) == 2


def test_the_routed_sweep_is_journaled_note_by_note(git_repo: Callable[..., GitRepo],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    repo = _workspace(git_repo)
    assert dos(capsys, "--workspace", str(repo.path), "memory", "verify", "--route")[0] == 3
    events = [(e.verdict, e.subject, e.source) for e in read_events(load_config(repo.path, None))
              if e.syscall == "memory"]
    assert events == [("RECALL_STALE", "lexer", "cli"), ("RECALL_STALE", "stale", "cli"),
                      ("RECALL_UNVERIFIABLE", "opinion", "cli"), ("RECALL_FRESH", "fresh", "cli")]
