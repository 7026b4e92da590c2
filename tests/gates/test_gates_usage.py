"""Bad input to a loop gate is exit 2 with ``dos: error: … fix: …``, never a verdict or 70;
and the JSON forms carry their schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.gates.conftest import Dos

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("argv", [
    ["arg-provenance", "--tool", "write_file", "--args", "{not json"],
    ["arg-provenance", "--tool", "write_file", "--args", "[1, 2]"],
    ["arg-provenance", "--tool", "write_file", "--args", DEEP],
    ["arg-provenance", "--tool", "write_file", "--args", '{"a": ' * 40 + "1" + "}" * 40],
    ["arg-provenance", "--tool", " ", "--args", "{}"],
    ["arg-provenance", "--tool", "x", "--args", "{}", "--read", "--write"],
    ["arg-provenance", "--tool", "x", "--args", "{}", "--prior-file", "/nonexistent/f"],
    ["arg-provenance", "--tool", "x", "--args", "{}", "--prior-file", "/dev/zero"],
    ["answer-shape"],
    ["answer-shape", "--file", "/nonexistent/out.txt"],
    ["answer-shape", "--text", "hi", "--non-answer", "(unclosed"],
    ["answer-shape", "--text", "hi", "--min-chars", "-1"],
    ["answer-shape", "--text", "hi", "--budget-ms", "inf"],
    ["improve", "--work", "-1"],
    ["improve", "--max-reverts", "0"],
    ["improve", "--efficiency-floor", "nan"],
    ["improve", "--tokens", "9" * 30],
    ["improve", "--suite-passed", "false"],
    ["improve", "--suite-passed", "--suite-run", "true"],
    ["improve", "--suite-run", "ls | wc"],
    ["improve", "--work-run", "true"],
    ["reward", "--witness", "maybe"],
    ["reward", "--claim", "--no-claim"],
    ["reward", "--witness", "confirm", "--witness-run", "true"],
    ["exec-capability"],
    ["hook-exit", "--code", "2", "--map", "2"],
    ["guard", "--dialect", "cursor", "--", "cursor-agent"],
    ["guard", "--", "aider", "--message", "x"],
    ["guard", "--claim-prompt", "--", "gemini", "-p", "x"],
    ["guard", "--strict-mcp", "--", "codex", "exec", "x"],
])
def test_bad_input_is_exit_2_with_a_fix(dos: Dos, tmp_path: Path, argv: list[str]) -> None:
    ran = dos("--workspace", str(tmp_path), *argv)
    assert ran.code == 2, (ran.out, ran.err)
    assert ran.err.startswith("dos: error:"), ran.err
    assert "fix:" in ran.err, ran.err
    assert ran.out == ""


@pytest.mark.parametrize(("argv", "family"), [
    (["improve", "--suite-passed", "--truth-clean", "--work", "2"], "improve"),
    (["reward", "--no-claim"], "reward"),
    (["test-witness"], "test-witness"),
    (["exec-capability", "--command", "ls"], "exec-capability"),
    (["hook-exit", "--code", "1"], "hook-exit"),
    (["arg-provenance", "--tool", "get_x", "--args", "{}"], "arg-provenance"),
    (["answer-shape", "--text", "an answer"], "answer-shape"),
    (["guard", "--print-config", "--", "claude"], "guard"),
])
def test_json_is_one_line_with_its_schema(dos: Dos, tmp_path: Path, argv: list[str],
                                          family: str) -> None:
    ran = dos("--workspace", str(tmp_path), "--json", *argv)
    assert ran.out.count("\n") == 1
    assert ran.json["schema"] == {"family": family, "version": 1}


def test_answer_shape_reads_a_file_and_stdin(dos: Dos, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    answer = tmp_path / "out.txt"
    answer.write_text("Pin the dependency to 2.1 in setup.cfg.\n", encoding="utf-8")
    assert dos("answer-shape", "--file", str(answer), "--text", "").code == 0  # --file wins
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"<thinking>\nhmm\n")))
    assert dos("answer-shape", "--file", "-").code == 3
