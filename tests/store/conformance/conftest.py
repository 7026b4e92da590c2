"""The ``store`` fixture, parametrised over every backend.

Each backend is a factory from a fresh temp directory to an unopened store. A new
backend joins by adding one entry to ``BACKENDS``; every conformance test then
runs against it unchanged.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dos.store import Store, open_store

_RUN = uuid.uuid4().hex[:12]


def _sqlite(tmp_path: Path, busy_timeout_ms: int, _server: str) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'store' / 'dos.db'}",
                      busy_timeout_ms=busy_timeout_ms)


def _postgres(tmp_path: Path, busy_timeout_ms: int, server: str) -> Store:
    # One database per session: each test gets a workspace of its own in it.
    return open_store(server, workspace_id=f"test-{_RUN}-{tmp_path.name}",
                      busy_timeout_ms=busy_timeout_ms)


BACKENDS: dict[str, Callable[[Path, int, str], Store]] = {
    "sqlite": _sqlite, "postgres": _postgres}
# Fixtures a backend needs (they skip, or under CI fail, when its server is absent);
# their value is the server's URL.
REQUIRES = {"postgres": "postgres_url"}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Store]:
    """Open another handle on the same (initially absent) store."""
    server = ""
    if request.param in REQUIRES:
        server = str(request.getfixturevalue(REQUIRES[request.param]))
    def make(busy_timeout_ms: int = 5000) -> Store:
        return BACKENDS[request.param](tmp_path, busy_timeout_ms, server)
    return make


@pytest.fixture
def store(backend: Callable[..., Store]) -> Iterator[Store]:
    handle = backend()
    yield handle
    handle.close()
