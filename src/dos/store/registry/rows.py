"""What the registry holds: projects, their moves, and the history ingested from each."""

from __future__ import annotations

from dos.structs import struct

__all__ = ["Event", "Group", "Move", "ProjectRow"]


@struct
class ProjectRow:
    """One registered project. ``card_dev``/``card_ino`` name the file that holds its id
    at ``root``; the cursors say how far its store's history was read."""

    project_id: str
    root: str
    label: str
    card_dev: int
    card_ino: int
    first_seen_ms: int
    last_seen_ms: int
    copied_from: str = ""
    store_key: str = ""
    ops_seq: int = 0
    verdicts_seq: int = 0


@struct
class Move:
    project_id: str
    from_root: str
    to_root: str
    at_ms: int


@struct
class Event:
    """One record of a project's history, as ``learn`` groups it. ``source`` and
    ``seq`` name the record in the project's own store (ops or verdicts)."""

    source: str
    seq: int
    kind: str  # refusal, wedge or decision
    lane: str
    token: str
    category: str
    outcome: str
    ts_ms: int


@struct
class Group:
    group: str
    count: int
    upheld: int = 0
    overruled: int = 0
    project_id: str = ""
