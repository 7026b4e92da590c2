"""The workspace's words: refusal reasons (``dos refuse``, ``dos man wedge``) and lanes
(``dos man lane``)."""

from __future__ import annotations

from typing import Any, TypedDict, cast

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.render import with_schema
from dos.settings.reasons import ReasonSpec
from dos.structs import struct
from dos.verdicts.refusal import RefuseToken

__all__ = [
    "DEFAULT_SEE_ALSO", "LaneInfo", "LaneJSON", "ReasonCheck", "ReasonJSON", "RefuseJSON",
    "UnknownLaneJSON", "UnknownReasonJSON", "check_reason", "check_reason_json", "lane",
    "lane_json", "lanes", "reason", "reason_json", "reasons", "reasons_json",
    "unknown_lane_json", "unknown_reason_json",
]

DEFAULT_SEE_ALSO = ("dos man wedge", "dos verify", "dos arbitrate")


class RefuseJSON(TypedDict):
    """``dos refuse TOKEN --json``."""

    token: str
    verdict: str
    known: bool
    refusal: bool | None
    category: str
    summary: str
    fix: str
    see_also: list[str]
    schema: dict[str, Any]


class ReasonJSON(TypedDict):
    """One reason of ``dos man wedge --json``."""

    key: str
    category: str
    refusal: bool
    summary: str
    fix: str
    section: str
    see_also: list[str]
    schema: dict[str, Any]


class UnknownReasonJSON(TypedDict):
    key: str
    known: bool
    category: str
    schema: dict[str, Any]


class LaneJSON(TypedDict):
    """One lane of ``dos man lane --json``."""

    name: str
    known: bool
    kind: str
    exclusive: bool
    tree: list[str]
    autopick: bool
    aliases: list[str]
    routed_from: str
    schema: dict[str, Any]


class UnknownLaneJSON(TypedDict):
    name: str
    known: bool
    known_lanes: list[str]
    schema: dict[str, Any]


@struct
class ReasonCheck:
    """Whether a token is a refusal reason of this workspace (``dos refuse``)."""

    token: str
    verdict: RefuseToken
    category: str
    spec: ReasonSpec | None


def check_reason(config: SubstrateConfig, token: str) -> ReasonCheck:
    """Is ``token`` (any case) a refusal reason in this workspace's vocabulary?"""
    from dos.admission.reasons import registry

    if not token.strip():
        raise UsageError("the reason token is empty", hint="pass a token, e.g. UNKNOWN_LANE")
    vocabulary = registry(config)
    spec = vocabulary.get(token)
    verdict = RefuseToken.UNCLASSIFIED if spec is None else (
        RefuseToken.REFUSAL if spec.refusal else RefuseToken.ADVISORY)
    return ReasonCheck(token.strip().upper(), verdict, vocabulary.category_for(token), spec)


def check_reason_json(check: ReasonCheck) -> RefuseJSON:
    spec = check.spec
    return cast(RefuseJSON, with_schema({
        "token": check.token, "verdict": check.verdict.value, "known": spec is not None,
        "refusal": spec.refusal if spec else None, "category": check.category,
        "summary": spec.summary if spec else "", "fix": spec.fix if spec else "",
        "see_also": list(spec.see_also) if spec else [],
    }, "refuse"))


def reasons(config: SubstrateConfig) -> list[ReasonSpec]:
    """Every reason of the vocabulary: the base ones, then the workspace's."""
    from dos.admission.reasons import registry

    return list(registry(config))


def reason(config: SubstrateConfig, token: str) -> ReasonSpec | None:
    """The reason ``token`` names (any case), or None when it is not in the vocabulary."""
    from dos.admission.reasons import registry

    return registry(config).get(token)


def _reason_dict(spec: ReasonSpec) -> dict[str, Any]:
    return {"key": spec.token, "category": spec.category, "refusal": spec.refusal,
            "summary": spec.summary, "fix": spec.fix, "section": "wedge",
            "see_also": list(spec.see_also or DEFAULT_SEE_ALSO)}


def reason_json(spec: ReasonSpec) -> ReasonJSON:
    return cast(ReasonJSON, with_schema(_reason_dict(spec), "man"))


def reasons_json(specs: list[ReasonSpec]) -> list[ReasonJSON]:
    """``dos man wedge --json``: also the MCP reasons resource and tool."""
    return [reason_json(spec) for spec in specs]


def unknown_reason_json(config: SubstrateConfig, token: str) -> UnknownReasonJSON:
    from dos.admission.reasons import registry

    return cast(UnknownReasonJSON, with_schema(
        {"key": token.strip().upper(), "known": False,
         "category": registry(config).category_for(token)}, "man"))


@struct
class LaneInfo:
    """A declared lane: its kind, tree, aliases, and the name it was asked by."""

    name: str
    kind: str
    tree: tuple[str, ...]
    autopick: bool
    aliases: tuple[str, ...]
    routed_from: str = ""

    @property
    def exclusive(self) -> bool:
        return self.kind == "exclusive"


def _lane_info(config: SubstrateConfig, name: str, asked: str) -> LaneInfo:
    taxonomy = config.lanes
    kind = "exclusive" if taxonomy.is_exclusive(name) else (
        "concurrent" if taxonomy.is_concurrent(name) else "named")
    return LaneInfo(name, kind, tuple(taxonomy.tree_for(name)), name in taxonomy.autopick,
                    tuple(sorted(k for k, v in taxonomy.aliases.items() if v == name)),
                    asked if asked.casefold() != name.casefold() else "")


def lanes(config: SubstrateConfig) -> list[LaneInfo]:
    """Every lane the workspace names, sorted."""
    taxonomy = config.lanes
    names = sorted({*taxonomy.concurrent, *taxonomy.exclusive, *taxonomy.trees})
    return [_lane_info(config, name, name) for name in names]


def lane(config: SubstrateConfig, ident: str) -> LaneInfo | None:
    """The lane ``ident`` names (a name or alias, any case), or None."""
    taxonomy = config.lanes
    wanted = ident.strip()
    name = taxonomy.resolve(wanted) or next(
        (key for key in taxonomy.trees if key.casefold() == wanted.casefold()), None)
    return None if name is None else _lane_info(config, name, wanted)


def lane_json(info: LaneInfo) -> LaneJSON:
    return cast(LaneJSON, with_schema(
        {"name": info.name, "known": True, "kind": info.kind, "exclusive": info.exclusive,
         "tree": list(info.tree), "autopick": info.autopick, "aliases": list(info.aliases),
         "routed_from": info.routed_from}, "man"))


def unknown_lane_json(config: SubstrateConfig, ident: str) -> UnknownLaneJSON:
    return cast(UnknownLaneJSON, with_schema(
        {"name": ident.strip(), "known": False,
         "known_lanes": sorted(config.lanes.declared())}, "man"))
