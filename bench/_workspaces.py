"""Workspaces the benchmarks run in: a small git repository with lanes and a stamped
commit, its store SQLite or a private PostgreSQL schema."""

from __future__ import annotations

import contextlib
import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

from _timing import bench_env

__all__ = ["DOS_TOML", "erase_workspaces", "mint_run_id", "pg_schema", "small_repo"]

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
_IDENTITY = ("-c", "user.name=bench", "-c", "user.email=bench@example.invalid")


def small_repo(root: Path, dos: list[str], store_url: str = "") -> Path:
    """A git repository with dos.toml (naming ``store_url`` when given), one commit that
    ships AUTH1, and its store created by one acquire and release."""
    root.mkdir(parents=True)
    store = (f"\n[store]\nurl = {json.dumps(store_url)}\nworkspace_id = \"bench\"\n"
             if store_url else "")
    (root / "dos.toml").write_text(DOS_TOML + store, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", *_IDENTITY, "-C", str(root), "add", "dos.toml"], check=True)
    subprocess.run(["git", *_IDENTITY, "-C", str(root), "commit", "-q", "-m", "AUTH1: ship it"],
                   check=True)
    for step in ("acquire", "release"):
        subprocess.run([*dos, "lease-lane", step, "--lane", "api", "--owner", "bench-setup"],
                       cwd=root, check=True, stdout=subprocess.DEVNULL, env=bench_env())
    return root.resolve()


def mint_run_id(dos: list[str], root: Path) -> str:
    """A fresh run id (young, with a start SHA: `dos status` says ADVANCING, exit 0)."""
    done = subprocess.run([*dos, "run-id", "mint", "bench"], cwd=root, check=True,
                          capture_output=True, text=True, env=bench_env())
    return done.stdout.split()[0]


@contextlib.contextmanager
def pg_schema(url: str) -> Iterator[str]:
    """A URL for a private schema on the server at ``url`` (dropped afterwards); ""
    when no server is given."""
    if not url:
        yield ""
        return
    import psycopg  # only when a PostgreSQL case runs

    schema = f"dos_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in url else "?"
    try:
        yield f"{url}{joiner}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def erase_workspaces(*roots: Path) -> None:
    """Delete the workspaces' rows from the shared server their dos.toml names."""
    from dos.config import load_workspace_config
    from dos.store import store_for

    for root in roots:
        store = store_for(load_workspace_config(root))
        store.erase()  # type: ignore[attr-defined]  # PostgresStore only
        store.close()
