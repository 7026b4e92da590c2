"""The import contracts in pyproject.toml hold, and they fail when a lower layer imports
a higher one (import-linter, run here and by .ci/run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent))


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    if LINT_IMPORTS is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[dev]'")
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, check=False, timeout=300)


def _copy_checkout(tmp_path: Path) -> Path:
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "src", copy / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_contracts_hold() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout, done.stdout


@pytest.mark.parametrize(("module", "source", "contract"), [
    ("dos/admission/bad_kernel.py", "from dos import cli\n",
     "nothing imports the CLI or a command module but the CLI itself"),
    ("dos/truth/bad_truth.py", "from dos.admission import arbiter\n",
     "truth and admission are independent"),
    ("dos/admission/bad_upward.py", "from dos.temporal import liveness\n",
     "temporal may use admission"),
    ("dos/admission/arbiter_rules.py", "import subprocess\n",
     "the pure kernel does no I/O"),
    ("dos/api/bad_screen.py", "import textual\n", "only the desk imports Textual"),
    ("dos/tui/bad_verb.py", "from dos.commands import plan\n",
     "nothing imports the CLI or a command module but the CLI itself"),
    ("dos_mcp/bad_desk.py", "from dos.tui import launch\n", "the MCP server never opens the desk"),
    ("dos/api/bad_upward.py", "from dos.tui import launch\n", "the desk under the verbs"),
])
def test_a_wrong_import_breaks_a_contract(tmp_path: Path, module: str, source: str,
                                          contract: str) -> None:
    copy = _copy_checkout(tmp_path)
    target = copy / "src" / module
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(source + existing, encoding="utf-8")
    done = _lint_imports(copy)
    assert done.returncode != 0, done.stdout
    broken = done.stdout.split("Broken contracts")[-1]
    assert contract in broken, done.stdout


def test_core_package_never_imports_the_mcp_server() -> None:
    for path in (ROOT / "src" / "dos").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "dos_mcp" not in text, path
