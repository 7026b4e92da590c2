"""Fixtures for the fuzz tests; their Hypothesis profiles (`fuzz-ci` by default, derandomised
and small so `.ci/run` stays fast and reproducible; `DOS_FUZZ_PROFILE=fuzz-long` for many more
examples, see the README) are registered in tests/_support/fuzz.py, which they all import.
"""

from __future__ import annotations

import tests._support.fuzz  # noqa: F401 - registers the profiles before any test module
from tests.store.conftest import _session_database, postgres_url  # noqa: F401 - fixtures
