"""Latency of `dos hook pretool` as an agent host runs it: one process per tool call.

Median wall time for an allowed write (a path no other session leases) and a denied
one (inside session A's lease, written by session B), and a write in a workspace that
has a dos.toml but no store yet (no .dos: answered from dos.toml's text, creating
nothing), against the bare interpreter (`python -c pass`) measured in the same run.
A read, which never opens the store, is shown for reference, and so is a deny that
loads the whole config (the first call after dos.toml changed: the store view is not
yet remembered in .dos/hook-cache.json), and, in a workspace with a [precursor] table, a
gated call whose lookup the session made (the history read from the store) and a call
the table does not gate (no store access). Given a PostgreSQL server, the same allow and
deny with the workspace's store in a private schema there (its target is looser: the
PostgreSQL client library alone costs several interpreters' start-up).

    python bench/hook.py [--runs N] [--postgres URL | --no-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import Case, dos_command, medians, report_ratio
from _workspaces import DOS_TOML, pg_schema

TARGET = 2.5
PG_TARGET = 4.0


def _payload(root: Path, session: str, tool: str, path: str) -> bytes:
    return json.dumps({
        "session_id": session, "transcript_path": str(root / "t.jsonl"), "cwd": str(root),
        "permission_mode": "default", "hook_event_name": "PreToolUse", "tool_name": tool,
        "tool_input": {"file_path": str(root / path), "old_string": "a", "new_string": "b"},
        "tool_use_id": "toolu_01",
    }).encode()


def _workspace(root: Path, dos: list[str], store: str = "") -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "dos.toml").write_text(DOS_TOML + store, encoding="utf-8")
    subprocess.run([*dos, "lease-lane", "acquire", "--lane", "api", "--owner", "session-A",
                    "--ttl-seconds", "3600"], cwd=root, check=True, stdout=subprocess.DEVNULL)


def _fresh(root: Path) -> None:
    """A workspace with a dos.toml and no store: nobody has run a write verb yet."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "dos.toml").write_text(DOS_TOML, encoding="utf-8")


GRAMMAR = '\n[precursor.requires]\nupdate_ticket = ["get_ticket"]\n'


def _gated(root: Path, dos: list[str]) -> dict[str, Case]:
    """A workspace whose [precursor] gates update_ticket; session-B made the lookup."""
    _workspace(root, dos, GRAMMAR)
    lookup = json.loads(_payload(root, "session-B", "get_ticket", "x"))
    lookup.update(hook_event_name="PostToolUse", tool_response="ticket 7")
    subprocess.run([*dos, "hook", "posttool"], cwd=root, input=json.dumps(lookup).encode(),
                   check=True, stdout=subprocess.DEVNULL)
    gated = _payload(root, "session-B", "update_ticket", "x")
    _check(dos, root, gated, denied=False)
    _check(dos, root, _payload(root, "session-C", "update_ticket", "x"), denied=True)
    hook = [*dos, "hook", "pretool"]
    return {"gated": Case(hook, cwd=str(root), stdin=gated),
            "not_gated": Case(hook, cwd=str(root), stdin=_payload(root, "session-C", "Read",
                                                                  "src/api/a.py"))}


def _check(dos: list[str], root: Path, payload: bytes, denied: bool) -> None:
    done = subprocess.run([*dos, "hook", "pretool"], cwd=root, input=payload,
                          capture_output=True, check=False)
    if done.returncode != 0 or ('"deny"' in done.stdout.decode()) != denied:
        raise SystemExit(f"unexpected hook answer: rc={done.returncode} "
                         f"stdout={done.stdout!r} stderr={done.stderr!r}")


def _decisions(dos: list[str], root: Path, label: str) -> dict[str, Case]:
    """An allowed and a denied write in ``root`` (session A leases the api lane)."""
    allow = _payload(root, "session-B", "Edit", "src/ui/a.py")
    deny = _payload(root, "session-B", "Edit", "src/api/a.py")
    _check(dos, root, allow, denied=False)
    _check(dos, root, deny, denied=True)
    hook, cwd = [*dos, "hook", "pretool"], str(root)
    return {f"allow{label}": Case(hook, cwd=cwd, stdin=allow),
            f"deny{label}": Case(hook, cwd=cwd, stdin=deny)}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="runs per command (>= 30)")
    parser.add_argument("--postgres", default=os.environ.get("DOS_TEST_POSTGRES_URL", ""),
                        help="a PostgreSQL server for the PostgreSQL-store cases")
    parser.add_argument("--no-postgres", action="store_true", help="skip those cases")
    return parser.parse_args()


def _cases(dos: list[str], root: Path, fresh: Path, pg_root: Path | None,
           gated: Path) -> dict[str, Case]:
    no_store = _payload(fresh, "session-B", "Edit", "src/api/a.py")
    _check(dos, fresh, no_store, denied=False)
    deny = _payload(root, "session-B", "Edit", "src/api/a.py")
    hook = [*dos, "hook", "pretool"]
    # DOS_STORE_URL (here naming the same store) is never remembered: every run loads
    # the config from dos.toml, as the first call after an edit of dos.toml does
    cold_env = {"DOS_STORE_URL": f"sqlite:///{root / '.dos' / 'dos.db'}"}
    return {
        "baseline": Case([sys.executable, "-c", "pass"], cwd=str(root)),
        **_decisions(dos, root, ""),
        "read": Case(hook, cwd=str(root), stdin=_payload(root, "session-B", "Read",
                                                         "src/api/a.py")),
        "no_store": Case(hook, cwd=str(fresh), stdin=no_store),
        "cold": Case(hook, cwd=str(root), stdin=deny, env=cold_env),
        **_gated(gated, dos),
        **(_decisions(dos, pg_root, " pg") if pg_root else {}),
    }


def main() -> int:
    args = _arguments()
    runs, dos = max(30, args.runs), dos_command()
    with tempfile.TemporaryDirectory() as temp, pg_schema(
            "" if args.no_postgres else args.postgres) as pg_url:
        root, fresh, pg_root, gated = (Path(temp, name)
                                       for name in ("lite", "fresh", "pg", "gated"))
        for folder in (root, fresh, pg_root, gated):
            folder.mkdir()
        _workspace(root, dos)
        _fresh(fresh)
        if pg_url:
            _workspace(pg_root, dos, f"\n[store]\nurl = {json.dumps(pg_url)}\n"
                                     'workspace_id = "bench-hook"\n')
        timed = medians(_cases(dos, root.resolve(), fresh.resolve(),
                               pg_root.resolve() if pg_url else None, gated.resolve()), runs)
        if (fresh / ".dos").exists():
            raise SystemExit("the no-store hook created .dos/: a hook must create nothing")
    return _report(timed, runs)


def _report(timed: dict[str, float], runs: int) -> int:
    baseline = timed["baseline"]
    print(f"baseline: python -c pass {baseline * 1000:.1f} ms (median of {runs}, "
          "commands interleaved)")
    ok = report_ratio("dos hook pretool (allow: disjoint write)", timed["allow"], baseline,
                      TARGET)
    ok &= report_ratio("dos hook pretool (deny: leased by another)", timed["deny"], baseline,
                       TARGET)
    ok &= report_ratio("dos hook pretool (no store yet: no .dos)", timed["no_store"], baseline,
                       TARGET)
    report_ratio("dos hook pretool (read, no store access)", timed["read"], baseline, None)
    report_ratio("deny, config loaded (first after an edit)", timed["cold"], baseline, None)
    report_ratio("[precursor]: gated call, lookup made", timed["gated"], baseline, None)
    report_ratio("[precursor]: a call it does not gate", timed["not_gated"], baseline, None)
    if "deny pg" not in timed:
        print("(no PostgreSQL cases: pass --postgres URL or set DOS_TEST_POSTGRES_URL)")
        return 0 if ok else 1
    ok &= report_ratio("PostgreSQL store: allow", timed["allow pg"], baseline, PG_TARGET)
    ok &= report_ratio("PostgreSQL store: deny", timed["deny pg"], baseline, PG_TARGET)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
