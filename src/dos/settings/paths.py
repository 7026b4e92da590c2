"""Where a workspace keeps its plans, registry and store."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from dos import structs
from dos.settings import check_keys, expect_str
from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PathLayout"]

_PATH_KEYS = ("execution_state", "store")


@struct
class PathLayout:
    """The files a workspace uses; ``style`` is ``dos`` (under ``.dos/``) or ``repo``
    (the registry under ``docs/_plans``, as the reference's drivers lay it out)."""

    root: Path
    execution_state: Path
    plans_glob: str
    store: Path
    style: str
    # Directories (relative to the root) whose commits archive finished runs, newest
    # last; `dos health` reads a lane's recent runs there. The dos layout keeps runs in
    # the store, so it has none.
    run_records: tuple[str, ...] = ()

    @classmethod
    def for_dos_dir(cls, root: Path | str) -> PathLayout:
        """The default layout: everything dos owns lives under ``<root>/.dos``."""
        base = Path(root)
        return cls(root=base, execution_state=base / "dos.state.yaml",
                   plans_glob="docs/**/*-plan.md", store=base / ".dos" / "dos.db", style="dos")

    @classmethod
    def for_root(cls, root: Path | str) -> PathLayout:
        """The repo layout drivers use: plans and registry under ``docs/``."""
        base = Path(root)
        return structs.replace(
            cls.for_dos_dir(base),
            execution_state=base / "docs" / "_plans" / "execution-state.yaml", style="repo",
            run_records=("docs/_dispatch_loops", "docs/_chained_runs", "docs/_fanout_runs"))

    def with_root(self, root: Path | str) -> PathLayout:
        """The same layout style under another root."""
        if self.style == "repo":
            return PathLayout.for_root(root)
        return PathLayout.for_dos_dir(root)

    def with_overrides(self, raw: Mapping[str, Any]) -> PathLayout:
        """Apply a ``[paths]`` table; relative values resolve against the root."""
        check_keys("paths", raw, (*_PATH_KEYS, "plans_glob"))
        changes: dict[str, Any] = {}
        for key, value in raw.items():
            text = expect_str("paths", key, value)
            if key == "plans_glob":
                changes[key] = text
            else:
                path = Path(text)
                changes[key] = path if path.is_absolute() else self.root / path
        return structs.replace(self, **changes)
