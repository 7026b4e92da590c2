"""The short verbs' plain command lines skip argparse (`dos.commands._quick_args`):
whenever the quick parser answers, argparse — which parses every other line — answers the
same, on generated command lines of each verb; the lines it leaves to argparse include
every error and help request; and the verbs that opt in really do run without argparse."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._support.fuzz import fuzz_settings
from tests._support.git import GitRepo

from dos import cli
from dos.commands import VERBS
from dos.commands._quick_args import Recorder, quick_parse, recorded
from dos.errors import UsageError

QUICK_VERBS = ("verify", "arbitrate", "status", "lease-lane")
_VALUES = ["", "AUTH", "AUTH1", "api", "HEAD", "x y", "-x", "-5", "--", "nan", "inf", "300",
           "0", "1e308", "2.5", "shared", "exclusive", "json", "text", "plain", "bogus",
           "subject", "none", "shipped", "RID-1", "=", "a=b", "global=1", "s1"]
_GLOBALS = ["--workspace", "--driver", "--job", "--output", "--json"]


def _module(verb: str) -> ModuleType:
    __import__(VERBS[verb].module)
    return sys.modules[VERBS[verb].module]


_PARSERS: dict[tuple[str, str], Any] = {}


def _argparse(verb: str, rest: list[str]) -> dict[str, Any] | None:
    """What argparse parses (None: it refused the line or printed help)."""
    module = _module(verb)
    key = (verb, rest[0] if rest and rest[0] in getattr(module, "SUBCOMMANDS", ()) else "")
    if key not in _PARSERS:  # a parser parses any number of lines, each afresh
        _PARSERS[key] = cli._verb_parser(verb)
        cli._add_arguments(module, _PARSERS[key], rest)
    try:
        return vars(_PARSERS[key].parse_args(rest))
    except (UsageError, SystemExit):
        return None


def _agree(verb: str, rest: list[str]) -> bool:
    """Whether the quick parser answered ``rest`` (it then agrees with argparse)."""
    quick = quick_parse(_module(verb), rest)
    if quick is None:
        return False
    assert quick == _argparse(verb, rest), rest
    return True


def _recorder(verb: str, rest: Sequence[str]) -> Recorder:
    """The verb's recorded flags (of the sub-command ``rest`` names first)."""
    recorder = recorded(_module(verb), rest)
    if recorder.commands and rest and rest[0] in recorder.commands:
        recorder = recorder.commands[rest[0]]
    return recorder


@st.composite
def _lines(draw: st.DrawFn, verb: str) -> list[str]:
    """Mostly well-formed lines (the positionals the verb takes, then its flags, each
    with a value when it takes one), with hostile values, missing or extra positionals
    and stray tokens mixed in, so both parsers have plenty to agree on."""
    head: list[str] = []
    if verb == "lease-lane":
        head = [draw(st.sampled_from(["acquire", "release", "heartbeat", "live", "reap",
                                      "spawn", "acquire", "release", "bogus", "--json"]))]
    recorder = _recorder(verb, head)
    switches = [*sorted(name for name, flag in recorder.options.items()
                        if flag.action == "store_true"), "--json", "--job"]
    valued = [*sorted(name for name, flag in recorder.options.items()
                      if flag.action != "store_true"), "--workspace", "--driver", "--output"]
    choices = sorted({str(choice) for flag in recorder.options.values()
                      for choice in (flag.choices or ())})
    value = st.sampled_from(_VALUES + choices)
    noise = st.sampled_from(["-h", "--help", "--nosuch", "--", "-x", *switches, *valued])
    unit = st.one_of(
        st.tuples(st.sampled_from(valued), value).map(list),
        st.tuples(st.sampled_from(valued), value).map(lambda pair: [f"{pair[0]}={pair[1]}"]),
        st.sampled_from(switches).map(lambda flag: [flag]),
        st.sampled_from(switches).map(lambda flag: [f"{flag}=1"]),
        noise.map(lambda token: [token]) | value.map(lambda token: [token]))
    wanted = len(recorder.positionals)
    count = draw(st.sampled_from([wanted, wanted, wanted, max(0, wanted - 1), wanted + 1]))
    positionals = draw(st.lists(value, min_size=count, max_size=count))
    units = draw(st.lists(unit, max_size=6))
    return head + positionals + [token for tokens in units for token in tokens]


def _systematic(verb: str, head: list[str]) -> list[list[str]]:
    """Each flag with each value (both spellings), each switch (also given a value), each
    ordered pair of global flags, and one positional too few and too many."""
    recorder = _recorder(verb, head)
    base = head + ["AUTH", "AUTH1", "RID-1"][:len(recorder.positionals)]
    base += [token for name, flag in recorder.options.items() if flag.required
             for token in (name, "api")]
    values = _VALUES + sorted({str(choice) for flag in recorder.options.values()
                               for choice in (flag.choices or ())})
    lines = [base, base[:-1], [*base, "extra"]]
    for name, flag in recorder.options.items():
        if flag.action == "store_true":
            lines += [[*base, name], [*base, f"{name}=1"], [*base, name, name]]
        else:
            lines += [[*base, name, value] for value in values]
            lines += [[*base, f"{name}={value}"] for value in values]
            lines += [[*base, name], [*base, name, "a", name, "b"]]
    globals_ = [["--workspace", "w"], ["--driver", "workshop"], ["--job"], ["--json"],
                ["--output", "plain"], ["--output", "yaml"], ["--driver=x"], ["--json=1"]]
    lines += [[*base, *first, *second] for first in globals_ for second in globals_]
    return lines


@pytest.mark.parametrize(("verb", "head"), [
    ("verify", []), ("arbitrate", []), ("status", []),
    *[("lease-lane", [name]) for name in ("acquire", "release", "heartbeat", "live", "reap",
                                          "spawn")]])
def test_quick_parser_agrees_with_argparse_on_every_flag_and_value(
        verb: str, head: list[str]) -> None:
    lines = _systematic(verb, head)
    answered = sum(_agree(verb, line) for line in lines)
    assert answered > len(lines) // 4, f"only {answered} of {len(lines)} lines parsed quickly"


@pytest.mark.parametrize("verb", QUICK_VERBS)
def test_quick_parser_agrees_with_argparse_on_generated_lines(verb: str) -> None:
    answered: list[list[str]] = []

    @fuzz_settings(300, 3_000)
    @given(rest=_lines(verb))
    def agree(rest: list[str]) -> None:
        if _agree(verb, rest):
            answered.append(rest)

    agree()
    assert answered, f"no generated line of {verb} was parsed quickly"


@pytest.mark.parametrize(("verb", "rest", "expected"), [
    ("verify", ["AUTH", "AUTH1"],
     {"plan": "AUTH", "phase": "AUTH1", "ref": "HEAD", "explain": False, "min_grade": "none",
      "no_index": False, "no_ci": False}),
    ("verify", ["AUTH", "AUTH1", "--ref=main", "--json", "--min-grade", "subject"],
     {"plan": "AUTH", "phase": "AUTH1", "ref": "main", "explain": False,
      "min_grade": "subject", "no_index": False, "no_ci": False, "output": "json"}),
    ("arbitrate", ["--lane", "api", "--class-budget", "api=1", "--class-budget", "ui=2"],
     {"lane": "api", "kind": "", "tree": [], "leases": None, "force": False,
      "mode": "exclusive", "class_budget": ["api=1", "ui=2"], "pretty": False,
      "explain": False}),
    ("status", ["RID-1", "--start-sha", "HEAD", "--now-ms", "5"],
     {"run_id_pos": "RID-1", "run_id": None, "start_sha": "HEAD", "ref": "HEAD", "now_ms": 5,
      "last_heartbeat_age_ms": None, "lane": "", "loop_ts": ""}),
    ("status", ["--start-sha", "HEAD", "--job", "--driver", "workshop"],
     {"run_id_pos": None, "run_id": None, "start_sha": "HEAD", "ref": "HEAD", "now_ms": None,
      "last_heartbeat_age_ms": None, "lane": "", "loop_ts": "", "driver": "workshop"}),
])
def test_plain_lines_are_parsed_to_argparse_values(verb: str, rest: list[str],
                                                   expected: dict[str, Any]) -> None:
    assert quick_parse(_module(verb), rest) == expected == _argparse(verb, rest)


def test_acquire_and_release_lines_carry_their_subcommand() -> None:
    rest = ["acquire", "--lane", "api", "--owner", "s1", "--ttl-seconds", "60", "--pid", "7"]
    quick = quick_parse(_module("lease-lane"), rest)
    assert quick is not None
    assert quick == _argparse("lease-lane", rest)
    assert (quick["action"], quick["ttl_seconds"], quick["pid"]) == ("acquire", 60.0, 7)
    release = quick_parse(_module("lease-lane"), ["release", "--lane", "api", "--owner", "s1"])
    assert release is not None
    assert release["action"] == "release"


@pytest.mark.parametrize(("verb", "rest"), [
    ("verify", ["AUTH"]),                                   # a positional missing
    ("verify", ["AUTH", "AUTH1", "extra"]),                 # one too many
    ("verify", ["AUTH", "AUTH1", "--min-grade", "bogus"]),  # a refused choice
    ("verify", ["AUTH", "AUTH1", "--explain=yes"]),         # a switch given a value
    ("verify", ["AUTH", "AUTH1", "-h"]),
    ("verify", ["--", "AUTH", "AUTH1"]),
    ("verify", ["AUTH", "--ref", "main", "AUTH1"]),         # a positional after an option
    ("arbitrate", ["--lane", "-x"]),                        # a value that looks like a flag
    ("arbitrate", ["--tree", "src/**"]),                    # nargs="*": argparse's to read
    ("arbitrate", ["--lan", "api"]),                        # no abbreviations
    ("arbitrate", ["--output", "yaml"]),
    ("status", ["--now-ms", "nan"]),                        # a bounded type refuses it
    ("lease-lane", ["acquire", "--ttl-seconds", "inf"]),
    ("lease-lane", ["--json", "acquire"]),                  # a flag before the sub-command
    ("lease-lane", ["spawn", "--owner", "s1"]),             # a required flag missing
    ("lease-lane", []),
])
def test_lines_that_are_not_plain_are_left_to_argparse(verb: str, rest: list[str]) -> None:
    assert quick_parse(_module(verb), rest) is None


def test_a_verb_that_did_not_opt_in_is_always_left_to_argparse() -> None:
    assert quick_parse(_module("plan"), []) is None


def test_the_quick_verbs_run_without_argparse(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = GitRepo(tmp_path / "repo")
    repo.commit("AUTH1: ship it", {"dos.toml": (
        '[lanes]\nconcurrent = ["api"]\nexclusive = ["global"]\n\n[lanes.trees]\n'
        'api = ["src/api/**"]\nglobal = ["**/*"]\n')})
    probe = ("import sys; sys.argv = ['dos', *sys.argv[1:]]\n"
             "from dos.cli import main\ncode = main()\n"
             "print('argparse' in sys.modules, code)")
    lines = {"verify": ["verify", "AUTH", "AUTH1"],
             "arbitrate": ["arbitrate", "--lane", "api"],
             "acquire": ["lease-lane", "acquire", "--lane", "api", "--owner", "s1"],
             "release": ["lease-lane", "release", "--lane", "api", "--owner", "s1"]}
    for name, argv in lines.items():
        done = subprocess.run([sys.executable, "-c", probe, *argv], cwd=repo.path,
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "DOS_OWNER": ""})
        assert done.stdout.split()[-2:] == ["False", "0"], (name, done.stdout, done.stderr)
    wrong = subprocess.run([sys.executable, "-c", probe, "verify", "AUTH"], cwd=repo.path,
                           capture_output=True, text=True, check=False)
    assert wrong.stdout.split()[-2:] == ["True", "2"]
    assert "the following arguments are required: phase" in wrong.stderr
