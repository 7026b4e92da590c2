"""Settings the reference reads and nothing here uses: a reference dos.toml still loads,
`dos lint` names each one, and a misspelt key is still an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dos.cli import main
from dos.config import PathLayout, load_workspace_config
from dos.errors import ConfigError

_REFERENCE_TOML = """\
workspace = "."

[paths]
plans_glob = "plans/*.md"
lane_journal = "docs/_plans/lane-journal.jsonl"
fanout_runs = "docs/_fanout_runs"

[retention]
journal_max_age_days = 7.0
runs_keep_last = 10

[enumerate]
heading_levels = [2, 3]

[intervention.QUARANTINE]
rank = 30

[precursor.requires]
write_file = "read_file"

[ci]
provider = "github"
"""


def test_a_reference_dos_toml_loads_and_its_dead_settings_are_named(tmp_path: Path) -> None:
    (tmp_path / "dos.toml").write_text(_REFERENCE_TOML, encoding="utf-8")
    config = load_workspace_config(tmp_path)
    assert config.paths.plans_glob == "plans/*.md"
    assert config.table("retention")["journal_max_age_days"] == 7.0
    assert config.table("enumerate")["heading_levels"] == (2, 3)  # read by `dos enumerate`
    # read by `dos precursor-gate-eval`
    assert config.table("precursor")["requires"] == {"write_file": ("read_file",)}
    assert config.unused_settings == (
        "workspace", "[intervention]", "[ci]",
        "[paths] fanout_runs", "[paths] lane_journal", "[retention] runs_keep_last")


def test_lint_names_every_unused_setting(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dos.toml").write_text(_REFERENCE_TOML, encoding="utf-8")
    assert main(["--workspace", str(tmp_path), "lint", "--json"]) == 0
    findings = [f for f in json.loads(capsys.readouterr().out)["findings"]
                if f["kind"] == "UNUSED_SETTING"]
    assert {f["subject"]: f["severity"] for f in findings} == {
        "workspace": "info", "[intervention]": "warn",
        "[ci]": "warn", "[paths] fanout_runs": "warn",
        "[paths] lane_journal": "warn", "[retention] runs_keep_last": "warn"}
    assert main(["--workspace", str(tmp_path), "lint", "--strict"]) == 1
    assert "UNUSED_SETTING '[paths] lane_journal'" in capsys.readouterr().out


def test_init_writes_nothing_that_lint_calls_unused(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "src").mkdir()
    assert main(["init", str(tmp_path)]) == 0
    assert main(["--workspace", str(tmp_path), "lint", "--strict"]) == 0
    assert "config clean" in capsys.readouterr().out


@pytest.mark.parametrize("text", ["[paths]\nlane_jornal = 'x'\n",
                                  "[retention]\nruns_keep_lst = 3\n"])
def test_a_misspelt_key_is_still_an_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "dos.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_workspace_config(tmp_path)


def test_the_repo_layout_keeps_what_drivers_and_doctor_read(tmp_path: Path) -> None:
    layout = PathLayout.for_root(tmp_path)
    assert layout.execution_state == tmp_path / "docs" / "_plans" / "execution-state.yaml"
    assert (layout.store, layout.style) == (tmp_path / ".dos" / "dos.db", "repo")
    assert layout.with_root(tmp_path / "x").style == "repo"
    assert PathLayout.for_dos_dir(tmp_path).execution_state == tmp_path / "dos.state.yaml"
