"""The registry's schema, as ordered migrations written once for both backends
(``{p}``: the table prefix, ``{big}``: the 64-bit integer type)."""

from __future__ import annotations

__all__ = ["migrations"]

_V1 = (
    """CREATE TABLE {p}projects (
        owner TEXT NOT NULL, project_id TEXT NOT NULL, root TEXT NOT NULL,
        label TEXT NOT NULL, card_dev {big} NOT NULL, card_ino {big} NOT NULL,
        first_seen_ms {big} NOT NULL, last_seen_ms {big} NOT NULL,
        copied_from TEXT NOT NULL DEFAULT '', store_key TEXT NOT NULL DEFAULT '',
        ops_seq {big} NOT NULL DEFAULT 0, verdicts_seq {big} NOT NULL DEFAULT 0,
        PRIMARY KEY (owner, project_id))""",
    """CREATE TABLE {p}moves (
        owner TEXT NOT NULL, project_id TEXT NOT NULL, from_root TEXT NOT NULL,
        to_root TEXT NOT NULL, at_ms {big} NOT NULL,
        PRIMARY KEY (owner, project_id, at_ms, to_root))""",
    """CREATE TABLE {p}events (
        owner TEXT NOT NULL, project_id TEXT NOT NULL, source TEXT NOT NULL,
        seq {big} NOT NULL, kind TEXT NOT NULL, lane TEXT NOT NULL, token TEXT NOT NULL,
        category TEXT NOT NULL, outcome TEXT NOT NULL, ts_ms {big} NOT NULL,
        PRIMARY KEY (owner, project_id, source, seq))""",
    # `dos learn` groups by lane or category within a kind; `dos projects` counts per project
    "CREATE INDEX events_lane ON {p}events (owner, kind, lane)",
    "CREATE INDEX events_category ON {p}events (owner, kind, category, outcome)",
    "CREATE INDEX events_project ON {p}events (owner, project_id, kind)",
)

_MIGRATIONS = (_V1,)


def migrations(prefix: str, big: str) -> tuple[tuple[str, ...], ...]:
    """Every version's statements for one backend."""
    return tuple(tuple(sql.format(p=prefix, big=big) for sql in version)
                 for version in _MIGRATIONS)
