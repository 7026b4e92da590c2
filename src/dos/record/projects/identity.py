"""Moved or copied? The pure rule that keeps a project's id across a move and gives a
copy an id of its own.

A card seen at a new root is a *copy* when the registered root still holds a card with
the same id and that card is the very file registered (same device and inode): the
original is where it was. Otherwise the project *moved* (its old root is gone, holds
another project, or holds a later copy of the card while this one is the file
registered), and it keeps its id and its history.
"""

from __future__ import annotations

import enum

from dos.structs import struct

__all__ = ["Placement", "Sighting", "place"]


class Placement(enum.Enum):
    NEW = "new"        # an id the registry has not seen
    SEEN = "seen"      # at its registered root
    MOVED = "moved"    # the same project at a new root: the row follows it
    COPIED = "copied"  # a copy: it gets a new id, the original keeps its own


@struct
class Sighting:
    """What registration found: the card at the new root, the registered row's root
    and card file, and the card now at that registered root (None when there is none)."""

    root: str
    card: tuple[int, int]
    registered_root: str | None
    registered_card: tuple[int, int] | None
    at_registered_root: tuple[str, int, int] | None  # (project_id, dev, ino)


def place(sighting: Sighting, project_id: str) -> Placement:
    """Where ``project_id``'s card at ``sighting.root`` stands."""
    if sighting.registered_root is None:
        return Placement.NEW
    if sighting.registered_root == sighting.root:
        return Placement.SEEN
    there = sighting.at_registered_root
    if there is None or there[0] != project_id:
        return Placement.MOVED
    if (there[1], there[2]) != sighting.registered_card and \
            sighting.card == sighting.registered_card:
        return Placement.MOVED  # the old root holds a later copy; this is the original file
    return Placement.COPIED
