"""The ``store`` fixture, parametrised over every backend.

Each backend is a factory from a fresh temp directory to an unopened store. A new
backend joins by adding one entry to ``BACKENDS``; every conformance test then
runs against it unchanged.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dos.store import Store, open_store

# Read at import: the autouse fixture clears DOS_* variables before each test.
_POSTGRES_URL = os.environ.get("DOS_TEST_POSTGRES_URL", "") or \
    "postgresql://postgres@127.0.0.1:5432/test"
_RUN = uuid.uuid4().hex[:12]


def _sqlite(tmp_path: Path, busy_timeout_ms: int) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'store' / 'dos.db'}",
                      busy_timeout_ms=busy_timeout_ms)


def _postgres(tmp_path: Path, busy_timeout_ms: int) -> Store:
    # One shared database: each test (and each run) gets a workspace of its own.
    return open_store(_POSTGRES_URL, workspace_id=f"test-{_RUN}-{tmp_path.name}",
                      busy_timeout_ms=busy_timeout_ms)


BACKENDS: dict[str, Callable[[Path, int], Store]] = {"sqlite": _sqlite, "postgres": _postgres}
# Fixtures a backend needs: they skip (or under CI fail) when its server is absent.
REQUIRES = {"postgres": "postgres_url"}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Store]:
    """Open another handle on the same (initially absent) store."""
    if request.param in REQUIRES:
        request.getfixturevalue(REQUIRES[request.param])
    def make(busy_timeout_ms: int = 5000) -> Store:
        return BACKENDS[request.param](tmp_path, busy_timeout_ms)
    return make


@pytest.fixture
def store(backend: Callable[..., Store]) -> Iterator[Store]:
    handle = backend()
    yield handle
    handle.close()
