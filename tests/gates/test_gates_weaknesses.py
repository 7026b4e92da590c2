"""The reference's loop-gate weaknesses (spec loops.md §22, items 19-28), one test each."""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.gates.conftest import Dos

from dos.commands import VERBS
from dos.exitcodes import table


def _py(code: str) -> str:
    """A command line running ``code`` in this interpreter (no shell involved)."""
    return shlex.join([sys.executable, "-c", code])


GREEN, RED = _py("raise SystemExit(0)"), _py("raise SystemExit(1)")


def test_w19_facts_are_measured_or_marked_caller_claimed(dos: Dos, tmp_path: Path) -> None:
    ws = ("--workspace", str(tmp_path))
    # the loop's own driver can no longer pass a red suite off as green: dos runs it
    ran = dos(*ws, "improve", "--suite-run", RED, "--truth-clean", "--work", "5", "--json")
    assert (ran.code, ran.json["verdict"], ran.json["revert_cause"]) == (3, "REVERT", "regressed")
    assert ran.json["evidence"]["rungs"]["suite"] == "ENVIRONMENT_WITNESSED"
    claimed = dos(*ws, "improve", "--suite-passed", "--truth-clean", "--work", "5", "--json")
    assert (claimed.code, claimed.json["rung"]) == (0, "CALLER_CLAIMED")
    held = dos(*ws, "improve", "--suite-passed", "--truth-clean", "--work", "5",
               "--require-witnessed", "--json")
    assert (held.code, held.json["verdict"], held.json["escalation"]) == (4, "ESCALATE", "HUMAN")
    measured = dos(*ws, "improve", "--suite-run", GREEN, "--truth-run", GREEN,
                   "--work-run", _py("print(7)"), "--baseline-work", "5",
                   "--require-witnessed", "--json")
    assert (measured.code, measured.json["rung"]) == (0, "ENVIRONMENT_WITNESSED")
    # reward: a witness typed on the command line is caller-claimed, never "OS_RECORDED"
    said = dos(*ws, "reward", "--witness", "confirm", "--narrated", "trust me", "--json")
    assert (said.code, said.json["accountability"]) == (0, "CALLER_CLAIMED")
    assert dos(*ws, "reward", "--witness", "confirm", "--require-witnessed").code == 4
    assert dos(*ws, "reward", "--witness-run", RED, "--json").json["verdict"] == "REJECT_POISON"
    assert dos(*ws, "reward", "--witness-run", GREEN, "--require-witnessed").code == 0
    forged = dos(*ws, "reward", "--witness", "confirm", "--forgeable", "--json").json
    assert (forged["verdict"], forged["witness"], forged["accountability"]) == (
        "ABSTAIN", "confirm", "AGENT_AUTHORED")  # the reference dropped both fields here
    # test-witness flags are the caller-claimed rung; --require-witnessed abstains on them
    flags = dos(*ws, "test-witness", "--baseline", "fail", "--candidate", "pass", "--json")
    assert (flags.code, flags.json["rung"]) == (0, "CALLER_CLAIMED")
    assert dos(*ws, "test-witness", "--baseline", "fail", "--candidate", "pass",
               "--require-witnessed").code == 6


def test_w20_under_reported_tokens_cannot_bypass_the_floor_and_a_drop_regresses(
        dos: Dos) -> None:
    base = ("improve", "--suite-passed", "--truth-clean", "--json")
    dropped = dos(*base, "--work", "1", "--baseline-work", "3")
    assert (dropped.code, dropped.json["revert_cause"]) == (3, "regressed")
    assert "flat" not in dropped.json["reason"]
    assert "3 -> 1" in dropped.json["reason"]
    flat = dos(*base, "--work", "3", "--baseline-work", "3").json
    assert flat["revert_cause"] == "no-improvement"
    # +1 unit for "0 tokens" under a 0.01 floor: judged as min_tokens (1000) -> 0.001 < 0.01
    cheap = dos(*base, "--work", "4", "--baseline-work", "3", "--tokens", "0",
                "--efficiency-floor", "0.01")
    assert (cheap.code, cheap.json["revert_cause"]) == (3, "wasteful")
    unmeasured = dos(*base, "--work", "4", "--baseline-work", "3", "--tokens", "0",
                     "--efficiency-floor", "0.01", "--min-tokens", "0")
    assert unmeasured.json["revert_cause"] == "unmeasured"
    worth = dos(*base, "--work", "40", "--baseline-work", "3", "--tokens", "2000",
                "--efficiency-floor", "0.01")
    assert worth.code == 0
    tripped = dos(*base, "--work", "3", "--baseline-work", "3", "--consecutive-reverts", "2")
    assert (tripped.code, tripped.json["escalation"]) == (4, "HUMAN")


# Every form the reference read BOUNDED (loops.md §14), and a few more.
ARBITRARY = ["ls; python -c 1", "cat x | bash", "echo $(python -c 1)", "echo `id`",
             "python3.12 x.py", "node.exe a.js", r"C:\Python\python.exe x", '"bash"',
             "(bash -c x)", "env -i python", "nice -n 5 bash", "timeout 5 bash",
             "FOO-BAR=1 python", "uv run x", "pip install x", "make", "docker run x",
             "find . -exec sh {} ;", "awk 'BEGIN{system(\"id\")}'", "git -c core.pager=sh log",
             "powershell", "osascript -e x", "java -jar x", "Rscript x", "gdb -p 1", "sudo",
             "ls && eval x", "sh -c 'ls'", "env -S 'ls -l'", "LD_PRELOAD=x.so ls",
             "$SHELL -c x", "echo 'unclosed", "perl5.36 -e 1", "npx x", "xargs rm",
             "tar -I 'sh -c x' -xf a"]
BOUNDED = ["ls -la", "git log --oneline", "grep -rn foo src", "cat a | grep b",
           "timeout -s KILL 5 ls", "cat <<EOF\nhi\nEOF", "FOO=1 ls"]


@pytest.mark.parametrize("command", ARBITRARY)
def test_w21_exec_capability_refuses_what_the_reference_read_bounded(
        dos: Dos, command: str) -> None:
    ran = dos("exec-capability", "--command", command, "--json")
    assert (ran.code, ran.json["capability"]) == (3, "GRANTS_ARBITRARY_EXEC"), ran.json


@pytest.mark.parametrize("command", BOUNDED)
def test_w21_plain_programs_stay_bounded(dos: Dos, command: str) -> None:
    ran = dos("exec-capability", "--command", command, "--json")
    assert (ran.code, ran.json["capability"]) == (0, "BOUNDED"), ran.json


def test_w22_hook_exit_pass_code_is_remappable_and_nonsense_codes_are_refused(
        dos: Dos) -> None:
    assert dos("hook-exit", "--code", "0").word == "PASS"
    remapped = dos("hook-exit", "--code", "0", "--map", "0=BLOCK", "--json")
    assert (remapped.code, remapped.json["intervention"]) == (3, "BLOCK")
    extra_pass = dos("hook-exit", "--code", "7", "--map", "7=pass")
    assert (extra_pass.code, extra_pass.word) == (0, "PASS")
    assert dos("hook-exit", "--code", "2").code == 3
    assert dos("hook-exit", "--code", "9").word == "WARN"
    for nonsense in ("-9", "256", "1e3", "two"):
        ran = dos("hook-exit", "--code", nonsense)
        assert ran.code == 2, nonsense
        assert "fix:" in ran.err, nonsense
    assert dos("hook-exit", "--code", "3", "--map", "300=BLOCK").code == 2
    assert dos("hook-exit", "--code", "3", "--map", "3=EXPLODE").code == 2


def test_w23_arg_provenance_traces_whole_tokens_and_real_write_names(dos: Dos) -> None:
    prior = '{"incidents": [{"id": "12345", "owner": "U42"}]}'
    sub = dos("arg-provenance", "--tool", "close_incident", "--args",
              '{"incident_id": "1234"}', "--prior", prior, "--json")
    assert (sub.code, sub.json["unsupported"]) == (3, ["incident_id"])  # 1234 ⊄ 12345
    whole = dos("arg-provenance", "--tool", "close_incident", "--args",
                '{"incident_id": "12345"}', "--prior", prior)
    assert whole.code == 0
    for tool in ("write_file", "drop_table", "delete_user", "delete_repo", "execute_sql"):
        ran = dos("arg-provenance", "--tool", tool, "--args", '{"target": "T-999"}',
                  "--prior", prior, "--json")
        assert (ran.code, ran.json["mutating"]) == (3, True), tool
    read = dos("arg-provenance", "--tool", "address_lookup", "--args", '{"id": "T-999"}',
               "--prior", prior, "--json")
    assert (read.code, read.json["mutating"]) == (0, False)
    short = dos("arg-provenance", "--tool", "assign_ticket", "--args",
                '{"assignee": "U43"}', "--prior", prior, "--json")
    assert (short.code, short.json["args"][0]["id_shaped"]) == (3, True)  # U43: a short id
    assert dos("arg-provenance", "--tool", "assign_ticket", "--args", '{"assignee": "U42"}',
               "--prior", prior).code == 0


REAL_ANSWERS = [
    "To fix it:\nStep 1: run make clean.\nStep 2: rebuild.",
    "The crash is a KeyError:\n\nTraceback (most recent call last):\n  File \"a.py\"\n"
    "KeyError: 'x'\n\nGuard the lookup with .get().",
    "Let me think about the trade-offs: A is faster.",
    "I cannot stress enough how much this will help: pin the version.",
    "Models emit a `<thinking>` tag before they answer; strip it in the renderer.",
]
NON_ANSWERS = ["", "   ", "x", "{}", "TODO", "<thinking>\nhmm", "I cannot help with that.",
               "Traceback (most recent call last):\n  File \"a.py\"", "Let me think about it.",
               "tool_call: {\"name\": \"x\"}"]


@pytest.mark.parametrize("text", REAL_ANSWERS)
def test_w24_real_answers_are_answer_shaped(dos: Dos, text: str) -> None:
    ran = dos("answer-shape", "--text", text)
    assert (ran.code, ran.word) == (0, "ANSWER_SHAPED"), ran.out


@pytest.mark.parametrize("text", NON_ANSWERS)
def test_w24_stubs_and_leaks_are_non_answers(dos: Dos, text: str) -> None:
    assert dos("answer-shape", "--text", text).code == 3


def test_w24_patterns_are_lists_and_a_redos_pattern_cannot_hang(dos: Dos) -> None:
    comma = dos("answer-shape", "--text", "aaz and more words", "--non-answer", "a{1,3}z")
    assert comma.code == 3  # one pattern with a comma, not "a{1" and "3}z"
    started = time.monotonic()
    hung = dos("answer-shape", "--text", "a" * 27 + "!", "--non-answer", "(a+)+$",
               "--budget-ms", "200", "--json")
    assert time.monotonic() - started < 5  # the reference took 12 s here
    assert (hung.code, hung.json["state"], hung.json["timed_out"]) == (
        4, "INDETERMINATE", ["(a+)+$"])
    after = dos("answer-shape", "--text", "a" * 27 + "!", "--non-answer", "(a+)+$",
                "--non-answer", "!$", "--budget-ms", "200", "--json")
    # the pattern after the runaway one got a worker of its own, and its match decides
    assert (after.json["state"], after.json["matched"]) == ("NON_ANSWER", "!$")
    marker = dos("answer-shape", "--text", "## Answer\n42", "--markers", "^## answer")
    assert marker.code == 0
    assert dos("answer-shape", "--text", "just words", "--markers", "^## answer").code == 4


def test_w25_guard_flags_after_the_host_are_dos_flags_and_nothing_is_doubled(
        dos: Dos, tmp_path: Path) -> None:
    ws = ("--workspace", str(tmp_path))
    late = dos(*ws, "guard", "--no-mcp", "echo", "hello", "--print-config", "--json")
    assert late.code == 0
    assert late.json["argv"] == ["echo", "hello"]
    doubled = dos(*ws, "guard", "--verify-on-stop", "--", "claude", "--settings", "s.json")
    assert doubled.code == 2
    assert "--settings" in doubled.err
    unknown = dos(*ws, "guard", "--", "aider", "--message", "x")
    assert unknown.code == 2
    assert "wires claude-code, codex, gemini" in unknown.err
    codex = dos(*ws, "guard", "--print-config", "--json", "--", "codex", "exec", "x")
    assert "--mcp-config" not in codex.json["argv"]  # Codex gets its own -c form
    assert dos(*ws, "guard", "--no-mcp", "--strict-mcp", "--", "claude").code == 2
    assert dos(*ws, "guard", "--json", "--", "claude").code == 2  # --json needs --print-config


def test_w26_documented_tables_are_read_validated_and_not_called_unused(
        dos: Dos, git_repo: Callable[..., Any]) -> None:
    repo = git_repo()
    repo.write("dos.toml", '[exec_capability]\nallow = ["ls"]\n[hook_exit]\nmap = {"3" = '
               '"DEFER"}\n[improve]\nmax_reverts = 1\n[arg_provenance]\nwrite_tools = '
               '["lookup_*"]\n')
    ws = ("--workspace", str(repo.path))
    assert dos(*ws, "exec-capability", "--command", "grep x").code == 3  # not on the list
    assert dos(*ws, "exec-capability", "--command", "ls").code == 0
    assert dos(*ws, "hook-exit", "--code", "3").word == "DEFER"
    assert dos(*ws, "improve", "--suite-passed", "--truth-clean").word == "ESCALATE"
    assert dos(*ws, "arg-provenance", "--tool", "lookup_user", "--args",
               '{"user_id": "U9"}', "--prior", "U8").code == 3
    lint = dos(*ws, "lint")
    assert "UNUSED_SETTING" not in lint.out
    repo.write("dos.toml", "[exec_capability]\nalow = [\"ls\"]\n")
    typo = dos(*ws, "exec-capability", "--command", "ls")
    assert typo.code == 2
    assert "alow" in typo.err
    assert "allow" in typo.err


def test_w27_gate_verbs_write_nothing_in_a_fresh_workspace(
        dos: Dos, git_repo: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo()
    repo.commit("init", {"a.txt": "a\n"})
    monkeypatch.setenv("DISPATCH_OBSERVE", "1")
    ws = ("--workspace", str(repo.path))
    for argv in (["improve", "--suite-passed"], ["reward", "--witness", "confirm"],
                 ["test-witness", "--baseline", "fail", "--candidate", "pass"],
                 ["exec-capability", "--command", "ls"], ["hook-exit", "--code", "2"],
                 ["arg-provenance", "--tool", "write_file", "--args", "{}"],
                 ["answer-shape", "--text", "an answer"],
                 ["guard", "--print-config", "--", "claude"]):
        assert dos(*ws, *argv).code != 2, argv
    assert repo.git("status", "--porcelain", "--ignored") == ""


GATES = ("test-witness", "improve", "reward", "exec-capability", "hook-exit",
         "arg-provenance", "answer-shape", "guard")


@pytest.mark.parametrize("verb", GATES)
def test_w28_every_gate_verb_is_in_exit_codes_and_takes_workspace_flags(
        dos: Dos, verb: str, tmp_path: Path) -> None:
    assert verb in VERBS
    assert table()[verb]["contract_error"] == 2
    listed = dos("exit-codes", verb)
    assert listed.code == 0, listed.err
    help_text = dos(verb, "--help").out
    assert "--workspace" in help_text
    assert "examples:" in help_text
    missing = tmp_path / "nowhere"
    ran = dos(verb, "--workspace", str(missing), *_minimal(verb))
    assert ran.code == 2
    assert "does not exist" in ran.err


def _minimal(verb: str) -> list[str]:
    return {"exec-capability": ["--command", "ls"], "hook-exit": ["--code", "0"],
            "arg-provenance": ["--tool", "x", "--args", "{}"],
            "answer-shape": ["--text", "hi"], "guard": ["--print-config", "--", "claude"],
            }.get(verb, [])


def test_the_readme_loop_gate_policy_loads(tmp_path: Path) -> None:
    import re

    from dos.config import load_workspace_config

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Loop gates", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```toml\n(.*?)```", section, flags=re.DOTALL)
    (tmp_path / "dos.toml").write_text(block, encoding="utf-8")
    config = load_workspace_config(tmp_path)
    assert config.table("hook_exit")["map"] == {3: "DEFER", 0: "PASS"}
    assert config.table("exec_capability")["allow"] == ("ls", "cat", "grep", "git")
    assert config.unused_settings == ()
