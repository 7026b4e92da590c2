"""The registry's queries, written once: each backend hands in how to run a statement
(``?`` placeholders) and the prefix of its tables. Every query names the owner, so a
shared database keeps each user's registry apart."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from dos.store.registry.rows import Event, Group, Move, ProjectRow

__all__ = ["RegistryTx", "Run"]

Run = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]

_PROJECT_COLUMNS = ("project_id, root, label, card_dev, card_ino, first_seen_ms, last_seen_ms, "
                    "copied_from, store_key, ops_seq, verdicts_seq")
# what `learn` groups each axis by, within which kind of event
_AXES = {"lane-refusals": ("refusal", "lane"), "oracle-calibration": ("decision", "category")}


class RegistryTx:
    """One transaction on the registry, as ``owner``."""

    def __init__(self, run: Run, prefix: str, owner: str) -> None:
        self._run, self._p, self.owner = run, prefix, owner

    def _rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        return self._run(sql.replace("{p}", self._p), args)

    def project(self, project_id: str) -> ProjectRow | None:
        found = self._rows(f"SELECT {_PROJECT_COLUMNS} FROM {{p}}projects "  # noqa: S608 - constant
                           "WHERE owner = ? AND project_id = ?", self.owner, project_id)
        return ProjectRow(*found[0]) if found else None

    def projects(self) -> list[ProjectRow]:
        found = self._rows(f"SELECT {_PROJECT_COLUMNS} FROM {{p}}projects "  # noqa: S608 - constant
                           "WHERE owner = ? ORDER BY label, project_id", self.owner)
        return [ProjectRow(*row) for row in found]

    def insert_project(self, row: ProjectRow) -> None:
        self._rows(f"INSERT INTO {{p}}projects (owner, {_PROJECT_COLUMNS}) "  # noqa: S608 - constant
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   self.owner, row.project_id, row.root, row.label, row.card_dev, row.card_ino,
                   row.first_seen_ms, row.last_seen_ms, row.copied_from, row.store_key,
                   row.ops_seq, row.verdicts_seq)

    def seen(self, project_id: str, *, root: str, label: str, card: tuple[int, int],
             at_ms: int) -> None:
        """The project was seen at ``root`` (its card there is ``card``: dev, inode)."""
        self._rows("UPDATE {p}projects SET root = ?, label = ?, card_dev = ?, card_ino = ?, "
                   "last_seen_ms = ? WHERE owner = ? AND project_id = ?",
                   root, label, card[0], card[1], at_ms, self.owner, project_id)

    def record_move(self, project_id: str, from_root: str, to_root: str, at_ms: int) -> None:
        self._rows("INSERT INTO {p}moves (owner, project_id, from_root, to_root, at_ms) "
                   "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                   self.owner, project_id, from_root, to_root, at_ms)

    def moves(self) -> list[Move]:
        found = self._rows("SELECT project_id, from_root, to_root, at_ms FROM {p}moves "
                           "WHERE owner = ? ORDER BY project_id, at_ms", self.owner)
        return [Move(*row) for row in found]

    def set_cursors(self, project_id: str, *, store_key: str, ops_seq: int,
                    verdicts_seq: int) -> None:
        self._rows("UPDATE {p}projects SET store_key = ?, ops_seq = ?, verdicts_seq = ? "
                   "WHERE owner = ? AND project_id = ?",
                   store_key, ops_seq, verdicts_seq, self.owner, project_id)

    def add_events(self, project_id: str, events: Iterable[Event]) -> None:
        """Insert ``events``; one already held (same source and seq) is kept as it was."""
        for event in events:
            self._rows("INSERT INTO {p}events (owner, project_id, source, seq, kind, lane, "
                       "token, category, outcome, ts_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT DO NOTHING", self.owner, project_id, event.source, event.seq,
                       event.kind, event.lane, event.token, event.category, event.outcome,
                       event.ts_ms)

    def counts(self) -> dict[str, dict[str, int]]:
        """Events per project and kind."""
        found: dict[str, dict[str, int]] = {}
        for project_id, kind, count in self._rows(
                "SELECT project_id, kind, count(*) FROM {p}events WHERE owner = ? "
                "GROUP BY project_id, kind", self.owner):
            found.setdefault(project_id, {})[kind] = int(count)
        return found

    def group(self, axis: str) -> list[Group]:
        """``learn``'s rows for ``axis``, counted by the database, largest first."""
        if axis == "wedge-hotspots":
            found = self._rows(
                "SELECT p.label, count(*), 0, 0, p.project_id "
                "FROM {p}events e JOIN {p}projects p ON p.owner = e.owner AND "
                "p.project_id = e.project_id WHERE e.owner = ? AND e.kind = 'wedge' "
                "GROUP BY p.label, p.project_id", self.owner)
        else:
            kind, column = _AXES[axis]
            found = self._rows(
                f"SELECT {column}, count(*), "  # noqa: S608 - the column is one of two constants
                "sum(CASE WHEN outcome = 'approve' THEN 1 ELSE 0 END), "
                "sum(CASE WHEN outcome IN ('dismiss', 'override') THEN 1 ELSE 0 END), '' "
                f"FROM {{p}}events WHERE owner = ? AND kind = ? GROUP BY {column}",
                self.owner, kind)
        rows = [Group(str(g), int(n), int(up or 0), int(down or 0), str(pid))
                for g, n, up, down, pid in found]
        return sorted(rows, key=lambda row: (-row.count, row.group))

    def delete_project(self, project_id: str) -> None:
        for table in ("events", "moves", "projects"):
            self._rows(f"DELETE FROM {{p}}{table} WHERE owner = ? AND project_id = ?",  # noqa: S608 - constant
                       self.owner, project_id)
