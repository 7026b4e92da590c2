"""The exit-code contract is generated from the verdict enums and matches the reference."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest

import dos
from dos import exitcodes
from dos.cli import main
from dos.commands import VERBS
from dos.errors import RESERVED_EXITS
from dos.verdicts import VerdictToken

# The reference's table (dos-kernel 0.22, `dos exit-codes --json`) for the verbs we keep.
REFERENCE = {
    "arbitrate": {"acquire": 0, "contract_error": 2, "refuse": 1},
    "breaker": {"CLOSED": 0, "OPEN": 3, "contract_error": 2, "unknown": 5},
    "cooldown": {"CLEAR": 0, "RECENTLY_ATTEMPTED": 3, "contract_error": 2, "unknown": 5},
    "coverage": {"contract_error": 2, "empty": 0, "full": 0, "overfilled": 3, "starved": 3,
                 "underfilled": 3},
    "efficiency": {"COSTLY": 3, "EFFICIENT": 0, "WASTEFUL": 4, "contract_error": 2,
                   "unknown": 5},
    "liveness": {"ADVANCING": 0, "SPINNING": 3, "STALLED": 4, "contract_error": 2, "unknown": 5},
    "productivity": {"DIMINISHING": 3, "PRODUCTIVE": 0, "STALLED": 4, "contract_error": 2,
                     "unknown": 5},
    "status": {"ADVANCING": 0, "SPINNING": 3, "STALLED": 4, "contract_error": 2, "unknown": 5},
    "verify": {"contract_error": 2, "not_shipped": 1, "shipped": 0},
    "verify-result": {"contract_error": 2, "dead": 3, "healthy": 0, "unreadable": 0},
    "commit-audit": {"clean": 0, "contract_error": 2, "unwitnessed": 1},
    "scope-gate": {"IN_SCOPE": 0, "SCOPE_CREEP": 5, "WRONG_TARGET": 6, "contract_error": 2},
}

# Deliberate departures from the reference, each a weakness it had.
DEVIATIONS = {
    # An unreadable transcript is not a healthy one: it gets its own code.
    ("verify-result", "unreadable"),
}


def _all_modules() -> list[str]:
    names = [info.name for info in pkgutil.walk_packages(dos.__path__, "dos.")]
    return [name for name in names if name != "dos.__main__"]


def test_every_verdict_enum_is_in_the_table() -> None:
    registered = {(source.module, source.enum) for source in exitcodes.VERDICT_SOURCES.values()}
    found = set()
    for name in _all_modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (isinstance(value, type) and issubclass(value, VerdictToken)
                    and value is not VerdictToken and value.__module__ == name):
                found.add((name, attr))
    missing = found - registered
    assert not missing, f"verdict enums missing from dos.exitcodes.VERDICT_SOURCES: {missing}"


def test_every_table_verb_is_a_real_verb() -> None:
    assert set(exitcodes.VERDICT_SOURCES) <= set(VERBS)


@pytest.mark.parametrize("verb", sorted(set(REFERENCE) & set(exitcodes.VERDICT_SOURCES)))
def test_agrees_with_the_reference(verb: str) -> None:
    ours = exitcodes.contract(verb)
    for token, code in REFERENCE[verb].items():
        if (verb, token) in DEVIATIONS:
            assert ours.get(token) != code, f"{verb} {token}: deviation no longer needed?"
            continue
        assert ours.get(token) == code, f"{verb}: {token} should exit {code}"


def test_reserved_codes_never_collide() -> None:
    for verb, codes in exitcodes.table().items():
        assert codes["contract_error"] == 2, verb
        assert 70 not in codes.values(), verb
        for reserved in (130, 141, 143):  # 74 and 75 may be named by a store verb
            assert reserved not in codes.values(), verb


def test_cli_json_and_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exit-codes", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table == {**exitcodes.table(), "reserved": RESERVED_EXITS,
                     "schema": {"family": "exit-codes", "version": 1}}
    assert table["reserved"]["closed_pipe"] == 141
    assert main(["exit-codes", "lint"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("The exit code IS the verdict.")
    width = len("contract_error")  # tokens are padded to the verb's longest token
    assert f"dos lint\n  0  {'CLEAN':<{width}}\n  1  {'FINDINGS':<{width}}\n" in text


def test_cli_unknown_verb_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exit-codes", "nope"]) == 2
    assert "not a dos verb" in capsys.readouterr().err
    assert main(["exit-codes", "lease-lan"]) == 2
    assert "did you mean `lease-lane`?" in capsys.readouterr().err


def test_every_verb_has_a_row() -> None:
    """Item 15: `dos exit-codes` lists every verb, not only the verdict-bearing ones."""
    assert set(exitcodes.table()) == set(VERBS)
    assert not set(exitcodes.OPERATION_EXITS) & set(exitcodes.VERDICT_SOURCES)


def test_an_operation_verb_is_shown_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exit-codes", "trace", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table["trace"] == {"found": 0, "not_found": 1, "contract_error": 2}
