"""Run ``dos`` in-process and capture what it printed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from dos.cli import main


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def word(self) -> str:
        return self.out.split("  ", 1)[0]


Dos = Callable[..., Ran]


@pytest.fixture
def dos(capsys: pytest.CaptureFixture[str]) -> Dos:
    def run(*argv: str) -> Ran:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Ran(code, out, err)
    return run
