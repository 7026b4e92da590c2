"""Item 2, "no input reaches exit 70": every hostile number, nested document and over-long
path is exit 2 with one `dos: error: … fix: …` message naming the flag or key and the
accepted range, driven end to end through `dos.cli.main` in a real workspace."""

from __future__ import annotations

import argparse
import errno
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._support.fuzz import DOS_TOML, Ran, make_workspace, run_dos

from dos import cli
from dos.commands import VERBS
from dos.commands._args import too_long_path
from dos.hooks.failure import peek_on_error

HOSTILE_NUMBERS = ["nan", "inf", "-inf", "1e308", "9" * 30, "-1" + "0" * 25, "x", "9" * 5000]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "ws").mkdir()
    make_workspace(tmp_path / "ws")
    return tmp_path / "ws"


@pytest.fixture(scope="module")
def shared_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workspace for the argument census: a refused argument writes nothing."""
    root = tmp_path_factory.mktemp("census") / "ws"
    root.mkdir()
    make_workspace(root)
    return root


def dos(workspace: Path, *argv: str) -> Ran:
    return run_dos(["--workspace", str(workspace), *argv], cwd=workspace)


def assert_usage(ran: Ran, *fragments: str) -> None:
    """Exit 2, one message and its fix, naming everything in ``fragments``; no crash."""
    assert ran.code == 2, ran
    assert ran.err.startswith("dos: error: "), ran.err
    assert "\n  fix: " in ran.err, ran.err
    assert ran.err.count("dos: error:") == 1, ran.err
    assert "Traceback" not in ran.err
    assert "internal error" not in ran.err
    for fragment in fragments:
        assert fragment in ran.err, (fragment, ran.err)


def _numeric_actions() -> list[tuple[str, list[str], argparse.Action]]:
    """(verb, sub-command path, action) for every numeric flag or positional of every verb."""
    found = []
    for verb, spec in sorted(VERBS.items()):
        parser = cli._verb_parser(verb)
        __import__(spec.module)
        __import__("sys").modules[spec.module].add_arguments(parser)
        stack: list[tuple[list[str], argparse.ArgumentParser]] = [([], parser)]
        while stack:
            path, current = stack.pop()
            for action in current._actions:  # argparse keeps no public list
                if isinstance(action, argparse._SubParsersAction):
                    stack += [([*path, name], sub) for name, sub in action.choices.items()]
                elif action.type not in (None, str) and not action.choices:
                    found.append((verb, path, action))  # choices: argparse checks them
    return found


NUMERIC = _numeric_actions()


def test_item02_every_numeric_argument_is_bounded_by_the_shared_module() -> None:
    assert len(NUMERIC) >= 45  # the census this item started from
    loose = [(verb, action.dest) for verb, _path, action in NUMERIC
             if getattr(action.type, "__module__", "") != "dos.commands._args"]
    assert loose == []  # a bare type=int or type=float is back


@pytest.mark.parametrize(("verb", "path", "action"), NUMERIC,
                         ids=[f"{v}-{'-'.join(p)}-{a.dest}" for v, p, a in NUMERIC])
@pytest.mark.parametrize("value", HOSTILE_NUMBERS, ids=lambda v: v[:12])
def test_item02_hostile_numbers_are_exit_2_naming_the_argument(
        shared_workspace: Path, verb: str, path: list[str], action: argparse.Action,
        value: str) -> None:
    name = action.option_strings[-1] if action.option_strings else action.dest
    # --flag=value and `-- value`: a value such as "-inf" must not read as a flag
    given = [f"{name}={value}"] if action.option_strings else ["--", value]
    argv = [verb, *path, *given]
    ran = dos(shared_workspace, *argv)
    assert_usage(ran, f"dos: error: {name} must be ", f"fix: give {name} ")
    assert " from " in ran.err or " at most " in ran.err  # the accepted range is stated


@pytest.mark.parametrize(("argv", "flag", "accepted"), [
    (["lease-lane", "reap", "--grace-seconds", "nan"], "--grace-seconds",
     "a number of seconds from 0 to 3153600000"),
    (["loop", "--now-ms", "9" * 30], "--now-ms", "an epoch-ms time from 0 to 32503680000000"),
    (["journal", "tail", "9" * 30], "count", "an integer from -1000000000000000"),
    (["lease-lane", "acquire", "--lane", "src", "--owner", "A", "--ttl-seconds", "0"],
     "--ttl-seconds", "a number of seconds more than 0 and at most 315360000"),
    (["liveness", "--run-id", "RID-x", "--pid", "0"], "--pid", "a process id from 1"),
    (["coverage", "--declared", "0"], "--declared", "an integer from 1 to"),
    # a roster plans each worker: 10**15 of them took minutes before this bound
    (["loop", "--target", "10001", "--max-concurrency", "10000"], "--target",
     "an integer from 0 to 10000"),
])
def test_item02_known_crashes_name_the_flag_and_range(workspace: Path, argv: list[str],
                                                      flag: str, accepted: str) -> None:
    assert dos(workspace, "lease-lane", "acquire", "--lane", "docs", "--owner", "B").code == 0
    assert_usage(dos(workspace, *argv), f"{flag} must be {accepted}", f"fix: give {flag}")


def test_item02_values_in_range_still_work(workspace: Path) -> None:
    assert dos(workspace, "lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    assert dos(workspace, "lease-lane", "reap", "--grace-seconds", "0").code == 0
    tail = dos(workspace, "--json", "journal", "tail", "-1")  # 0 or less: the whole journal
    assert tail.code == 0
    assert len(tail.out.splitlines()) >= 1
    assert dos(workspace, "loop", "--now-ms", "32503680000000").code in (0, 1, 3)


DEEP_ARRAY, DEEP_OBJECT = "[" * 5000, '{"a":' * 3000


@pytest.mark.parametrize(("argv", "fragment"), [
    (["watch", "--track", DEEP_OBJECT], "not valid JSON"),
    (["watch", "--track", '{"run_id": "RID-1M933MKRG63AF8T", "budget_ms": ' + "9" * 30 + "}"],
     "budget_ms must be an integer >= 0 and at most 3153600000000"),
    (["cooldown", "U1", "--attempts", DEEP_ARRAY], "--attempts is not valid JSON"),
    (["cooldown", "U1", "--attempts", '[{"outcome": "drained", "attempted_at_ms": 1e400}]'],
     "attempted_at_ms from 0 to"),
    (["cooldown", "U1", "--attempts",
      '[{"outcome": "drained", "attempted_at_ms": ' + "9" * 30 + "}]"], "attempted_at_ms"),
    (["lease-lane", "acquire", "--lane", "src", "--owner", "A", "--leases",
      '[{"lane": "docs", "tree": ["docs/**"], "ttl_ms": 1e400}]'], "--leases[0] is malformed"),
    (["arbitrate", "--lane", "src", "--leases",
      '[{"lane": "docs", "tree": ["docs/**"], "acquired_at_ms": ' + "9" * 30 + "}]"],
     "--leases[0] acquired_at_ms must be an integer from 0 to"),
    (["arbitrate", "--lane", "src", "--class-budget", "concurrent=²"], "--class-budget"),
    (["arbitrate", "--lane", "src", "--class-budget", "concurrent=" + "9" * 5000],
     "--class-budget must be CLASS=N with N from 0 to"),
    (["productivity", "--deltas", "1,²"], "--deltas must be a comma list of integers"),
    (["productivity", "--deltas", "9" * 5000], "--deltas must be a comma list of integers"),
    (["export", "--since", "²"], "--since must be a seq"),  # isdigit() yet not int()
    (["export", "--since", "9" * 5000], "--since must be a seq"),
])
def test_item02_numbers_and_nesting_inside_json_arguments_are_bounded(
        workspace: Path, argv: list[str], fragment: str) -> None:
    assert_usage(dos(workspace, *argv), fragment)


@pytest.mark.parametrize("port", ["²", "9" * 5000, "0"])
def test_item02_a_statsd_port_from_the_environment_is_bounded(
        workspace: Path, port: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_STATSD_PORT", port)
    assert_usage(dos(workspace, "export", "--to", "statsd", "--dry-run"),
                 "is not a port number", "fix: pass --port 1-65535")


@pytest.mark.parametrize(("setting", "where", "accepted"), [
    ("[store]\nlock_delay_s = 9223372036854775808\n", "[store] lock_delay_s",
     "an integer from 0 to 3153600000"),
    ("[cooldown]\nwindow_hours = nan\n", "[cooldown] window_hours", "a number from 0 to 876000"),
    ("[cooldown]\nerror_window_minutes = inf\n", "[cooldown] error_window_minutes",
     "a number from 0 to"),
    ("[cooldown]\nwindow_ms = 99999999999999999\n", "[cooldown] window_ms",
     "an integer from 0 to 3153600000000"),
    ("[store]\nbusy_timeout_ms = 3000000000\n", "[store] busy_timeout_ms",
     "an integer from 0 to 86400000"),
    ("[liveness]\ngrace_s = 1" + "0" * 20 + "\n", "[liveness] grace_s", "from 0 to"),
    ("[retention]\njournal_max_age_days = 1e308\n", "[retention] journal_max_age_days",
     "a number from 0 to 36500"),
    ("[overlap]\nratio_max = nan\n", "[overlap] ratio_max", "a number from 0 to 1"),
    ("[efficiency]\nfloor = -inf\n", "[efficiency] floor", "a number from 0 to"),
    ("[supervise]\ntarget = 10001\n", "[supervise] target", "an integer from 0 to 10000"),
    ("[supervise]\nmax_concurrency = 1000000000000000\n", "[supervise] max_concurrency",
     "an integer from 1 to 10000"),
    ('[[concurrency_class]]\nname = "c"\nmax_concurrent = 1e400\n',
     "[concurrency_class] max_concurrent", "an integer"),
])
@pytest.mark.parametrize("verb", [["lint"], ["lease-lane", "live"]])
def test_item02_hostile_settings_are_exit_2_naming_file_key_and_range(
        workspace: Path, setting: str, where: str, accepted: str, verb: list[str]) -> None:
    (workspace / "dos.toml").write_text(DOS_TOML + setting, encoding="utf-8")
    ran = dos(workspace, *verb)
    assert_usage(ran, f"{workspace / 'dos.toml'}:", where, accepted, "fix: set ")


@pytest.mark.parametrize("nested", [
    "deep = " + "[" * 5000 + "]" * 5000,
    "deep = " + "{a = " * 5000 + "1" + "}" * 5000,
    "[" + ".".join(["a"] * 5000) + "]",
    "deep = " + "[" * 40 + "]" * 40,  # parses, yet nests past the bound
])
def test_item02_deeply_nested_toml_is_exit_2_not_a_recursion_error(workspace: Path,
                                                                   nested: str) -> None:
    (workspace / "dos.toml").write_text(DOS_TOML + nested + "\n", encoding="utf-8")
    assert_usage(dos(workspace, "lint"), f"{workspace / 'dos.toml'}: ",
                 "nest deeper than 32 levels", "fix: flatten")
    assert peek_on_error(str(workspace)) == "deny"  # the hook's fallback fails closed


def test_item02_shallow_nesting_is_still_accepted(workspace: Path) -> None:
    (workspace / "dos.toml").write_text(DOS_TOML + "[reasons]\n", encoding="utf-8")
    assert dos(workspace, "lint").code == 0


@pytest.mark.parametrize("long_path", [
    "x" * 5000, "{ws}/" + "y" * 300, "/" + "d/" * 3000, "./" + "e" * 256 + "/",
], ids=["5000-chars", "long-name-inside", "3000-components", "relative-long-name"])
def test_item02_over_long_workspace_paths_are_exit_2(workspace: Path, long_path: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = long_path.replace("{ws}", str(workspace))
    assert_usage(run_dos(["--workspace", path, "lint"], cwd=workspace),
                 "the path given to --workspace is too long", "fix: use a shorter path")
    monkeypatch.setenv("DISPATCH_WORKSPACE", path)
    assert_usage(run_dos(["lint"], cwd=workspace),
                 "the path given to DISPATCH_WORKSPACE is too long")


@pytest.mark.parametrize("argv", [
    ["init", "z" * 300],
    ["verify-result", "--transcript", "~nosuchuser" + "q" * 8 + "/t.jsonl"],
    ["verify-result", "--transcript", "t" * 300],
    ["coverage", "--declared", "1", "--transcript", "/" + "d/" * 3000],
    ["journal", "export", "--to", "o" * 300],
])
def test_item02_over_long_or_odd_path_arguments_never_crash(workspace: Path,
                                                            argv: list[str]) -> None:
    ran = dos(workspace, *argv)
    assert ran.code != 70, ran
    assert "Traceback" not in ran.err
    if ran.code == 2:
        assert "fix: " in ran.err


def test_item02_a_name_too_long_inside_the_store_is_not_a_usage_error(workspace: Path) -> None:
    url = f"sqlite:///{workspace}/{'z' * 300}.db"  # dos.toml's choice, not an argument
    (workspace / "dos.toml").write_text(DOS_TOML + f'[store]\nurl = "{url}"\n', "utf-8")
    ran = dos(workspace, "lease-lane", "acquire", "--lane", "src", "--owner", "A")
    assert ran.code == 74, ran  # store unreadable, as any store failure
    assert "too long for the file system" not in ran.err


def test_item02_the_boundary_blames_only_a_path_an_argument_gave() -> None:
    long_name = "/tmp/" + "n" * 300
    error = OSError(errno.ENAMETOOLONG, "File name too long", long_name)
    assert too_long_path(error, ["lint"]) is None  # dos built that name: a bug, exit 70
    blamed = too_long_path(error, ["--workspace", long_name, "lint"])
    assert blamed is not None
    assert "--workspace" in blamed.message
    other = OSError(errno.EACCES, "Permission denied", long_name)
    assert too_long_path(other, ["--workspace", long_name]) is None


def test_item02_settings_json_shape_is_unchanged_for_valid_values(workspace: Path) -> None:
    (workspace / "dos.toml").write_text(DOS_TOML + "[store]\nlock_delay_s = 3153600000\n"
                                        "[cooldown]\nwindow_hours = 876000\n", "utf-8")
    ran = dos(workspace, "--json", "lint")
    assert ran.code == 0, ran
    assert isinstance(json.loads(ran.out), dict)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_is_finite_agrees_with_math(value: float) -> None:
    import math

    from dos.limits import is_finite

    assert is_finite(value) is math.isfinite(value)
