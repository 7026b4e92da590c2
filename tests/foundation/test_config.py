"""dos.toml loading: every table validated, errors name file:line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from dos import config as dos_config
from dos.cli import main
from dos.config import LaneTaxonomy, load_workspace_config, resolve_workspace_root
from dos.errors import ConfigError, UsageError


def _write(root: Path, text: str) -> Path:
    path = root / "dos.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_zero_config_gives_main_and_global(tmp_path: Path) -> None:
    config = load_workspace_config(tmp_path)
    assert config.lanes.concurrent == ("main",)
    assert config.lanes.exclusive == ("global",)
    assert config.source is None
    assert config.paths.store == tmp_path.resolve() / ".dos" / "dos.db"


def test_lanes_table_replaces_taxonomy_and_routes_aliases(tmp_path: Path) -> None:
    _write(tmp_path, """
[lanes]
concurrent = ["src", "docs"]
exclusive = ["global"]
autopick = ["src"]
[lanes.trees]
src = ["src/**"]
docs = ["docs/**"]
global = ["**/*"]
[lanes.aliases]
code = "src"
""")
    config = load_workspace_config(tmp_path)
    assert config.lanes.concurrent == ("src", "docs")
    assert config.lanes.resolve("CODE") == "src"
    assert config.lanes.resolve("Docs") == "docs"
    assert config.lanes.resolve("nope") is None
    assert config.lanes.tree_for("code") == ("src/**",)
    assert config.source == tmp_path.resolve() / "dos.toml"


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '[lanes]\nconcurrent = ["a"\nexclusive = 3\n')
    with pytest.raises(ConfigError) as caught:
        load_workspace_config(tmp_path)
    assert caught.value.path == str(path.resolve())
    assert caught.value.line is not None
    assert caught.value.line >= 2
    assert f"{path.resolve()}:{caught.value.line}" in caught.value.render()
    assert "fix:" in caught.value.render()


def test_wrong_type_names_table_key_and_line(tmp_path: Path) -> None:
    _write(tmp_path, '# policy\n[lanes]\nconcurrent = ["a"]\n\n[overlap]\nratio_max = "high"\n')
    with pytest.raises(ConfigError) as caught:
        load_workspace_config(tmp_path)
    error = caught.value
    assert (error.table, error.key, error.line) == ("overlap", "ratio_max", 6)
    assert "must be a number" in error.message


def test_alias_to_unknown_lane_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, '[lanes]\nconcurrent = ["src"]\n[lanes.trees]\nsrc = ["src/**"]\n'
                     '[lanes.aliases]\nui = "frontend"\n')
    with pytest.raises(ConfigError) as caught:
        load_workspace_config(tmp_path)
    assert caught.value.line == 6
    assert "unknown lane 'frontend'" in caught.value.message
    assert "src" in caught.value.hint


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    _write(tmp_path, "[stamp]\nsubject_dir = ['docs']\n")
    with pytest.raises(ConfigError) as caught:
        load_workspace_config(tmp_path)
    assert "subject_dirs" in caught.value.hint
    assert caught.value.line == 2


@pytest.mark.parametrize(("text", "table"), [
    ("lanes = 5\n", "lanes"),
    ("[paths]\nplnas_glob = 'x'\n", "paths"),
    ("[store]\nurl = 'mysql://x'\n", "store"),
    ("[hooks]\non_error = 'maybe'\n", "hooks"),
    ("[supervise]\ntarget = -1\n", "supervise"),
    ("[cooldown]\nwindow_ms = 5\nwindow_hours = 1\n", "cooldown"),
    ("[reasons.X1]\ncategory = 'NOT_A_CAT'\n", "reasons.X1"),
    ("[[concurrency_class]]\nname = 'a'\n", "concurrency_class"),
    ("[liveness]\nwindow_s = 0\n", "liveness"),
])
def test_every_table_is_validated(tmp_path: Path, text: str, table: str) -> None:
    _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_workspace_config(tmp_path)
    assert caught.value.table == table


def test_reasons_and_morphology_coexist(tmp_path: Path) -> None:
    _write(tmp_path, """
[reasons.LANE_PARKED]
category = "OPERATOR_GATE"
refusal = false
[[reasons.morphology]]
substring = "parked"
category = "OPERATOR_GATE"
""")
    config = load_workspace_config(tmp_path)
    assert [spec.token for spec in config.reasons] == ["LANE_PARKED"]
    assert config.morphology is not None
    assert config.morphology[0].substring == "parked"


def test_cli_exits_2_on_malformed_config_with_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "[lanes]\nconcurrent = 'src'\n")
    code = main(["--workspace", str(tmp_path), "lint"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path.resolve()}:2" in err
    assert "fix:" in err
    assert "Traceback" not in err


DEEP_ARRAY = "[" * 5_000 + "]" * 5_000
DEEP_TABLE = "{a = " * 5_000 + "1" + "}" * 5_000


@pytest.mark.parametrize("text", [f"workspace = {DEEP_ARRAY}\n",
                                  f"[stamp]\nstyle = {DEEP_TABLE}\n"])
def test_nesting_too_deep_to_parse_is_a_config_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    """tomllib recurses: a document nested past the stack is bad TOML, not a crash."""
    _write(tmp_path, text)
    code = main(["--workspace", str(tmp_path), "lint"])
    err = capsys.readouterr().err
    assert code == 2
    assert "nested too deeply" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("token", ['""', '" "'])
def test_a_reason_without_a_token_is_a_config_error(tmp_path: Path, token: str) -> None:
    _write(tmp_path, f'[reasons.{token}]\ncategory = "MISROUTE"\n')
    with pytest.raises(ConfigError) as caught:
        load_workspace_config(tmp_path)
    assert caught.value.table == "reasons"
    assert "empty" in caught.value.message


def test_bom_is_tolerated(tmp_path: Path) -> None:
    (tmp_path / "dos.toml").write_bytes(b"\xef\xbb\xbf[lanes]\nconcurrent = []\n")
    assert load_workspace_config(tmp_path).lanes.concurrent == ()


def test_store_url_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_STORE_URL", "postgresql://u@h/db")
    assert load_workspace_config(tmp_path).store.url == "postgresql://u@h/db"


class TestWorkspaceResolution:
    def test_explicit_wins_over_env(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        monkeypatch.setenv("DISPATCH_WORKSPACE", str(tmp_path / "b"))
        assert resolve_workspace_root(tmp_path / "a") == (tmp_path / "a").resolve()
        assert resolve_workspace_root() == (tmp_path / "b").resolve()

    def test_nearest_dos_toml_above_cwd(self, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
        (tmp_path / ".git").mkdir()
        (tmp_path / "pkg").mkdir()
        _write(tmp_path / "pkg", "")
        deep = tmp_path / "pkg" / "src" / "x"
        deep.mkdir(parents=True)
        monkeypatch.chdir(deep)
        assert resolve_workspace_root() == (tmp_path / "pkg").resolve()

    def test_git_top_level_when_no_dos_toml(self, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
        (tmp_path / ".git").mkdir()
        deep = tmp_path / "a" / "b"
        deep.mkdir(parents=True)
        monkeypatch.chdir(deep)
        assert resolve_workspace_root() == tmp_path.resolve()

    def test_nonexistent_workspace_is_a_usage_error(self, tmp_path: Path) -> None:
        with pytest.raises(UsageError, match="does not exist"):
            resolve_workspace_root(tmp_path / "missing")


def test_active_reads_dos_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, '[lanes]\nconcurrent = ["docs"]\n[lanes.trees]\ndocs = ["docs/**"]\n')
    monkeypatch.setenv("DISPATCH_WORKSPACE", str(tmp_path))
    assert dos_config.active().lanes.concurrent == ("docs",)


def test_taxonomy_is_case_insensitive_but_keeps_spelling() -> None:
    lanes = LaneTaxonomy(concurrent=("Front",), trees={"Front": ("web/**",)})
    assert lanes.resolve("front") == "Front"
    assert lanes.is_concurrent("FRONT")
    assert lanes.tree_for("front") == ("web/**",)
