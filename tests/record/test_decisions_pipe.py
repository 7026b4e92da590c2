"""`dos decisions | head` never ends in a traceback: a frame that fits the pipe exits 0
even unbuffered (one write, newline included), one the reader stops reading exits 141
(the closed-pipe code), never a crash."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests._support.leases import Workspace
from tests._support.verdicts import arbiter_refusal, seed


def _into_head(workspace: Workspace, *args: str, unbuffered: bool
               ) -> subprocess.CompletedProcess[str]:
    command = (f"{sys.executable} -m dos --workspace {workspace.path} decisions "
               f"{' '.join(args)} | head -n 1")
    # unbuffered, every write reaches the pipe at once (and Python drops what a reader
    # that left did not take instead of raising): only a buffered run can report 141
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    env.update({"PYTHONUNBUFFERED": "1"} if unbuffered else {})
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True,
                          text=True, timeout=120, check=False, env=env)


@pytest.mark.parametrize(("rows", "unbuffered", "code"), [(3, True, 0), (3, False, 0),
                                                          (3000, False, 141)])
def test_decisions_into_head(workspace: Workspace, rows: int, unbuffered: bool,
                             code: int) -> None:
    seed(workspace.config(), *(arbiter_refusal(f"lane{i}", "LANE_BLOCKED_ON_OPERATOR_DECISION")
                               for i in range(rows)))
    done = _into_head(workspace, "--all", unbuffered=unbuffered)
    assert done.stdout == "# operator decisions\n"
    assert "Traceback" not in done.stderr
    assert done.returncode == code, done.stderr


class _Writes:
    """A stream that remembers each write (what an unbuffered stdout hands the pipe)."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("form", ["text", "plain", "json"])
def test_an_answer_is_one_write_newline_included(form: str) -> None:
    # print() writes the newline apart: unbuffered, a reader that leaves after the first
    # line then breaks the pipe on the newline alone, and a listing exits 141
    from dos.render import emit

    stream = _Writes()
    emit({"rows": []}, output=form, text=lambda _color: "# operator decisions\n  (none)",
         stream=stream)  # type: ignore[arg-type]
    assert len(stream.writes) == 1
    assert stream.writes[0].endswith("\n")
