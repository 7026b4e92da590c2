"""The policy linter: dead or contradictory lanes, aliases and reasons (pure)."""

from __future__ import annotations

from dos.admission.tree import globs_overlap, is_glob, normalize_glob, tree_contains
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.structs import struct
from dos.verdicts.ops import LintVerdict

__all__ = ["SEVERITIES", "Finding", "lint", "verdict_of"]

SEVERITIES = ("error", "warn", "info")


@struct
class Finding:
    """One problem in the policy, with the fix."""

    kind: str
    severity: str
    subject: str
    detail: str
    fix: str

    def sort_key(self) -> tuple[int, str, str]:
        return SEVERITIES.index(self.severity), self.kind, self.subject

    def render(self) -> str:
        return f"[{self.severity}] {self.kind} '{self.subject}': {self.detail} — {self.fix}"


def _lane_findings(config: SubstrateConfig) -> list[Finding]:
    lanes = config.lanes
    declared = set(lanes.declared())
    found = [
        Finding("LANE_BOTH_CONCURRENT_AND_EXCLUSIVE", "error", lane,
                "listed as both concurrent and exclusive",
                "keep it in one of [lanes] concurrent or exclusive")
        for lane in sorted(set(lanes.concurrent) & set(lanes.exclusive))
    ]
    found += [
        Finding("LANE_WITHOUT_TREE", "error", lane,
                "a concurrent or auto-picked lane declares no tree, so nothing can be "
                "proven disjoint from it", f"add {lane} = [\"<dir>/**\"] under [lanes.trees]")
        for lane in sorted(set(lanes.concurrent) | set(lanes.autopick))
        if lane not in lanes.exclusive and not any(g.strip() for g in lanes.trees.get(lane, ()))
    ]
    found += [
        Finding("AUTOPICK_LANE_UNDECLARED", "warn", lane,
                "auto-pick names a lane that is neither concurrent nor exclusive",
                "declare it or remove it from [lanes] autopick")
        for lane in lanes.autopick if lane not in declared
    ]
    found += [
        Finding("AUTOPICK_EXCLUSIVE_LANE", "warn", lane,
                "an exclusive lane in auto-pick would stop every other agent when picked",
                "remove it from [lanes] autopick")
        for lane in lanes.autopick if lane in lanes.exclusive
    ]
    found += [
        Finding("UNREACHABLE_LANE", "warn", lane,
                "a tree is declared for a lane that is neither concurrent nor exclusive, so "
                "no request can ever be granted it", f"add '{lane}' to [lanes] concurrent "
                "or exclusive, or delete its tree")
        for lane in sorted(lanes.trees) if lane not in declared
    ]
    return found


def _alias_findings(config: SubstrateConfig) -> list[Finding]:
    lanes = config.lanes
    declared = lanes.declared()
    found = []
    for keyword, target in sorted(lanes.aliases.items()):
        if target not in declared:
            found.append(Finding("ALIAS_TARGET_UNDECLARED", "error", keyword,
                                 f"routes to '{target}', which is not a declared lane",
                                 "point the alias at a declared lane"))
        elif keyword in declared and keyword != target:
            found.append(Finding("ALIAS_SHADOWS_LANE", "warn", keyword,
                                 f"is a lane name but the alias routes it to '{target}'",
                                 "rename the alias or the lane"))
    return found


def _literal_head(glob: str) -> tuple[str, ...]:
    """The case-folded path segments before the first wildcard: two globs can share a
    path only when one's head is a prefix of the other's."""
    head = []
    for part in glob.replace("\\", "/").casefold().split("/"):
        if part in ("", "."):
            continue
        if is_glob(part) or part == "..":
            break
        head.append(part)
    return tuple(head)


def _candidate_pairs(trees: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """Lane pairs whose trees may overlap, found through an index of literal heads
    (linear in the lanes when their trees are disjoint, not all pairs)."""
    by_head: dict[tuple[str, ...], set[str]] = {}
    for lane, globs in trees.items():
        for glob in globs:
            by_head.setdefault(_literal_head(glob), set()).add(lane)
    pairs: set[tuple[str, str]] = set()
    for lane, globs in trees.items():
        for glob in globs:
            head = _literal_head(glob)
            for size in range(len(head) + 1):
                pairs.update((min(lane, other), max(lane, other))
                             for other in by_head.get(head[:size], ()) if other != lane)
    return sorted(pairs)


def _overlap_finding(first: str, second: str, a: tuple[str, ...],
                     b: tuple[str, ...]) -> Finding | None:
    if not globs_overlap(a, b):
        return None
    if tree_contains(b, a) and not tree_contains(a, b):
        return Finding("LANE_REGION_SHADOWED", "warn", first,
                       f"its whole tree lies inside '{second}'s tree",
                       f"make '{first}' and '{second}' disjoint or merge them")
    if tree_contains(a, b) and not tree_contains(b, a):
        return Finding("LANE_REGION_SHADOWED", "warn", second,
                       f"its whole tree lies inside '{first}'s tree",
                       f"make '{first}' and '{second}' disjoint or merge them")
    return Finding("CONCURRENT_LANES_OVERLAP", "warn", f"{first}+{second}",
                   "two concurrent lanes share files, so they can never run at the same "
                   "time", "make their trees disjoint, or make one of them exclusive")


def _overlap_findings(config: SubstrateConfig) -> list[Finding]:
    lanes = config.lanes
    trees = {lane: tuple(lanes.trees[lane]) for lane in lanes.concurrent
             if lanes.trees.get(lane)}
    found = (_overlap_finding(a, b, trees[a], trees[b]) for a, b in _candidate_pairs(trees))
    return [finding for finding in found if finding is not None]


def _tree_findings(config: SubstrateConfig) -> list[Finding]:
    """Globs that name no place inside the workspace: ``../**``, ``/etc/**``."""
    found = []
    for lane, globs in sorted(config.lanes.trees.items()):
        for glob in globs:
            try:
                normalize_glob(glob, config.root)
            except UsageError as error:
                found.append(Finding("TREE_ESCAPES_WORKSPACE", "error", lane, error.message,
                                     "name a workspace-relative glob such as \"src/**\""))
    return found


def _config_findings(config: SubstrateConfig) -> list[Finding]:
    declared = set(config.lanes.declared())
    found = [
        Finding("UNUSED_SETTING", "info" if setting == "workspace" else "warn", setting,
                "the reference reads or documents this setting; this version accepts it "
                "and never uses it, so it changes nothing", "remove it from dos.toml")
        for setting in config.unused_settings
    ]
    for spec in config.reasons:
        for entry in spec.see_also:
            words = entry.split()
            if len(words) == 2 and words[0] == "lane" and not words[1].startswith("<") \
                    and words[1] not in declared:
                found.append(Finding("REASON_SEE_ALSO_DANGLES", "info", spec.token,
                                     f"see_also names lane '{words[1]}', which is not declared",
                                     "fix the lane name in see_also"))
    return found


def _stream_findings(config: SubstrateConfig) -> list[Finding]:
    stream = config.table("tool_stream")
    repeat_n, stall_n = stream["repeat_n"], stream["stall_n"]
    if stall_n > repeat_n:
        return []
    return [Finding("TOOL_STREAM_STALL_NOT_AFTER_REPEAT", "warn", "tool_stream",
                    f"stall_n ({stall_n}) is not above repeat_n ({repeat_n}), so a stream is "
                    "called STALLED without ever being REPEATING first",
                    f"raise [tool_stream] stall_n above {repeat_n}, or lower repeat_n")]


def lint(config: SubstrateConfig) -> list[Finding]:
    """Every finding for this policy, errors first."""
    found = (_lane_findings(config) + _alias_findings(config) + _tree_findings(config)
             + _overlap_findings(config) + _config_findings(config) + _stream_findings(config))
    return sorted(found, key=Finding.sort_key)


def verdict_of(findings: list[Finding], *, strict: bool) -> LintVerdict:
    """Errors always fail; with ``strict`` warnings fail too."""
    failing = {"error", "warn"} if strict else {"error"}
    if any(finding.severity in failing for finding in findings):
        return LintVerdict.FINDINGS
    return LintVerdict.CLEAN
