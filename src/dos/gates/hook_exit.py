"""A plain hook script's exit status as an intervention: PASS, OBSERVE, WARN, BLOCK, DEFER.

Pure. The map starts as {0: PASS, 2: BLOCK}; declared entries (``[hook_exit] map``, then
``--map``) override it, 0 included, and may declare more pass codes (``3=PASS``). A code
no entry names gets the fallback (WARN unless declared). Codes are exit statuses, 0-255.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dos.errors import UsageError
from dos.structs import field, struct
from dos.verdicts.gates import HookExitToken

__all__ = ["DEFAULT_MAP", "HookExitPolicy", "HookExitVerdict", "classify", "parse_code",
           "parse_entries"]

DEFAULT_MAP: dict[int, HookExitToken] = {0: HookExitToken.PASS, 2: HookExitToken.BLOCK}
_NOTES = {(0, HookExitToken.PASS): " — the script approved; proceed (no intervention)",
          (2, HookExitToken.BLOCK): " — the hosts' blocking-error code"}


def parse_code(value: Any, where: str) -> int:
    """An exit status 0-255, from an integer or its decimal text."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.lstrip("-").isdigit() or not 0 <= int(text) <= 255:
        raise UsageError(f"{where}: {value!r} is not an exit status",
                         hint="an exit status is an integer from 0 to 255")
    return int(text)


def parse_verb(value: Any, where: str) -> HookExitToken:
    try:
        return HookExitToken[str(value).strip().upper()]  # member names are the tokens
    except KeyError:
        raise UsageError(f"{where}: {value!r} is not an intervention",
                         hint="use one of " + ", ".join(token.value for token in HookExitToken)
                         ) from None


def parse_entries(entries: Iterable[str]) -> dict[int, HookExitToken]:
    """``CODE=VERB`` texts (``--map 3=DEFER``, repeatable or comma-joined)."""
    parsed: dict[int, HookExitToken] = {}
    for entry in (part.strip() for text in entries for part in text.split(",")):
        if not entry:
            continue
        code, eq, verb = entry.partition("=")
        if not eq:
            raise UsageError(f"--map entry {entry!r} must be CODE=VERB",
                             hint="write it as CODE=VERB, e.g. 3=DEFER")
        parsed[parse_code(code, f"--map entry {entry!r}")] = parse_verb(
            verb, f"--map entry {entry!r}")
    return parsed


@struct
class HookExitPolicy:
    mapping: Mapping[int, HookExitToken] = field(default_factory=lambda: dict(DEFAULT_MAP))
    fallback: HookExitToken = HookExitToken.WARN


@struct
class HookExitVerdict:
    verdict: HookExitToken
    code: int
    matched: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        intervention = None if self.verdict is HookExitToken.PASS else self.verdict.value
        return {"verdict": self.verdict.value, "code": self.code,
                "intervention": intervention, "matched": self.matched, "reason": self.reason}


def classify(code: int, policy: HookExitPolicy | None = None) -> HookExitVerdict:
    pol = policy or HookExitPolicy()
    found = pol.mapping.get(code)
    if found is not None:
        note = _NOTES.get((code, found), " (a declared hook-exit mapping)")
        return HookExitVerdict(found, code, True, f"exit {code} → {found.value}{note}")
    return HookExitVerdict(pol.fallback, code, False, (
        f"exit {code} → {pol.fallback.value} (a code with no declared mapping — the fallback; "
        "declare it with --map CODE=VERB or [hook_exit] map)"))
