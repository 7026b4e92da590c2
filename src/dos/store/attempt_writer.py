"""``record_attempt`` for every backend: an ATTEMPT journal record, which the backend's
``append`` projects into the attempts table. Kept light: imported on the hook path."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from dos.store.attempts import AttemptRecord
    from dos.store.journal import JournalEntry, JournalRecord

__all__ = ["AttemptWriter"]


class AttemptWriter:
    """Mixed into a transaction class that has ``append``."""

    if TYPE_CHECKING:
        def append(self, entry: JournalEntry) -> JournalRecord: ...

    def record_attempt(self, *, unit_id: str, outcome: str, lane: str = "", run_id: str = "",
                       holder: str = "", detail: Mapping[str, Any] | None = None
                       ) -> AttemptRecord:
        from dos.store.attempts import attempt_entry, attempt_of

        record = self.append(attempt_entry(unit_id=unit_id, outcome=outcome, lane=lane,
                                           run_id=run_id, holder=holder, detail=detail))
        found = attempt_of(record)
        if found is None:  # attempt_entry always names the unit
            raise ValueError("an attempt needs a unit id")
        return found
