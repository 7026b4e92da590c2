"""Every verb, given hostile arguments, answers with a documented exit code and never a
traceback: numbers that are not finite or do not fit, non-UTF-8 and NUL-bearing text,
over-long paths, deeply nested JSON, unknown lanes and flags."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests._support.fuzz import (
    PROFILE,
    check_contract,
    fuzz_settings,
    make_workspace,
    run_dos,
    snapshot,
)

from dos import cli
from dos.commands import VERBS

# Flags that make a verb run until it is interrupted, wait on purpose, or read a terminal.
BLOCKING = {"--watch", "--follow", "--interval", "--wait", "--retries", "--retry-delay",
            "--retry-interval", "--max-ticks"}
# Verbs that start long work of their own; fuzzed elsewhere or not at all.
SKIPPED_VERBS = {"quickstart", "hook"}
# Verbs that serve until stopped: fuzzed in their check-and-exit form (tests/web serves).
ALWAYS = {"serve": ["--check"]}

HOSTILE_TEXT = [
    "", " ", "nan", "NaN", "inf", "-inf", "1e308", "-1", "0", "1", "3", "2.5",
    "999999999999999999999999999999", "9" * 400, "-0", "0x10", "1_000",
    "src", "docs", "global", "nosuch", "SRC", "src/**", "../**", "/etc/**", "**",
    "HEAD", "HEAD~999", "nosuch-ref", "main..HEAD", "AUTH", "AUTH1", "RID-nope",
    "a\x00b", os.fsdecode(b"\xff\xfe"), "\ud800", "x" * 5000, "/" + "d/" * 3000,
    "[" * 5000, '{"a":' * 3000, "[]", "[1,2]", '[{"lane": "src", "tree": "src"}]',
    "{}", "KIND=1", "KIND=-1", "=", "../../../../etc/passwd", "~/x", "-", "--",
]


def _actions(parser: argparse.ArgumentParser) -> list[tuple[list[str], argparse.Action]]:
    """(sub-command path, action) for every option and positional of a verb."""
    found: list[tuple[list[str], argparse.Action]] = []

    def walk(current: argparse.ArgumentParser, path: list[str]) -> None:
        for action in current._actions:  # argparse keeps no public list
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*path, name])
            elif not isinstance(action, argparse._HelpAction):
                found.append((path, action))
    walk(parser, [])
    return found


def _parser(verb: str) -> argparse.ArgumentParser:
    parser = cli._verb_parser(verb)
    __import__(VERBS[verb].module)
    sys.modules[VERBS[verb].module].add_arguments(parser)
    return parser


def _argv(verb: str, data: st.DataObject) -> list[str]:
    actions = _actions(_parser(verb))
    paths = sorted({tuple(path) for path, _ in actions})
    sub = list(data.draw(st.sampled_from(paths), label="sub-command")) if paths else []
    mine = [action for path, action in actions if path in ([], sub)
            and action.dest not in ("workspace", "driver", "output", "help")
            and not set(action.option_strings) & BLOCKING]
    argv = [verb, *sub, *ALWAYS.get(verb, [])]
    for action in data.draw(st.lists(st.sampled_from(mine), max_size=5), label="options") \
            if mine else []:
        value = data.draw(st.sampled_from(HOSTILE_TEXT) | st.text(max_size=12), label="value")
        if not action.option_strings:
            argv.append(value)
        elif action.nargs == 0:
            argv.append(action.option_strings[0])
        else:
            argv += [action.option_strings[0], value]
    if data.draw(st.booleans(), label="stray token"):
        argv.append(data.draw(st.sampled_from(["--nosuch-flag", "--jso", "extra", "-x"])))
    return argv


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "ws").mkdir()
    make_workspace(tmp_path / "ws")
    return tmp_path / "ws"


@pytest.mark.parametrize("verb", sorted(set(VERBS) - SKIPPED_VERBS))
@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_hostile_arguments_get_a_documented_exit(verb: str, workspace: Path,
                                                 data: st.DataObject) -> None:
    outside = workspace.parent
    before = _outside(outside, workspace)
    argv = ["--workspace", str(workspace), *_argv(verb, data)]
    output = data.draw(st.sampled_from([[], ["--json"], ["--output", "plain"]]))
    ran = run_dos([*argv, *output], cwd=workspace)
    check_contract(verb, ran, argv)
    assert _outside(outside, workspace) == before, "a run wrote outside the workspace"


def _outside(parent: Path, workspace: Path) -> set[str]:
    return {name for name in snapshot(parent) if not name.startswith(workspace.name)}


RUNG_TEXT = ["OBSERVE", "warn", "Block", "DEFER", " block ", "PASS", "QUARANTINE"]
FLAG_CASE = ('{"confidence": "HIGH", "truly_minted": true, "mattered_to_score": true, '
             '"recovered_if_blocked": true, "recovered_if_deferred": false}\n'
             '{"confidence": "low", "truly_minted": false, "mattered_to_score": false, '
             '"recovered_if_blocked": false, "recovered_if_deferred": false}\n')


@fuzz_settings(40, 400)
@given(data=st.data())
def test_intervention_policy_flags_reach_a_real_case_file(workspace: Path,
                                                          data: st.DataObject) -> None:
    # the verb-wide fuzzer rarely names a readable --cases; here every draw grades one
    (workspace / "flags.jsonl").write_text(FLAG_CASE, encoding="utf-8")
    text = st.sampled_from(RUNG_TEXT) | st.sampled_from(HOSTILE_TEXT) | st.text(max_size=12)
    argv = ["--workspace", str(workspace), "--json", "intervention-eval", "--cases",
            "flags.jsonl"]
    for flag in data.draw(st.lists(st.sampled_from(["--high", "--low", "--ceiling"]),
                                   max_size=3, unique=True), label="flags"):
        argv += [flag, data.draw(text, label=flag)]
    ran = run_dos(argv, cwd=workspace)
    check_contract("intervention-eval", ran, argv)
    if ran.code in (0, 1):
        assert json.loads(ran.out)["scored_by"]["confidence_policy"] == 2
    elif ran.code == 2:
        assert ran.err.startswith("dos: error: "), ran.err
        assert "fix: " in ran.err, ran.err
