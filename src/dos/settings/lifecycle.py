"""``[lifecycle]``: the classes a plan document moves through, and when it moves.

The table replaces the defaults whole: a table that names only ``classes`` drops the
default transition too. Every transition names declared classes and a trigger dos can
evaluate; the veto class, if set, is declared as well.
"""

from __future__ import annotations

from collections.abc import Mapping

from dos.lazy_pattern import LazyPattern
from dos.settings import (
    SchemaProblem,
    check_keys,
    expect_bool,
    expect_int,
    expect_number,
    expect_str,
    type_name,
    validate_table,
)
from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["TRIGGERS", "LifecycleSettings", "Transition", "parse_lifecycle"]

# trigger → when it holds for a plan document (evaluated by dos.truth.lifecycle)
TRIGGERS = {
    "all_phases_shipped": "every unit the document declares shipped (git's answer); "
                          "a document that declares none never does",
    "any_phase_shipped": "at least one unit the document declares shipped",
    "phases_open": "at least one unit the document declares has not shipped",
}
_NAME = LazyPattern(r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$")
_MAX_CLASSES = 64
_MAX_TRANSITIONS = 256
_ENTRY_KEYS = ("from", "to", "trigger", "auto")


@struct
class Transition:
    """Move a plan document from ``source`` to ``target`` when ``trigger`` holds;
    ``auto`` false leaves the move to an operator."""

    source: str
    target: str
    trigger: str
    auto: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "trigger": self.trigger,
                "auto": self.auto}


@struct
class LifecycleSettings:
    """The validated ``[lifecycle]`` table."""

    classes: tuple[str, ...] = ("active", "done")
    transitions: tuple[Transition, ...] = (Transition("active", "done", "all_phases_shipped"),)
    veto_class: str = ""
    max_transitions_per_cycle: int = 5
    per_plan_cooldown_hours: float = 72.0

    def class_named(self, name: str) -> str | None:
        """The declared spelling of ``name`` (compared without case), else None."""
        folded = name.casefold()
        return next((c for c in self.classes if c.casefold() == folded), None)

    def to_dict(self) -> dict[str, Any]:
        return {"classes": list(self.classes),
                "transitions": [t.to_dict() for t in self.transitions],
                "veto_class": self.veto_class,
                "max_transitions_per_cycle": self.max_transitions_per_cycle,
                "per_plan_cooldown_hours": self.per_plan_cooldown_hours}


def _classes(table: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not 0 < len(value) <= _MAX_CLASSES or not all(
            isinstance(item, str) and _NAME.match(item) for item in value):
        raise SchemaProblem(table, key, f"[{table}] {key} must be an array of 1 to "
                            f"{_MAX_CLASSES} class names, got {type_name(value)} "
                            f"{str(value)[:80]}", hint=f'e.g. {key} = ["draft", "active", '
                            '"done"] (a letter first, then letters, digits, _ . -)')
    folded = [item.casefold() for item in value]
    twice = next((item for at, item in enumerate(value) if folded.index(item.casefold()) < at),
                 None)
    if twice is not None:
        raise SchemaProblem(table, key, f"[{table}] {key} names '{twice}' twice (class names "
                            "compare without case)", hint="list each class once")
    return tuple(value)


def _entry(table: str, at: int, raw: Any) -> Transition:
    where = f"[{table}] transitions entry {at}"
    if not isinstance(raw, dict):
        raise SchemaProblem(table, "transitions", f"{where} must be a table, got "
                            f"{type_name(raw)}", hint='write [[lifecycle.transitions]] with '
                            'from, to and trigger')
    check_keys(f"{table}.transitions", raw, _ENTRY_KEYS)
    missing = [key for key in ("from", "to", "trigger") if key not in raw]
    if missing:
        raise SchemaProblem(table, "transitions", f"{where} has no {missing[0]}",
                            hint='each transition names from, to and trigger, e.g. from = '
                                 '"active", to = "done", trigger = "all_phases_shipped"')
    label = f"{table}.transitions"
    source, target, trigger = (expect_str(label, key, raw[key]) for key in ("from", "to",
                                                                            "trigger"))
    return Transition(source, target, trigger, expect_bool(label, "auto", raw.get("auto", True)))


def _transitions(table: str, key: str, value: Any) -> tuple[Transition, ...]:
    if not isinstance(value, list) or len(value) > _MAX_TRANSITIONS:
        raise SchemaProblem(table, key, f"[{table}] {key} must be an array of at most "
                            f"{_MAX_TRANSITIONS} tables, got {type_name(value)}",
                            hint="write each one as [[lifecycle.transitions]]")
    return tuple(_entry(table, at, raw) for at, raw in enumerate(value, start=1))


def _declared(settings: LifecycleSettings, name: str, what: str) -> str:
    found = settings.class_named(name)
    if found is None:
        raise SchemaProblem("lifecycle", what.split(maxsplit=1)[0], f"[lifecycle] {what} "
                            f"'{name[:60]}' is not a declared class",
                            hint="declare it in [lifecycle] classes (now: "
                                 f"{', '.join(settings.classes)}), or name one of those")
    return found


def _checked(settings: LifecycleSettings, at: int, move: Transition) -> Transition:
    where = f"transitions entry {at}"
    source = _declared(settings, move.source, f"{where} from")
    target = _declared(settings, move.target, f"{where} to")
    if source == target:
        raise SchemaProblem("lifecycle", "transitions", f"[lifecycle] {where} moves '{source}' "
                            "to itself", hint="name another class in to, or remove the entry")
    if move.trigger not in TRIGGERS:
        raise SchemaProblem("lifecycle", "transitions", f"[lifecycle] {where} has trigger "
                            f"'{move.trigger[:60]}', which dos cannot evaluate",
                            hint=f"use one of: {', '.join(TRIGGERS)}")
    return Transition(source, target, move.trigger, move.auto)


def parse_lifecycle(raw: Mapping[str, Any]) -> LifecycleSettings:
    """Validate ``[lifecycle]``; keys it does not set take the defaults, not the base's."""
    defaults = LifecycleSettings()
    values = validate_table("lifecycle", raw, {
        "classes": (_classes, defaults.classes),
        "transitions": (_transitions, defaults.transitions),
        "veto_class": (expect_str, defaults.veto_class),
        "max_transitions_per_cycle": (expect_int(0), defaults.max_transitions_per_cycle),
        "per_plan_cooldown_hours": (expect_number(0.0), defaults.per_plan_cooldown_hours),
    })
    settings = LifecycleSettings(**values)
    if "transitions" not in raw and "classes" in raw and not all(
            settings.class_named(name) for name in ("active", "done")):
        raise SchemaProblem("lifecycle", "classes", "[lifecycle] classes leaves out 'active' "
                            "or 'done', which the default transition (active → done on "
                            "all_phases_shipped) moves between",
                            hint="declare your own [[lifecycle.transitions]] between your classes")
    moves = tuple(_checked(settings, at, move)
                  for at, move in enumerate(settings.transitions, start=1))
    veto = _declared(settings, settings.veto_class, "veto_class") if settings.veto_class else ""
    return LifecycleSettings(settings.classes, moves, veto, settings.max_transitions_per_cycle,
                             settings.per_plan_cooldown_hours)
