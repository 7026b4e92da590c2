"""A workspace with declared lanes, and ways to drive ``dos`` in it: in process
(``dos_run``) and as real processes (``dos_proc``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dos.config import SubstrateConfig, load_workspace_config

LANES = """\
[lanes]
concurrent = ["src", "docs", "tests"]
exclusive = ["global"]
autopick = ["docs", "tests"]

[lanes.trees]
src = ["src/**"]
docs = ["docs/**"]
tests = ["tests/**"]
global = ["**"]

[lanes.aliases]
frontend = "src"
"""


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class Workspace:
    path: Path

    def config(self) -> SubstrateConfig:
        return load_workspace_config(self.path)

    @property
    def store(self) -> Path:
        return self.path / ".dos" / "dos.db"

    def set_toml(self, extra: str) -> None:
        (self.path / "dos.toml").write_text(LANES + extra, encoding="utf-8")
