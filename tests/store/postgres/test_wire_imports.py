"""The short verbs on a PostgreSQL store do not import psycopg: the built-in client
serves a plain URL, and psycopg is loaded only when the URL asks for what it alone
does, or when ``DOS_PG_DRIVER=psycopg`` says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests._support.postgres import PgWorkspace, child_env, write_workspace

pytestmark = pytest.mark.postgres

# The console script's entry, then the modules the verb loaded (after its output).
_PROBE = """\
import sys
from dos.cli import main
code = main()
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""


def _modules(ws: PgWorkspace, *argv: str, driver: str = "") -> set[str]:
    env = child_env(DOS_PG_DRIVER=driver)
    done = subprocess.run([sys.executable, "-c", _PROBE, "--workspace", str(ws.path), *argv],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    head, _, modules = done.stderr.rpartition("\nMODULES ")
    assert done.returncode == 0, done.stderr
    assert head.strip() == "", head
    return set(modules.split())


def _loaded_psycopg(modules: set[str]) -> bool:
    return any(name == "psycopg" or name.startswith("psycopg.") for name in modules)


@pytest.fixture
def held(pg_workspace: PgWorkspace) -> PgWorkspace:
    assert pg_workspace.proc("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    return pg_workspace


@pytest.mark.parametrize("argv", [
    ("arbitrate", "--lane", "docs"),
    ("lease-lane", "acquire", "--lane", "docs", "--owner", "B"),
    ("lease-lane", "release", "--lane", "src", "--owner", "A"),
    ("lease-lane", "live"),
])
def test_a_short_verb_on_postgres_never_imports_psycopg(held: PgWorkspace,
                                                        argv: tuple[str, ...]) -> None:
    modules = _modules(held, *argv)
    assert "dos.store.pgwire.connection" in modules  # it did talk to the server
    assert not _loaded_psycopg(modules)


def test_psycopg_is_used_when_asked_for(held: PgWorkspace) -> None:
    modules = _modules(held, "lease-lane", "live", driver="psycopg")
    assert _loaded_psycopg(modules)
    assert "dos.store.pgwire.connection" not in modules


def test_a_url_only_psycopg_understands_still_works(tmp_path: Path, postgres_url: str,
                                                    workspace_id: str) -> None:
    joiner = "&" if "?" in postgres_url else "?"
    ws = write_workspace(tmp_path / "ws", f"{postgres_url}{joiner}keepalives=1", workspace_id)
    # "" is auto whatever the suite runs with (DOS_PG_DRIVER=wire forces it for all)
    assert ws.proc("lease-lane", "acquire", "--lane", "src", "--owner", "A",
                   DOS_PG_DRIVER="").code == 0
    modules = _modules(ws, "lease-lane", "live")
    assert _loaded_psycopg(modules)
    forced = ws.proc("lease-lane", "live", DOS_PG_DRIVER="wire")
    assert forced.code == 74
    assert "keepalives" in forced.err
    assert "DOS_PG_DRIVER" in forced.err


def test_a_bad_driver_name_is_a_usage_error(held: PgWorkspace) -> None:
    ran = held.proc("lease-lane", "live", DOS_PG_DRIVER="fastest")
    assert ran.code == 2
    assert "DOS_PG_DRIVER='fastest' is not one of auto, wire, psycopg" in ran.err
