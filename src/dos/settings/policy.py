"""Typed policy tables of ``dos.toml``: ``[stamp]``, ``[overlap]``, ``[store]``,
``[hooks]``, ``[liveness]`` and ``[verify]``."""

from __future__ import annotations

from collections.abc import Mapping

from dos import structs
from dos.settings import (
    SchemaProblem,
    Validator,
    expect_bool,
    expect_int,
    expect_number,
    expect_str,
    expect_str_or_list,
    validate_table,
)
from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "HookSettings",
    "LivenessSettings",
    "OverlapSettings",
    "StampGrammar",
    "StoreSettings",
    "parse_hooks",
    "parse_liveness",
    "parse_overlap",
    "parse_stamp",
    "parse_store",
    "parse_verify",
]


@struct
class StampGrammar:
    """How a commit subject says "this phase shipped" (``[stamp]``)."""

    style: str = "grep"
    subject_dirs: tuple[str, ...] = ()
    summary_bundle_prefixes: tuple[str, ...] = ()
    bookkeeping_prefixes: tuple[str, ...] = ()
    code_dirs: tuple[str, ...] = ()
    infra_basenames: tuple[str, ...] = ()
    infra_doc_basenames: tuple[str, ...] = ()
    progress_markers: tuple[str, ...] = ()
    sub_phase_parent_fallback: bool = False
    trailer_stamp: bool = False
    allow_empty: bool = False


def _stamp_schema() -> dict[str, tuple[Validator, Any]]:
    defaults = StampGrammar()
    schema: dict[str, tuple[Validator, Any]] = {}
    for item in structs.fields(StampGrammar):
        default = getattr(defaults, item.name)
        if isinstance(default, bool):
            schema[item.name] = (expect_bool, default)
        elif isinstance(default, str):
            schema[item.name] = (expect_str, default)
        else:
            schema[item.name] = (expect_str_or_list, default)
    return schema


def parse_stamp(raw: Mapping[str, Any], base: StampGrammar) -> StampGrammar:
    """Each key present replaces the base value; lists replace, never merge."""
    values = validate_table("stamp", raw, _stamp_schema())
    return structs.replace(base, **{key: values[key] for key in raw})


@struct
class OverlapSettings:
    """How much of a lease's tree a concurrent request may share (``[overlap]``)."""

    ratio_max: float = 1 / 3
    policy: str = "prefix"


KNOWN_OVERLAP_POLICIES = ("prefix", "strict")


def parse_overlap(raw: Mapping[str, Any], base: OverlapSettings) -> OverlapSettings:
    values = validate_table("overlap", raw, {
        "ratio_max": (expect_number(0.0, 1.0), base.ratio_max),
        "policy": (expect_str, base.policy),
    })
    if values["policy"] not in KNOWN_OVERLAP_POLICIES:
        raise SchemaProblem(
            "overlap", "policy", f"[overlap] policy '{values['policy']}' is not known",
            hint=f"use one of: {', '.join(KNOWN_OVERLAP_POLICIES)}",
        )
    return OverlapSettings(ratio_max=values["ratio_max"], policy=values["policy"])


@struct
class StoreSettings:
    """Which store holds leases and journals (``[store]``); "" url means embedded SQLite."""

    url: str = ""
    workspace_id: str = ""
    busy_timeout_ms: int = 5000
    # After an unclean end (expiry, reap) the same tree is not re-granted for this long.
    lock_delay_s: int = 15


def parse_store(raw: Mapping[str, Any], base: StoreSettings) -> StoreSettings:
    values = validate_table("store", raw, {
        "url": (expect_str, base.url),
        "workspace_id": (expect_str, base.workspace_id),
        "busy_timeout_ms": (expect_int(0, 86_400_000), base.busy_timeout_ms),  # a day
        "lock_delay_s": (expect_int(0), base.lock_delay_s),
    })
    scheme = unknown_scheme(values["url"])
    if scheme is not None:
        raise SchemaProblem("store", "url", f"[store] url has an unknown scheme '{scheme}'",
                            hint=STORE_URL_HINT)
    return StoreSettings(**values)


STORE_URL_HINT = "use sqlite:///<path> or postgresql://user@host/db"


def unknown_scheme(url: str) -> str | None:
    """The scheme of a store ``url`` dos has no store for (only the scheme: the rest may
    carry a password); ``None`` for a known one or "" (the embedded store)."""
    if not url or url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        return None
    return url.partition(":")[0]


@struct
class HookSettings:
    """What a hook does when it fails itself, and whether agents may edit ``dos.toml``
    (``[hooks]``)."""

    on_error: str = "allow"
    allow_config_edits: bool = False


def parse_hooks(raw: Mapping[str, Any], base: HookSettings) -> HookSettings:
    values = validate_table("hooks", raw, {
        "on_error": (expect_str, base.on_error),
        "allow_config_edits": (expect_bool, base.allow_config_edits),
    })
    if values["on_error"] not in ("allow", "deny"):
        raise SchemaProblem(
            "hooks", "on_error", f"[hooks] on_error must be \"allow\" or \"deny\", "
            f"got {values['on_error']!r}", hint='set on_error = "allow" or "deny"',
        )
    return HookSettings(**values)


@struct
class LivenessSettings:
    """Thresholds for "is this run moving?" (``[liveness]``), in seconds."""

    window_s: int = 1800
    heartbeat_fresh_s: int = 300
    grace_s: int = 600


def parse_liveness(raw: Mapping[str, Any], base: LivenessSettings) -> LivenessSettings:
    values = validate_table("liveness", raw, {
        "window_s": (expect_int(1), base.window_s),
        "heartbeat_fresh_s": (expect_int(1), base.heartbeat_fresh_s),
        "grace_s": (expect_int(0), base.grace_s),
    })
    return LivenessSettings(**values)


def parse_verify(raw: Mapping[str, Any], base: str) -> str:
    values = validate_table("verify", raw, {"non_git_oracle": (expect_str, base)})
    return str(values["non_git_oracle"]).strip()
