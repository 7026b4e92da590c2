"""Long ops journals for the benchmarks: entries sealed into one chain from seq 1, and
loaded into a store in batches (one transaction each, as `dos store copy` writes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

__all__ = ["load_sealed", "seal_ops"]

BATCH = 50_000


def seal_ops(entries: Iterable[object], stamp: Callable[[int], int]) -> list[object]:
    """``entries`` (JournalEntry) sealed one after another from seq 1, record ``seq``
    stamped ``stamp(seq)``."""
    from dos.store.chain import GENESIS_HASH
    from dos.store.journal import seal

    sealed, prev = [], GENESIS_HASH
    for seq, entry in enumerate(entries, start=1):
        record = seal(entry, seq=seq, ts_ms=stamp(seq), prev_hash=prev)  # type: ignore[arg-type]
        prev = record.hash
        sealed.append(record)
    return sealed


def load_sealed(store: object, method: str, sealed: Sequence[object]) -> None:
    """``sealed`` loaded through ``tx.<method>`` (load_records, load_verdicts), in
    batches: one transaction per BATCH records."""
    for at in range(0, len(sealed), BATCH):
        with store.transaction(write=True) as tx:  # type: ignore[attr-defined]
            getattr(tx, method)(sealed[at:at + BATCH])
