"""Tool-stream harness: replayed tool streams labelled stuck, polling or neither, each
fed step by step to the live post-tool reader (:mod:`dos.hooks.streams`).

A stream "fires" when, after any step, the live hook would have warned (REPEATING or
STALLED). As in the hook, a call to an ignored tool leaves the run untouched and a
call with no result breaks it. A fire on a stream that was not stuck (a poller, or
ordinary work) is off-target; the bar is more recoveries than off-target fires, and a
tie meets it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dos.errors import UsageError
from dos.evals.cases import Case, rate
from dos.evals.report import Bar, Misses, judge_bar, rounded
from dos.hooks.streams import Step, advance, classify
from dos.structs import field, struct

__all__ = ["KEYS", "KNOWN", "StreamPolicy", "StreamTally", "evaluate", "fired", "policy_of"]

KEYS = ("actually_stuck", "legit_polling", "recovered_if_fired")
KNOWN = (*KEYS, "steps", "repeat", "tool", "args", "result", "label")
_MAX_REPEAT = 1_000_000_000
_ADVANCING = "ADVANCING"


@struct
class StreamPolicy:
    repeat_n: int
    stall_n: int
    ignore_tools: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"repeat_n": self.repeat_n, "stall_n": self.stall_n,
                "ignore_tools": list(self.ignore_tools)}


def policy_of(table: Mapping[str, Any], *, repeat_n: int | None, stall_n: int | None,
              ignore_tools: str | None) -> StreamPolicy:
    """``[tool_stream]`` with the flags on top; an empty ``--ignore-tools`` keeps the table's."""
    ignored = table.get("ignore_tools", ())
    names = (ignored,) if isinstance(ignored, str) else tuple(ignored)
    if ignore_tools and ignore_tools.strip():
        names = tuple(part.strip() for part in ignore_tools.split(",") if part.strip())
    chosen = StreamPolicy(int(table.get("repeat_n", 3) if repeat_n is None else repeat_n),
                          int(table.get("stall_n", 5) if stall_n is None else stall_n), names)
    if chosen.repeat_n < 1:
        raise UsageError("repeat_n must be >= 1", hint="pass --repeat-n 1 or more")
    if chosen.stall_n < chosen.repeat_n:
        raise UsageError(f"stall_n ({chosen.stall_n}) must be >= repeat_n ({chosen.repeat_n})",
                         hint="STALLED is more repetition than REPEATING: raise --stall-n too")
    return chosen


def _steps(case: Case, policy: StreamPolicy) -> Iterable[Step]:
    if "steps" in case.raw:
        for index, entry in enumerate(case.items("steps")):
            yield _step(entry, f"{case.where}: steps[{index}]")
        return
    if "repeat" not in case.raw:
        raise UsageError(f"{case.where}: each case needs 'steps' or 'repeat'",
                         hint='e.g. "repeat": 4, "tool": "poll", "result": "pending"')
    count = case.integer("repeat", 0, _MAX_REPEAT) or 0
    result = case.raw.get("result", "r")
    if result is not None and not isinstance(result, str):
        raise UsageError(f"{case.where}.result must be a string or null", hint='e.g. "r"')
    step = Step(case.text("tool", "tool"), case.text("args", "a"), result)
    # the verdict only changes up to stall_n repeats, so the replay never needs more
    yield from (step for _ in range(min(count, policy.stall_n)))


def _step(entry: object, where: str) -> Step:
    parts = entry if isinstance(entry, list) and 2 <= len(entry) <= 3 else [None, None]
    tool, args, result = (*parts, None)[:3]
    if not (isinstance(tool, str) and isinstance(args, str)
            and (result is None or isinstance(result, str))):
        raise UsageError(f"{where} must be [tool, args_digest, result_digest or null]",
                         hint='e.g. ["poll", "a1", "r1"]')
    return Step(tool, args, result)


def fired(steps: Iterable[Step], policy: StreamPolicy) -> str:
    """The strongest warning the live hook gave over ``steps`` (ADVANCING if none)."""
    ignored = {name.casefold() for name in policy.ignore_tools}
    state: dict[str, Any] = {}
    worst = _ADVANCING
    for step in steps:
        if step.tool.casefold() in ignored:
            continue
        state = advance(state, step)
        verdict = classify(state["count"], repeat_n=policy.repeat_n, stall_n=policy.stall_n)
        worst = "STALLED" if "STALLED" in (worst, verdict) else \
            verdict if verdict != _ADVANCING else worst
    return worst


@struct(frozen=False)
class StreamTally:
    """Counters only: the cases themselves are never kept."""

    stuck: int = 0
    polling: int = 0
    other: int = 0
    fired: int = 0
    fired_stuck: int = 0
    fired_polling: int = 0
    fired_other: int = 0
    recovered: int = 0
    misses: Misses = field(default_factory=Misses)

    @property
    def n(self) -> int:
        return self.stuck + self.polling + self.other

    @property
    def off_target(self) -> int:
        return self.fired_polling + self.fired_other

    def add(self, case: Case, verdict: str) -> None:
        stuck, polling = case.label("actually_stuck"), case.label("legit_polling")
        recovers, label = case.label("recovered_if_fired"), case.text("label", limit=200)
        if stuck and polling:
            raise UsageError(f"{case.where}: a stream cannot be both actually_stuck and "
                             "legit_polling", hint="set one of them to false")
        kind = "stuck" if stuck else "polling" if polling else "other"
        setattr(self, kind, getattr(self, kind) + 1)
        hit = verdict != _ADVANCING
        if hit:
            self.fired += 1
            setattr(self, f"fired_{kind}", getattr(self, f"fired_{kind}") + 1)
            self.recovered += stuck and recovers
        if hit != stuck:
            self.misses.add(case.where, f"fired on {kind} ({verdict})" if hit else
                            "stuck, never fired", label)

    def bar(self, min_rate: float | None) -> Bar:
        """Recoveries at least the off-target fires (a tie meets it); the recovered rate
        at least ``min_rate`` when given."""
        return judge_bar(dangerous_ok=self.recovered >= self.off_target,
                         headline=rate(self.recovered, self.stuck), min_rate=min_rate)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "grid": {"stuck": self.stuck, "polling": self.polling,
                                      "other": self.other},
                "firing": {"fired": self.fired, "fired_stuck": self.fired_stuck,
                           "fired_polling": self.fired_polling,
                           "fired_other": self.fired_other, "off_target": self.off_target,
                           "recovered": self.recovered},
                "rates": {key: rounded(value) for key, value in (
                    ("recovered_rate", rate(self.recovered, self.stuck)),
                    ("fire_recall", rate(self.fired_stuck, self.stuck)),
                    ("false_resurface_rate", rate(self.fired_polling, self.polling)),
                    ("off_target_rate", rate(self.off_target, self.fired)),
                    ("fire_precision", rate(self.fired_stuck, self.fired)))},
                "net_positive": self.recovered >= self.off_target,
                "misses": self.misses.to_dict()}


def evaluate(cases: Iterable[Case], policy: StreamPolicy) -> StreamTally:
    tally = StreamTally()
    for case in cases:
        tally.add(case, fired(_steps(case, policy), policy))
    return tally
