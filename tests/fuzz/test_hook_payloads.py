"""`dos hook EVENT --dialect HOST`, driven through the CLI with hostile stdin, answers in
that host's grammar: an exit code the host understands, stdout empty or one JSON object
of the host's keys, a hook that fails itself only on a payload it cannot read — and then
the way `[hooks] on_error` says — and nothing written outside the workspace.
(tests/hooks/test_fuzz.py fuzzes the same grammar in process, below the CLI.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._support.fuzz import Ran, fuzz_settings, make_workspace, outside, run_dos
from tests._support.hooks import HookRun, blocked, check_reply_schema
from tests.fuzz.hook_payloads import is_payload, payloads, stdin_bytes, torn

from dos.hooks.dialects import NAMES, load
from dos.hooks.events import KINDS

CASES = [(dialect, kind) for dialect in NAMES for kind in KINDS]


def _transcripts(root: Path) -> None:
    folder = root / "transcripts"
    folder.mkdir()
    claim = json.dumps({"message": {"role": "assistant", "content": [
        {"type": "text", "text": "DOS-CLAIM: AUTH AUTH2"}]}}) + "\n"
    (folder / "claim.jsonl").write_text(claim, encoding="utf-8")
    (folder / "deep.jsonl").write_text("[" * 100_000 + "\n" + '{"role": ' * 5_000 + claim,
                                       encoding="utf-8")
    (folder / "binary.jsonl").write_bytes(b"\xff\xfe\x00" * 1000 + claim.encode())
    (folder / "huge.jsonl").write_text("x" * 2_000_000 + "\n" + claim, encoding="utf-8")
    (folder / "src").mkdir()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Lanes src, docs, global; session-A holds src; transcripts to point a stop at."""
    root = tmp_path / "ws"
    root.mkdir()
    make_workspace(root)
    _transcripts(root)
    held = run_dos(["lease-lane", "acquire", "--lane", "src", "--owner", "session-A"],
                   cwd=root)
    assert held.code == 0, held
    return root


def _check(dialect: str, kind: str, ran: Ran, stdin: bytes) -> None:
    shown = f"stdin {stdin[:300]!r}\nexit {ran.code}\nstdout {ran.out[:500]}\nstderr " \
            f"{ran.err[:1500]}"
    assert ran.code in load(dialect).exit_codes, shown
    assert "Traceback" not in ran.err, shown
    check_reply_schema(dialect, ran.out)
    if ran.code == 2:
        assert ran.out == "", shown
        assert ran.err.strip(), shown
    assert all(line.startswith(("dos hook ", "DOS ")) for line in ran.err.splitlines()), shown
    if is_payload(stdin):  # a payload it can read never makes the hook fail itself
        assert f"dos hook {kind}: error:" not in ran.err, shown


@pytest.mark.parametrize(("dialect", "kind"), CASES)
@fuzz_settings(15, 1_000)
@given(data=st.data())
def test_any_stdin_gets_a_reply_in_the_hosts_grammar(dialect: str, kind: str,
                                                     workspace: Path, data: st.DataObject
                                                     ) -> None:
    stdin = data.draw(stdin_bytes(dialect, kind, workspace), label="stdin")
    before = outside(workspace)
    ran = run_dos(["hook", kind, "--dialect", dialect], cwd=workspace, stdin=stdin)
    _check(dialect, kind, ran, stdin)
    assert outside(workspace) == before, "the hook wrote outside the workspace"


@pytest.fixture
def failing_closed(workspace: Path) -> Path:
    with (workspace / "dos.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[hooks]\non_error = "deny"\n')
    return workspace


@pytest.mark.parametrize(("dialect", "kind"), CASES)
@fuzz_settings(6, 300)
@given(data=st.data())
def test_a_torn_payload_gets_the_on_error_outcome(dialect: str, kind: str, failing_closed: Path,
                                                  data: st.DataObject) -> None:
    readable = st.builds(lambda payload: json.dumps(payload).encode(),
                         payloads(dialect, kind, failing_closed))
    stdin = data.draw(torn(readable), label="stdin")
    # a torn payload names no cwd: the hook's own (the workspace) is used
    ran = run_dos(["hook", kind, "--dialect", dialect], cwd=failing_closed, stdin=stdin)
    _check(dialect, kind, ran, stdin)
    assert ran.err.startswith(f"dos hook {kind}: error: stdin is "), ran
    if kind == "posttool":  # a tool that already ran cannot be blocked
        assert ran.code == 0, ran
        assert "— allowed" in ran.err, ran
    else:
        assert blocked(dialect, kind, HookRun(ran.out, ran.err, ran.code)), ran
        assert '— denied ([hooks] on_error = "deny")' in ran.err, ran


def _program() -> list[str]:
    """The installed `dos` script (what a host's hook config runs), else `python -m dos`."""
    script = Path(sys.executable).parent / "dos"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "dos"]


@pytest.mark.parametrize("dialect", NAMES)
@fuzz_settings(3, 200)
@given(data=st.data())
def test_a_fresh_process_answers_as_the_cli_does(dialect: str, workspace: Path,
                                                 data: st.DataObject) -> None:
    """Through a real process and pipe: the hook's start-up path (its own JSON reader,
    nothing preloaded) meets the same bytes."""
    kind = data.draw(st.sampled_from(KINDS), label="kind")
    stdin = data.draw(stdin_bytes(dialect, kind, workspace), label="stdin")
    done = subprocess.run([*_program(), "hook", kind, "--dialect", dialect], input=stdin,
                          cwd=workspace, capture_output=True, timeout=60, check=False,
                          env=dict(os.environ))
    ran = Ran(done.returncode, done.stdout.decode("utf-8", "replace"),
              done.stderr.decode("utf-8", "replace"))
    _check(dialect, kind, ran, stdin)
