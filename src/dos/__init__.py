"""dispatch-os: the referee for fleets of AI coding agents.

Verdicts come from artifacts the agents did not write (git history, a lease store,
the clock), and the exit code is the verdict.

The public Python API, the import paths a driver or host writes against:

    dos.config      the seam: SubstrateConfig, LaneTaxonomy, PathLayout, workspace loading
    dos.oracle      verify(plan, phase, config) -> ShipVerdict: did it ship, says git
    dos.arbiter     arbitrate(request, live_leases, config) -> Decision: may it run now
    dos.lane_lease  acquire / heartbeat / release / halt / live_leases: the lease store
    dos.liveness    classify(evidence, policy) -> LivenessVerdict: is a run moving
    dos.run_id      mint(process, parent=None), ts_ms_of(run_id): sortable run ids
    dos.errors      DosError and its subclasses, each carrying its exit code

Where the code lives (one folder per domain):

    dos.truth       did it really happen? oracle, stamps, commit-audit, coverage, plan board
    dos.admission   who may work where? tree algebra, arbiter, leases, scope gate, reasons
    dos.temporal    is it moving? liveness, evidence, supervise, breaker, cooldown, status
    dos.record      what was decided: the ops journal's reading, export and compaction
    dos.settings    one validator per dos.toml table
    dos.git         every git call;  dos.store: SQLite and PostgreSQL behind one protocol
    dos.commands    one module per CLI verb;  dos.hooks: agent-host hooks
    dos.tui         the operator's desk: top, decisions and plan as one Textual app
    dos.drivers     policy packs and the watchdog / supervisor actors

The dos command's own process starts and ends light: dos.code_bundle (its modules from
one file), dos.deferred_imports, dos.pattern_cache (patterns rebuilt without re) and
dos.process_end (no interpreter teardown when nothing needs it).
"""

from __future__ import annotations

from dos._version import __version__

__all__ = [
    "__version__",
    "arbiter",
    "config",
    "errors",
    "lane_lease",
    "liveness",
    "oracle",
    "run_id",
]

_PUBLIC_MODULES = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> object:
    # `import dos; dos.oracle.verify(...)` works without importing every module up front.
    if name in _PUBLIC_MODULES:
        __import__(f"dos.{name}")
        import sys

        return sys.modules[f"dos.{name}"]
    raise AttributeError(f"module 'dos' has no attribute {name!r}")
