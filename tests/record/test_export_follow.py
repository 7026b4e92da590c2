"""dos export --follow: each tick ships only what arrived since the last one; it stops
after --follow-max ticks, and Ctrl-C ends it with 130 after the cursor was saved."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests._support.leases import Ran, Workspace
from tests._support.verdicts import remembered, seed, seed_many, verdict

from dos.api import export as api
from dos.record.export_drain import CURSOR_NAMESPACE
from dos.record.exporters.file import FileExporter


def _seqs(path: Path) -> list[int]:
    return [json.loads(line)["seq"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_tick_ships_only_the_new_events(workspace: Workspace) -> None:
    config = workspace.config()
    seed_many(config, 2)
    exporter = FileExporter("f.jsonl", root=workspace.path)
    waits: list[float] = []

    def arrive(seconds: float) -> None:  # between ticks, one more verdict is journaled
        waits.append(seconds)
        seed(config, verdict("verify", "SHIPPED", subject=f"AUTH::X{len(waits)}"))

    ticks = list(api.follow(config, exporter, since=None, interval=0.5, max_ticks=3,
                            sleep=arrive))
    assert [tick.pending for tick in ticks] == [2, 1, 1]
    assert [tick.cursor_after for tick in ticks] == [2, 3, 4]
    assert waits == [0.5, 0.5]
    assert _seqs(workspace.path / "f.jsonl") == [1, 2, 3, 4]


def test_follow_with_an_explicit_since_moves_in_memory_only(workspace: Workspace) -> None:
    config = workspace.config()
    seed_many(config, 2)
    exporter = FileExporter("g.jsonl", root=workspace.path)
    ticks = list(api.follow(config, exporter, since=0, interval=1, max_ticks=2,
                            sleep=lambda _s: seed(config, verdict("verify", "SHIPPED"))))
    assert [tick.pending for tick in ticks] == [2, 1]
    assert _seqs(workspace.path / "g.jsonl") == [1, 2, 3]
    assert remembered(config, CURSOR_NAMESPACE, "file") is None


def test_follow_prints_one_json_line_per_tick(workspace: Workspace,
                                              dos_run: Callable[..., Ran]) -> None:
    seed_many(workspace.config(), 3)
    ran = dos_run("--json", "export", "--to", "file", "--path", "h.jsonl", "--follow",
                  "--follow-interval", "0.01", "--follow-max", "2")
    assert ran.code == 0, ran.err
    lines = [json.loads(line) for line in ran.out.splitlines()]
    assert [(line["pending"], line["verdict"]) for line in lines] == [
        (3, "EXPORTED"), (0, "NOTHING_PENDING")]
    assert all(line["schema"]["family"] == "export" for line in lines)


def test_ctrl_c_exits_130_with_the_cursor_saved(workspace: Workspace,
                                                dos_argv: Callable[..., list[str]],
                                                subprocess_env: Callable[..., dict[str, str]]
                                                ) -> None:
    seed_many(workspace.config(), 4)
    child = subprocess.Popen(
        dos_argv("export", "--to", "file", "--path", "i.jsonl", "--follow",
                 "--follow-interval", "30"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())
    assert child.stdout is not None
    header = child.stdout.readline()  # the first tick has run and printed
    assert "4 event(s) pending" in header
    while "cursor:" not in child.stdout.readline():
        pass
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted" in err
    assert remembered(workspace.config(), CURSOR_NAMESPACE, "file") == 4
    assert _seqs(workspace.path / "i.jsonl") == [1, 2, 3, 4]
