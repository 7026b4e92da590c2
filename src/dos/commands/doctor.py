"""dos doctor: show what dos sees — workspace, config, lanes, drivers, store, git, hooks —
and every problem that stops it from working, with the fix."""

from __future__ import annotations

import argparse
from typing import Any

from dos.render import emit, paint
from dos.workspace import load_config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="strict: lint warnings are problems too (each finding is also "
                        "printed on stderr)")
    parser.add_argument("--wiring", action="store_true",
                        help="only show each agent host's hook wiring: WIRED, DRIFTED or "
                        "NOT_WIRED (exit 1 if any drifted; repair with `dos init --hooks HOST`)")
    parser.epilog = ("checks: the store opens, is sound and writable; git is installed and "
                     "the repository readable and not shallow; `dos lint` finds no error; "
                     "each wired hook's command resolves to a program.\n"
                     "exit 0 healthy, 1 any problem, 2 on a usage error or a bad dos.toml")


def _store_line(store: dict[str, Any]) -> str:
    if not store.get("reachable"):
        return f"{store['url']} (UNREACHABLE: {store.get('error')})"
    if not store.get("exists"):
        return f"{store['url']} (not created yet; the first write creates it)"
    version = store.get("schema_version")
    return f"{store['url']}" + (f" (schema v{version})" if version else "")


def _index_line(index: dict[str, Any]) -> str:
    if not index["enabled"]:
        return "off (no .dos/ directory; verify reads the whole history)"
    if not index["exists"]:
        return f"not built yet ({index['path']}; the next verify builds it)"
    if index["problem"]:
        return f"{index['path']}: {index['problem']}"
    import time

    age = max(0.0, time.time() - index["built_ms"] / 1000)
    return (f"tip {index['tip'][:12]}, {index['reachable']:,} of {index['commits']:,} "
            f"commits in its history, built {age:.0f}s ago")


def _git_line(git: dict[str, Any]) -> str:
    if not git["is_repo"]:
        return f"not a git repository ({git['detail']})"
    flags = [word for word, on in (("dirty", git["dirty"]), ("shallow", git["shallow"]),
                                   ("broken", git["broken"])) if on]
    return (f"{git['toplevel']} on {git['branch'] or '(detached)'} at "
            f"{(git['head'] or '(no commits)')[:12]}" + (f" ({', '.join(flags)})" if flags
                                                         else ""))


def _hooks_line(hooks: dict[str, Any]) -> str:
    wired = [f"{host} ({item['status']})" for host, item in hooks.items()
             if item["status"] != "NOT_WIRED"]
    return ", ".join(wired) or "none wired (run `dos init --hooks <host>` to bind)"


def _serve_line(serve: dict[str, Any]) -> str:
    if not serve["configured"]:
        return "not configured (add a [serve] table; `dos serve` runs on 127.0.0.1:8787)"
    auth = "token from " + serve["token_file"] if serve["token_file"] else "no token"
    extra = "" if serve["web_extra"] else "; the [web] extra is not installed"
    return f"{serve['url']} ({auth}{extra}; start it with `dos serve`)"


def _lifecycle_line(lifecycle: dict[str, Any]) -> str:
    moves = ", ".join(f"{t['from']} → {t['to']} on {t['trigger']}" + ("" if t["auto"] else
                                                                      " (operator)")
                      for t in lifecycle["transitions"]) or "no transitions"
    return (f"{moves}; veto {lifecycle['veto_class'] or '(none)'}; at most "
            f"{lifecycle['max_transitions_per_cycle']} a cycle, "
            f"{lifecycle['per_plan_cooldown_hours']:g}h cooldown")


def _text(report: dict[str, Any]) -> list[str]:
    lanes, store = report["lanes"], report["store"]
    rows = [
        ("dos version", report["dos_version"]), ("python", report["python"]),
        ("workspace root", report["workspace"]),
        ("config", report["config_source"] or "(no dos.toml — built-in defaults)"),
        ("driver", report["driver"] or "(none)"),
        ("drivers available", ", ".join(report["drivers_available"]) or "(none)"),
        ("concurrent lanes", ", ".join(lanes["concurrent"]) or "(none)"),
        ("exclusive lanes", ", ".join(lanes["exclusive"]) or "(none)"),
        ("autopick ladder", " > ".join(lanes["autopick"]) or "(none)"),
        ("aliases", ", ".join(f"{k}→{v}" for k, v in lanes["aliases"].items()) or "(none)"),
        ("store", _store_line(store)),
        ("stamp convention", report["stamp"]["style"]),
        ("overlap policy", f"{report['overlap_policy']['active']} "
                           f"(ratio_max={report['overlap_policy']['ratio_max']:.3g})"),
        ("lifecycle", _lifecycle_line(report["lifecycle"])),
        ("layout style", report["paths"]["style"]), ("git", _git_line(report["git"])),
        ("runtime hooks", _hooks_line(report["hooks"])),
        ("web server", _serve_line(report["serve"])),
        ("stamp index", _index_line(report["stamp_index"])),
    ]
    return [f"{label:<20}{value}" for label, value in rows]


def _problem_lines(report: dict[str, Any], color: bool) -> list[str]:
    lines = [f"{'lint':<20}" + ("clean" if not report["findings"] else
                                f"{len(report['findings'])} finding(s)")]
    lines += [f"  [{f['severity']}] {f['kind']} '{f['subject']}': {f['detail']} — {f['fix']}"
              for f in report["findings"]]
    if not report["problems"]:
        return [*lines, paint("HEALTHY — no problems found", "green", enabled=color)]
    lines.append(paint(f"FINDINGS — {len(report['problems'])} problem(s):", "red", "bold",
                       enabled=color))
    for item in report["problems"]:
        lines += [f"  ✗ {item['check']}: {item['detail']}", f"    fix: {item['fix']}"]
    return lines


def run(*, check: bool, workspace: str | None, driver: str | None, output: str,
        wiring: bool = False) -> int:
    import sys

    from dos.api import doctor as api
    from dos.verdicts.ops import DoctorVerdict

    config = load_config(workspace, driver)
    if wiring:
        from dos.hooks.install_cli import wiring_report

        healthy = wiring_report(config.root, output)
        return (DoctorVerdict.HEALTHY if healthy else DoctorVerdict.FINDINGS).exit_code
    diagnosis = api.diagnose(config, check=check)
    if check:
        for finding in diagnosis.findings:
            print(f"finding: {finding.render()}", file=sys.stderr)
    payload = api.doctor_json(diagnosis)
    emit(payload, output=output,
         text=lambda color: "\n".join([*_text(dict(payload)), *_problem_lines(dict(payload),
                                                                              color)]))
    return diagnosis.verdict.exit_code
