"""dos observe: the verdict journal rolled up (or its history), and its chain checked."""

from __future__ import annotations

import argparse

from dos.api import observe as api
from dos.commands._args import count
from dos.render import emit
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos observe                         verdicts per syscall, each verdict counted
  dos observe --by source             … per surface: cli, mcp, hook, api
  dos observe --run RID-… --json      one run's verdicts, newest last
  dos observe --syscall pretool --since 24h --tail 50
  dos observe --verify-all            re-hash every record (slow on a long journal)

Every verdict-bearing verb, MCP tool and hook decision is journaled once the workspace
has a store; [observe] enabled = false in dos.toml turns that off, and
`dos journal compact` keeps [observe] keep_days of it.

Each run checks, over the whole journal: no seq is missing, every record links to the
one before it, and the last record re-hashed before is unchanged; then it re-hashes the
newest records, and sweeps through the older ones, until the run has taken about a
second (at least a tenth of one).

exit codes: 0 the chain holds, 1 it does not, 74 the store cannot be read, 2 usage"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--run", default=None, metavar="RID", help="only this run's verdicts "
                        "(shows its history)")
    parser.add_argument("--syscall", default=None, metavar="NAME",
                        help="only this syscall's verdicts, e.g. verify or pretool")
    parser.add_argument("--by", choices=api.DIMENSIONS, default="syscall",
                        help="roll up by this dimension (default syscall)")
    parser.add_argument("--tail", type=count(1), default=None, metavar="N",
                        help="show the newest N verdicts as a history table")
    parser.add_argument("--since", default=None, metavar="WHEN",
                        help="only verdicts since WHEN: epoch ms, ISO-8601, or an age "
                             "(30m, 24h, 7d)")
    parser.add_argument("--verify-all", action="store_true",
                        help="re-hash every record now instead of within the time budget")


def _detail(detail: dict[str, object]) -> str:
    return "{" + ", ".join(f"{key}={value}" for key, value in sorted(detail.items())) + "}" \
        if detail else ""


def _chain_line(observation: api.Observation) -> str:
    chain = observation.chain
    if not chain.ok:
        return f"  chain BROKEN at seq {chain.first_bad_seq}: {chain.problem}"
    if not chain.records:
        return "  chain intact: no records" + (
            f" after anchor seq {chain.anchor_seq}" if chain.anchor_seq else "")
    done = sum(last - first + 1 for first, last in chain.rehashed)
    spans = ", ".join(f"{first}..{last}" for first, last in chain.rehashed)
    line = (f"  chain intact: seq {chain.head_seq - chain.records + 1}..{chain.head_seq} "
            f"linked without a gap; {done} re-hashed this run" + (f" (seq {spans})" if spans
                                                                  else ""))
    return line + (f"; {chain.unhashed} not yet re-hashed" if chain.unhashed else "")


def _rollup(observation: api.Observation) -> list[str]:
    payload = api.observe_json(observation)
    counts: dict[str, dict[str, int]] = payload["rollup"]["counts"]
    lines = []
    for value in payload["rollup"]["dimensions"]:
        tokens = counts[value]
        shown = " ".join(f"{token}={n}" for token, n in tokens.items())
        lines.append(f"  {value:<20}{sum(tokens.values()):>6}  {shown}")
    return lines


def _history(observation: api.Observation) -> list[str]:
    rows = [f"  {'ts':<24}  {'syscall':<13} {'verdict':<14} subject / detail"]
    for event in observation.events:
        what = " ".join(part for part in (event.subject, _detail(dict(event.detail))) if part)
        rows.append(f"  {api.iso_ms(event.ts_ms):<24}  {event.syscall:<13} "
                    f"{event.verdict:<14} {what}".rstrip())
    return rows


def _scope(observation: api.Observation) -> str:
    parts = [f"run {observation.run}" if observation.run else "",
             f"syscall {observation.syscall}" if observation.syscall else "",
             f"since {api.iso_ms(observation.since_ms)}" if observation.since_ms is not None
             else ""]
    return " · ".join(part for part in parts if part)


def _text(observation: api.Observation, history: bool) -> str:
    scope = _scope(observation)
    lines = ["# observe" + (f" · {scope}" if scope else ""),
             f"  {observation.total} verdict event(s) recorded", ""]
    if not observation.total:
        lines[-1:] = ["  journaling is off ([observe] enabled = false in dos.toml)"
                      if not observation.enabled else
                      "  verdicts are journaled once the workspace has a store (a write verb "
                      "such as `dos lease-lane acquire` creates it)", ""]
    elif history:
        lines += [*_history(observation), ""]
    else:
        lines += [*_rollup(observation), ""]
    return "\n".join([*lines, _chain_line(observation)])


def run(*, run: str | None, syscall: str | None, by: str, tail: int | None,
        since: str | None, verify_all: bool, workspace: str | None, driver: str | None,
        output: str) -> int:
    config = load_config(workspace, driver)
    observation = api.observe(config, run=run, syscall=syscall, by=by, tail=tail,
                              since=since, full=verify_all)
    history = run is not None or tail is not None
    emit(api.observe_json(observation), output=output,
         text=lambda _color: _text(observation, history))
    return api.observe_token(observation).exit_code
