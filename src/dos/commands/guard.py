"""dos guard: launch a host headless with the dos MCP server and Stop hook wired in."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.gates.guard_plan import GuardPlan

_EPILOG = """\
examples:
  dos guard --print-config --verify-on-stop -- claude -p "ship AUTH2"
  dos guard --verify-on-stop --claim-prompt -- claude -p "ship AUTH2"
  dos guard --verify-on-stop -- codex exec "ship AUTH2"
  dos guard --verify-on-stop --strict-mcp -- gemini -p "ship AUTH2"
  dos guard --no-mcp -- aider --message "ship AUTH2"      # launched unchanged

dos's own flags go before `--`; everything after it is the host command, passed
through verbatim and exec'd as an argument list (never through a shell). What dos adds
is each host's own documented form, never twice (the host is named by its program,
or by --dialect for a wrapper):
  claude  --mcp-config JSON, --strict-mcp-config, --settings JSON with a Stop hook,
          --append-system-prompt (the DOS-CLAIM line); appended after the command
  codex   -c overrides with TOML values right after the program name:
          mcp_servers.dos.command/args, hooks.Stop (trust it once in /hooks),
          developer_instructions; no --strict-mcp (Codex has no such setting)
  gemini  a system settings file (mcpServers.dos, hooks.AfterAgent) written at launch
          to a private temporary file, named by GEMINI_CLI_SYSTEM_SETTINGS_PATH and
          keeping the system settings in force; --strict-mcp adds
          --allowed-mcp-server-names dos; no --claim-prompt (no such setting)
Any other host is launched only unchanged (--no-mcp, no --verify-on-stop or
--claim-prompt). --print-config shows the plan and writes nothing.
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
    parser.add_argument("--dialect", choices=("claude-code", "codex", "gemini"), default="",
                        help="the host's form, for a wrapper (default: from its program name)")
    parser.add_argument("--print-config", action="store_true",
                        help="print the launch plan instead of launching")
    parser.add_argument("host", nargs="*", metavar="-- HOST…", help="the host command")


def _text(plan: GuardPlan) -> str:
    import json
    import shlex

    def block(value: object, none: str) -> str:
        shown = shlex.quote(json.dumps(value, sort_keys=True))  # as the shell would pass it
        return f"  {shown}" if value is not None else f"  {none}"
    lines = [f"dos guard — launch plan (host dialect: {plan.dialect})",
             "host command (passed through verbatim):", f"  {shlex.join(plan.host_command)}"]
    if plan.dialect == "codex":
        lines += ["injected -c overrides (Codex config keys, TOML values):",
                  *([f"  -c {shlex.quote(item)}" for item in plan.config_overrides]
                    or ["  (none)"])]
    elif plan.dialect == "gemini":
        where = plan.settings_file
        lines += [f"injected system settings (written at launch to {where}, mode 0600):"
                  if where else "injected system settings: (none)",
                  *(f"  {line}" for line in json.dumps(plan.settings, indent=2,
                                                       sort_keys=True).splitlines()
                    if plan.settings is not None),
                  "environment added:",
                  *([f"  {key}={value}" for key, value in plan.env.items()] or ["  (none)"])]
    else:
        lines += ["injected --mcp-config:", block(plan.mcp_config, "(none — MCP mount disabled)"),
                  "injected --settings:", block(plan.settings, "(none)")]
    lines += [*(f"note: {note}" for note in plan.notes),
              "final argv to exec:", f"  {shlex.join(plan.argv)}"]
    return "\n".join(lines)


def run(*, mcp: bool, strict_mcp: bool, verify_on_stop: bool, claim_prompt: bool,
        dialect: str, print_config: bool, host: list[str], workspace: str | None,
        driver: str | None, output: str) -> int:
    import shutil
    import sys

    from dos.api import guard
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
    plan = guard.guard_plan(config, host, options)
    payload = with_schema(plan.to_dict(), "guard")
    if print_config:
        emit(payload, output=output, text=lambda _color: _text(plan))
        return 0
    if shutil.which(plan.argv[0]) is None:
        print(f"dos: error: host command not found on PATH: {plan.argv[0]!r}\n"
              "  fix: install the host or pass its full path", file=sys.stderr)
        return 127
    guard.guard_prepare(plan)
    for note in plan.notes:
        print(f"dos guard: note: {note}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    become(list(plan.argv), dict(plan.env))
    return 0  # not reached: the host replaced this process
