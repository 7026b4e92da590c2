"""Fuzzing profiles and a driver that runs `dos` in process against a real workspace.

The `fuzz-ci` profile (the default here) is derandomised and small, so `.ci/run` stays fast and
reproducible; `DOS_FUZZ_PROFILE=fuzz-long` runs many more examples (see the README).
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from tests.store.conftest import _session_database, postgres_url  # noqa: F401 - fixtures

_COMMON = {"deadline": None, "print_blob": True,
           "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.filter_too_much]}
settings.register_profile("fuzz-ci", max_examples=60, derandomize=True, **_COMMON)
settings.register_profile("fuzz-long", max_examples=2_000, **_COMMON)
