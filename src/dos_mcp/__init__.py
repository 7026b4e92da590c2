"""The dos MCP server (``dos-mcp``): the referee's verdicts as MCP tools over stdio."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["DEFAULT_CALL_TIMEOUT", "main"]

_INSTALL_HINT = "pip install 'dispatch-os[mcp]'"
DEFAULT_CALL_TIMEOUT = 60.0  # seconds one tool call may take before it is answered with an error
_MAX_CALL_TIMEOUT = 86_400.0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dos-mcp", description="Serve dos's verdicts as MCP tools over stdio.",
        epilog="example (Claude Code): claude mcp add dos -- dos-mcp --workspace "
               "/path/to/repo")
    parser.add_argument("--workspace", metavar="DIR", default=None,
                        help="the workspace the tools answer for (default: "
                             "DISPATCH_WORKSPACE, the nearest dos.toml above the current "
                             "directory, the git top level)")
    parser.add_argument("--driver", metavar="NAME", default=None,
                        help="a policy driver, e.g. workshop")
    parser.add_argument("--job", action="store_true",
                        help="the job driver (--driver job); an explicit --driver wins")
    parser.add_argument("--allow-any-workspace", action="store_true",
                        help="let tool arguments name workspaces and files outside the "
                             "server's workspace")
    parser.add_argument("--call-timeout", metavar="SECONDS", type=float,
                        default=DEFAULT_CALL_TIMEOUT,
                        help="answer a tool call that takes longer with an error and keep "
                             f"serving (default {DEFAULT_CALL_TIMEOUT:g})")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


def _check_timeout(seconds: float) -> float:
    """``--call-timeout``: finite, positive, and at most a day."""
    import math

    from dos.errors import UsageError

    if not (math.isfinite(seconds) and 0 < seconds <= _MAX_CALL_TIMEOUT):
        raise UsageError(f"--call-timeout must be more than 0 and at most "
                         f"{_MAX_CALL_TIMEOUT:g} seconds, got {seconds:g}",
                         hint="pass --call-timeout SECONDS, e.g. --call-timeout 60")
    return seconds


def _sdk_missing() -> str:
    """Why the MCP SDK cannot be used, or "" when it can."""
    try:
        import mcp.server.mcpserver  # noqa: F401 - only probing that it imports
    except ImportError as exc:
        return f"dos-mcp needs the MCP SDK 2.x (mcp>=2,<3): {exc}"
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``dos-mcp``; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.version:
        from dos._version import __version__

        print(f"dos-mcp {__version__}")
        return 0
    missing = _sdk_missing()
    if missing:
        print(f"dos-mcp: error: {missing}\n  fix: {_INSTALL_HINT}", file=sys.stderr)
        return 2
    from dos.config import resolve_workspace_root
    from dos.errors import DosError
    from dos_mcp.confine import Confinement
    from dos_mcp.server import serve
    from dos_mcp.session import Session

    try:
        timeout = _check_timeout(args.call_timeout)
        if args.job and not args.driver:
            args.driver = "job"
        root = resolve_workspace_root(args.workspace)
        if args.driver:  # a misspelt driver is the host's config: fail now, not per call
            from dos.plugins import load_driver_config

            load_driver_config(args.driver, root)
    except DosError as error:
        print(f"dos-mcp: error: {error.render()}", file=sys.stderr)
        return error.exit_code
    confinement = Confinement(root, allow_any=args.allow_any_workspace)
    return serve(Session(confinement, args.driver, call_timeout=timeout))
