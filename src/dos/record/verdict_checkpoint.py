"""How far ``dos observe`` has re-hashed the verdict journal, witnessed beside the store.

``seq``/``hash``: the newest record whose every field was re-hashed and found sound
(records up to it are re-hashed again only by the sweep); ``swept``: how far the
current sweep over those older records has come. Kept outside the store's tables, like
the ops journal's head (:mod:`dos.store.head`): whoever rewrites the journal cannot move
it back, and a journal cut below ``seq`` is found. A missing or damaged file only means
more re-hashing.
"""

from __future__ import annotations

import json
import os

from dos.store import Store
from dos.structs import struct

__all__ = ["Checkpoint", "checkpoint_path", "read_checkpoint", "write_checkpoint"]

_FORMAT = 1


@struct
class Checkpoint:
    store: str
    seq: int
    hash: str
    swept: int


def checkpoint_path(store: Store) -> str | None:
    """Beside the ops journal's head file (None for a store without one)."""
    if not store.head_path:
        return None
    return store.head_path.removesuffix(".head") + ".verdict-checkpoint"


def read_checkpoint(path: str | None, store: str) -> Checkpoint | None:
    """The checkpoint of ``store`` in ``path``; None when there is none, it belongs to
    another store or it is not one this dos wrote."""
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:  # noqa: PTH123
            raw = json.loads(handle.read(4096))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT or raw.get("store") != store:
        return None
    seq, digest, swept = raw.get("seq"), raw.get("hash"), raw.get("swept")
    if type(seq) is not int or type(swept) is not int or not 0 <= swept <= seq or not (
            isinstance(digest, str) and len(digest) == 64):
        return None
    return Checkpoint(store=store, seq=seq, hash=digest, swept=swept)


def write_checkpoint(path: str | None, checkpoint: Checkpoint) -> None:
    """Replace the checkpoint in one rename; a file that cannot be written only means
    the next run re-hashes more (never an error). A read creates no directory."""
    if path is None or not os.path.isdir(os.path.dirname(path)):  # noqa: PTH112, PTH120
        return
    text = json.dumps({"format": _FORMAT, "store": checkpoint.store, "seq": checkpoint.seq,
                       "hash": checkpoint.hash, "swept": checkpoint.swept}, sort_keys=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as handle:  # noqa: PTH123
            handle.write(text + "\n")
        os.replace(tmp, path)  # noqa: PTH105
    except OSError:
        if os.path.exists(tmp):  # noqa: PTH110
            os.unlink(tmp)  # noqa: PTH108
