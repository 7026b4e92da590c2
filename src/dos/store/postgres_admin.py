"""Maintenance of the PostgreSQL store: consistency checks, vacuum, erasing a workspace."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.store.postgres_api import PgConnection

__all__ = ["JOURNAL_TRIGGERS", "erase_workspace", "integrity_problems", "vacuum_journal"]

# The triggers that keep the journal append-only; a missing or disabled one is reported.
JOURNAL_TRIGGERS = {
    "dos_journal": ("dos_journal_append_only", "dos_journal_no_truncate"),
    "dos_journal_anchor": ("dos_anchor_append_only", "dos_anchor_no_truncate"),
    "dos_verdict_journal": ("dos_verdict_journal_append_only",
                            "dos_verdict_journal_no_truncate"),
    "dos_verdict_anchor": ("dos_verdict_anchor_append_only", "dos_verdict_anchor_no_truncate"),
    "dos_attempts": ("dos_attempts_append_only", "dos_attempts_no_truncate"),
    "dos_intents": ("dos_intents_append_only", "dos_intents_no_truncate"),
}
_ERASED_TABLES = ("dos_journal", "dos_journal_anchor", "dos_leases", "dos_counters",
                  "dos_verdict_journal", "dos_verdict_anchor", "dos_memory", "dos_attempts",
                  "dos_intents")


def integrity_problems(conn: PgConnection, workspace: str) -> list[str]:
    """What is unsound in the schema: an append-only trigger gone, or a fencing
    sequence behind the tokens already handed out."""
    problems = []
    for table, expected in JOURNAL_TRIGGERS.items():
        rows = conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
            "AND NOT tgisinternal AND tgenabled IN ('O', 'A')", (table,)).fetchall()
        enabled = {str(row[0]) for row in rows}
        problems += [f"trigger {name} on {table} is missing or disabled: the journal is no "
                     "longer append-only" for name in expected if name not in enabled]
    row = conn.execute(
        "SELECT (SELECT last_value FROM dos_lease_id_seq), "
        "(SELECT max(lease_id) FROM dos_leases)").fetchone()
    if row and row[1] is not None and row[1] > row[0]:
        problems.append(f"the fencing sequence dos_lease_id_seq ({row[0]}) is behind the "
                        f"largest lease id ({row[1]}): tokens could repeat")
    anchor_row = conn.execute(
        "SELECT (SELECT max(seq) FROM dos_journal_anchor WHERE workspace = %s), "
        "(SELECT min(seq) FROM dos_journal WHERE workspace = %s)",
        (workspace, workspace)).fetchone()
    if anchor_row and None not in anchor_row and anchor_row[1] <= anchor_row[0]:
        problems.append(f"journal records at or below the anchor (seq {anchor_row[0]}) "
                        "survived a compaction")
    return problems


def vacuum_journal(conn: PgConnection) -> int:
    """VACUUM the journal (outside any transaction); the bytes its relation shrank by."""
    size = "SELECT pg_total_relation_size('dos_journal')"
    before = conn.execute(size).fetchone()
    conn.execute("SET statement_timeout = 0")  # a long history takes long; locks still time out
    try:
        conn.execute("VACUUM dos_journal")
    finally:
        conn.execute("RESET statement_timeout")
    after = conn.execute(size).fetchone()
    if before is None or after is None:
        return 0
    return max(0, int(before[0]) - int(after[0]))


def erase_workspace(conn: PgConnection, workspace: str) -> int:
    """Delete every row of ``workspace`` (``dos store copy --force``); the rows deleted.
    Runs in its own transaction holding the workspace's write lock."""
    deleted = 0
    with conn.transaction():
        conn.execute("SET LOCAL statement_timeout = 0")  # a long history takes long to delete
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (workspace,))
        # The append-only trigger lets exactly this workspace's rows go, in this transaction.
        conn.execute("SELECT set_config('dos.erase_workspace', %s, true)", (workspace,))
        for table in _ERASED_TABLES:
            deleted += conn.execute(f"DELETE FROM {table} WHERE workspace = %s",  # noqa: S608 - constant
                                    (workspace,)).rowcount
    return deleted
