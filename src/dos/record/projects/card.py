"""A project's card, ``.dos/project.json``: the id that names it wherever it is moved.

The id is 128 random bits written once; it is never derived from the path. The card's
device and inode tell the original from a copy (a copy is a new file)."""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path

from dos.errors import UsageError
from dos.structs import struct

__all__ = ["CARD", "Card", "CardError", "card_path", "create_card", "read_card",
           "replace_card"]

CARD = "project.json"
_ID = re.compile(r"[0-9a-f]{32}")
_MAX_BYTES = 4096


class CardError(UsageError):
    """A ``.dos/project.json`` that is not a dos project card."""


@struct
class Card:
    project_id: str
    dev: int
    ino: int


def card_path(root: Path) -> Path:
    return root / ".dos" / CARD


def read_card(root: Path) -> Card | None:
    """The card at ``root``, or None when there is none; CardError when it is damaged."""
    path = card_path(root)
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
            facts = os.fstat(handle.fileno())
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise CardError(f"cannot read {path}: {exc.strerror}",
                        hint="check the permissions of the workspace's .dos directory") from None
    found = _project_id(raw)
    if found.startswith("!"):
        raise CardError(f"{path} is not a dos project card ({found[1:]})",
                        hint=f"delete {path}: the next write verb mints a new id "
                             "(the project's registry history stays with the old id)")
    return Card(found, facts.st_dev, facts.st_ino)


def _project_id(raw: bytes) -> str:
    """The card's id, or ``!`` and what is wrong with it."""
    if len(raw) > _MAX_BYTES:
        return "!it is larger than 4 KiB"
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return f"!{exc}"
    found = body.get("project_id") if isinstance(body, dict) else None
    if not isinstance(found, str) or not _ID.fullmatch(found):
        return "!its project_id is not 32 lower-case hex digits"
    return found


def _written(root: Path, *, now_ms: int) -> str:
    """A new card in a private temp file beside the real one; its path."""
    import tempfile

    from dos.store.head import ensure_private_dir

    directory = root / ".dos"
    ensure_private_dir(str(directory))
    body = {"schema": 1, "project_id": secrets.token_hex(16), "created_ms": now_ms}
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".project.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(body, indent=2, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


def create_card(root: Path, *, now_ms: int) -> Card:
    """Mint the card once; a card another process wrote first wins."""
    tmp = _written(root, now_ms=now_ms)
    try:
        os.link(tmp, card_path(root))
    except FileExistsError:
        pass
    finally:
        Path(tmp).unlink(missing_ok=True)
    found = read_card(root)
    if found is None:
        raise CardError(f"{card_path(root)} vanished as it was written",
                        hint="retry the command")
    return found


def replace_card(root: Path, *, now_ms: int) -> Card:
    """A new id for a copied project, replacing the card it carried (atomically)."""
    Path(_written(root, now_ms=now_ms)).replace(card_path(root))
    found = read_card(root)
    if found is None:
        raise CardError(f"{card_path(root)} vanished as it was written", hint="retry the command")
    return found
