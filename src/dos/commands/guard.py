"""dos guard: launch a host headless with the dos MCP server and Stop hook wired in."""

from __future__ import annotations

import argparse

_EPILOG = """\
examples:
  dos guard --print-config --verify-on-stop -- claude -p "ship AUTH2"
  dos guard --verify-on-stop --claim-prompt -- claude -p "ship AUTH2"
  dos guard --no-mcp -- codex exec "ship AUTH2"        # launched unchanged

dos's own flags go before `--`; everything after it is the host command, passed
through verbatim and exec'd as an argument list (never through a shell). The flags dos
adds (--mcp-config, --strict-mcp-config, --settings with a Stop hook running `dos hook
stop`, --append-system-prompt) are Claude Code's, so they go only to `claude` (or to a
wrapper declared with --dialect claude-code) and never twice: a host command that
already passes --settings is refused with --verify-on-stop.
Exit: the host's own code; 0 for --print-config; 127 host not on PATH; 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Launch a host headless with dos wired in (or print the plan)."
    parser.epilog = _EPILOG
    parser.add_argument("--no-mcp", dest="mcp", action="store_false",
                        help="do not mount the dos MCP server")
    parser.add_argument("--strict-mcp", action="store_true",
                        help="the host uses only the mounted MCP servers")
    parser.add_argument("--verify-on-stop", action="store_true",
                        help="add a Stop hook that refuses a false 'done'")
    parser.add_argument("--claim-prompt", action="store_true",
                        help="ask the agent to end with a DOS-CLAIM line")
    parser.add_argument("--dialect", choices=("claude-code",), default="",
                        help="the host speaks Claude Code's flags (a wrapper of claude)")
    parser.add_argument("--print-config", action="store_true",
                        help="print the launch plan instead of launching")
    parser.add_argument("host", nargs="*", metavar="-- HOST…", help="the host command")


def _text(plan: dict[str, object]) -> str:
    import json
    import shlex

    def block(value: object, none: str) -> str:
        shown = shlex.quote(json.dumps(value, sort_keys=True))  # as the shell would pass it
        return f"  {shown}" if value is not None else f"  {none}"
    return "\n".join([
        "dos guard — launch plan", "host command (passed through verbatim):",
        f"  {shlex.join(plan['host_command'])}",  # type: ignore[arg-type]
        "injected --mcp-config:", block(plan["mcp_config"], "(none — MCP mount disabled)"),
        "injected --settings:", block(plan["settings"], "(none)"),
        "final argv to exec:", f"  {shlex.join(plan['argv'])}"])  # type: ignore[arg-type]


def run(*, mcp: bool, strict_mcp: bool, verify_on_stop: bool, claim_prompt: bool,
        dialect: str, print_config: bool, host: list[str], workspace: str | None,
        driver: str | None, output: str) -> int:
    import shutil
    import sys

    from dos.api import gates
    from dos.errors import UsageError
    from dos.gates.guard_plan import GuardOptions
    from dos.processes import become
    from dos.render import emit, with_schema
    from dos.workspace import load_config

    if output != "text" and not print_config:
        raise UsageError(f"--output {output} prints nothing without --print-config",
                         hint="add --print-config, or drop --json")
    config = load_config(workspace, driver)
    options = GuardOptions(mcp=mcp, strict_mcp=strict_mcp, verify_on_stop=verify_on_stop,
                           claim_prompt=claim_prompt, dialect=dialect)
    plan = gates.guard_plan(config, host, options)
    payload = with_schema(plan.to_dict(), "guard")
    if print_config:
        emit(payload, output=output, text=lambda _color: _text(payload))
        return 0
    if shutil.which(plan.argv[0]) is None:
        print(f"dos: error: host command not found on PATH: {plan.argv[0]!r}\n"
              "  fix: install the host or pass its full path", file=sys.stderr)
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    become(list(plan.argv))
    return 0  # not reached: the host replaced this process
