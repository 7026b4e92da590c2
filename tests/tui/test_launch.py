"""Which way a verb goes: the app on a terminal, one plain frame everywhere else."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from typing import Any

import pytest
from tests._support.terminal import run_on_terminal
from tests.tui.conftest import dos

from dos.tui.launch import APP_HINT, textual_available, wants_app

_HIDE_TEXTUAL = "import sys; sys.modules['textual'] = None"


def test_only_text_output_without_once_on_a_terminal_wants_the_app() -> None:
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        assert wants_app("text", False, terminal, terminal)
        assert not wants_app("text", True, terminal, terminal)
        assert not wants_app("json", False, terminal, terminal)
        assert not wants_app("plain", False, terminal, terminal)
        assert not wants_app("text", False, io.StringIO(), terminal)
        assert not wants_app("text", False, terminal, io.StringIO())  # keys from a file
    os.close(master)


def test_a_closed_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    stream.close()
    assert not wants_app("text", False, stream, stream)


def test_keys_from_a_file_print_one_frame(plan_repo: Any) -> None:
    run = run_on_terminal(["--workspace", str(plan_repo.path), "plan"],
                          keys_from_terminal=False)
    assert run.code == 0
    assert "\x1b[?1049h" not in run.output
    assert "over-claim" in run.output


def test_textual_is_found_here_and_a_blocked_install_is_not() -> None:
    assert textual_available()
    code = f"{_HIDE_TEXTUAL}\nfrom dos.tui.launch import textual_available as t\nprint(t())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_the_plain_floor_never_imports_textual(plan_repo: Any) -> None:
    code = ("import sys\nfrom dos.cli import main\n"
            f"main(['--workspace', {str(plan_repo.path)!r}, 'plan', '--once'])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('textual', 'dos.tui.'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "['dos.tui.launch']"


@pytest.mark.parametrize(("verb", "seen"), [("plan", "over-claim"), ("top", "FREE"),
                                            ("decisions", "nothing is waiting on you")])
def test_on_a_terminal_the_verb_opens_the_app_on_its_screen_and_q_quits(
        plan_repo: Any, verb: str, seen: str) -> None:
    run = run_on_terminal(["--workspace", str(plan_repo.path), verb], keys=[(seen, b"q")])
    assert run.code == 0
    assert f"dos {verb} · desk" in run.output
    assert "\x1b[?1049h" in run.output  # the app took the alternate screen
    assert "Traceback" not in run.output


def test_decisions_on_a_terminal_resolves_as_the_owner_given(plan_repo: Any) -> None:
    dos(plan_repo, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-A")
    dos(plan_repo, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-B")
    row = dos(plan_repo, "decisions", "--all", "--json")["rows"][0]
    assert (row["number"], row["kind"]) == (1, "LEASE_REFUSE")
    run = run_on_terminal(["--workspace", str(plan_repo.path), "decisions", "--all",
                           "--owner", "op-on-call"],
                          keys=[(row["kind"], b"a"), ("Approve #1", b"\r"),
                                ("approved by", b"q")])
    assert run.code == 0, run.output
    after = dos(plan_repo, "decisions", "--all", "--json")
    assert row["handle"] not in [left["handle"] for left in after["rows"]]
    assert [(h["handle"], h["owner"]) for h in after["history"]] == [(row["handle"],
                                                                      "op-on-call")]


def test_ctrl_c_in_the_app_is_exit_130(plan_repo: Any) -> None:
    run = run_on_terminal(["--workspace", str(plan_repo.path), "top"], keys=[("FREE", b"\x03")])
    assert run.code == 130
    assert "Traceback" not in run.output


def _palette(output: str) -> set[int]:
    return {int(index) for index in re.findall(r"[34]8;5;(\d+)", output)}


def test_no_color_leaves_the_app_in_greys(plan_repo: Any,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["--workspace", str(plan_repo.path), "plan"]
    coloured = _palette(run_on_terminal(argv, keys=[("over-claim", b"q")]).output)
    monkeypatch.setenv("NO_COLOR", "1")
    run = run_on_terminal(argv, keys=[("over-claim", b"q")])
    greys = set(range(232, 256)) | {0, 7, 8, 15, 16}
    assert run.code == 0
    assert coloured - greys  # the check can see a colour
    assert _palette(run.output) <= greys


@pytest.mark.parametrize("flag", ["--once", "--json"])
def test_once_and_json_print_one_frame_even_on_a_terminal(plan_repo: Any, flag: str) -> None:
    run = run_on_terminal(["--workspace", str(plan_repo.path), "plan", flag])
    assert run.code == 0
    assert "\x1b[?1049h" not in run.output
    assert ("⚠over-claim" in run.output) if flag == "--once" else ('"phases"' in run.output)


def test_without_textual_a_terminal_gets_the_frame_and_the_install_line(plan_repo: Any) -> None:
    run = run_on_terminal(["--workspace", str(plan_repo.path), "plan"], prelude=_HIDE_TEXTUAL)
    assert run.code == 0
    assert "\x1b[?1049h" not in run.output
    plain = re.sub(r"\x1b\[[0-9;]*m", "", run.output)
    assert "AUTH     AUTH2          shipped  ⚠over-claim" in plain
    assert plain.rstrip().endswith(APP_HINT)
    assert "pip install 'dispatch-os[tui]'" in APP_HINT
