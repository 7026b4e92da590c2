"""dos liveness: is this run moving? (ADVANCING / SPINNING / STALLED)"""

from __future__ import annotations

import argparse

from dos.commands._args import duration_ms, epoch_ms, pid

_EPILOG = """\
examples:
  dos liveness --run-id RID-1M8HSC4V72JNYG0 --start-sha 3f2a9c1
  dos liveness --run-id RID-1M8HSC4V72JNYG0 --start-sha 3f2a9c1 --ref agent/auth --json

The run's lease is found by its run id; its heartbeat is the lease's last renewal
(`dos lease-lane heartbeat`). Progress counts only inside the [liveness] window.
A run id no lease or journal record carries, judged with no start SHA, heartbeat or
pid, is UNKNOWN: a typo never reads as a young run ADVANCING.
Exit: 0 ADVANCING, 3 SPINNING, 4 STALLED, 5 UNKNOWN, 2 usage or git error (an unknown
--ref too), 74 store unreadable."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Judge whether a run is moving from commits on its ref and its "
                          "journal events, not from its own narration.")
    parser.epilog = _EPILOG
    parser.add_argument("--run-id", required=True, metavar="RID",
                        help="the run to judge (minted by `dos run-id mint`)")
    parser.add_argument("--start-sha", default="", metavar="SHA",
                        help="the commit the run started from; enables the commit rung")
    parser.add_argument("--ref", default="HEAD", metavar="REF",
                        help="the run's branch or ref whose commits count (default HEAD)")
    parser.add_argument("--now-ms", type=epoch_ms(), default=None, metavar="MS",
                        help="judge at this epoch-ms time (default: the store's clock)")
    parser.add_argument("--last-heartbeat-age-ms", type=duration_ms(), default=None, metavar="MS",
                        help="override the heartbeat age read from the run's lease")
    parser.add_argument("--lane", default="", help="with --loop-ts: also count the lease "
                        "with this (lane, loop_ts) identity as the run's")
    parser.add_argument("--loop-ts", default="", help="the lease's loop_ts (see --lane)")
    parser.add_argument("--pid", type=pid(), default=None,
                        help="the run's worker process; a confirmed-dead pid means STALLED")
    parser.add_argument("--host-id", default="", metavar="HOST",
                        help="the host --pid lives on (a foreign host is not probed)")
    parser.add_argument("--no-proc", action="store_true", help="do not probe --pid")


def run(*, run_id: str, start_sha: str, ref: str, now_ms: int | None,
        last_heartbeat_age_ms: int | None, lane: str, loop_ts: str, pid: int | None,
        host_id: str, no_proc: bool, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import temporal as api
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    verdict = api.liveness(config, run_id=run_id, start_sha=start_sha, ref=ref, now_ms=now_ms,
                           last_heartbeat_age_ms=last_heartbeat_age_ms, lane=lane,
                           loop_ts=loop_ts, pid=pid, host_id=host_id, no_proc=no_proc)
    emit_verdict(verdict.verdict.value, verdict.reason, api.liveness_json(verdict, run_id), output)
    return verdict.verdict.exit_code
