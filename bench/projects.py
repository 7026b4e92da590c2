"""What registering a workspace costs as the project registry grows.

A persisting verb registers its workspace: one card read, a few indexed statements and
the history its store gained since the last cursor. Timed in process through
`dos.record.projects.upkeep.register`, the same workspace registered again and again:

1. with --projects other projects (each with some history) in the registry, against an
   empty registry: the statements go by key and index, so the ratio stays near 1
   (target <= 2.0x; the reference re-read its whole index file on every call);
2. `dos learn lane-refusals` over that registry, for reference.

    python bench/projects.py [--projects N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _timing import report_ratio

TARGET = 2.0


def _fill(home: Path, projects: int) -> None:
    from dos.record.projects.home import owner
    from dos.store.registry import Event, ProjectRow, open_registry

    with open_registry(str(home / "registry.db")).transaction(write=True,
                                                              owner=owner()) as reg:
        assert reg is not None
        for index in range(projects):
            project_id = f"{index:032x}"
            reg.insert_project(ProjectRow(project_id, f"/nowhere/p{index}", f"p{index}",
                                          0, index, 1, 1))
            reg.add_events(project_id, [Event("ops", seq, "refusal", f"lane{seq % 7}",
                                              "TREE_OVERLAP", "OPERATOR_GATE", "refused", seq)
                                        for seq in range(1, 6)])


def _workspace(root: Path) -> object:
    from dos.config import load_workspace_config
    from dos.store import writing
    from dos.store.journal import JournalEntry

    root.mkdir(parents=True)
    (root / "dos.toml").write_text('[lanes]\nconcurrent = ["src"]\n[lanes.trees]\n'
                                   'src = ["src/**"]\n', encoding="utf-8")
    config = load_workspace_config(root)
    with writing(config) as tx:
        tx.append(JournalEntry("REFUSE", lane="src", holder="a",
                               payload={"reason_class": "TREE_OVERLAP"}))
    return config


def _time_register(home: Path, config: object, runs: int) -> float:
    from dos.record.projects.upkeep import register

    os.environ["DOS_HOME"] = str(home)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        register(config)  # type: ignore[arg-type]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dos-bench-projects-") as scratch:
        base = Path(scratch)
        empty, full = base / "empty-home", base / "full-home"
        _fill(full, args.projects)
        config = _workspace(base / "ws")
        baseline = _time_register(empty, config, args.runs)
        crowded = _time_register(full, config, args.runs)
        from dos.api.projects import learn

        start = time.perf_counter()
        learn(config, "lane-refusals")  # type: ignore[arg-type]
        grouped = time.perf_counter() - start
    print(f"registry with {args.projects} projects, {args.runs} registrations each")
    report_ratio("register, empty registry (baseline)", baseline, baseline, None)
    ok = report_ratio(f"register, {args.projects} projects", crowded, baseline, TARGET)
    report_ratio(f"learn lane-refusals, {args.projects * 5} events", grouped, baseline, None)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
