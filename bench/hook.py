"""Latency of `dos hook pretool` as an agent host runs it: one process per tool call.

Median wall time for an allowed write (a path no other session leases) and a denied
one (inside session A's lease, written by session B), and a write in a workspace that
has a dos.toml but no store yet (no .dos: answered from dos.toml's text, creating
nothing), against the bare interpreter (`python -c pass`) measured in the same run.
A read, which never opens the store, is shown for reference, and so is a deny that
loads the whole config (the first call after dos.toml changed: the store view is not
yet remembered in .dos/hook-cache.json).

    python bench/hook.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import Case, dos_command, medians, report_ratio

TARGET = 2.5
_DOS_TOML = """\
[lanes]
concurrent = ["api", "ui"]
exclusive = ["global"]
autopick = ["api", "ui"]

[lanes.trees]
api = ["src/api/**"]
ui = ["src/ui/**"]
global = ["**/*"]
"""


def _payload(root: Path, session: str, tool: str, path: str) -> bytes:
    return json.dumps({
        "session_id": session, "transcript_path": str(root / "t.jsonl"), "cwd": str(root),
        "permission_mode": "default", "hook_event_name": "PreToolUse", "tool_name": tool,
        "tool_input": {"file_path": str(root / path), "old_string": "a", "new_string": "b"},
        "tool_use_id": "toolu_01",
    }).encode()


def _workspace(root: Path, dos: list[str]) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "dos.toml").write_text(_DOS_TOML, encoding="utf-8")
    subprocess.run([*dos, "lease-lane", "acquire", "--lane", "api", "--owner", "session-A",
                    "--ttl-seconds", "3600"], cwd=root, check=True, stdout=subprocess.DEVNULL)


def _fresh(root: Path) -> None:
    """A workspace with a dos.toml and no store: nobody has run a write verb yet."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "dos.toml").write_text(_DOS_TOML, encoding="utf-8")


def _check(dos: list[str], root: Path, payload: bytes, denied: bool) -> None:
    done = subprocess.run([*dos, "hook", "pretool"], cwd=root, input=payload,
                          capture_output=True, check=False)
    if done.returncode != 0 or ('"deny"' in done.stdout.decode()) != denied:
        raise SystemExit(f"unexpected hook answer: rc={done.returncode} "
                         f"stdout={done.stdout!r} stderr={done.stderr!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="runs per command (>= 30)")
    runs = max(30, parser.parse_args().runs)
    dos = dos_command()
    with tempfile.TemporaryDirectory() as temp, tempfile.TemporaryDirectory() as empty:
        root, fresh = Path(temp).resolve(), Path(empty).resolve()
        _workspace(root, dos)
        _fresh(fresh)
        no_store = _payload(fresh, "session-B", "Edit", "src/api/a.py")
        _check(dos, fresh, no_store, denied=False)
        allow = _payload(root, "session-B", "Edit", "src/ui/a.py")
        deny = _payload(root, "session-B", "Edit", "src/api/a.py")
        read = _payload(root, "session-B", "Read", "src/api/a.py")
        _check(dos, root, allow, denied=False)
        _check(dos, root, deny, denied=True)
        hook = [*dos, "hook", "pretool"]
        # DOS_STORE_URL (here naming the same store) is never remembered: every run loads
        # the config from dos.toml, as the first call after an edit of dos.toml does
        cold_env = {"DOS_STORE_URL": f"sqlite:///{root / '.dos' / 'dos.db'}"}
        timed = medians({
            "baseline": Case([sys.executable, "-c", "pass"], cwd=temp),
            "allow": Case(hook, cwd=temp, stdin=allow),
            "deny": Case(hook, cwd=temp, stdin=deny),
            "read": Case(hook, cwd=temp, stdin=read),
            "no_store": Case(hook, cwd=empty, stdin=no_store),
            "cold": Case(hook, cwd=temp, stdin=deny, env=cold_env),
        }, runs)
        if (fresh / ".dos").exists():
            raise SystemExit("the no-store hook created .dos/: a hook must create nothing")
    baseline, allowed, denied = timed["baseline"], timed["allow"], timed["deny"]
    reading, cold, no_store_s = timed["read"], timed["cold"], timed["no_store"]
    print(f"baseline: python -c pass {baseline * 1000:.1f} ms (median of {runs}, "
          "commands interleaved)")
    ok = report_ratio("dos hook pretool (allow: disjoint write)", allowed, baseline, TARGET)
    ok &= report_ratio("dos hook pretool (deny: leased by another)", denied, baseline, TARGET)
    ok &= report_ratio("dos hook pretool (no store yet: no .dos)", no_store_s, baseline, TARGET)
    report_ratio("dos hook pretool (read, no store access)", reading, baseline, None)
    report_ratio("deny, config loaded (first after an edit)", cold, baseline, None)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
