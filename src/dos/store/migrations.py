"""Schema migrations, in order. A store records the version it is at; a store from a
newer dos (a version above the last one here) is refused, never downgraded."""

from __future__ import annotations

__all__ = ["NAMES_LEASE_SQL", "NAMES_RUN_SQL", "SQLITE_MIGRATIONS", "SQLITE_TRIGGERS",
           "UNCLEAN_ENDS", "UNCLEAN_END_SQL", "latest_version"]

# How a lease ends without its holder's release: the kinds the lock delay holds back. The
# partial indexes and the queries that use them spell the condition the same way (a
# database uses a partial index only for a query whose WHERE repeats its condition).
UNCLEAN_ENDS = ("expire", "reap", "scavenge")
UNCLEAN_END_SQL = "release_kind IN ('expire', 'reap', 'scavenge')"
# The journal records that name a run, and those that name a lease: the conditions of the
# partial indexes one run's records are read from (its queries repeat them, as above).
NAMES_RUN_SQL = "run_id <> ''"
NAMES_LEASE_SQL = "lease_id IS NOT NULL"

_APPEND_ONLY = "SELECT RAISE(ABORT, '{table} is append-only')"

# The triggers that keep the SQLite histories append-only, by table: a missing one is
# damage `dos doctor` and `dos journal verify` report (a test holds this to the schema).
SQLITE_TRIGGERS = {
    "journal": ("journal_no_update", "journal_no_delete"),
    "journal_anchor": ("anchor_no_update", "anchor_no_delete"),
    "verdict_journal": ("verdict_journal_no_update", "verdict_journal_no_delete"),
    "verdict_anchor": ("verdict_anchor_no_update", "verdict_anchor_no_delete"),
    "attempts": ("attempts_no_update", "attempts_no_delete"),
    "intents": ("intents_no_update", "intents_no_delete"),
}

# Version 1: the journal (hash-chained, append-only; rows at or below the latest
# compaction anchor may be dropped), leases, counters, named locks, the verdict
# journal and a generic memory table for actors such as the watchdog.
_SQLITE_V1 = (
    """CREATE TABLE journal (
        seq INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, op TEXT NOT NULL,
        lane TEXT NOT NULL, holder TEXT NOT NULL, run_id TEXT NOT NULL,
        loop_ts TEXT NOT NULL, lease_id INTEGER, payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    """CREATE TABLE journal_anchor (
        seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, compacted_ms INTEGER NOT NULL,
        dropped INTEGER NOT NULL)""",
    f"""CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
        BEGIN {_APPEND_ONLY.format(table="the journal")}; END""",
    f"""CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
        WHEN OLD.seq > COALESCE((SELECT max(seq) FROM journal_anchor), 0)
        BEGIN {_APPEND_ONLY.format(table="the journal")}; END""",  # noqa: S608 - constant text
    f"""CREATE TRIGGER anchor_no_update BEFORE UPDATE ON journal_anchor
        BEGIN {_APPEND_ONLY.format(table="journal_anchor")}; END""",
    f"""CREATE TRIGGER anchor_no_delete BEFORE DELETE ON journal_anchor
        BEGIN {_APPEND_ONLY.format(table="journal_anchor")}; END""",
    """CREATE TABLE leases (
        lease_id INTEGER PRIMARY KEY AUTOINCREMENT, lane TEXT NOT NULL,
        tree TEXT NOT NULL, holder TEXT NOT NULL, exclusive_lane INTEGER NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('shared', 'exclusive')),
        host_id TEXT NOT NULL, pid INTEGER, run_id TEXT NOT NULL, loop_ts TEXT NOT NULL,
        acquired_at_ms INTEGER NOT NULL, renewed_at_ms INTEGER NOT NULL,
        ttl_ms INTEGER NOT NULL CHECK (ttl_ms > 0), released_at_ms INTEGER,
        release_kind TEXT NOT NULL DEFAULT '')""",
    # Live leases come from this small index, never from the history of the table.
    "CREATE INDEX leases_unreleased ON leases (lease_id) WHERE released_at_ms IS NULL",
    """CREATE INDEX leases_ended ON leases (released_at_ms)
        WHERE released_at_ms IS NOT NULL""",
    """CREATE TABLE counters (
        scope TEXT PRIMARY KEY, value INTEGER NOT NULL, updated_ms INTEGER NOT NULL)""",
    """CREATE TABLE named_locks (
        name TEXT PRIMARY KEY, owner TEXT NOT NULL, acquired_ms INTEGER NOT NULL,
        ttl_ms INTEGER NOT NULL, token INTEGER NOT NULL)""",
    """CREATE TABLE verdicts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, ts_ms INTEGER NOT NULL,
        payload TEXT NOT NULL)""",
    """CREATE TABLE memory (
        namespace TEXT NOT NULL, key TEXT NOT NULL, value_json TEXT NOT NULL,
        updated_ms INTEGER NOT NULL, PRIMARY KEY (namespace, key))""",
)

# Version 2: reads by op (newest first) and by time since a moment never scan the
# whole history.
_SQLITE_V2 = (
    "DROP INDEX IF EXISTS journal_op_ts",
    "CREATE INDEX IF NOT EXISTS journal_op_seq ON journal (op, seq)",
    "CREATE INDEX IF NOT EXISTS journal_ts ON journal (ts_ms)",
)

# Version 3: a lease records the workspace's HEAD at its grant, so liveness can count the
# commits its holder landed in its tree since.
_SQLITE_V3 = ("ALTER TABLE leases ADD COLUMN start_sha TEXT NOT NULL DEFAULT ''",)

# Version 4: a run's leases are found by its id or its loop identity, never by a walk
# through every lease ever granted.
_SQLITE_V4 = (
    "CREATE INDEX IF NOT EXISTS leases_run ON leases (run_id) WHERE run_id != ''",
    "CREATE INDEX IF NOT EXISTS leases_loop ON leases (loop_ts, lane)",
)

# Version 5: a holder's own leases, newest first (a second release answers "already
# released" from them), without a walk through every lease.
_SQLITE_V5 = ("CREATE INDEX IF NOT EXISTS leases_holder ON leases (holder, lease_id)",)

# Version 6: the verdict journal gets real columns and its own hash chain (seq assigned
# inside the write transaction, so gap-free), append-only like the ops journal, with an
# anchor for retention. It replaces the payload-only table no dos version wrote to.
# Every statement may run again (a store set back a version migrates again).
_SQLITE_V6 = (
    "DROP TABLE IF EXISTS verdicts",
    """CREATE TABLE IF NOT EXISTS verdict_journal (
        seq INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, syscall TEXT NOT NULL,
        verdict TEXT NOT NULL, subject TEXT NOT NULL, run_id TEXT NOT NULL,
        lane TEXT NOT NULL, source TEXT NOT NULL, detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS verdict_anchor (
        seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, compacted_ms INTEGER NOT NULL,
        dropped INTEGER NOT NULL)""",
    f"""CREATE TRIGGER IF NOT EXISTS verdict_journal_no_update BEFORE UPDATE ON verdict_journal
        BEGIN {_APPEND_ONLY.format(table="the verdict journal")}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS verdict_journal_no_delete BEFORE DELETE ON verdict_journal
        WHEN OLD.seq > COALESCE((SELECT max(seq) FROM verdict_anchor), 0)
        BEGIN {_APPEND_ONLY.format(table="the verdict journal")}; END""",  # noqa: S608 - constant
    f"""CREATE TRIGGER IF NOT EXISTS verdict_anchor_no_update BEFORE UPDATE ON verdict_anchor
        BEGIN {_APPEND_ONLY.format(table="verdict_anchor")}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS verdict_anchor_no_delete BEFORE DELETE ON verdict_anchor
        BEGIN {_APPEND_ONLY.format(table="verdict_anchor")}; END""",
    # `dos observe`: the rollups by syscall and by run read an index alone; --run and
    # --since find their records without a walk through the whole history.
    "CREATE INDEX IF NOT EXISTS verdict_journal_syscall ON verdict_journal (syscall, verdict)",
    "CREATE INDEX IF NOT EXISTS verdict_journal_run ON verdict_journal (run_id, verdict)",
    "CREATE INDEX IF NOT EXISTS verdict_journal_ts ON verdict_journal (ts_ms)",
)

# Version 7: attempts at units get a table of their own, which journal compaction never
# touches, indexed by unit and time; the ATTEMPT records already in the journal are
# copied in (their time is the record's when the payload names no sound one). Every run's
# intent ledger: its own hash chain per run id, append-only.
_ATTEMPT_TIME = ("CASE WHEN json_type(payload, '$.attempted_at_ms') = 'integer' AND "
                 "json_extract(payload, '$.attempted_at_ms') BETWEEN 0 AND 253402300799999 "
                 "THEN json_extract(payload, '$.attempted_at_ms') ELSE ts_ms END")
_ATTEMPT_OUTCOME = ("CASE WHEN json_type(payload, '$.outcome') = 'text' AND "
                    "trim(json_extract(payload, '$.outcome')) != '' "
                    "THEN lower(trim(json_extract(payload, '$.outcome'))) ELSE 'unknown' END")
_SQLITE_V7 = (
    """CREATE TABLE IF NOT EXISTS attempts (
        seq INTEGER PRIMARY KEY, unit_id TEXT NOT NULL, outcome TEXT NOT NULL,
        lane TEXT NOT NULL, run_id TEXT NOT NULL, holder TEXT NOT NULL,
        attempted_at_ms INTEGER NOT NULL, detail TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS attempts_unit ON attempts (unit_id, attempted_at_ms)",
    f"""CREATE TRIGGER IF NOT EXISTS attempts_no_update BEFORE UPDATE ON attempts
        BEGIN {_APPEND_ONLY.format(table="attempts")}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS attempts_no_delete BEFORE DELETE ON attempts
        BEGIN {_APPEND_ONLY.format(table="attempts")}; END""",
    "INSERT OR IGNORE INTO attempts (seq, unit_id, outcome, lane, run_id, holder, "  # noqa: S608 - constant
    f"attempted_at_ms, detail) SELECT seq, json_extract(payload, '$.unit_id'), "
    f"{_ATTEMPT_OUTCOME}, lane, run_id, holder, {_ATTEMPT_TIME}, "
    "json_remove(payload, '$.unit_id', '$.outcome', '$.attempted_at_ms') FROM journal "
    "WHERE op = 'ATTEMPT' AND json_valid(payload) AND "
    "json_type(payload, '$.unit_id') = 'text' AND json_extract(payload, '$.unit_id') != ''",
    """CREATE TABLE IF NOT EXISTS intents (
        run_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, step TEXT NOT NULL,
        commit_sha TEXT NOT NULL, ts_ms INTEGER NOT NULL, payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (run_id, seq))""",
    f"""CREATE TRIGGER IF NOT EXISTS intents_no_update BEFORE UPDATE ON intents
        BEGIN {_APPEND_ONLY.format(table="the intent ledger")}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS intents_no_delete BEFORE DELETE ON intents
        BEGIN {_APPEND_ONLY.format(table="the intent ledger")}; END""",
)

# Version 8: the lock-delay check on every grant reads only the leases that ended
# uncleanly (expired, reaped, scavenged), from an index that holds nothing else: clean
# releases, however many, never slow admission down.
_SQLITE_V8 = (
    "CREATE INDEX IF NOT EXISTS leases_ended_unclean ON leases (released_at_ms) "
    f"WHERE {UNCLEAN_END_SQL}",
)

# Version 9: one run's records (`dos status`, `dos liveness`, the watchdog, `dos trace`)
# are found by its id and its leases' ids, never by a walk through the whole journal.
# Partial: the records that name no run (or no lease) stay out. Each index ends in the
# rowid (seq), so a run's records come out in seq order from a page's first one on.
_SQLITE_V9 = (
    f"CREATE INDEX IF NOT EXISTS journal_run ON journal (run_id) WHERE {NAMES_RUN_SQL}",
    f"CREATE INDEX IF NOT EXISTS journal_lease ON journal (lease_id) WHERE {NAMES_LEASE_SQL}",
)

SQLITE_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    _SQLITE_V1, _SQLITE_V2, _SQLITE_V3, _SQLITE_V4, _SQLITE_V5, _SQLITE_V6, _SQLITE_V7,
    _SQLITE_V8, _SQLITE_V9)


def latest_version(migrations: tuple[tuple[str, ...], ...] = SQLITE_MIGRATIONS) -> int:
    return len(migrations)
