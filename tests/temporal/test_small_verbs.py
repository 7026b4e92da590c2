"""productivity, efficiency, breaker, cooldown on the command line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from dos import config as dos_config
from dos.cli import main
from dos.store import writing
from dos.store.journal import JournalEntry
from dos.temporal.cooldown import CooldownPolicy

if TYPE_CHECKING:
    from tests._support.temporal import Workspace

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z: the fixture's commits are dated just after


HOUR = 3_600_000


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("args", "code", "token"), [
    (["productivity", "--deltas", "800,600,300,40,12", "--floor", "100"], 3, "DIMINISHING"),
    (["productivity", "--deltas", "5,5,0"], 4, "STALLED"),
    (["productivity", "--deltas", "0, 0"], 4, "STALLED"),
    (["productivity", "--deltas", "10,20,30"], 0, "PRODUCTIVE"),
    (["efficiency", "--work", "0", "--tokens", "1000"], 4, "WASTEFUL"),
    (["efficiency", "--work", "3", "--tokens", "90000", "--floor", "0.0001"], 3, "COSTLY"),
    (["efficiency", "--work", "0", "--tokens", "999"], 0, "EFFICIENT"),
    (["breaker", "--consecutive", "3", "--total", "3"], 3, "OPEN"),
    (["breaker", "--consecutive", "1", "--total", "2"], 0, "CLOSED"),
])
def test_verdict_line_and_exit_code(capsys: pytest.CaptureFixture[str], args: list[str],
                                    code: int, token: str) -> None:
    got, out, _err = _run(capsys, *args)
    assert got == code
    assert out.startswith(f"{token}  ")
    assert len(out.strip().splitlines()) == 1


def test_json_is_one_sorted_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "breaker", "--consecutive", "3", "--total", "5",
                           "--on-trip", "human", "--json")
    payload = json.loads(out)
    assert code == 3
    assert (payload["state"], payload["escalation"], payload["tripped_on"]) == \
        ("OPEN", "HUMAN", "consecutive")
    assert out.strip() == json.dumps(payload, sort_keys=True)


@pytest.mark.parametrize("args", [
    ["productivity", "--deltas", "1,2,3", "--min-steps", "-1"],
    ["productivity", "--deltas", "1,2,3", "--floor", "-1"],
    ["productivity", "--deltas", "1,-2"],
    ["productivity", "--deltas", "1,x"],
    ["productivity", "--deltas", "1,,2"],
    ["efficiency", "--work", "1", "--tokens", "5", "--floor", "-1"],
    ["efficiency", "--work", "1", "--tokens", "5", "--floor", "nan"],
    ["efficiency", "--work", "1", "--tokens", "5", "--min-tokens", "-1"],
    ["efficiency", "--work", "-1", "--tokens", "5"],
    ["breaker", "--consecutive", "5", "--total", "1"],
    ["breaker", "--max-consecutive", "0", "--max-total", "0"],
    ["breaker", "--max-total", "-3"],
    ["cooldown", "X", "--attempts", "{}"],
    ["cooldown", "X", "--attempts", "[1]"],
    ["cooldown", "X", "--window-ms", "-1", "--attempts", "[]"],
    ["cooldown", "X", "--now-ms", "-1", "--attempts", "[]"],
    ["cooldown", "X", "--attempts", "[" * 5_000 + "]" * 5_000],  # nested past the stack
    ["watch", "--max-ticks", "1", "--track", '{"a": ' * 5_000 + "1" + "}" * 5_000],
])
def test_invalid_values_are_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: object,
                                         args: list[str]) -> None:
    code, _out, err = _run(capsys, "--workspace", str(tmp_path), *args)
    assert code == 2
    assert err.startswith("dos: error:")
    assert "Traceback" not in err


def test_cooldown_reads_attempts_from_the_store(workspace: Workspace) -> None:
    config = dos_config.load_workspace_config(workspace.path)
    workspace.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    with writing(config) as tx:
        tx.append(JournalEntry("ATTEMPT", lane="src", payload={"unit_id": "AUTH2",
                                                               "outcome": "blocked"}))
        tx.append(JournalEntry("ATTEMPT", lane="src", payload={"unit_id": "AUTH3",
                                                               "outcome": "shipped"}))
    held = workspace.dos("cooldown", "AUTH2", "--json", at=T0 + HOUR)
    assert held.code == 3
    assert held.json()["until_ms"] == T0 + 6 * HOUR
    assert workspace.dos("cooldown", "AUTH2", at=T0 + 6 * HOUR).code == 0
    assert workspace.dos("cooldown", "AUTH3", at=T0 + HOUR).code == 0


def test_cooldown_window_from_dos_toml_keeps_fractions(workspace: Workspace) -> None:
    (workspace.path / "dos.toml").write_text(
        "[cooldown]\nwindow_hours = 1.5\nerror_window_minutes = 7.5\n", encoding="utf-8")
    config = dos_config.load_workspace_config(workspace.path)
    policy = CooldownPolicy.from_table(config.table("cooldown"))
    assert (policy.window_ms, policy.error_window_ms) == (5_400_000, 450_000)
    attempts = '[{"unit_id": "U", "outcome": "drained", "attempted_at_ms": 0}]'
    assert workspace.dos("cooldown", "U", "--attempts", attempts, "--now-ms",
                         str(5_399_999)).code == 3
    assert workspace.dos("cooldown", "U", "--attempts", attempts, "--now-ms",
                         str(5_400_000)).code == 0


def test_cooldown_never_creates_the_store(workspace: Workspace) -> None:
    assert workspace.dos("cooldown", "AUTH2").code == 0
    assert not (workspace.path / ".dos").exists()


@pytest.mark.parametrize(("table", "args", "code", "token"), [
    ("[breaker]\nmax_consecutive = 1\n", ["breaker", "--consecutive", "1", "--total", "1"],
     3, "OPEN"),
    ("[breaker]\nmax_consecutive = 1\n",
     ["breaker", "--consecutive", "1", "--total", "1", "--max-consecutive", "2"], 0, "CLOSED"),
    ("[productivity]\nfloor = 50\n", ["productivity", "--deltas", "60,60,60"],
     0, "PRODUCTIVE"),
    ("[productivity]\nmin_steps = 5\n", ["productivity", "--deltas", "5,5,0"],
     0, "PRODUCTIVE"),
    ("[efficiency]\nmin_tokens = 10\n", ["efficiency", "--work", "0", "--tokens", "20"],
     4, "WASTEFUL"),
    ("[efficiency]\nmin_tokens = 10\n",
     ["efficiency", "--work", "0", "--tokens", "20", "--min-tokens", "100"], 0, "EFFICIENT"),
])
def test_the_workspace_table_sets_the_policy_and_a_flag_overrides_it(
        workspace: Workspace, table: str, args: list[str], code: int, token: str) -> None:
    (workspace.path / "dos.toml").write_text(table, encoding="utf-8")
    result = workspace.dos(*args)
    assert (result.code, result.out.split("  ")[0]) == (code, token), result.err


def test_a_bad_policy_table_is_a_configuration_error(workspace: Workspace) -> None:
    (workspace.path / "dos.toml").write_text('[breaker]\non_trip = "pager"\n', encoding="utf-8")
    result = workspace.dos("breaker", "--consecutive", "3", "--total", "3")
    assert result.code == 2
    assert "on_trip" in result.err
    assert result.out == ""
