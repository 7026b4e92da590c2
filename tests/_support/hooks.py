"""A workspace with two lanes (api, ui), a commit that ships AUTH1, and session-A
holding the api lane; and a helper that runs `dos hook` through the real CLI."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest

from dos import cli

DOS_TOML = """\
[lanes]
concurrent = ["api", "ui"]
exclusive = ["global"]
autopick = ["api", "ui"]

[lanes.trees]
api = ["src/api/**"]
ui = ["src/ui/**"]
global = ["**/*"]
"""


SESSION_A = "session-A"


SESSION_B = "session-B"


class HookRun:
    """One `dos hook` answer: stdout, stderr and the exit code."""

    def __init__(self, stdout: str, stderr: str, code: int) -> None:
        self.stdout, self.stderr, self.code = stdout, stderr, code

    @property
    def json(self) -> Any:
        return json.loads(self.stdout) if self.stdout.strip() else None


def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            argv: list[str], stdin: bytes = b"") -> HookRun:
    """``dos.cli.main(argv)`` in this process, with ``stdin`` as the payload."""
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return HookRun(out, err, code)
