"""The verb registry: name → module, family and the one-line "when to use it".

Only the chosen verb's module is imported, so ``dos --help`` and every verb start
fast. Each verb module defines ``add_arguments(parser)`` and ``run(**options) -> int``.
"""

from __future__ import annotations

__all__ = ["FAMILIES", "VERBS", "Verb"]


class Verb:
    """A registered verb. A plain class: dataclasses cost start-up time here."""

    __slots__ = ("family", "module", "summary")

    def __init__(self, module: str, family: str, summary: str) -> None:
        self.module = module
        self.family = family
        self.summary = summary


FAMILIES = {
    "truth": "truth — did it really happen? (answers from git)",
    "admission": "admission — who may work where (answers from the lease store)",
    "temporal": "temporal — is it moving? runs, ids and the clock",
    "picker": "picker — what should a worker take next, and did it really finish?",
    "record": "record — ship what the referee decided to other tools",
    "gates": "gates — keep, label or refuse what a loop's agent did or is about to do",
    "ops": "ops — set up and inspect a workspace",
    "evals": "evals — grade the referee's tunable knobs on labelled case files (offline)",
}


def _verb(name: str, family: str, summary: str) -> tuple[str, Verb]:
    return name, Verb(f"dos.commands.{name.replace('-', '_')}", family, summary)


VERBS: dict[str, Verb] = dict([
    # truth
    _verb("verify", "truth", "Use when an agent says it shipped a phase: git ancestry says "
          "whether it did (exit 0 shipped, 1 not)."),
    _verb("commit-audit", "truth", "Use to check that a commit's subject matches what its "
          "diff really changed."),
    _verb("verify-result", "truth", "Use on a sub-agent's transcript to learn whether it "
          "ended healthy, dead or unreadable."),
    _verb("coverage", "truth", "Use after a fan-out to check every declared unit came back."),
    _verb("memory", "truth", "Use before relying on an agent's memory notes: each is "
          "re-checked against the tree and git (exit 3 stale)."),
    _verb("plan", "truth", "Use to see every declared phase with the plan's claim beside "
          "git's verdict."),
    _verb("attest", "truth", "Use to sign what a witness saw about a claim, as a receipt "
          "anyone can check alone (exit 0/1/3)."),
    _verb("verify-receipt", "truth", "Use to check a signed receipt with only its key: "
          "exit 0 valid, 1 invalid."),
    # admission
    _verb("arbitrate", "admission", "Use before starting work to ask, without taking it, "
          "whether a lane is free."),
    _verb("lease-lane", "admission", "Use to take, renew, release or list lane leases — "
          "the atomic admission step."),
    _verb("journal", "admission", "Use to read, verify or export the hash-chained ops journal."),
    _verb("decisions", "ops", "Use to see what is waiting on you — halt proposals, "
          "escalations, refusals — and to journal your answer to one."),
    _verb("helped", "ops", "Use to see what the hooks actually prevented: refused writes "
          "into held lanes or outside the workspace, false done claims."),
    _verb("top", "ops", "Use to watch the fleet: who holds each lane, whether it is moving since "
          "its grant, and the newest verdicts and commits (read-only)."),
    _verb("observe", "ops", "Use to see the verdicts dos handed out (by syscall, run, lane…) "
          "and check the verdict journal's chain (exit 1 if broken)."),
    _verb("halt", "admission", "Use to record a decision to stop a run (it proposes the "
          "command; it never signals)."),
    _verb("lease", "admission", "Use for a named cross-process mutex between scripts."),
    _verb("id-alloc", "admission", "Use to allocate ids that are never reused, per scope."),
    _verb("scope-gate", "admission", "Use before committing to check every touched file is "
          "inside the lane held."),
    _verb("refuse", "admission", "Use to check a refusal reason against the workspace's "
          "vocabulary."),
    _verb("man", "admission", "Use to read what a refusal reason or a lane means."),
    # record
    _verb("export", "record", "Use to ship verdict events to a file, StatsD or OpenTelemetry; "
          "a stored cursor keeps re-runs from re-shipping."),
    _verb("notify", "record", "Use to post the decisions queue or the fleet summary to a "
          "webhook or Slack (exit 1 when it was not delivered)."),
    # temporal
    _verb("liveness", "temporal", "Use to ask whether a run is moving: commits and journal "
          "events, not its own narration (exit 0/3/4/5)."),
    _verb("watch", "temporal", "Use to run the watchdog: it assesses tracked runs on a timer "
          "and records halt proposals."),
    _verb("loop", "temporal", "Use to keep N workers busy: prints the spawn/reap plan for "
          "free lanes (it never spawns)."),
    _verb("status", "temporal", "Use for one fail-closed digest of a run: liveness, verified "
          "progress and its lease."),
    _verb("trace", "temporal", "Use to follow one run id through the journal and git."),
    _verb("productivity", "temporal", "Use to judge whether recent steps still land work."),
    _verb("efficiency", "temporal", "Use to judge whether a run's cost per landed change is "
          "acceptable."),
    _verb("breaker", "temporal", "Use to stop retrying after repeated failures (a circuit "
          "breaker)."),
    _verb("cooldown", "temporal", "Use before retrying a unit to see whether it was attempted "
          "too recently."),
    _verb("attempt", "temporal", "Use to record how an attempt at a unit ended, or list a "
          "unit's attempts (cooldown and pickers read them)."),
    _verb("intent", "temporal", "Use from a worker to declare its run's steps and record each "
          "step it starts and finishes, with the step's commit."),
    _verb("resume", "temporal", "Use after a run died to learn where a successor re-enters: "
          "the first declared step git does not show."),
    _verb("complete", "temporal", "Use to ask whether a run's every declared step is done, "
          "by git, not by the run's say-so."),
    _verb("rewind", "temporal", "Use when a run hit a dead end to find the last "
          "checkpoint the store sealed, and what to drop."),
    _verb("reap", "ops", "Use for housekeeping: ends expired leases and marks runs that are "
          "provably dead (a dry run unless --apply)."),
    # picker
    _verb("enumerate", "picker", "Use to list a plan's units in order, each shipped or "
          "remaining by git, never by the plan's prose."),
    _verb("pickable", "picker", "Use before offering a unit to a worker: OFFERABLE, or the "
          "one typed reason it is held (cooldown included)."),
    _verb("reconcile", "picker", "Use when an agent says a unit is done: VERIFIED only when "
          "git shows it at the evidence grade asked."),
    _verb("gate", "picker", "Use when a /next-up packet offers no live pick: a real DRAIN, "
          "or work hidden by a stale stamp, a claim or a race."),
    _verb("scout", "picker", "Use before leasing a lane to pick the activity: dispatch, "
          "unstick, replan, wait or stop."),
    _verb("pick-priority", "picker", "Use to order units for a picker: never attempted "
          "first, then the least recently attempted (an ordering, never a gate)."),
    _verb("judge", "picker", "Use after a run's picker said there was nothing to do: do "
          "the store's records back its stated cause? (exit 1: they contradict it)"),
    _verb("next", "picker", "Use to hand a worker its next unit: the freshest remaining "
          "one nobody holds, leased in one transaction (exit 3 drained, 4 held)."),
    _verb("health", "picker", "Use before starting a worker on a lane: a live lease in the "
          "way, or the same failure recurring?"),
    # loop gates
    _verb("test-witness", "gates", "Use to check a new test is red before the change and "
          "green after (dos can run it at each commit)."),
    _verb("improve", "gates", "Use in a self-improving loop to keep, revert or escalate a "
          "candidate change from measured facts."),
    _verb("reward", "gates", "Use to label a trajectory for a training set: accept, poison or "
          "abstain from its witness."),
    _verb("exec-capability", "gates", "Use before running a shell command to learn whether it "
          "starts a code runner (exit 3)."),
    _verb("hook-exit", "gates", "Use to turn a plain hook script's exit status into PASS, "
          "WARN, BLOCK, DEFER or OBSERVE."),
    _verb("arg-provenance", "gates", "Use before a write-like tool call to flag ids the "
          "agent was never shown."),
    _verb("answer-shape", "gates", "Use to reject an output that is empty, a stub or leaked "
          "process text instead of an answer."),
    _verb("guard", "gates", "Use to launch a host headless with the dos MCP server and Stop "
          "hook wired in."),
    # evaluation harnesses
    _verb("judge-eval", "evals", "Use to grade a judge on claims whose truth you know: "
          "how often it clears a false one (exit 1 if it ever does)."),
    _verb("overlap-eval", "evals", "Use to grade the lane-overlap policy on tree pairs "
          "labelled collided or safe (exit 1 below the bar)."),
    _verb("intervention-eval", "evals", "Use to learn whether acting on the id-provenance "
          "gate helps or hurts the task (exit 1 below the bar)."),
    _verb("tool-stream-eval", "evals", "Use to tune the stalled-tool-stream warning on "
          "replayed streams labelled stuck or polling (exit 1 below the bar)."),
    _verb("precursor-gate-eval", "evals", "Use to grade the [precursor] grammar on replayed "
          "calls labelled as skipping their lookup or not (exit 1 below the bar)."),
    # hooks and servers
    _verb("hook", "ops", "Use from an agent host's hook config: pretool, posttool and stop "
          "checks on stdin payloads."),
    _verb("serve", "ops", "Use to watch the fleet and answer decisions from a browser: top, "
          "decisions, plan and observe, live, with the same JSON as --json."),
    _verb("store", "ops", "Use to migrate the store, check it, or copy a workspace's "
          "history between SQLite and PostgreSQL."),
    _verb("exit-codes", "ops", "Use to see which exit code each verdict of each verb returns."),
    _verb("run-id", "temporal", "Use to mint a sortable run id for a new run, or decode one."),
    _verb("init", "ops", "Use once per repository to write a dos.toml with one lane per "
          "source directory."),
    _verb("doctor", "ops", "Use when something looks wrong: shows the workspace, config, "
          "lanes, drivers, store and git state dos sees."),
    _verb("lint", "ops", "Use after editing dos.toml to find dead or contradictory lane "
          "and reason policy."),
    _verb("projects", "ops", "Use to see every workspace dos wrote to on this machine, by "
          "a stable id: a moved repository keeps its history."),
    _verb("reindex", "ops", "Use when the project registry looks wrong: re-checks every "
          "project, reads its new history, --prune drops gone ones."),
    _verb("learn", "ops", "Use to see across projects where the referee says no: no-pick "
          "hotspots, refused lanes, how often you overrule it."),
    _verb("quickstart", "ops", "Use to see dos referee two fake agents in a throw-away "
          "repository, in seconds."),
])
