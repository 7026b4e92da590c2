"""The ops verbs (exit-codes, lint, init, quickstart) keep the output contract: text for
people, plain ASCII, one JSON line tagged with the verb's schema; and their flags act."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._support.contract import ask_in_every_form, assert_output_contract

from dos.cli import main

_DEAD_POLICY = """\
[lanes]
concurrent = ["api", "web"]
exclusive = ["global"]
autopick = ["api", "ghost"]

[lanes.trees]
api = ["src/**"]
web = ["src/web/**"]
global = ["**/*"]
"""


@pytest.mark.parametrize("argv", [["exit-codes"], ["exit-codes", "verify"]])
def test_exit_codes_forms(argv: list[str], capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    forms = ask_in_every_form(capsys, monkeypatch, argv)
    table = assert_output_contract(forms, "exit-codes")
    assert table["verify"] == {"contract_error": 2, "not_shipped": 1, "shipped": 0}
    assert forms.text == forms.plain
    assert forms.text.startswith("The exit code IS the verdict.")


def test_exit_codes_fast_path_honours_plain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--output", "plain", "exit-codes", "verify"]) == 0
    assert capsys.readouterr().out.startswith("The exit code IS the verdict.")


def test_lint_forms_with_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dos.toml").write_text(_DEAD_POLICY, encoding="utf-8")
    forms = ask_in_every_form(capsys, monkeypatch, ["--workspace", str(tmp_path), "lint",
                                                    "--strict"])
    report = assert_output_contract(forms, "lint")
    assert forms.codes == (1, 1, 1)
    assert {f["kind"] for f in report["findings"]} >= {"AUTOPICK_LANE_UNDECLARED",
                                                       "LANE_REGION_SHADOWED"}
    assert "[warn] AUTOPICK_LANE_UNDECLARED 'ghost'" in forms.plain


def test_lint_forms_when_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    forms = ask_in_every_form(capsys, monkeypatch, ["--workspace", str(tmp_path), "lint"])
    assert assert_output_contract(forms, "lint")["verdict"] == "CLEAN"
    assert forms.plain.startswith("config clean - no dead policy")


def test_init_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "src").mkdir()
    forms = ask_in_every_form(capsys, monkeypatch, ["init", str(tmp_path), "--force"])
    result = assert_output_contract(forms, "init")
    assert result["lanes"] == ["src", "global"]
    assert "derived 1 concurrent lane(s) (src) + an exclusive 'global'" in forms.plain
    assert Path(result["backup"]).is_file()  # the earlier forms' file, kept


def test_init_hooks_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    forms = ask_in_every_form(capsys, monkeypatch, ["init", str(tmp_path), "--hooks", "codex",
                                                    "--dry-run"])
    plan = assert_output_contract(forms, "init")
    assert (plan["host"], plan["dry_run"], plan["config_written"]) == ("codex", True, None)
    assert forms.plain.startswith("--dry-run: would have wired")
    assert list(tmp_path.iterdir()) == []


def test_init_hooks_reports_the_dos_toml_it_wrote(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path), "--hooks", "codex", "--json"]) == 0
    import json

    done = json.loads(capsys.readouterr().out)
    assert done["config_written"] == str(tmp_path.resolve() / "dos.toml")
    assert main(["init", str(tmp_path), "--hooks", "codex", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["config_written"] is None


@pytest.mark.parametrize(("argv", "message"), [
    (["init", "--hooks", "codex", "--force"], "--force and --example write dos.toml"),
    (["init", "--hooks", "codex", "--example", "workshop"], "--force and --example"),
    (["init", "--dry-run"], "go with --hooks HOST"),
    (["--driver", "workshop", "init"], "--driver does not apply to init"),
    (["--driver", "workshop", "quickstart"], "--workspace and --driver do not apply"),
])
def test_options_that_would_do_nothing_are_refused(
        argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_quickstart_forms(capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    forms = ask_in_every_form(capsys, monkeypatch, ["quickstart"])
    report = assert_output_contract(forms, "quickstart", quotes_other_verbs=True)
    assert report["ok"] is True
    assert forms.codes == (0, 0, 0)
    assert "dos quickstart - a throw-away repository at " in forms.plain
    assert "SHIPPED AUTH AUTH1" in forms.plain
