"""Public path of the truth oracle: did (PLAN, PHASE) ship? The code is in ``dos.truth``."""

from __future__ import annotations

from dos.truth.oracle import (
    GRADES,
    PhaseQuery,
    ShipEvidence,
    ShipVerdict,
    grade_at_least,
    interpret,
    verify,
    verify_many,
)

__all__ = ["GRADES", "PhaseQuery", "ShipEvidence", "ShipVerdict", "grade_at_least",
           "interpret", "verify", "verify_many"]
