"""The CLI: help, lazy verbs, global flags, and one error boundary."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from dos import cli
from dos.commands import FAMILIES, VERBS
from dos.errors import DosError


def test_help_groups_verbs_by_family(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for family, title in FAMILIES.items():
        if any(verb.family == family for verb in VERBS.values()):
            assert f"{title}:" in out
    for name in VERBS:
        assert f"  {name} " in out


def test_no_verb_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "usage: dos" in capsys.readouterr().out


def test_unknown_verb_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["doctr"]) == 2
    assert "dos doctor" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--output", "yaml", "run-id", "mint", "w"],
                                  ["--output=bogus", "run-id", "mint", "w"],
                                  ["run-id", "mint", "w", "--output", "yaml"]])
def test_an_unknown_output_is_a_usage_error_naming_the_choices(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert all(choice in captured.err for choice in ("text", "json", "plain"))


@pytest.mark.parametrize("name", sorted(VERBS))
def test_every_verb_help_opens_with_when_to_use(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    module = importlib.import_module(VERBS[name].module)
    assert callable(module.add_arguments)
    assert callable(module.run)
    assert cli.main([name, "--help"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == VERBS[name].summary
    assert first.startswith("Use ")


def test_only_the_chosen_verb_is_imported(tmp_path: Path) -> None:
    code = ("import sys; from dos.cli import main; main(['run-id', 'mint', 'x']); "
            "print(sorted(m for m in sys.modules if m.startswith('dos.commands.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    assert done.stdout.strip().splitlines()[-1] == "['dos.commands.run_id']"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"dos {version('dispatch-os')}"


def test_crash_exits_70_with_a_log(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    def explode(_argv: object) -> int:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli, "_dispatch", explode)
    assert cli.main(["anything"]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err
    log = Path(err.split("a crash log is at ")[1].split(";")[0])
    assert "kaboom" in log.read_text(encoding="utf-8")
    log.unlink()


def test_dos_error_maps_to_its_exit_code(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    class OddError(DosError):
        exit_code = 74

    def fail(_argv: object) -> int:
        raise OddError("the store is gone", hint="start it")

    monkeypatch.setattr(cli, "_dispatch", fail)
    assert cli.main(["x"]) == 74
    assert capsys.readouterr().err == "dos: error: the store is gone\n  fix: start it\n"


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(_argv: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_dispatch", interrupted)
    assert cli.main(["x"]) == 130


def test_subcommand_flag_wins_over_global(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    assert cli.main(["--workspace", str(a), "doctor", "--workspace", str(b), "--json"]) == 0
    assert f'"workspace": "{b.resolve()}"' in capsys.readouterr().out


def test_argparse_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run-id", "mint"]) == 2
    assert "process" in capsys.readouterr().err
