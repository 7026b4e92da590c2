"""The PostgreSQL store's schema, as ordered migrations.

Every table is keyed by ``workspace`` so several workspaces share one database.
Times are epoch milliseconds (the store clock, read from the server). Journal
payloads are kept as the exact canonical JSON text that was hashed: ``jsonb``
would respell numbers and reorder nothing back, and the chain would break.
"""

from __future__ import annotations

from dos.store.migrations import NAMES_LEASE_SQL, NAMES_RUN_SQL, UNCLEAN_END_SQL

__all__ = ["MIGRATIONS", "NOTIFY_CHANNEL", "latest_version"]

NOTIFY_CHANNEL = "dos_ops"

# The journal is append-only. The two escape hatches are transaction-local settings
# only dos's own compaction and `dos store copy --force` set: dropping records at or
# below a recorded anchor, and erasing one whole workspace.
_JOURNAL_GUARD = """
CREATE FUNCTION dos_journal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('dos.erase_workspace', true) = OLD.workspace THEN
            RETURN OLD;
        END IF;
        IF TG_TABLE_NAME = 'dos_journal'
           AND current_setting('dos.allow_compact', true) = 'on'
           AND OLD.seq <= (SELECT max(seq) FROM dos_journal_anchor
                           WHERE workspace = OLD.workspace) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$"""

_REFUSE_TRUNCATE = """
CREATE FUNCTION dos_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$"""

# Listeners learn of each record at commit (never of a rolled-back one).
_NOTIFY_APPEND = """
CREATE FUNCTION dos_journal_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dos_ops', NEW.workspace || ':' || NEW.seq);
    RETURN NULL;
END
$$"""

_V1 = (
    "CREATE TABLE dos_workspaces (workspace text PRIMARY KEY, created_ms bigint NOT NULL)",
    """CREATE TABLE dos_journal (
        workspace text NOT NULL, seq bigint NOT NULL, ts_ms bigint NOT NULL,
        op text NOT NULL, lane text NOT NULL, holder text NOT NULL, run_id text NOT NULL,
        loop_ts text NOT NULL, lease_id bigint, payload text NOT NULL,
        prev_hash text NOT NULL, hash text NOT NULL, PRIMARY KEY (workspace, seq))""",
    "CREATE INDEX dos_journal_op_ts ON dos_journal (workspace, op, ts_ms)",
    "CREATE INDEX dos_journal_ts ON dos_journal (workspace, ts_ms)",
    """CREATE TABLE dos_journal_anchor (
        workspace text NOT NULL, seq bigint NOT NULL, hash text NOT NULL,
        compacted_ms bigint NOT NULL, dropped bigint NOT NULL,
        PRIMARY KEY (workspace, seq))""",
    _JOURNAL_GUARD,
    _REFUSE_TRUNCATE,
    """CREATE TRIGGER dos_journal_append_only BEFORE UPDATE OR DELETE ON dos_journal
        FOR EACH ROW EXECUTE FUNCTION dos_journal_guard()""",
    """CREATE TRIGGER dos_journal_no_truncate BEFORE TRUNCATE ON dos_journal
        FOR EACH STATEMENT EXECUTE FUNCTION dos_refuse_truncate()""",
    _NOTIFY_APPEND,
    """CREATE TRIGGER dos_journal_notify AFTER INSERT ON dos_journal
        FOR EACH ROW EXECUTE FUNCTION dos_journal_notify()""",
    """CREATE TRIGGER dos_anchor_append_only BEFORE UPDATE OR DELETE ON dos_journal_anchor
        FOR EACH ROW EXECUTE FUNCTION dos_journal_guard()""",
    """CREATE TRIGGER dos_anchor_no_truncate BEFORE TRUNCATE ON dos_journal_anchor
        FOR EACH STATEMENT EXECUTE FUNCTION dos_refuse_truncate()""",
    # One sequence for the whole database: fencing tokens only ever grow. The key is
    # per workspace so a copied-in history keeps its tokens.
    "CREATE SEQUENCE dos_lease_id_seq AS bigint",
    """CREATE TABLE dos_leases (
        workspace text NOT NULL,
        lease_id bigint NOT NULL DEFAULT nextval('dos_lease_id_seq'),
        lane text NOT NULL, tree text[] NOT NULL,
        holder text NOT NULL, exclusive_lane boolean NOT NULL,
        mode text NOT NULL CHECK (mode IN ('shared', 'exclusive')),
        host_id text NOT NULL, pid integer, run_id text NOT NULL, loop_ts text NOT NULL,
        acquired_at_ms bigint NOT NULL, renewed_at_ms bigint NOT NULL,
        ttl_ms bigint NOT NULL CHECK (ttl_ms > 0), released_at_ms bigint,
        release_kind text NOT NULL DEFAULT '',
        PRIMARY KEY (workspace, lease_id))""",
    "ALTER SEQUENCE dos_lease_id_seq OWNED BY dos_leases.lease_id",
    # Live leases come from this small index, never from the table's history.
    """CREATE INDEX dos_leases_unreleased ON dos_leases (workspace, lease_id)
        WHERE released_at_ms IS NULL""",
    """CREATE INDEX dos_leases_ended ON dos_leases (workspace, released_at_ms)
        WHERE released_at_ms IS NOT NULL""",
    """CREATE TABLE dos_counters (
        workspace text NOT NULL, scope text NOT NULL, value bigint NOT NULL,
        updated_ms bigint NOT NULL, PRIMARY KEY (workspace, scope))""",
    """CREATE TABLE dos_verdicts (
        workspace text NOT NULL, seq bigint NOT NULL, ts_ms bigint NOT NULL,
        payload text NOT NULL, PRIMARY KEY (workspace, seq))""",
    """CREATE TABLE dos_memory (
        workspace text NOT NULL, namespace text NOT NULL, key text NOT NULL,
        value_json text NOT NULL, updated_ms bigint NOT NULL,
        PRIMARY KEY (workspace, namespace, key))""",
)

# Version 2: a lease records the workspace's HEAD at its grant (SQLite migration 3).
_V2 = ("ALTER TABLE dos_leases ADD COLUMN IF NOT EXISTS start_sha TEXT NOT NULL DEFAULT ''",)

# Version 3: a run's leases are found by an index (SQLite migration 4).
_V3 = (
    "CREATE INDEX IF NOT EXISTS dos_leases_run ON dos_leases (workspace, run_id) "
    "WHERE run_id <> ''",
    "CREATE INDEX IF NOT EXISTS dos_leases_loop ON dos_leases (workspace, loop_ts, lane)",
)

# Version 4: a holder's own leases, newest first (SQLite migration 5).
_V4 = ("CREATE INDEX IF NOT EXISTS dos_leases_holder ON dos_leases "
       "(workspace, holder, lease_id)",)

# Version 5: the verdict journal with real columns and its own hash chain (SQLite
# migration 6); the append-only guard learns its anchor table.
_GUARD_BOTH = """
CREATE OR REPLACE FUNCTION dos_journal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('dos.erase_workspace', true) = OLD.workspace THEN
            RETURN OLD;
        END IF;
        IF current_setting('dos.allow_compact', true) = 'on' AND (
           (TG_TABLE_NAME = 'dos_journal' AND OLD.seq <= (
                SELECT max(seq) FROM dos_journal_anchor WHERE workspace = OLD.workspace))
           OR (TG_TABLE_NAME = 'dos_verdict_journal' AND OLD.seq <= (
                SELECT max(seq) FROM dos_verdict_anchor WHERE workspace = OLD.workspace)))
        THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$"""

# Every statement may run again (a store set back a version migrates again).
_V5 = (
    "DROP TABLE IF EXISTS dos_verdicts",
    """CREATE TABLE IF NOT EXISTS dos_verdict_journal (
        workspace text NOT NULL, seq bigint NOT NULL, ts_ms bigint NOT NULL,
        syscall text NOT NULL, verdict text NOT NULL, subject text NOT NULL,
        run_id text NOT NULL, lane text NOT NULL, source text NOT NULL, detail text NOT NULL,
        prev_hash text NOT NULL, hash text NOT NULL, PRIMARY KEY (workspace, seq))""",
    """CREATE TABLE IF NOT EXISTS dos_verdict_anchor (
        workspace text NOT NULL, seq bigint NOT NULL, hash text NOT NULL,
        compacted_ms bigint NOT NULL, dropped bigint NOT NULL,
        PRIMARY KEY (workspace, seq))""",
    _GUARD_BOTH,
    "DROP TRIGGER IF EXISTS dos_verdict_journal_append_only ON dos_verdict_journal",
    """CREATE TRIGGER dos_verdict_journal_append_only BEFORE UPDATE OR DELETE
        ON dos_verdict_journal FOR EACH ROW EXECUTE FUNCTION dos_journal_guard()""",
    "DROP TRIGGER IF EXISTS dos_verdict_journal_no_truncate ON dos_verdict_journal",
    """CREATE TRIGGER dos_verdict_journal_no_truncate BEFORE TRUNCATE ON dos_verdict_journal
        FOR EACH STATEMENT EXECUTE FUNCTION dos_refuse_truncate()""",
    "DROP TRIGGER IF EXISTS dos_verdict_anchor_append_only ON dos_verdict_anchor",
    """CREATE TRIGGER dos_verdict_anchor_append_only BEFORE UPDATE OR DELETE
        ON dos_verdict_anchor FOR EACH ROW EXECUTE FUNCTION dos_journal_guard()""",
    "DROP TRIGGER IF EXISTS dos_verdict_anchor_no_truncate ON dos_verdict_anchor",
    """CREATE TRIGGER dos_verdict_anchor_no_truncate BEFORE TRUNCATE ON dos_verdict_anchor
        FOR EACH STATEMENT EXECUTE FUNCTION dos_refuse_truncate()""",
    "CREATE INDEX IF NOT EXISTS dos_verdict_journal_syscall ON dos_verdict_journal "
    "(workspace, syscall, verdict)",
    "CREATE INDEX IF NOT EXISTS dos_verdict_journal_run ON dos_verdict_journal "
    "(workspace, run_id, verdict)",
    "CREATE INDEX IF NOT EXISTS dos_verdict_journal_ts ON dos_verdict_journal (workspace, ts_ms)",
)

# Version 6: one op's newest records come from an index in seq order, as on SQLite
# (migration 2), not from every record of that op sorted (`dos top`, the SPAWN reads).
_V6 = ("CREATE INDEX IF NOT EXISTS dos_journal_op_seq ON dos_journal (workspace, op, seq)",)

# Version 7: attempts at units in a table of their own, kept through journal compaction,
# with the journal's ATTEMPT records copied in; every run's intent ledger, one hash chain
# per run (SQLite migration 7). Both append-only; only erasing a workspace deletes rows.
_BACKFILL_ATTEMPTS = """
DO $$
DECLARE
    r record;
    p jsonb;
    stamp bigint;
BEGIN
    FOR r IN SELECT workspace, seq, ts_ms, lane, holder, run_id, payload FROM dos_journal
             WHERE op = 'ATTEMPT' LOOP
        BEGIN
            p := r.payload::jsonb;
        EXCEPTION WHEN others THEN
            CONTINUE;
        END;
        IF jsonb_typeof(p -> 'unit_id') IS DISTINCT FROM 'string' OR p ->> 'unit_id' = '' THEN
            CONTINUE;
        END IF;
        stamp := r.ts_ms;
        IF jsonb_typeof(p -> 'attempted_at_ms') = 'number'
           AND (p ->> 'attempted_at_ms') ~ '^[0-9]{1,15}$'
           AND (p ->> 'attempted_at_ms')::bigint <= 253402300799999 THEN
            stamp := (p ->> 'attempted_at_ms')::bigint;
        END IF;
        INSERT INTO dos_attempts (workspace, seq, unit_id, outcome, lane, run_id, holder,
                                  attempted_at_ms, detail)
        VALUES (r.workspace, r.seq, p ->> 'unit_id',
                CASE WHEN jsonb_typeof(p -> 'outcome') = 'string'
                          AND btrim(p ->> 'outcome') <> ''
                     THEN lower(btrim(p ->> 'outcome')) ELSE 'unknown' END,
                r.lane, r.run_id, r.holder, stamp,
                (p - 'unit_id' - 'outcome' - 'attempted_at_ms')::text)
        ON CONFLICT DO NOTHING;
    END LOOP;
END
$$"""

_V7 = (
    """CREATE TABLE IF NOT EXISTS dos_attempts (
        workspace text NOT NULL, seq bigint NOT NULL, unit_id text NOT NULL,
        outcome text NOT NULL, lane text NOT NULL, run_id text NOT NULL, holder text NOT NULL,
        attempted_at_ms bigint NOT NULL, detail text NOT NULL, PRIMARY KEY (workspace, seq))""",
    "CREATE INDEX IF NOT EXISTS dos_attempts_unit ON dos_attempts "
    "(workspace, unit_id, attempted_at_ms)",
    """CREATE TABLE IF NOT EXISTS dos_intents (
        workspace text NOT NULL, run_id text NOT NULL, seq bigint NOT NULL,
        kind text NOT NULL, step text NOT NULL, commit_sha text NOT NULL,
        ts_ms bigint NOT NULL, payload text NOT NULL, prev_hash text NOT NULL,
        hash text NOT NULL, PRIMARY KEY (workspace, run_id, seq))""",
    *(statement for table in ("dos_attempts", "dos_intents") for statement in (
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION dos_journal_guard()""",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION dos_refuse_truncate()""")),
    _BACKFILL_ATTEMPTS,
)

# Version 8: the leases that ended uncleanly, alone in an index, for the lock-delay check
# on every grant (SQLite migration 8).
_V8 = ("CREATE INDEX IF NOT EXISTS dos_leases_ended_unclean ON dos_leases "
       f"(workspace, released_at_ms) WHERE {UNCLEAN_END_SQL}",)

# Version 9: one run's records come from indexes by run id and by lease id, in seq order
# within each, never from a walk through the workspace's journal (SQLite migration 9).
_V9 = (
    "CREATE INDEX IF NOT EXISTS dos_journal_run ON dos_journal (workspace, run_id, seq) "
    f"WHERE {NAMES_RUN_SQL}",
    "CREATE INDEX IF NOT EXISTS dos_journal_lease ON dos_journal (workspace, lease_id, seq) "
    f"WHERE {NAMES_LEASE_SQL}",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9)


def latest_version() -> int:
    return len(MIGRATIONS)
