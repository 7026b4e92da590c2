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


def _table(heading: str) -> list[tuple[str, str]]:
    """The rows of the first two-column table in the README section ``heading``."""
    section = README.read_text(encoding="utf-8").split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:3] for line in section.splitlines() if line.startswith("| `")]
    return [(cell.strip().strip("`"), result.strip()) for cell, result in rows]


def test_the_stamp_grammar_section_says_what_verify_does() -> None:
    from dos.settings.policy import StampGrammar
    from dos.truth.stamp import PhaseQuery, compile_stamp, match_subject

    stamp = compile_stamp(PhaseQuery("AUTH", "AUTH1"), StampGrammar())
    rows = _table("## The stamp grammar")
    assert len(rows) >= 10
    for subject, result in rows:
        assert (match_subject(stamp, subject) is not None) == (result == "stamps"), subject


def test_the_claim_section_says_what_the_stop_hook_reads() -> None:
    from dos.hooks.claims import claims_in

    rows = _table("## Claims at stop")
    assert len(rows) >= 6
    for line, result in rows:
        found = claims_in([line.replace("\\t", "\t")])
        expected = [] if result.startswith("none") else [tuple(result.split())]
        assert found == expected, line
