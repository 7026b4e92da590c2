"""`dos loop` and `dos man` propose only commands that exist: the worker launch is the
workspace's own `[supervise] launch` argument list, validated; dos invents none."""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

import pytest

from dos import config as dos_config
from dos.admission.reasons import registry
from dos.commands import VERBS
from dos.store import reading
from dos.temporal.evidence import iter_records

if TYPE_CHECKING:
    from tests._support.temporal import Workspace

T0 = 1_767_225_600_000
_LAUNCH = '["my-agent", "--lane", "{lane}", "--run-id", "{run_id}", "--note", "a b"]'


@pytest.fixture
def roster(workspace: Workspace) -> Workspace:
    for name in ("docs", "src"):
        workspace.repo.write(f"{name}/README.md", f"{name}\n")
    assert workspace.dos("init").code == 0
    return workspace


def _with_launch(workspace: Workspace, line: str) -> None:
    toml = workspace.path / "dos.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f"\n[supervise]\n{line}\n",
                    encoding="utf-8")


def _unknown(commands: list[str]) -> list[str]:
    """The commands (``dos VERB …`` or anything else) that name no dos verb."""
    return [c for c in commands if c and not (c.startswith("dos ") and c.split()[1] in VERBS)]


def _slash_commands(text: str) -> list[str]:
    return re.findall(r"(?<![\w.])/[a-z][\w-]*", text)


def test_without_a_launch_a_spawn_names_no_command(roster: Workspace) -> None:
    result = roster.dos("loop", "--target", "1")
    assert result.code == 0
    spawn = next(line for line in result.out.splitlines() if line.startswith("spawn "))
    assert "no launch command configured: set [supervise] launch" in spawn
    assert "/dos-dispatch-loop" not in result.out
    plan = roster.dos("loop", "--target", "1", "--json").json()
    assert [p["command"] for p in plan["spawn"]] == [""]


def test_the_configured_launch_is_proposed_with_the_lane_filled_in(roster: Workspace) -> None:
    _with_launch(roster, f"launch = {_LAUNCH}")
    result = roster.dos("loop", "--target", "1")
    spawn = next(line for line in result.out.splitlines() if line.startswith("spawn "))
    lane = spawn.split()[1]
    command = spawn.split("— run: ", 1)[1]
    assert shlex.split(command) == ["my-agent", "--lane", lane, "--run-id", "{run_id}",
                                    "--note", "a b"]


def test_a_recorded_spawn_carries_the_minted_run_id(roster: Workspace) -> None:
    _with_launch(roster, f"launch = {_LAUNCH}")
    report = roster.dos("loop", "--target", "1", "--record", "--json", at=T0).json()
    [spawned] = report["recorded"]["spawned"]
    argv = shlex.split(spawned["command"])
    assert argv[argv.index("--run-id") + 1] == spawned["run_id"]
    config = dos_config.load_workspace_config(roster.path)
    with reading(config) as tx:
        assert tx is not None
        [record] = list(iter_records(tx, op="SPAWN"))
    assert spawned["run_id"] in record.payload["reason"]


def test_the_reference_string_template_still_works(roster: Workspace) -> None:
    _with_launch(roster, 'worker_launch_template = "agent --lane {lane}"')
    result = roster.dos("loop", "--target", "1", "--json")
    [spawn] = result.json()["spawn"]
    assert spawn["command"] == f"agent --lane {spawn['lane']}"


@pytest.mark.parametrize(("line", "message"), [
    ('launch = ["{lane}", "x"]', "start with the program"),
    ('launch = ["agent", "--lane", "{lane_name}"]', "{lane_name}"),
    ('launch = ["agent", "--fixed"]', "{lane} or {run_id}"),
    ('launch = ["agent", ""]', "non-empty single-line"),
    ('launch = "agent {lane}"', "array of strings"),
    ('launch = ["a", "{lane}"]\nworker_launch_template = "b {lane}"', "sets both"),
])
def test_an_invalid_launch_is_a_usage_error(line: str, message: str,
                                            roster: Workspace) -> None:
    _with_launch(roster, line)
    result = roster.dos("loop", "--target", "1")
    assert result.code == 2
    assert message in result.err


def test_loop_and_man_propose_no_command_that_does_not_exist(roster: Workspace) -> None:
    plan = roster.dos("loop", "--target", "3", "--json").json()
    proposed = [p["command"] for key in ("spawn", "reap", "flag", "proposed_halt", "escalate")
                for p in plan[key]]
    texts = [roster.dos("loop", "--target", "3").out, roster.dos("man", "wedge").out,
             roster.dos("man", "lane").out]
    config = dos_config.load_workspace_config(roster.path)
    for spec in registry(config):
        texts.append(roster.dos("man", "wedge", spec.token, "--explain").out)
        page = roster.dos("man", "wedge", spec.token, "--json").json()
        proposed += page["see_also"]
        proposed += re.findall(r"`(dos [^`]+)`", page["fix"])
    assert len(proposed) > 10
    assert _unknown(proposed) == []
    assert _slash_commands("\n".join(texts)) == []
    assert _slash_commands("REFUSAL? yes — route to /replan") == ["/replan"]
    assert _unknown(["/dos-dispatch-loop --lane src", "dos nope"]) == [
        "/dos-dispatch-loop --lane src", "dos nope"]
