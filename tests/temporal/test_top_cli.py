"""`dos top`'s floors: read-only without a store, one plain frame into a pipe (and `head`)
or on a terminal with no keyboard, NO_COLOR honoured, and a refresh that reads only what
is newer than the previous frame. The live desk on a terminal is the app (tests/tui)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests._support.leases import LANES
from tests._support.temporal import Workspace
from tests._support.verdicts import seed, verdict

from dos.api import top as api
from dos.store.verdicts import VerdictRecord
from dos.structs import replace
from dos.workspace import load_config

CLEAR = b"\x1b[H\x1b[2J"


@pytest.fixture
def lanes(workspace: Workspace) -> Workspace:
    (workspace.path / "dos.toml").write_text(LANES, encoding="utf-8")
    return workspace


def test_without_a_store_every_lane_is_free_and_nothing_is_written(lanes: Workspace) -> None:
    frame = lanes.dos("top", "--json").json()
    assert frame["initialized"] is False
    assert {row["chip"] for row in frame["lanes"]} == {"FREE"}
    assert [row["lane"] for row in frame["lanes"]] == ["src", "docs", "tests", "global"]
    assert frame["verdicts"] == []
    assert frame["activity"][0]["subject"] == "init"
    assert not (lanes.path / ".dos").exists()
    text = lanes.dos("top").out
    assert "(no store yet" in text
    assert "4 lanes · 0 advancing · 0 spinning · 0 stalled · 0 spawning · 4 free" in text


def test_the_text_frame_names_holder_chip_and_totals(lanes: Workspace) -> None:
    lanes.dos("lease-lane", "acquire", "--lane", "global", "--owner", "agent-G")
    lines = lanes.dos("top", "--once").out.splitlines()
    assert lines[0].startswith(f"┌─ dos top · {lanes.path} · ")
    (held,) = [line for line in lines if line.startswith("  *global")]
    assert held.startswith("  *global       ADVANCING   agent-G          lease 0s   hb 0s   "
                           "0 commit(s) · 0 waiting")
    assert "RECENT VERDICTS        [the verdict journal — dos observe]" in lines
    assert any("lease-lane   ACQUIRE" in line for line in lines)
    assert lines[-1] == "read-only · this screen mutates nothing"


def test_into_head_the_frame_ends_cleanly(lanes: Workspace) -> None:
    lanes.dos("lease-lane", "acquire", "--lane", "src", "--owner", "agent-A")
    command = f"set -o pipefail; {sys.executable} -m dos --workspace {lanes.path} top | head -n 2"
    # Unbuffered, as many environments set it: each write would reach the pipe at once.
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60,
                          check=False, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2
    assert "Traceback" not in done.stderr


def test_an_unreadable_store_is_74_not_a_frame(lanes: Workspace) -> None:
    (lanes.path / ".dos").mkdir()
    (lanes.path / ".dos" / "dos.db").write_bytes(b"not a database at all" * 100)
    ran = lanes.dos("top", "--json")
    assert ran.code == 74, ran.out
    assert ran.err.startswith("dos: error:")


def test_an_interval_below_half_a_second_is_a_usage_error(lanes: Workspace) -> None:
    ran = lanes.dos("top", "--interval", "0.1")
    assert ran.code == 2
    assert "--interval must be" in ran.err


def _on_a_terminal(root: Path, *args: str, **env: str) -> tuple[subprocess.Popen[bytes], int]:
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "dos", "--workspace", str(root), "top",
                             *args], stdin=subprocess.DEVNULL, stdout=follower,
                            stderr=subprocess.PIPE, env={**os.environ, **env})
    os.close(follower)
    return proc, leader


def _read_until(leader: int, count: int, marker: bytes = CLEAR, timeout: float = 30.0) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    while seen.count(marker) < count and time.monotonic() < deadline:
        if select.select([leader], [], [], 0.2)[0]:
            try:
                seen += os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
    return seen


def test_on_a_terminal_without_a_keyboard_it_prints_one_coloured_frame(
        lanes: Workspace) -> None:
    """The live desk is the app (tests/tui); with keys not from a terminal it cannot run."""
    lanes.dos("lease-lane", "acquire", "--lane", "src", "--owner", "agent-A")
    proc, leader = _on_a_terminal(lanes.path, "--interval", "0.5")
    try:
        screen = _read_until(leader, 1, marker=b"mutates nothing")
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
        os.close(leader)
    assert b"\x1b[32mADVANCING" in screen  # colour on a terminal
    assert CLEAR not in screen
    assert proc.returncode == 0
    assert "Traceback" not in err.decode()


@pytest.mark.parametrize("flag", [(), ("--once",)], ids=["no-keyboard", "once"])
def test_no_color_is_honoured_on_a_terminal(lanes: Workspace, flag: tuple[str, ...]) -> None:
    lanes.dos("lease-lane", "acquire", "--lane", "src", "--owner", "agent-A")
    proc, leader = _on_a_terminal(lanes.path, *flag, "--interval", "0.5", NO_COLOR="1")
    try:
        screen = _read_until(leader, 1, marker=b"mutates nothing")
        proc.communicate(timeout=30)
    finally:
        proc.kill()
        os.close(leader)
    assert b"ADVANCING" in screen
    assert b"\x1b[3" not in screen
    assert proc.returncode == 0


def _marker(seq: int) -> VerdictRecord:
    return VerdictRecord(seq=seq, ts_ms=0, syscall="marker", verdict="CARRIED", subject="",
                         run_id="", lane="", source="cli", detail={}, prev_hash="", hash="")


def test_a_refresh_reads_only_records_newer_than_its_cursor(lanes: Workspace) -> None:
    config = load_config(str(lanes.path), None)
    seed(config, verdict("verify", "SHIPPED", subject="AUTH::AUTH1"))
    first = api.frame(config)
    assert first.cursor.verdict_seq == 1
    # What the cursor carries is not read again: a record only it holds survives a refresh.
    carried = replace(first.cursor, verdicts=(*first.cursor.verdicts, _marker(0)))
    same = api.frame(config, cursor=carried)
    assert [v.syscall for v in same.verdicts] == ["verify", "marker"]
    seed(config, verdict("verify", "NOT_SHIPPED", subject="AUTH::AUTH2"))
    newer = api.frame(config, cursor=carried)
    assert [(v.seq, v.syscall) for v in newer.verdicts] == [(2, "verify"), (1, "verify"),
                                                            (0, "marker")]
    assert newer.cursor.verdict_seq == 2
    # A cursor from another journal (its seq beyond this one's head) starts over.
    foreign = replace(carried, verdict_seq=99)
    assert [v.seq for v in api.frame(config, cursor=foreign).verdicts] == [2, 1]


def test_each_lane_counts_the_decisions_waiting_on_it(lanes: Workspace) -> None:
    """`pending_decisions` is the rows `dos decisions` lists for the lane, and a resolved
    row stops counting."""
    lanes.dos("lease-lane", "acquire", "--lane", "src", "--owner", "A")
    refused = lanes.dos("lease-lane", "acquire", "--lane", "global", "--owner", "B")
    assert refused.code == 1
    waiting = _waiting(lanes)
    assert waiting["global"] == 1
    assert waiting["src"] == 0
    lanes.dos("decisions", "resolve", "1", "--dismiss", "--owner", "op")
    assert _waiting(lanes)["global"] == 0


def _waiting(ws: Workspace) -> dict[str, int]:
    lanes = ws.dos("top", "--json").json()["lanes"]
    return {row["lane"]: row["pending_decisions"] for row in lanes}
