"""dispatch-os: the referee for fleets of AI coding agents.

Verdicts come from artifacts the agents did not write — git history, a lease
store, the clock — and the exit code is the verdict.
"""

from __future__ import annotations

from dos._version import __version__

__all__ = ["__version__"]
