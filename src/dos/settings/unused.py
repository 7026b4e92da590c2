"""``dos.toml`` settings the reference reads and this version accepts but never uses.

A reference workspace's file still loads; ``dos lint`` names each one so nobody waits
for an effect that will not come. Unknown tables and misspelt keys stay errors.
"""

from __future__ import annotations

from collections.abc import Mapping

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["UNUSED_KEYS", "UNUSED_TABLES", "UNUSED_TOP_LEVEL", "unused_settings",
           "without_unused"]

# Whole tables: parsed by the reference for verbs this version does not have, or
# named in its documentation as config homes that nothing there read either.
UNUSED_TABLES = ("data_class", "marker", "intervention",
                 "ci", "plan", "scope", "completion", "journal", "noop_streak",
                 "rewind",
                 "resume", "scout", "pick_priority")
# Keys of tables that are otherwise read.
UNUSED_KEYS: dict[str, tuple[str, ...]] = {
    "paths": ("findings_queue", "fanout_runs", "dispatch_loops", "chained_runs",
              "next_packets", "replan_dir", "soaks_index", "picker_audits", "archive_lock",
              "lane_journal", "leases_dir", "project_card", "verdict_journal"),
    "retention": ("journal_max_entries", "runs_keep_last", "verdicts_keep_last",
                  "audits_keep_last", "projections_compact"),
}
# The top-level key the reference's `dos init` wrote and nothing ever read.
UNUSED_TOP_LEVEL = "workspace"


def unused_settings(data: Mapping[str, Any]) -> tuple[str, ...]:
    """What ``data`` (a parsed dos.toml) sets that nothing reads: ``[table]``,
    ``[table] key`` or a top-level key."""
    found = [UNUSED_TOP_LEVEL] if UNUSED_TOP_LEVEL in data else []
    found += [f"[{name}]" for name in UNUSED_TABLES if name in data]
    for table, keys in UNUSED_KEYS.items():
        raw = data.get(table)
        if isinstance(raw, dict):
            found += [f"[{table}] {key}" for key in keys if key in raw]
    return tuple(found)


def without_unused(table: str, raw: Any) -> Any:
    """``raw`` without the keys of ``table`` that nothing reads (so they are not validated)."""
    dropped = UNUSED_KEYS.get(table, ())
    if not dropped or not isinstance(raw, dict):
        return raw
    return {key: value for key, value in raw.items() if key not in dropped}
