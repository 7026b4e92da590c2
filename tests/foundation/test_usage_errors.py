"""Usage mistakes are exit 2 in the one `dos: error: … fix: …` form, with a did-you-mean;
abbreviated long flags are refused rather than guessed."""

from __future__ import annotations

import pytest

from dos.cli import main


@pytest.mark.parametrize(("argv", "fix"), [
    (["lease-lane", "acqire"], "did you mean `acquire`?"),
    (["verify", "A", "B", "--jsn"], "did you mean `--json`?"),
    (["verify", "A", "B", "--min", "subject"], "did you mean `--min-grade`?"),
    (["verify", "A", "B", "--min-grade", "bogus"], "one of: none, subject"),
    (["verify", "A"], "see `dos verify --help`"),
])
def test_a_usage_mistake_is_exit_2_with_a_fix(argv: list[str], fix: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("dos: error: dos ")
    assert f"fix: {fix}" in err
    assert "usage:" not in err  # one message, not argparse's usage dump


def test_an_abbreviated_flag_is_not_guessed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exit-codes", "--jso"]) == 2
    assert "did you mean `--json`?" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["verify", "A", "a\x00b"], ["commit-audit", "\x00"], ["init", "a\x00b"],
    ["verify", "A", "\udcff\udcfe"], ["id-alloc", "peek", "\udcff\udcfe"],
    ["lease", "status", "--name", "\udcff"],
])
def test_nul_and_non_utf8_arguments_are_exit_2(argv: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("dos: error: argument ")
    assert "Traceback" not in err
