"""Public path of the liveness verdict: is a run moving? The code is in ``dos.temporal``."""

from __future__ import annotations

from dos.temporal.liveness import (
    Liveness,
    LivenessEvidence,
    LivenessPolicy,
    LivenessVerdict,
    classify,
    run_age_ms,
)

__all__ = ["Liveness", "LivenessEvidence", "LivenessPolicy", "LivenessVerdict", "classify",
           "run_age_ms"]
