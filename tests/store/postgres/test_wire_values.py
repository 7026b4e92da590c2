"""Values through the real server: what the built-in client sends comes back intact,
and what it reads is what psycopg reads, for every column type the store's schema
has (text, bigint, integer, boolean, text[]) and the other types it decodes."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dos.store import pgwire
from dos.store.pgwire.connection import Connection

pytestmark = pytest.mark.postgres

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
_JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | _TEXT,
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=8)

# column type -> what to store in it, and how the value is passed in (None: as is)
CASES: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], Any] | None]] = {
    "text": (_TEXT, None),
    "bigint": (st.integers(-2**63, 2**63 - 1), None),
    "integer": (st.integers(-2**31, 2**31 - 1), None),
    "boolean": (st.booleans(), None),
    "text[]": (st.lists(st.none() | _TEXT, max_size=5), None),
    "double precision": (st.floats(), None),
    "bytea": (st.binary(max_size=64), None),
    "numeric": (st.decimals(allow_nan=False, allow_infinity=False, places=4)
                | st.just(Decimal("NaN")), str),
    "jsonb": (_JSON, json.dumps),
    "json": (_JSON, json.dumps),
}


@pytest.fixture
def clients(private_schema_url: str) -> Iterator[tuple[Connection, psycopg.Connection[Any]]]:
    wire = pgwire.connect(private_schema_url, {}, os.environ)
    slow = psycopg.connect(private_schema_url, autocommit=True)
    yield wire, slow
    wire.close()
    slow.close()


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if hasattr(left, "is_nan") and left.is_nan():
        return bool(right.is_nan())
    return bool(left == right)


@pytest.mark.parametrize("column", list(CASES))
def test_a_value_goes_in_and_comes_back_as_psycopg_reads_it(
        clients: tuple[Connection, psycopg.Connection[Any]], column: str) -> None:
    wire, slow = clients
    wire.execute(f"CREATE TABLE cell (id serial, value {column})")
    values, passed = CASES[column]

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values)
    def round_trip(value: Any) -> None:
        sent = passed(value) if passed else value
        wire.execute("INSERT INTO cell (value) VALUES (%s)", (sent,))
        slow.execute("INSERT INTO cell (value) VALUES (%s)", (sent,))
        query = "SELECT value FROM cell ORDER BY id"
        by_wire, by_psycopg = wire.execute(query).fetchall(), slow.execute(query).fetchall()
        wire.execute("DELETE FROM cell")
        assert len(by_wire) == len(by_psycopg) == 2
        for left, right in zip(by_wire, by_psycopg, strict=True):
            assert type(left[0]) is type(right[0])
            assert _same(left[0], right[0])
        if passed is None:  # stored as sent: it comes back equal
            assert _same(by_wire[0][0], value)

    round_trip()


def test_parameters_are_typed_as_psycopg_types_them(
        clients: tuple[Connection, psycopg.Connection[Any]]) -> None:
    wire, slow = clients
    query = "SELECT pg_typeof(%s)::text, pg_typeof(%s)::text, pg_typeof(%s)::text, " \
            "pg_typeof(%s)::text, pg_typeof(%s)::text, pg_typeof(%s)::text, %s, %s, %s"
    params = (1, 2**20, 2**40, 2**70, True, 1.5, None, ["a", None, 'q"\\'], "100%")
    assert wire.execute(query, params).fetchall() == slow.execute(query, params).fetchall()
    assert wire.execute("SELECT '%%s', %s", ("x",)).fetchone() == ("%s", "x")
    assert wire.execute("SELECT '%s'").fetchone() == ("%s",)  # no parameters: as written
