"""The README's Python example runs as written against a real repository."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Python API", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the README's Python API section has no python example"
    return match.group(1)


def test_python_api_example_runs(git_repo: Callable[..., Any]) -> None:
    repo = git_repo()
    repo.commit("scaffold", {"dos.toml": '[lanes]\nconcurrent = ["src"]\nautopick = ["src"]\n'
                                         '[lanes.trees]\nsrc = ["src/**"]\n',
                             "src/login.py": "x = 1\n"})
    repo.commit("AUTH1: ship the login endpoint", {"src/login.py": "x = 2\n"})
    code = _python_example().replace("/path/to/repo", str(repo.path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    shipped, acquired, minted = done.stdout.splitlines()
    assert shipped == "True"
    assert acquired == "True 1"
    assert minted.startswith("RID-")


def test_readme_opens_with_the_two_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1: lines.index("```sh") + 3]
    assert block[0].endswith("dos quickstart")
    assert block[1].endswith("python3 -m pytest -m slow")
    assert block[1] == ("python3 -m pip install -e '.[dev]' && python3 -m pytest"
                        " && python3 -m pytest -m slow")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[dev]'" in ci
    assert "python3 -m pytest\n" in ci
    assert "python3 -m pytest -m slow\n" in ci
