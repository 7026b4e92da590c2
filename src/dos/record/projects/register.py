"""Registering a workspace: read or mint its card, place it (new, seen, moved, copied)
and read its new history, in one registry transaction of a few indexed statements."""

from __future__ import annotations

from pathlib import Path

from dos.config import SubstrateConfig
from dos.errors import DosError
from dos.record.projects.card import Card, create_card, read_card, replace_card
from dos.record.projects.history import read_history
from dos.record.projects.identity import Placement, Sighting, place
from dos.store.registry import ProjectRow, RegistryTx
from dos.structs import struct

__all__ = ["Registration", "ingest", "register_in", "store_key"]


@struct
class Registration:
    project_id: str
    root: str
    placement: Placement
    copied_from: str = ""
    events: int = 0


def store_key(config: SubstrateConfig) -> str:
    """Which store a project's cursors count in: an embedded store by its path inside
    the workspace (so a moved or copied checkout keeps it), a shared one by its URL."""
    from dos.store import store_url
    from dos.store.urls import is_postgres_url, redact_url

    url = store_url(config)
    if is_postgres_url(url):
        return f"{redact_url(url)}#{config.store.workspace_id or config.root}"
    path = Path(config.paths.store)
    return f"sqlite:{path.relative_to(config.root) if path.is_relative_to(config.root) else path}"


def ingest(reg: RegistryTx, row: ProjectRow, config: SubstrateConfig) -> int:
    """Add the history ``row``'s store gained since its cursors; how many events."""
    from dos.admission.reasons import registry as vocabulary
    from dos.store import reading

    key = store_key(config)
    ops, verdicts = (row.ops_seq, row.verdicts_seq) if row.store_key == key else (0, 0)
    with reading(config) as tx:
        if tx is None:
            return 0
        found = read_history(tx, ops_seq=ops, verdicts_seq=verdicts,
                             category_of=vocabulary(config).category_for)
    reg.add_events(row.project_id, found.events)
    reg.set_cursors(row.project_id, store_key=key, ops_seq=found.ops_seq,
                    verdicts_seq=found.verdicts_seq)
    return len(found.events)


def _there(root: str) -> tuple[str, int, int] | None:
    """The card at a registered root now, if it holds a sound one."""
    try:
        found = read_card(Path(root))
    except DosError:
        return None
    return None if found is None else (found.project_id, found.dev, found.ino)


def _placed(reg: RegistryTx, root: Path, card: Card) -> tuple[Placement, ProjectRow | None]:
    row = reg.project(card.project_id)
    sighting = Sighting(
        str(root), (card.dev, card.ino), row.root if row else None,
        (row.card_dev, row.card_ino) if row else None,
        _there(row.root) if row is not None and row.root != str(root) else None)
    return place(sighting, card.project_id), row


def register_in(reg: RegistryTx, config: SubstrateConfig, *, now_ms: int) -> Registration:
    """Register ``config``'s workspace in the open registry transaction ``reg``."""
    root = config.root.resolve()
    card = read_card(root) or create_card(root, now_ms=now_ms)
    placement, row = _placed(reg, root, card)
    copied_from = ""
    if placement is Placement.COPIED and row is not None:
        copied_from, card = card.project_id, replace_card(root, now_ms=now_ms)
        # the copy's history starts where the original's stood: what came before is its
        row = ProjectRow(card.project_id, str(root), root.name, card.dev, card.ino, now_ms,
                         now_ms, copied_from, row.store_key, row.ops_seq, row.verdicts_seq)
        reg.insert_project(row)
    elif row is None:
        row = ProjectRow(card.project_id, str(root), root.name, card.dev, card.ino, now_ms,
                         now_ms)
        reg.insert_project(row)
    else:
        # the card file registered stays the original's: one replaced in place (a copy
        # put back at the old root) must not take that over from the file that moved
        known = (row.card_dev, row.card_ino)
        if placement is Placement.MOVED:
            reg.record_move(card.project_id, row.root, str(root), now_ms)
            known = (card.dev, card.ino)
        reg.seen(card.project_id, root=str(root), label=root.name, card=known, at_ms=now_ms)
    return Registration(card.project_id, str(root), placement, copied_from,
                        ingest(reg, row, config))
