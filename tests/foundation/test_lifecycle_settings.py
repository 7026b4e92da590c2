"""`[lifecycle]` is read and validated like every other table: a table that is set
replaces the defaults, a transition names declared classes and a trigger dos can
evaluate, and `dos doctor` shows what is in force."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._support.truth import run_cli

from dos.config import load_workspace_config
from dos.errors import ConfigError
from dos.settings.lifecycle import TRIGGERS, LifecycleSettings, Transition
from dos.truth.lifecycle import TRIGGER_RULES

_FULL = """\
[lifecycle]
classes = ["draft", "Active", "done", "frozen"]
veto_class = "FROZEN"
max_transitions_per_cycle = 2
per_plan_cooldown_hours = 1.5

[[lifecycle.transitions]]
from = "draft"
to = "active"
trigger = "any_phase_shipped"

[[lifecycle.transitions]]
from = "active"
to = "done"
trigger = "all_phases_shipped"
auto = false
"""


def _load(tmp_path: Path, text: str) -> LifecycleSettings:
    (tmp_path / "dos.toml").write_text(text, encoding="utf-8")
    return load_workspace_config(tmp_path).lifecycle


def test_no_table_is_the_reference_default(tmp_path: Path) -> None:
    assert load_workspace_config(tmp_path).lifecycle == LifecycleSettings(
        ("active", "done"), (Transition("active", "done", "all_phases_shipped", True),), "",
        5, 72.0)


def test_a_full_table_is_read_in_the_declared_spelling(tmp_path: Path) -> None:
    settings = _load(tmp_path, _FULL)
    assert settings.classes == ("draft", "Active", "done", "frozen")
    assert settings.transitions == (Transition("draft", "Active", "any_phase_shipped", True),
                                    Transition("Active", "done", "all_phases_shipped", False))
    assert (settings.veto_class, settings.max_transitions_per_cycle,
            settings.per_plan_cooldown_hours) == ("frozen", 2, 1.5)


def test_the_table_replaces_the_defaults_whole(tmp_path: Path) -> None:
    settings = _load(tmp_path, '[lifecycle]\nclasses = ["active", "done", "archived"]\n'
                               "max_transitions_per_cycle = 0\n")
    assert settings.per_plan_cooldown_hours == 72.0  # left out: the default, not a base's
    assert settings.max_transitions_per_cycle == 0
    assert settings.transitions == LifecycleSettings().transitions


@pytest.mark.parametrize(("text", "message", "fix"), [
    ('classes = []', "classes must be an array of 1 to 64 class names", "e.g. classes"),
    ('classes = ["a b"]', "classes must be an array", "a letter first"),
    ('classes = ["done", "DONE", "active"]', "names 'DONE' twice", "list each class once"),
    ('classes = ["draft", "live"]', "leaves out 'active' or 'done'",
     "declare your own [[lifecycle.transitions]]"),
    ('veto_class = "frozen"', "veto_class 'frozen' is not a declared class",
     "declare it in [lifecycle] classes (now: active, done)"),
    ("max_transitions_per_cycle = -1", "must be an integer from 0", "max_transitions_per_cycle"),
    ("max_transitions_per_cycle = 1.5", "must be an integer", "max_transitions_per_cycle"),
    ("per_plan_cooldown_hours = -1", "must be a number from 0", "per_plan_cooldown_hours"),
    ("per_plan_cooldown_hours = inf", "must be a number from 0", "per_plan_cooldown_hours"),
    ("per_plan_cooldown_hours = nan", "must be a number from 0", "per_plan_cooldown_hours"),
    ('cooldown_hours = 1', "unknown key 'cooldown_hours'", "per_plan_cooldown_hours"),
    ('transitions = "active->done"', "transitions must be an array", "[[lifecycle.transitions]]"),
    ('transitions = [1]', "transitions entry 1 must be a table", "from, to and trigger"),
    ('transitions = [{from = "active", to = "done"}]', "transitions entry 1 has no trigger",
     "trigger"),
    ('transitions = [{from = "active", to = "gone", trigger = "all_phases_shipped"}]',
     "transitions entry 1 to 'gone' is not a declared class", "(now: active, done)"),
    ('transitions = [{from = "done", to = "DONE", trigger = "phases_open"}]',
     "moves 'done' to itself", "name another class"),
    ('transitions = [{from = "active", to = "done", trigger = "merged"}]',
     "trigger 'merged', which dos cannot evaluate",
     "use one of: all_phases_shipped, any_phase_shipped, phases_open"),
    ('transitions = [{from = "active", to = "done", trigger = "phases_open", auto = "yes"}]',
     "auto must be true or false", "auto"),
    ('transitions = [{from = "active", to = "done", trigger = "phases_open", when = 1}]',
     "unknown key 'when'", "known keys"),
])
def test_a_bad_table_names_the_key_and_the_fix(tmp_path: Path, text: str, message: str,
                                               fix: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, f"[lifecycle]\n{text}\n")
    assert message in str(raised.value)
    assert fix in (raised.value.hint or "")


def test_the_cli_refuses_a_bad_table_with_exit_2(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dos.toml").write_text('[lifecycle]\nveto_class = "frozen"\n', encoding="utf-8")
    code, out, err = run_cli(capsys, ["--workspace", str(tmp_path), "doctor"])
    assert (code, out) == (2, "")
    assert err.startswith(f"dos: error: {tmp_path / 'dos.toml'}:2: [lifecycle] veto_class")
    assert "fix: declare it in [lifecycle] classes" in err


def test_every_trigger_the_table_accepts_is_one_the_tick_evaluates() -> None:
    assert set(TRIGGERS) == set(TRIGGER_RULES)


def test_doctor_shows_the_table_in_force(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dos.toml").write_text(_FULL, encoding="utf-8")
    code, out, _ = run_cli(capsys, ["--workspace", str(tmp_path), "doctor", "--json"])
    assert code in (0, 1)
    assert json.loads(out)["lifecycle"] == {
        "classes": ["draft", "Active", "done", "frozen"],
        "transitions": [{"from": "draft", "to": "Active", "trigger": "any_phase_shipped",
                         "auto": True},
                        {"from": "Active", "to": "done", "trigger": "all_phases_shipped",
                         "auto": False}],
        "veto_class": "frozen", "max_transitions_per_cycle": 2, "per_plan_cooldown_hours": 1.5}
    code, out, _ = run_cli(capsys, ["--workspace", str(tmp_path), "--output", "plain", "doctor"])
    assert ("lifecycle           draft -> Active on any_phase_shipped, Active -> done on "
            "all_phases_shipped (operator); veto frozen; at most 2 a cycle, 1.5h cooldown"
            ) in out.splitlines()


def test_lint_no_longer_calls_the_table_unused(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dos.toml").write_text(_FULL, encoding="utf-8")
    code, out, _ = run_cli(capsys, ["--workspace", str(tmp_path), "lint", "--json"])
    assert code == 0
    assert not [f for f in json.loads(out)["findings"] if f["kind"] == "UNUSED_SETTING"]


def test_the_readme_table_loads_as_it_says(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Plan lifecycle", 1)[1].split("\n## ", 1)[0]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    settings = _load(tmp_path, block)
    assert settings.veto_class == "frozen"
    assert [(t.source, t.target, t.trigger) for t in settings.transitions] == [
        ("active", "done", "all_phases_shipped"), ("draft", "active", "any_phase_shipped")]
