"""Install a one-module plugin distribution into a directory, for a child ``dos`` to find
through ``importlib.metadata`` entry points (as pip would install it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests._support.leases import Ran


def install_plugin(site: Path, module: str, source: str, group: str,
                   entries: dict[str, str]) -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(source, encoding="utf-8")
    dist = site / f"{module}-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 1.0\n",
        encoding="utf-8")
    lines = "".join(f"{name} = {target}\n" for name, target in entries.items())
    (dist / "entry_points.txt").write_text(f"[{group}]\n{lines}", encoding="utf-8")


def dos_with(site: Path, workspace: Path, *args: str) -> Ran:
    """The real CLI as a child process that sees the plugins installed in ``site``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    done = subprocess.run([sys.executable, "-m", "dos", "--workspace", str(workspace), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    return Ran(done.returncode, done.stdout, done.stderr)
