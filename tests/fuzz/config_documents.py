"""Hypothesis strategies for `dos.toml` documents: the real tables and keys (read from the
code that validates them) with hostile values, unknown keys, deep nesting, and text that
is not TOML or not UTF-8 at all."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from hypothesis import strategies as st
from tests._support.fuzz import DECLARED_OUTSIDE

from dos import structs
from dos.config import LaneTaxonomy
from dos.settings.lifecycle import TRIGGERS, LifecycleSettings
from dos.settings.policy import (
    HookSettings,
    LivenessSettings,
    OverlapSettings,
    StampGrammar,
    StoreSettings,
)
from dos.settings.reasons import KNOWN_CATEGORIES
from dos.settings.tables import SIMPLE_TABLES
from dos.settings.unused import UNUSED_KEYS, UNUSED_TABLES


def _defaults(instance: object) -> dict[str, Any]:
    return {item.name: getattr(instance, item.name) for item in structs.fields(instance)}


# Every table dos reads, its keys and their defaults, taken from the code that validates
# them, so a new key is fuzzed without a change here.
DEFAULTS: dict[str, dict[str, Any]] = {
    **{name: {key: default for key, (_, default) in schema.items()}
       for name, schema in SIMPLE_TABLES.items()},
    "lanes": _defaults(LaneTaxonomy()), "stamp": _defaults(StampGrammar()),
    "store": _defaults(StoreSettings()), "hooks": _defaults(HookSettings()),
    "liveness": _defaults(LivenessSettings()), "overlap": _defaults(OverlapSettings()),
    "paths": dict.fromkeys(("execution_state", "store", "plans_glob", *UNUSED_KEYS["paths"]),
                           ""),
    "verify": {"non_git_oracle": ""},
    "lifecycle": LifecycleSettings().to_dict(),
    **{name: {"enabled": True} for name in UNUSED_TABLES},
}
LANES = ["src", "docs", "global", "SRC", "nosuch", ""]
# Store locations: inside the workspace, beside it in DECLARED_OUTSIDE, or places that
# cannot be a database. Never a writable absolute path: the tests may run as root.
STORES = ["", "sqlite:///", "sqlite:///.dos/other.db", f"sqlite:///../{DECLARED_OUTSIDE}/x.db",
          "sqlite:////dev/null", "sqlite:////proc/version", "sqlite:////proc/nope/x.db",
          "sqlite:///dos.toml", "sqlite:///.dos", "sqlite:///src/app.py", "sqlite://x",
          "postgresql://nobody@127.0.0.1:1/none", "postgres://", "postgresql://[::1",
          "mysql://x", "sqlite:///\x00"]
PATHS = ["", ".", "..", f"../{DECLARED_OUTSIDE}/dos.db", "/dev/null", "/proc/version",
         "/proc/nope/x", "dos.toml", ".dos", "src/app.py"]
GLOBS = ["**", "**/*", "src/**", "docs/**", "../**", "/etc/**", "", "[", "src/[!", "***",
         "{a,b}/**", "~/x", "src\\**", "./src/**", "src//**"]
_WORDS = ["", " ", "allow", "deny", "grep", "prefix", "strict", "none", "judge", "human",
          "git", *KNOWN_CATEGORIES, "é", "\t", "a\nb", "\\", '"', "'''",
          "#", "${HOME}", "$(id)", "`id`"]
INTS = [0, 1, -1, 3, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63), 10**30, -(10**30)]
FLOATS = [math.nan, math.inf, -math.inf, -0.0, 0.5, 1.5, 1e308, 5e-324, 1 / 3]


class Raw(str):
    """TOML text written as it is (nesting deeper than a recursive writer could)."""


def _long(size: int) -> str:
    return "x" * size


def _deep(depth: int, kind: str) -> Raw:
    if kind == "array":
        return Raw("[" * depth + "]" * depth)
    return Raw("{a = " * depth + "1" + "}" * depth)


scalars = st.one_of(
    st.sampled_from(INTS), st.integers(), st.sampled_from(FLOATS), st.floats(),
    st.booleans(), st.sampled_from(_WORDS), st.sampled_from(GLOBS), st.sampled_from(PATHS),
    st.sampled_from(STORES), st.text(max_size=20),
    st.builds(_long, st.sampled_from([300, 100_000])),
    st.builds(_deep, st.sampled_from([30, 70, 400, 5_000]), st.sampled_from(["array", "table"])),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(LANES) | st.text(max_size=8),
                                                 inner, max_size=3)), max_leaves=8)


_BY_TYPE: dict[type, st.SearchStrategy[Any]] = {
    bool: st.booleans(),
    int: st.one_of(st.sampled_from(INTS), st.sampled_from(INTS), st.integers(0, 10**6),
                   st.integers()),
    type(None): st.integers(0, 10**6) | st.sampled_from(INTS),
    float: st.floats(0, 1) | st.sampled_from(FLOATS), str: st.sampled_from(_WORDS),
}
_LANE_VALUES = {
    "trees": st.dictionaries(st.sampled_from(LANES), st.lists(st.sampled_from(GLOBS),
                                                              max_size=3), max_size=4),
    "aliases": st.dictionaries(st.sampled_from(LANES), st.sampled_from(LANES), max_size=3),
}


_CLASSES = ["active", "done", "DONE", "draft", "frozen", "", "a b", "é"]
_TRANSITION = st.fixed_dictionaries(
    {"from": st.sampled_from(_CLASSES) | values, "to": st.sampled_from(_CLASSES) | values,
     "trigger": st.sampled_from([*TRIGGERS, "merged", ""]) | values},
    optional={"auto": st.booleans() | values, "when": values})
_LIFECYCLE_VALUES = {
    "classes": st.lists(st.sampled_from(_CLASSES), max_size=5),
    "transitions": st.lists(_TRANSITION, max_size=4),
    "veto_class": st.sampled_from(_CLASSES),
}


def _plausible(table: str, key: str) -> st.SearchStrategy[Any]:
    """A value of the default's type for ``table.key``, often in range, sometimes not."""
    if table == "lanes":
        return _LANE_VALUES.get(key, st.lists(st.sampled_from(LANES), max_size=4))
    if table == "lifecycle" and key in _LIFECYCLE_VALUES:
        return _LIFECYCLE_VALUES[key]
    if key == "url" or (table == "paths" and key == "store"):
        return st.sampled_from(STORES if key == "url" else PATHS)
    default = DEFAULTS.get(table, {}).get(key)
    return _BY_TYPE.get(type(default), st.lists(st.sampled_from(GLOBS), max_size=3))


def _table(name: str, min_size: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    known = sorted(DEFAULTS.get(name, {"key": None}))
    pairs = st.sampled_from(known).flatmap(lambda key: st.tuples(
        st.just(key), st.one_of(*[_plausible(name, key)] * 4, values)))
    unknown = st.tuples(st.sampled_from(["nosuch", "Concurrent", "window", "url ", ""]), values)
    return st.lists(st.one_of(*[pairs] * 6, unknown), min_size=min_size, max_size=5).map(dict)


@st.composite
def _coherent_lifecycle(draw: st.DrawFn) -> dict[str, Any]:
    """A table whose transitions name its own classes, so most of it loads."""
    classes = draw(st.lists(st.sampled_from(["active", "done", "draft", "frozen", "Review"]),
                            min_size=1, max_size=4, unique=True))
    move = st.fixed_dictionaries(
        {"from": st.sampled_from(classes), "to": st.sampled_from(classes),
         "trigger": st.sampled_from(sorted(TRIGGERS))}, optional={"auto": st.booleans()})
    table = {"classes": classes, "transitions": draw(st.lists(move, max_size=4))}
    optional = {"veto_class": st.sampled_from(["", *classes]),
                "max_transitions_per_cycle": st.integers(0, 10) | st.sampled_from(INTS),
                "per_plan_cooldown_hours": st.floats(0, 1000) | st.sampled_from(FLOATS)}
    return table | draw(st.fixed_dictionaries({}, optional=optional))


def lifecycle_tables() -> st.SearchStrategy[dict[str, Any]]:
    """``[lifecycle]`` tables, as parsed TOML: coherent ones, plausible ones, junk."""
    return st.one_of(_coherent_lifecycle(), _table("lifecycle"))


_reason = st.fixed_dictionaries({"category": st.sampled_from(KNOWN_CATEGORIES) | values},
                                optional=dict.fromkeys(("refusal", "summary", "fix", "see_also",
                                                        "nosuch"), values))
_reasons = st.dictionaries(st.sampled_from(["BUSY", "busy", "", "X" * 300, "a.b"]), _reason,
                           max_size=3).flatmap(lambda table: st.one_of(
    st.just(table), st.lists(st.dictionaries(st.sampled_from(["substring", "category"]),
                                             values), max_size=3)
    .map(lambda rules: {**table, "morphology": rules})))
_classes = st.lists(st.dictionaries(st.sampled_from(["name", "max_concurrent", "x"]), values),
                    max_size=3)
BASE = {"lanes": {"concurrent": ["src", "docs"], "exclusive": ["global"],
                  "autopick": ["src", "docs"],
                  "trees": {"src": ["src/**"], "docs": ["docs/**"], "global": ["**"]}}}


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A parsed-TOML-shaped document: one table in focus with values of roughly the right
    type (edge values often), sometimes more tables, some of them junk."""
    doc: dict[str, Any] = dict(BASE) if draw(st.integers(0, 3)) else {}
    focus = draw(st.sampled_from(sorted(DEFAULTS)))
    doc[focus] = draw(lifecycle_tables() if focus == "lifecycle" else _table(focus, min_size=1))
    if draw(st.integers(0, 2)) == 0:
        for name in draw(st.lists(st.sampled_from([*DEFAULTS, "nosuch", "Lanes"]), max_size=3,
                                  unique=True)):
            doc[name] = draw(_table(name) | values)
    if draw(st.integers(0, 3)) == 0:
        doc["reasons"] = draw(_reasons)
    if draw(st.integers(0, 5)) == 0:
        doc["concurrency_class"] = draw(_classes | values)
    if draw(st.integers(0, 7)) == 0:
        doc["workspace"] = draw(values)
    return doc


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    escaped = json.dumps(text, ensure_ascii=False)
    return escaped.replace("\x7f", "\\u007f")  # JSON lets DEL through; TOML does not


def _float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return {math.inf: "inf", -math.inf: "-inf"}.get(value, repr(value))


def toml_value(value: Any) -> str:
    """``value`` as TOML (floats that are not finite as nan/inf, which TOML allows)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return _float(value)
    return str(value) if isinstance(value, Raw | int) else _string(value)


def render(doc: dict[str, Any]) -> str:
    """Top-level keys first, then one ``[table]`` per table; nested tables inline."""
    top = [f"{_key(k)} = {toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    tables = [f"[{_key(name)}]\n" + "".join(f"{_key(k)} = {toml_value(v)}\n"
                                            for k, v in body.items())
              for name, body in doc.items() if isinstance(body, dict)]
    return "\n".join(top) + "\n\n" + "\n".join(tables)


JUNK = [b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x00", b"[", b"]]", b"=", b'"',
        b"'''", b"\n[lanes]\n", b"\n[lanes]\nconcurrent = []\n", b"\r", b"\x1b", b"\n[[lanes]]\n",
        b"\na.b.c = 1\na.b = 2\n", b"\n[" + b"a." * 3000 + b"a]\n", b"x = 1\nx = 2\n"]


@st.composite
def document_bytes(draw: st.DrawFn) -> bytes:
    """The bytes of a dos.toml: a rendered document, sometimes torn or spliced with junk,
    sometimes not TOML or not UTF-8 at all."""
    data = render(draw(documents())).encode("utf-8")
    form = draw(st.sampled_from(["as is"] * 6 + ["cut", "splice", "bom", "utf-16", "binary"]))
    if form == "cut":
        return data[:draw(st.integers(0, len(data)))]
    if form == "splice":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from(JUNK) | st.binary(max_size=8)) + data[at:]
    if form == "bom":
        return b"\xef\xbb\xbf" + data
    if form == "utf-16":
        return data.decode("utf-8").encode("utf-16")
    if form == "binary":
        return draw(st.binary(max_size=200))
    return data
