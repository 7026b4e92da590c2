"""A TTL the store could not keep, or read back, is refused at the edge (exit 2) and
writes nothing: store cells are range-checked on read, so what is written must fit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests._support.leases import Ran, Workspace


@pytest.mark.parametrize("ttl", ["1e12", "1e30", "inf", "nan", "-1", "0"])
def test_an_unstorable_lease_ttl_is_a_usage_error(workspace: Workspace,
                                                  dos_run: Callable[..., Ran],
                                                  ttl: str) -> None:
    ran = dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "A",
                  "--ttl-seconds", ttl)
    assert ran.code == 2, ran
    assert "--ttl-seconds" in ran.err
    assert "Traceback" not in ran.err
    assert not workspace.store.exists()


@pytest.mark.parametrize("ttl", ["1e12", "inf", "nan"])
def test_an_unstorable_mutex_ttl_is_a_usage_error(workspace: Workspace,
                                                  dos_run: Callable[..., Ran],
                                                  ttl: str) -> None:
    ran = dos_run("lease", "acquire", "ownA", "--ttl-seconds", ttl)
    assert ran.code == 2, ran
    assert not workspace.store.exists()


def test_the_longest_ttl_is_kept_and_read_back(workspace: Workspace,
                                               dos_run: Callable[..., Ran]) -> None:
    ran = dos_run("--json", "lease-lane", "acquire", "--lane", "src", "--owner", "A",
                  "--ttl-seconds", "315360000")
    assert ran.code == 0, ran
    assert ran.json()["ttl_ms"] == 315_360_000_000
    assert dos_run("lease-lane", "live").code == 0
