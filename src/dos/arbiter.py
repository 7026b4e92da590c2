"""Public path of the pure arbiter: may this request run now? The code is in ``dos.admission``."""

from __future__ import annotations

from dos.admission.arbiter import Decision, arbitrate, free_lanes

__all__ = ["Decision", "arbitrate", "free_lanes"]
