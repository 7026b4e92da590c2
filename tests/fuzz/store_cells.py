"""Hypothesis strategies for damaged store cells: any column of any row of a real store set
to a value dos never writes — the wrong type, out of range, text that is not UTF-8,
JSON that is malformed, not finite or nested without end, NULL, huge — or a row gone."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from dos.store.cells import MAX_DEPTH, MAX_MS


@dataclass(frozen=True)
class Damage:
    """``UPDATE table SET column = <sql>`` on one row (or every row), or its deletion."""

    table: str
    column: str
    rowid: int | str | None  # SQLite's rowid, PostgreSQL's ctid; None: every row
    sql: str = "?"
    params: tuple[Any, ...] = ()
    delete: bool = False

    def statement(self) -> tuple[str, tuple[Any, ...]]:
        where = "" if self.rowid is None else f" WHERE rowid = {self.rowid}"
        if self.delete:
            return f"DELETE FROM {self.table}{where}", ()  # noqa: S608 - names from the schema
        return f'UPDATE {self.table} SET "{self.column}" = {self.sql}{where}', self.params  # noqa: S608


def _nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def _long(size: int) -> str:
    return "x" * size


INTS = [-1, 0, 1, 2, 2**31, 2**53 + 1, 2**63 - 1, -(2**63), MAX_MS, MAX_MS + 1]
FLOATS = [1.5, -0.0, 1e308, float("inf"), float("-inf"), float("nan")]
TEXTS = ["", " ", "abc", "1", "-5", "1.5", "null", "true", '"s"', "[]", "[1, 2]", "{}",
         '["src/**", 5]', '[null]', '{"a": NaN}', '{"a": Infinity}', '{"a": 1e999}', "{",
         '{"count": "x", "tool": 1}', '{"owner": "o", "acquired_ms": -1, "ttl_ms": 0}',
         "exclusive", "shared", "sideways", "[" * 100_000, "\x00", "é" * 10]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                               max_size=3), max_leaves=10)
values = st.one_of(
    st.just(("NULL", ())), st.sampled_from(INTS).map(lambda v: ("?", (v,))),
    st.integers(-(2**63), 2**63 - 1).map(lambda v: ("?", (v,))),
    st.sampled_from(FLOATS).map(lambda v: ("?", (v,))),
    st.sampled_from(TEXTS).map(lambda v: ("?", (v,))),
    st.sampled_from([MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 5_000]).map(
        lambda depth: ("?", (_nested(depth),))),
    st.builds(_long, st.sampled_from([10_000, 2_000_000])).map(lambda v: ("?", (v,))),
    json_values.map(lambda v: ("?", (json.dumps(v),))),
    st.sampled_from([b"\xff\xfe", b"a\xc0\xafb", b"\xed\xa0\x80"]).map(
        lambda v: ("CAST(? AS TEXT)", (v,))),  # text that is not UTF-8
    st.sampled_from([b"", b"\x00\xff", b"[]"]).map(lambda v: ("?", (v,))),
)


def schema(database: Path) -> dict[str, tuple[list[str], list[Any]]]:
    """Each table of the store: its columns and the rowids it holds."""
    found: dict[str, tuple[list[str], list[Any]]] = {}
    with sqlite3.connect(database) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            rowids = [row[0] for row in conn.execute(f"SELECT rowid FROM {table}")]  # noqa: S608
            found[table] = (columns, rowids)
    conn.close()
    return found


def damages(tables: dict[str, tuple[list[str], list[Any]]]) -> st.SearchStrategy[Damage]:
    """One damaged cell (or a deleted row) in a table that holds rows."""
    held = sorted(name for name, (_, rowids) in tables.items() if rowids)

    @st.composite
    def one(draw: st.DrawFn) -> Damage:
        table = draw(st.sampled_from(held))
        columns, rowids = tables[table]
        rowid = draw(st.sampled_from(rowids) | st.none())
        if draw(st.integers(0, 9)) == 0:
            return Damage(table, "", rowid, delete=True)
        sql, params = draw(values)
        return Damage(table, draw(st.sampled_from(columns)), rowid, sql, params)
    return one()


def apply(database: Path, found: list[Damage]) -> None:
    """Write ``found`` behind dos's back, past its append-only triggers and CHECKs."""
    conn = sqlite3.connect(database)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        with conn:
            for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                conn.execute(f'DROP TRIGGER "{name}"')
            for damage in found:
                try:
                    conn.execute(*damage.statement())
                except sqlite3.IntegrityError:  # NOT NULL, or a duplicate key: no such row
                    continue
    finally:
        conn.close()


_PG_ROWS = "SELECT ctid::text FROM {} WHERE workspace = %s"


def pg_schema(url: str, workspace_id: str) -> dict[str, tuple[list[str], list[Any]]]:
    """The PostgreSQL store's tables for one workspace: columns and row ids (ctid)."""
    import psycopg

    found: dict[str, tuple[list[str], list[Any]]] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for (table,) in conn.execute(
                "SELECT DISTINCT table_name FROM information_schema.columns WHERE "
                "column_name = 'workspace' AND table_name LIKE 'dos_%%'").fetchall():
            columns = [row[0] for row in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND column_name <> 'workspace'", (table,))]
            rows = [row[0] for row in conn.execute(_PG_ROWS.format(table), (workspace_id,))]
            found[table] = (columns, rows)
    return found


def pg_apply(url: str, workspace_id: str, found: list[Damage]) -> None:
    """Write ``found`` into one workspace's rows, past the journal's triggers; a value
    the column's type refuses is no damage at all."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        for damage in found:
            where = " WHERE workspace = %s" + (" AND ctid = %s::tid" if damage.rowid else "")
            keys = (workspace_id, damage.rowid) if damage.rowid else (workspace_id,)
            if damage.delete:
                statement, params = f"DELETE FROM {damage.table}{where}", keys  # noqa: S608
            else:
                statement = f'UPDATE {damage.table} SET "{damage.column}" = ' \
                            f'{damage.sql.replace("?", "%s")}{where}'  # noqa: S608
                params = (*damage.params, *keys)
            try:
                conn.execute(statement, params)
            except psycopg.Error:
                continue
