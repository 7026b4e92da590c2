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
    """``[hooks] on_error`` read straight from ``dos.toml`` when the config was not
    loaded. A broken policy never fails open: only an ``on_error = "allow"`` the file
    spells out allows; a file that cannot be parsed or loaded, says anything else, or
    misspells the key (``[hook]``, ``on_eror``) denies. A policy that loads and says
    nothing, or no root at all, keeps the default ("allow")."""
    if root is None:
        return "allow"
    import tomllib
    from pathlib import Path

    try:
        text = (Path(root) / "dos.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return "allow"  # no dos.toml: the defaults, which load; not a broken policy
    except (OSError, ValueError):
        return "deny"
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply
        return "deny"
    hooks = data.get("hooks")
    if isinstance(hooks, dict) and "on_error" in hooks:
        value = hooks["on_error"]
        return "allow" if isinstance(value, str) and value.strip().lower() == "allow" \
            else "deny"
    return "allow" if _loads(root) else "deny"


def _loads(root: str) -> bool:
    """Whether the workspace's policy loads: the hook failed for another reason (a torn
    payload, say) and the default direction holds. Only ever on a failing call."""
    from dos.config import load_workspace_config
    from dos.errors import DosError

    try:
        load_workspace_config(root)
    except (DosError, OSError, ValueError, RecursionError):
        return False
    return True


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
