"""dos export --to file: JSON lines appended, a cursor in the store so a re-run never
re-ships, --since SEQ replays without moving it, and paths stay inside the workspace."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.leases import Ran, Workspace
from tests._support.verdicts import remembered, seed, seed_many, verdict

from dos.record.export_drain import CURSOR_NAMESPACE


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_appends_json_lines_and_never_reships(workspace: Workspace,
                                              dos_run: Callable[..., Ran]) -> None:
    config = workspace.config()
    seed(config, verdict("verify", "NOT_SHIPPED", subject="AUTH::AUTH2", run_id="r1",
                         source_ref="git"),
         verdict("liveness", "STALLED", lane="src", age_s=900))
    first = dos_run("export", "--to", "file", "--path", "out/verdicts.jsonl")
    assert first.code == 0, first.err
    target = workspace.path / "out" / "verdicts.jsonl"
    lines = _lines(target)
    assert [(line["seq"], line["syscall"], line["verdict"]) for line in lines] == [
        (1, "verify", "NOT_SHIPPED"), (2, "liveness", "STALLED")]
    assert lines[0]["detail"] == {"source_ref": "git"}
    assert lines[0]["run_id"] == "r1"
    assert "exported 2/2 via file" in first.out
    assert "cursor: 0 → 2 (saved" in first.out
    assert remembered(config, CURSOR_NAMESPACE, "file") == 2

    again = dos_run("export", "--to", "file", "--path", "out/verdicts.jsonl")
    assert again.code == 0
    assert "0 event(s) pending" in again.out
    assert len(_lines(target)) == 2  # the re-run shipped nothing twice

    seed(config, verdict("verify", "SHIPPED", subject="AUTH::AUTH2"))
    third = dos_run("--json", "export", "--to", "file", "--path", "out/verdicts.jsonl").json()
    assert [line["seq"] for line in _lines(target)] == [1, 2, 3]
    assert third["verdict"] == "EXPORTED"
    assert third["pending"] == 1
    assert third["result"] == {"exported": 1, "cursor": 3, "acknowledged": True,
                               "detail": f"appended 1 event(s) to {target}"}
    assert third["cursor"] == {"before": 2, "after": 3, "saved": True}
    assert "shipped" not in third  # the reference's key counted pending events
    assert third["schema"] == {"family": "export", "version": 1}


def test_since_seq_replays_and_leaves_the_cursor(workspace: Workspace,
                                                 dos_run: Callable[..., Ran]) -> None:
    config = workspace.config()
    seed_many(config, 5)
    assert dos_run("export", "--to", "file", "--path", "a.jsonl").code == 0
    replay = dos_run("--json", "export", "--to", "file", "--path", "b.jsonl", "--since", "3")
    assert replay.json()["pending"] == 2
    assert replay.json()["since_auto"] is False
    assert [line["seq"] for line in _lines(workspace.path / "b.jsonl")] == [4, 5]
    assert replay.json()["cursor"] == {"before": 5, "after": 5, "saved": False}
    assert "--since 3 leaves it alone" in dos_run("export", "--to", "file", "--path",
                                                  "b.jsonl", "--since", "3").out
    assert remembered(config, CURSOR_NAMESPACE, "file") == 5


def test_dry_run_and_null_sink_ship_nothing_and_move_nothing(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    config = workspace.config()
    seed_many(config, 3)
    dry = dos_run("export", "--to", "file", "--path", "out.jsonl", "--dry-run")
    assert dry.code == 0
    assert "dry run: 3 event(s) would be exported via file" in dry.out
    assert "cursor: 0 (unchanged: dry run)" in dry.out  # never "(persisted)"
    assert not (workspace.path / "out.jsonl").exists()
    null = dos_run("--json", "export")
    assert null.code == 0
    assert null.json()["verdict"] == "NULL_SINK"
    assert null.json()["pending"] == 3
    assert null.json()["result"]["exported"] == 0
    assert remembered(config, CURSOR_NAMESPACE, "file") is None
    assert remembered(config, CURSOR_NAMESPACE, "null") is None


def test_tail_ships_only_the_newest(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    seed_many(workspace.config(), 6)
    ran = dos_run("export", "--to", "file", "--path", "t.jsonl", "--tail", "2")
    assert ran.code == 0
    assert [line["seq"] for line in _lines(workspace.path / "t.jsonl")] == [5, 6]


def test_pages_past_one_read(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    seed_many(workspace.config(), 2345)
    ran = dos_run("--json", "export", "--to", "file", "--path", "big.jsonl").json()
    assert ran["pending"] == ran["result"]["exported"] == 2345
    seqs = [line["seq"] for line in _lines(workspace.path / "big.jsonl")]
    assert seqs == list(range(1, 2346))
    assert ran["cursor"]["after"] == 2345
    assert ran["result"]["detail"].startswith("3 batches, the last: appended 345 event(s)")


@pytest.mark.parametrize(("path", "why"), [
    ("../escape.jsonl", "leaves the workspace"),
    ("a/../../escape.jsonl", "leaves the workspace"),
    (".dos/dos.db", "inside dos's own state"),
    (".git/config", "inside dos's own state"),
    ("{outside}/missing-dir/x.jsonl", "does not exist"),
])
def test_paths_that_are_refused(workspace: Workspace, dos_run: Callable[..., Ran], path: str,
                                why: str) -> None:
    seed_many(workspace.config(), 1)
    outside = workspace.path.parent / "elsewhere"
    ran = dos_run("export", "--to", "file", "--path", path.format(outside=outside))
    assert ran.code == 2, ran.err
    assert why in ran.err
    assert ran.err.startswith("dos: error: ")
    assert "fix:" in ran.err
    assert not (workspace.path.parent / "escape.jsonl").exists()
    assert not outside.exists()


def test_absolute_path_outside_is_allowed_when_its_directory_exists(
        workspace: Workspace, dos_run: Callable[..., Ran], tmp_path: Path) -> None:
    seed_many(workspace.config(), 2)
    target = tmp_path / "exports" / "v.jsonl"
    target.parent.mkdir()
    assert dos_run("export", "--to", "file", "--path", str(target)).code == 0
    assert len(_lines(target)) == 2


def test_path_from_the_environment(workspace: Workspace, dos_run: Callable[..., Ran],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seed_many(workspace.config(), 1)
    assert "no export path" in dos_run("export", "--to", "file").err
    monkeypatch.setenv("DOS_EXPORT_FILE", "env.jsonl")
    assert dos_run("export", "--to", "file").code == 0
    assert len(_lines(workspace.path / "env.jsonl")) == 1


def test_a_write_failure_is_exit_1_and_keeps_the_cursor(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    config = workspace.config()
    seed_many(config, 2)
    (workspace.path / "blocked").mkdir()
    (workspace.path / "blocked" / "v.jsonl").mkdir()  # a directory where the file should be
    ran = dos_run("export", "--to", "file", "--path", "blocked/v.jsonl")
    assert ran.code == 2
    assert "is a directory" in ran.err
    fifo = workspace.path / "pipe.jsonl"
    os.mkfifo(fifo)
    failed = dos_run("--json", "export", "--to", "file", "--path", "pipe.jsonl")
    assert failed.code == 1, failed.err
    assert failed.json()["verdict"] == "NOT_EXPORTED"
    assert "not a regular file" in failed.json()["result"]["detail"]
    assert remembered(config, CURSOR_NAMESPACE, "file") is None


@pytest.mark.parametrize(("argv", "message"), [
    (["--since", "abc"], "--since must be a seq"),
    (["--since", "-5"], "--since must be a seq"),
    (["--tail", "0"], "--tail must be an integer from 1 to 1000000"),
    (["--follow-max", "2"], "need --follow"),
    (["--follow", "--follow-interval", "0", "--follow-max", "1"], "--follow-interval must be"),
    (["--follow", "--follow-interval", "nan", "--follow-max", "1"], "--follow-interval must"),
    (["--follow", "--follow-max", "0"], "--follow-max must be an integer from 1 to"),
    (["--follow", "--tail", "3"], "cannot be combined"),
    (["--to", "bogus"], "unknown exporter 'bogus'; known: file, null, otlp, statsd"),
])
def test_bad_arguments_are_usage_errors(workspace: Workspace, dos_run: Callable[..., Ran],
                                        argv: list[str], message: str) -> None:
    ran = dos_run("export", *argv)
    assert ran.code == 2, ran
    assert message in ran.err
    assert "fix:" in ran.err


def test_reading_creates_no_store(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    ran = dos_run("export", "--to", "file", "--path", "x.jsonl")
    assert ran.code == 0
    assert "nothing to export" in ran.out
    assert not (workspace.path / ".dos").exists()
