"""Item 15 / item 13's lesson for the CLI: a transcript that is a device, a FIFO, a
directory or far too large is UNREADABLE at once — never a hang, never memory filled —
and a hostile event on stdin is a usage error, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dos.truth.transcript_file import UnreadableTranscriptError, read_transcript_bytes
from dos.truth.verify_result import UNREADABLE, classify_transcript

UNREADABLE_EXIT = 4


def _verify_result(*argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "dos", "verify-result", *argv], input=stdin,
                          capture_output=True, timeout=60, check=False)


@pytest.mark.parametrize(("make", "said"), [
    (lambda _tmp: Path("/dev/zero"), "a character device"),
    (lambda tmp: tmp, "a directory"),
    (lambda tmp: (os.mkfifo(tmp / "fifo"), tmp / "fifo")[1], "a FIFO"),
], ids=["dev-zero", "directory", "fifo-with-no-writer"])
def test_a_transcript_that_is_not_a_regular_file_is_unreadable_at_once(
        tmp_path: Path, make: object, said: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    done = _verify_result("--transcript", str(path))
    assert done.returncode == UNREADABLE_EXIT, done
    assert said in done.stdout.decode()


def test_a_transcript_over_the_limit_is_not_read(tmp_path: Path) -> None:
    sparse = tmp_path / "huge.jsonl"
    with sparse.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: nothing is written or read
    done = _verify_result("--transcript", str(sparse))
    assert done.returncode == UNREADABLE_EXIT
    assert "over the 268435456-byte limit" in done.stdout.decode()


def test_the_limit_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"x" * 10)
    assert read_transcript_bytes(path, limit=10) == b"x" * 10
    with pytest.raises(UnreadableTranscriptError, match="10 bytes, over the 9-byte limit"):
        read_transcript_bytes(path, limit=9)


def test_a_missing_transcript_is_still_unreadable(tmp_path: Path) -> None:
    verdict = classify_transcript(tmp_path / "gone.jsonl")
    assert verdict.state == UNREADABLE
    assert "No such file" in verdict.reason


@pytest.mark.parametrize("stdin", [b"[" * 100_000, b'{"transcript_path":' * 50_000,
                                   b"\x00" * (2 << 20)], ids=["deep-array", "deep-object",
                                                             "two-MiB-of-NUL"])
def test_a_hostile_event_on_stdin_is_a_usage_error(stdin: bytes) -> None:
    done = _verify_result(stdin=stdin)
    assert done.returncode == 2, done.stderr
    assert b"no transcript" in done.stderr
    assert b"Traceback" not in done.stderr
