"""Drivers: the built-in workshop policy and a third-party driver via entry points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dos.cli import main
from dos.errors import PluginError
from dos.plugins import load_driver_config

# A driver written the way the seed's workshop module is: against dos.config only.
SEED_STYLE_DRIVER = '''
from __future__ import annotations

from pathlib import Path

from dos.config import (
    LaneTaxonomy,
    PathLayout,
    SubstrateConfig,
    gather_workspace_facts,
    resolve_workspace_root,
)

RIVERFLOW_LANE_TAXONOMY = LaneTaxonomy(
    concurrent=("ingest", "serve"),
    exclusive=("train", "global"),
    autopick=("ingest", "serve"),
    trees={
        "ingest": ("ingest/**/*",),
        "serve": ("serve/**/*",),
        "train": ("train/**/*", "models/**/*"),
        "global": ("**/*",),
    },
    aliases={"etl": "ingest", "api": "serve"},
)


def riverflow_config(workspace: Path | str | None = None) -> SubstrateConfig:
    root = resolve_workspace_root(workspace)
    return SubstrateConfig(
        lanes=RIVERFLOW_LANE_TAXONOMY,
        paths=PathLayout.for_root(root),
        workspace=gather_workspace_facts(root),
    )
'''


def _install_driver(site: Path) -> None:
    (site / "riverflow_driver.py").write_text(SEED_STYLE_DRIVER, encoding="utf-8")
    dist = site / "riverflow_driver-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: riverflow-driver\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[dos.drivers]\nriverflow = riverflow_driver\n", encoding="utf-8")


def test_third_party_driver_loads_through_entry_point(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _install_driver(site)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-m", "dos", "--driver", "riverflow", "--workspace", str(workspace),
         "doctor", "--json"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["driver"] == "riverflow"
    assert report["lanes"]["concurrent"] == ["ingest", "serve"]
    assert report["lanes"]["exclusive"] == ["train", "global"]
    assert report["lanes"]["aliases"] == {"etl": "ingest", "api": "serve"}
    assert "riverflow" in report["drivers_available"]


def test_workshop_policy(tmp_path: Path) -> None:
    config = load_driver_config("workshop", tmp_path)
    lanes = config.lanes
    assert lanes.concurrent == ("frontend", "backend")
    assert lanes.exclusive == ("release", "global")
    assert lanes.tree_for("frontend")[-1] == "docs/UI-*"
    assert lanes.tree_for("backend")[-1] == "docs/SVC-*"
    assert lanes.resolve("ship") == "release"
    assert lanes.resolve("api") == "backend"
    assert config.paths.style == "repo"


def test_dos_toml_layers_over_the_driver(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dos.toml").write_text("[stamp]\nsubject_dirs = ['docs']\n", encoding="utf-8")
    assert main(["--driver", "workshop", "--workspace", str(tmp_path), "doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["lanes"]["concurrent"] == ["frontend", "backend"]
    assert report["stamp"]["subject_dirs"] == ["docs"]


@pytest.mark.parametrize(("name", "message"), [
    ("nope", "unknown driver 'nope'"),
    ("a.b", "not a single identifier"),
    ("../x", "not a single identifier"),
])
def test_bad_driver_names(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(PluginError, match=message):
        load_driver_config(name, tmp_path)


def test_driver_without_factory_is_an_error(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty_driver_pkg").mkdir()
    module = tmp_path / "lonely.py"
    module.write_text("X = 1\n", encoding="utf-8")
    dist = tmp_path / "lonely-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: lonely\nVersion: 1.0\n",
                                   encoding="utf-8")
    (dist / "entry_points.txt").write_text("[dos.drivers]\nlonely = lonely\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError, match=r"no lonely_config\(workspace\) factory") as caught:
        load_driver_config("lonely", tmp_path)
    assert "lonely" in caught.value.hint


def test_broken_driver_names_its_distribution(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken_drv.py").write_text(textwrap.dedent("raise RuntimeError('boom')\n"),
                                            encoding="utf-8")
    dist = tmp_path / "broken_drv-2.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-drv\nVersion: 2.0\n",
                                   encoding="utf-8")
    (dist / "entry_points.txt").write_text("[dos.drivers]\nbroken = broken_drv\n",
                                           encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError, match="broken-drv") as caught:
        load_driver_config("broken", tmp_path)
    assert "boom" in caught.value.message


def test_cli_bad_driver_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--driver", "nope", "--workspace", str(tmp_path), "doctor"]) == 2
    assert "unknown driver 'nope'" in capsys.readouterr().err


FACTORY_DRIVER = '''
from dos.config import LaneTaxonomy, PathLayout, SubstrateConfig, resolve_workspace_root


def make_config(workspace=None):
    root = resolve_workspace_root(workspace)
    return SubstrateConfig(
        lanes=LaneTaxonomy(concurrent=("alpha",), exclusive=("global",),
                           trees={"alpha": ("alpha/**",), "global": ("**/*",)}),
        paths=PathLayout.for_root(root))
'''


def _install_entry(site: Path, name: str, target: str) -> None:
    dist = site / f"{name}_drv-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}-drv\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[dos.drivers]\n{name} = {target}\n",
                                           encoding="utf-8")


def test_an_entry_point_may_name_a_factory(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 15: `pkg.mod:factory` works as well as a module holding `<name>_config`."""
    (tmp_path / "factory_drv.py").write_text(FACTORY_DRIVER, encoding="utf-8")
    _install_entry(tmp_path, "alphas", "factory_drv:make_config")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = load_driver_config("alphas", tmp_path)
    assert config.lanes.concurrent == ("alpha",)
    assert config.lanes.tree_for("alpha") == ("alpha/**",)


def test_an_entry_point_naming_a_constant_is_an_error(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "const_drv.py").write_text("VALUE = 3\n", encoding="utf-8")
    _install_entry(tmp_path, "const", "const_drv:VALUE")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError, match="names a int, not a module or a factory"):
        load_driver_config("const", tmp_path)


def test_a_factory_returning_the_wrong_type_is_named(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "wrong_drv.py").write_text("def make(workspace):\n    return {}\n",
                                           encoding="utf-8")
    _install_entry(tmp_path, "wrong", "wrong_drv:make")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError, match=r"wrong_drv\.make returned dict"):
        load_driver_config("wrong", tmp_path)


def test_a_builtin_driver_cannot_be_shadowed(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "evil_drv.py").write_text(FACTORY_DRIVER, encoding="utf-8")
    _install_entry(tmp_path, "workshop", "evil_drv:make_config")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert load_driver_config("workshop", tmp_path).lanes.concurrent == ("frontend", "backend")
