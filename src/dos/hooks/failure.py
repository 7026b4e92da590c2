"""When a hook fails itself: the direction the workspace chose (``[hooks] on_error``),
and one line on stderr saying what failed, either way."""

from __future__ import annotations

from dos.hooks.events import ALLOW, DENY, Outcome

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.hooks.events import HookEvent

__all__ = ["POLICIES", "diagnostic", "failed", "peek_on_error"]

POLICIES = ("allow", "deny")


def peek_on_error(root: str | None) -> str:
    """``[hooks] on_error`` read straight from ``dos.toml`` when the config itself could
    not be loaded; "allow" when even that fails. A typo never fails open: any value but
    "allow" is "deny", and so is "deny" under a misspelt table or key (``[hook]``,
    ``on_eror``) — the very error that made the loader fail."""
    if root is None:
        return "allow"
    import tomllib
    from pathlib import Path

    try:
        data = tomllib.loads((Path(root) / "dos.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: nested too deeply
        return "allow"
    hooks = data.get("hooks")
    if isinstance(hooks, dict) and "on_error" in hooks:
        value = hooks["on_error"]
        return "allow" if isinstance(value, str) and value.strip().lower() == "allow" \
            else "deny"
    return "deny" if _misspelt_deny(data) else "allow"


def _near(name: str, word: str) -> bool:
    import difflib  # only when the config failed to load

    return bool(difflib.get_close_matches(name.lower(), [word], n=1, cutoff=0.75))


def _misspelt_deny(data: dict[str, object]) -> bool:
    """Whether a key near ``on_error`` says "deny", at the top level or in a table near
    ``[hooks]``."""
    places: list[dict[str, object]] = [data]
    places += [body for name, body in data.items() if isinstance(body, dict)
               and _near(name, "hooks")]
    return any(isinstance(value, str) and value.strip().lower() == "deny"
               and _near(key, "on_error") for place in places for key, value in place.items())


def _what(error: BaseException) -> str:
    from dos.errors import DosError

    text = error.message if isinstance(error, DosError) else f"{type(error).__name__}: {error}"
    return " ".join(str(text).split())[:500]


def diagnostic(kind: str, error: BaseException, outcome: Outcome, policy: str) -> str:
    """The one stderr line: what failed, and what the hook did about it."""
    did = "denied" if outcome.action == DENY else "allowed"
    return f"dos hook {kind}: error: {_what(error)} — {did} ([hooks] on_error = \"{policy}\")\n"


def failed(kind: str, event: HookEvent | None, error: BaseException, policy: str) -> Outcome:
    """The outcome of a hook that could not decide. Only pretool and stop can block;
    a stop already held once (``stop_hook_active``) is let go, so a broken hook never
    traps the agent in a loop."""
    facts = {"reason": "HOOK_ERROR"}
    if policy != "deny" or kind == "posttool":
        return Outcome(ALLOW, facts=facts)
    if kind == "stop" and event is not None and event.stop_hook_active:
        return Outcome(ALLOW, facts=facts)
    return Outcome(DENY, f"DOS hook error, failing closed ([hooks] on_error = \"deny\"): "
                   f"{_what(error)}. Fix the hook (`dos doctor --wiring`) or set "
                   f"on_error = \"allow\" in dos.toml.", facts=facts)
