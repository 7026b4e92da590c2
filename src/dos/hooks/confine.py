"""Installers write only inside the workspace: a host's config directory, its config
file, or ``.dos`` that is a symlink leading out of the workspace is refused (exit 2),
never followed."""

from __future__ import annotations

import os
from pathlib import Path

from dos.errors import UsageError

__all__ = ["confined"]


def _outside(path: Path, root: Path) -> bool:
    return not path.is_relative_to(root)


def confined(root: Path, path: Path) -> Path:
    """``path`` (below ``root``) with symlinks resolved, when every link on the way
    stays inside the workspace; else UsageError naming the link."""
    real_root = Path(os.path.realpath(root))
    relative = path.relative_to(root)
    current = root
    for part in relative.parts:
        current = current / part
        if not current.is_symlink():
            continue
        target = Path(os.path.realpath(current))
        if _outside(target, real_root):
            raise UsageError(
                f"{current} is a symlink to {target}, outside the workspace {root}",
                hint="dos writes hook wiring only inside the workspace: replace the link with "
                     "a real directory or file, or run `dos init` in the workspace it points to")
    resolved = Path(os.path.realpath(path))
    if _outside(resolved, real_root):
        raise UsageError(f"{path} resolves to {resolved}, outside the workspace {root}",
                         hint="run `dos init` in the workspace itself")
    return resolved
