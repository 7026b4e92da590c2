"""The text form of one lifecycle tick (``dos plan --lifecycle``)."""

from __future__ import annotations

from dos.render import paint
from dos.truth.lifecycle import PlanTick, Tick

__all__ = ["lifecycle_text"]

_STYLES = {"ready": ("green", "bold"), "held": ("yellow",), "unknown_class": ("red",)}
_LABELS = {"ready": "READY", "held": "HELD", "steady": "steady", "unknown_class": "UNKNOWN"}


def _hours(hours: float) -> str:
    return f"{hours:g}h"


def _when(ms: int | None) -> str:
    import datetime

    if ms is None:
        return "?"
    moment = datetime.datetime.fromtimestamp(ms / 1000, datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _why(tick: PlanTick) -> str:
    facts = tick.facts
    if tick.state == "unknown_class":
        return f"class '{facts.declared_class[:40]}' is not one of [lifecycle] classes"
    counts = f"{len(facts.shipped)}/{len(facts.units)} shipped"
    if tick.transition is None:
        return counts
    why = {"veto": "the veto class is the operator's", "cap": "this cycle's cap is reached",
           "manual": "auto = false: an operator moves it",
           "cooldown": f"cooling down until {_when(tick.until_ms)}",
           "judge": f"judge {(tick.ruling or {}).get('stance', '?')}"}.get(tick.hold, "")
    if tick.state == "ready" and tick.ruling:
        why = f"judge {tick.ruling.get('stance')}"
    return f"{tick.transition.trigger} ({counts})" + (f" · {why}" if why else "")


def _line(tick: PlanTick, color: bool) -> str:
    move = tick.transition
    label = paint(f"{_LABELS[tick.state]:<8}", *_STYLES.get(tick.state, ()), enabled=color)
    classes = f"{move.source} → {move.target}" if move else (tick.current or "?")
    return f"  {label} {tick.facts.doc:<28} {classes:<20} {_why(tick)}"


def lifecycle_text(tick: Tick, *, judge: str | None, color: bool) -> str:
    settings = tick.settings
    head = (f"lifecycle  classes {', '.join(settings.classes)} · veto "
            f"{settings.veto_class or '(none)'} · at most {settings.max_transitions_per_cycle} "
            f"a cycle · cooldown {_hours(settings.per_plan_cooldown_hours)} · judge "
            f"{judge or '(none asked)'}")
    lines = [head] + [_line(plan, color) for plan in tick.plans]
    if not tick.plans:
        lines.append("  (no plan documents match [paths] plans_glob)")
    counts = tick.summary()
    lines.append(f"{counts['ready']} ready · {counts['held']} held · {counts['steady']} steady"
                 f" · {counts['unknown_class']} unknown class")
    return "\n".join(lines)
