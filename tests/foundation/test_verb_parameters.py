"""Every option a verb's parser accepts reaches a same-named keyword of its ``run()``:
no ``**kwargs`` catch-all that would swallow an option silently."""

from __future__ import annotations

import argparse
import importlib
import inspect

import pytest

from dos.cli import _verb_parser
from dos.commands import VERBS


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parser and, recursively, every sub-command parser under it."""
    found = [parser]
    for action in parser._actions:  # argparse exposes no public walk of sub-parsers
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += _parsers(sub)
    return found


def _dests(name: str) -> set[str]:
    parser = _verb_parser(name)
    importlib.import_module(VERBS[name].module).add_arguments(parser)
    return {action.dest for sub in _parsers(parser) for action in sub._actions
            if action.dest not in (argparse.SUPPRESS, "help")}


@pytest.mark.parametrize("name", sorted(VERBS))
def test_every_option_reaches_a_run_parameter(name: str) -> None:
    run = importlib.import_module(VERBS[name].module).run
    parameters = inspect.signature(run).parameters
    swallowing = [p.name for p in parameters.values() if p.kind is p.VAR_KEYWORD]
    assert not swallowing, f"dos {name}: run(**{swallowing[0]}) hides unknown options"
    keywords = {p.name for p in parameters.values()
                if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    missing = sorted(_dests(name) - keywords)
    assert not missing, f"dos {name}: options with no run() parameter: {missing}"


def test_the_walk_sees_sub_command_options() -> None:
    dests = _dests("lease-lane")
    assert {"action", "retries", "coalesce_within_s", "grace_seconds", "workspace",
            "output"} <= dests
