"""The stamp index on disk: one SQLite file under ``.dos/``, a cache of every commit's
message, parents, time and words, of which commits the indexed tip reaches, and of the
files each commit the oracle has weighed changed (filed the first time it is asked for:
a commit's change against its first parent never changes).

Each call brings the file up to the asked ref inside one write transaction (so
concurrent callers never see half an update), from the symmetric difference between
the indexed tip and the ref: new commits are filed, commits the ref no longer reaches
are unmarked. A missing, foreign, damaged or unbindable file is rebuilt from a whole
read into a temporary file that atomically replaces it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from dos.errors import GitError
from dos.git import index_log
from dos.truth.commits import Commit
from dos.truth.stamp_index import (
    INDEX_FORMAT,
    IndexState,
    filed_under,
    generations,
    is_revert,
    newest_first,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
else:
    try:  # the driver itself (the sqlite3 package adds datetime adapters: start-up time)
        import _sqlite3 as sqlite3
    except ImportError:  # an interpreter that keeps the driver under another name
        import sqlite3

__all__ = ["INDEX_NAME", "IndexUnavailableError", "cached_files", "index_state",
           "indexed_candidates", "keep_files"]

INDEX_NAME = "stamp-index.sqlite"
_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE commits(id INTEGER PRIMARY KEY, sha TEXT NOT NULL UNIQUE, parents TEXT NOT NULL,
    time INTEGER NOT NULL, gen INTEGER NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,
    revert INTEGER NOT NULL, reach INTEGER NOT NULL);
CREATE TABLE words(word TEXT NOT NULL, id INTEGER NOT NULL);
CREATE TABLE files(sha TEXT PRIMARY KEY, paths TEXT NOT NULL) WITHOUT ROWID;
"""
# Driven from the few asked words (CROSS JOIN fixes the order), never a scan of commits.
_BY_WORD = """
SELECT c.id, c.sha, c.parents, c.time, c.gen, c.subject, c.body
FROM temp.asked AS a CROSS JOIN words AS w ON w.word = a.item
CROSS JOIN commits AS c ON c.id = w.id WHERE c.reach = 1
"""
_REVERTS = """
SELECT c.id, c.sha, c.parents, c.time, c.gen, c.subject, c.body
FROM commits AS c WHERE c.revert = 1 AND c.reach = 1
"""
_INDEXES = """
CREATE INDEX words_by_word ON words(word, id);
CREATE INDEX reverts ON commits(revert) WHERE revert = 1;
"""


class IndexUnavailableError(Exception):
    """The index could not answer; the caller scans the history instead."""


def _asked(conn: sqlite3.Connection, items: Sequence[str]) -> None:
    """Put ``items`` in the temporary table ``asked`` the queries join against."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS asked(item TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.asked")
    conn.executemany("INSERT OR IGNORE INTO temp.asked VALUES (?)", [(i,) for i in items])


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _file(conn: sqlite3.Connection, commits: Sequence[Commit], gens: dict[str, int],
          next_id: int) -> None:
    """Store ``commits`` (none of them stored yet) as reached by the tip."""
    rows, words = [], []
    for offset, c in enumerate(commits):
        rows.append((next_id + offset, c.sha, " ".join(c.parents), c.time, gens[c.sha],
                     c.subject, c.body, int(is_revert(c.subject, c.body))))
        words += [(word, next_id + offset) for word in filed_under(c.subject, c.body)]
    conn.executemany("INSERT INTO commits VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", rows)
    conn.executemany("INSERT INTO words VALUES (?, ?)", words)


def _stored_generations(conn: sqlite3.Connection, shas: Sequence[str]) -> dict[str, int]:
    _asked(conn, shas)
    return dict(conn.execute(
        "SELECT sha, gen FROM temp.asked CROSS JOIN commits ON sha = item").fetchall())


def _extend(conn: sqlite3.Connection, root: Path, tip: str, head: str) -> None:
    """Move the indexed tip from ``tip`` to ``head`` (a GitError if ``tip`` is gone)."""
    records = index_log.log_records(root, head, since=tip)
    gone = [(c.sha,) for side, c in records if side == "<"]
    conn.executemany("UPDATE commits SET reach = 0 WHERE sha = ?", gone)
    added = [c for side, c in reversed(records) if side == ">"]
    known = _stored_generations(conn, [s for c in added for s in (c.sha, *c.parents)])
    conn.executemany("UPDATE commits SET reach = 1 WHERE sha = ?",
                     [(c.sha,) for c in added if c.sha in known])
    fresh = [c for c in added if c.sha not in known]
    gens = generations(((c.sha, c.parents) for c in fresh), known)
    next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM commits").fetchone()[0]
    _file(conn, fresh, gens, next_id)


def _set_tip(conn: sqlite3.Connection, head: str) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                     [("tip", head), ("updated_ms", str(int(time.time() * 1000)))])


def _rebuild(path: Path, root: Path, head: str, objects: str) -> None:
    """Index the whole ancestry of ``head`` into a new file, then swap it in."""
    records = [c for _, c in reversed(index_log.log_records(root, head))]
    path.parent.mkdir(exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(temporary)
        try:
            conn.executescript("PRAGMA synchronous = OFF; PRAGMA journal_mode = DELETE;"
                               + _SCHEMA)
            _file(conn, records, generations((c.sha, c.parents) for c in records), 1)
            conn.executescript(_INDEXES)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("format", INDEX_FORMAT), ("objects", objects),
                ("built_ms", str(int(time.time() * 1000)))])
            _set_tip(conn, head)
            conn.commit()
        finally:
            conn.close()
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _opened(path: Path, objects: str) -> tuple[sqlite3.Connection | None, bool]:
    """A connection to the index at ``path`` (the caller closes it), and whether the
    index is ours and bound to ``objects``; no connection when there is no file."""
    if not path.is_file():
        return None, False
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    try:
        meta = _meta(conn)
    except BaseException:
        conn.close()
        raise
    ours = meta.get("format") == INDEX_FORMAT and meta.get("objects") == objects
    return conn, bool(ours and meta.get("tip"))


def _query(conn: sqlite3.Connection, words: Sequence[str]) -> list[Commit]:
    _asked(conn, words)
    rows = {r[0]: r for query in (_BY_WORD, _REVERTS) for r in conn.execute(query)}
    commits = [Commit(sha, tuple(parents.split()), subject, body, when)
               for _, sha, parents, when, _, subject, body in rows.values()]
    return newest_first(commits, {r[1]: r[4] for r in rows.values()})


def _answer(path: Path, root: Path, head: str, objects: str,
            words: Sequence[str]) -> list[Commit] | None:
    conn, ours = _opened(path, objects)
    if conn is None:
        return None
    try:
        return _brought_up(conn, root, head, words) if ours else None
    finally:
        conn.close()


def _brought_up(conn: sqlite3.Connection, root: Path, head: str,
                words: Sequence[str]) -> list[Commit]:
    """The index extended to ``head`` and asked for ``words``, in one write transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        tip = _meta(conn)["tip"]
        if tip != head:
            _extend(conn, root, tip, head)
            _set_tip(conn, head)
        found = _query(conn, words)
        conn.execute("COMMIT")
        return found
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def indexed_candidates(path: Path, root: Path, head: str, words: Sequence[str]) -> list[Commit]:
    """Commits in ``head``'s ancestry filed under any of ``words``, plus every revert,
    newest first; an :class:`IndexUnavailableError` when even a rebuilt index cannot say."""
    try:
        objects = index_log.object_dir(root)
        for _ in range(2):
            try:
                found = _answer(path, root, head, objects, words)
            except (sqlite3.DatabaseError, GitError):
                found = None  # damaged, or the indexed tip is gone: start again
            if found is not None:
                return found
            _rebuild(path, root, head, objects)
    except (sqlite3.Error, OSError, GitError) as error:
        raise IndexUnavailableError(str(error)) from error
    raise IndexUnavailableError("the rebuilt index could not be read")


# Paths are kept NUL-separated: git allows every byte in a path but NUL.
_SEPARATOR = "\0"


def cached_files(path: Path, objects: str, shas: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The files the index holds for those of ``shas`` it has filed; nothing at all when
    the index is missing, foreign, bound to other objects or unreadable."""
    try:
        conn, ours = _opened(path, objects)
    except sqlite3.Error:
        return {}
    if conn is None:
        return {}
    try:
        if not ours:
            return {}
        _asked(conn, shas)
        rows = conn.execute("SELECT sha, paths FROM temp.asked CROSS JOIN files ON sha = item")
        return {sha: tuple(paths.split(_SEPARATOR)) if paths else () for sha, paths in rows}
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def keep_files(path: Path, objects: str, files: dict[str, tuple[str, ...]]) -> None:
    """File each commit's changed files in the index, when it is ours; a busy, damaged or
    foreign index, or a path that is not valid UTF-8, is simply not filed (a cache)."""
    rows = []
    for sha, paths in files.items():
        text = _SEPARATOR.join(paths)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes git gave (surrogate escapes)
            continue
        rows.append((sha, text))
    if not rows:
        return
    try:
        conn, ours = _opened(path, objects)
        if conn is None:
            return
        try:
            if ours:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR IGNORE INTO files VALUES (?, ?)", rows)
                conn.execute("COMMIT")
        finally:
            conn.close()
    except sqlite3.Error:
        return


def index_state(path: Path, enabled: bool) -> IndexState:
    """The index's tip, size and age, read without changing it."""
    if not path.is_file():
        return IndexState(str(path), enabled, exists=False)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = _meta(conn)
            counts = conn.execute("SELECT COUNT(*), COALESCE(SUM(reach), 0) FROM commits") \
                .fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        return IndexState(str(path), enabled, exists=True,
                          problem=f"unreadable ({error}); the next verify rebuilds it")
    problem = "" if meta.get("format") == INDEX_FORMAT else \
        "written by another version; the next verify rebuilds it"
    return IndexState(str(path), enabled, exists=True, tip=meta.get("tip", ""),
                      commits=int(counts[0]), reachable=int(counts[1]),
                      built_ms=int(meta.get("built_ms", "0") or 0), problem=problem)
