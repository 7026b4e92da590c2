"""Is this run moving? ADVANCING / SPINNING / STALLED from witnessed progress (UNKNOWN
when nothing knows the run at all).

Pure: the evidence (commits on the run's ref, journal events, the age of its
newest heartbeat, an OS probe of its process) is gathered at the edges, and
``now_ms`` comes in with it. Progress counts only inside a recent window, so one
early commit does not make a run ADVANCING for ever.
"""

from __future__ import annotations

from dos.errors import UsageError
from dos.settings.policy import LivenessSettings
from dos.structs import asdict, struct
from dos.verdicts.temporal import LivenessToken

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "Liveness",
    "LivenessEvidence",
    "LivenessPolicy",
    "LivenessVerdict",
    "classify",
    "run_age_ms",
]

Liveness = LivenessToken


def _check_non_negative(what: str, value: int | None, flag: str) -> None:
    if value is not None and (isinstance(value, bool) or value < 0):
        raise UsageError(f"{what} must be a non-negative integer, got {value}",
                         hint=f"pass {flag} as a count or a duration in ms (0 or more)")


@struct
class LivenessPolicy:
    """How recent progress must be, how fresh a heartbeat, how long young runs get."""

    window_ms: int = 1_800_000
    heartbeat_fresh_ms: int = 300_000
    grace_ms: int = 600_000

    def __post_init__(self) -> None:
        for name in ("window_ms", "heartbeat_fresh_ms", "grace_ms"):
            _check_non_negative(name, getattr(self, name), f"[liveness] {name[:-3]}_s")
        if self.window_ms == 0 or self.heartbeat_fresh_ms == 0:
            raise UsageError("the liveness window and heartbeat freshness must be positive",
                             hint="set [liveness] window_s and heartbeat_fresh_s to 1 or more")

    @classmethod
    def from_settings(cls, settings: LivenessSettings) -> LivenessPolicy:
        """The policy a workspace declares in ``[liveness]`` (seconds there, ms here)."""
        return cls(window_ms=settings.window_s * 1000,
                   heartbeat_fresh_ms=settings.heartbeat_fresh_s * 1000,
                   grace_ms=settings.grace_s * 1000)


@struct
class LivenessEvidence:
    """What was witnessed about one run at ``now_ms``.

    ``commits_in_window`` and ``journal_events_in_window`` count progress made in the
    last ``window_ms``; ``commits_since_start`` is the total, for the reason only.
    ``process_alive`` is the OS's answer (None when it cannot say).
    """

    run_started_ms: int
    now_ms: int
    commits_since_start: int = 0
    commits_in_window: int = 0
    journal_events_in_window: int = 0
    last_heartbeat_age_ms: int | None = None
    last_progress_age_ms: int | None = None
    process_alive: bool | None = None
    tokens_spent_since: int | None = None
    # False when nothing knows the run: no lease, journal record, start SHA or probe.
    run_known: bool = True

    def __post_init__(self) -> None:
        _check_non_negative("commits_since_start", self.commits_since_start, "the commit count")
        _check_non_negative("commits_in_window", self.commits_in_window, "the commit count")
        _check_non_negative("journal_events_in_window", self.journal_events_in_window,
                            "the event count")
        _check_non_negative("last_heartbeat_age_ms", self.last_heartbeat_age_ms,
                            "--last-heartbeat-age-ms")
        _check_non_negative("last_progress_age_ms", self.last_progress_age_ms,
                            "the progress age")
        _check_non_negative("tokens_spent_since", self.tokens_spent_since, "the token count")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@struct
class LivenessVerdict:
    verdict: LivenessToken
    reason: str
    evidence: LivenessEvidence
    policy: LivenessPolicy

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict.value, "reason": self.reason,
                "evidence": self.evidence.to_dict(), "policy": asdict(self.policy)}


def run_age_ms(evidence: LivenessEvidence) -> int:
    """Milliseconds since the run started; negative when its start is in our future."""
    return evidence.now_ms - evidence.run_started_ms


def _progress(ev: LivenessEvidence, policy: LivenessPolicy) -> str | None:
    window = policy.window_ms
    if ev.commits_in_window:
        return (f"{ev.commits_in_window} commit(s) on the run's ref in the last {window} ms "
                f"({ev.commits_since_start} since its start SHA) — ground-truth state moved")
    if ev.journal_events_in_window:
        return (f"{ev.journal_events_in_window} progress event(s) in the journal in the last "
                f"{window} ms — progress at the lease layer (0 commits in the window)")
    return None


def _stillness(ev: LivenessEvidence, policy: LivenessPolicy) -> str:
    """Why nothing counts as progress: said once, reused by every later rung."""
    if ev.commits_since_start and ev.last_progress_age_ms is not None:
        return (f"no progress in the last {policy.window_ms} ms ({ev.commits_since_start} "
                f"commit(s) since start, newest {ev.last_progress_age_ms} ms ago)")
    if ev.commits_since_start:
        return (f"no progress in the last {policy.window_ms} ms "
                f"({ev.commits_since_start} commit(s) since start, all older)")
    return f"0 commits and 0 progress events in the last {policy.window_ms} ms"


def classify(evidence: LivenessEvidence, policy: LivenessPolicy | None = None) -> LivenessVerdict:
    """Judge one run; first matching rung wins (see the module docstring)."""
    pol = policy or LivenessPolicy()
    token, reason = _ladder(evidence, pol)
    return LivenessVerdict(verdict=token, reason=reason, evidence=evidence, policy=pol)


def _ladder(ev: LivenessEvidence, pol: LivenessPolicy) -> tuple[LivenessToken, str]:  # noqa: PLR0911 - one return per rung of the ladder
    if not ev.run_known:
        return Liveness.UNKNOWN, (
            "nothing knows this run: no lease or journal record carries its id and no start "
            "SHA, heartbeat or process was given — a typo, or a run that never started")
    if ev.process_alive is False:
        return Liveness.STALLED, ("the OS reports the run's process is gone — STALLED "
                                  "whatever its heartbeat or commits say")
    moved = _progress(ev, pol)
    if moved:
        return Liveness.ADVANCING, moved
    still = _stillness(ev, pol)
    age = run_age_ms(ev)
    # A start in our future is clock skew, not youth: such a run gets no grace.
    young = 0 <= age < pol.grace_ms
    skew = f"; its start is {-age} ms in this clock's future (clock skew — no grace)" \
        if age < 0 else ""
    beat = ev.last_heartbeat_age_ms
    if beat is not None and beat <= pol.heartbeat_fresh_ms:
        if young:
            return Liveness.ADVANCING, (
                f"alive (heartbeat {beat} ms old) and only {age} ms into the run (< grace "
                f"{pol.grace_ms} ms) — too young to judge spinning; {still}")
        return Liveness.SPINNING, (
            f"alive (heartbeat {beat} ms old <= {pol.heartbeat_fresh_ms} ms) but {still} — "
            f"spinning{skew}")
    if beat is None and young:
        return Liveness.ADVANCING, (
            f"no heartbeat yet, but only {age} ms into the run (< grace {pol.grace_ms} ms) — "
            "too young to judge")
    if beat is None:
        return Liveness.STALLED, f"no heartbeat and {still} — run is dead or hung{skew}"
    return Liveness.STALLED, (
        f"heartbeat {beat} ms old (> {pol.heartbeat_fresh_ms} ms) and {still} — "
        f"run is dead or hung{skew}")
