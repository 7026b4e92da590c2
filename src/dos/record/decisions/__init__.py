"""The operator's decisions queue: what is waiting on someone, folded from the store.

Rows come from the ops journal (``lease-lane acquire`` refusals, halt proposals from
``dos watch`` and ``dos halt``), the verdict journal (``dos arbitrate`` refusals, ``dos
loop`` restart-intensity escalations), the lease table (leases past their TTL never
released), the stale memory notes ``dos memory verify --route`` routed (read whole, as
state) and, when the workspace declares plans, the plan's over-claims. Records of
one question (same kind, lane, reason token, run id and subject) fold into one row
with a ``dup_count``; its ``handle`` hashes that key and the resolution that opened its
episode, never its position.

Resolver rules — who settles a row:

* LIVENESS (a halt proposal) → HUMAN. The oracle judged the run; stopping a process is
  the operator's act, since dos never signals. (The reference made these ORACLE, so its
  queue hid them and its stop policy could never fire.)
* RESTART_ESCALATION → HUMAN: the supervisor refuses to refill a lane whose workers
  keep dying until someone finds out why.
* LEASE_REFUSE and ARBITER_REFUSE → by the refusal's reason token, never its prose:
  a token that only says something else holds the lane or the budget
  (``BACKPRESSURE_TOKENS``) → BACKPRESSURE; category STALE_CLAIM or TRUE_DRAIN →
  ORACLE; OPERATOR_GATE, an unknown (UNCLASSIFIED) token or none → HUMAN; any other
  category (MISROUTE: a request to re-route) → JUDGE. Categories come from the
  workspace's vocabulary, so a reason ``dos.toml`` adds is classified like a built-in.
* EXPIRED_LEASE → ORACLE: an expired lease never blocks; the next admission records it.
* PLAN_OVERCLAIM → ORACLE: git has answered; the plan document has to catch up.
* MEMORY_STALE → HUMAN: only someone can rewrite or delete the note; a later sweep
  that no longer finds it stale closes the row itself (a DECIDE ``settle``).

A row leaves the queue when it is resolved (``dos decisions resolve``: a DECIDE record
in the ops journal covering the records seen so far), when the facts settle it (the
refused holder was granted the lane; the lane an arbitrate refusal asked about was
granted; the halted run's lease ended; a later ``dos loop`` tick did not escalate the
lane again), or when its newest record leaves the window read.

Ranking: HUMAN rows first (so ``dos decisions`` and ``--all`` number them alike), then
JUDGE, BACKPRESSURE, ORACLE; within each, halts, escalations, refusals, expired leases,
plan over-claims, memory notes; then the longest waiting.
"""

from __future__ import annotations

from dos.record.decisions.assemble import Facts, Overclaim, build_rows
from dos.record.decisions.ledger import Group, Ledger
from dos.record.decisions.model import (
    DecisionRow,
    Key,
    Kind,
    Point,
    Resolution,
    Resolver,
    handle_of,
)
from dos.record.decisions.rules import BACKPRESSURE_TOKENS, rank, resolver_for
from dos.record.decisions.sightings import DECIDE, Sighting

__all__ = ["BACKPRESSURE_TOKENS", "DECIDE", "DecisionRow", "Facts", "Group", "Key", "Kind",
           "Ledger", "Overclaim", "Point", "Resolution", "Resolver", "Sighting",
           "build_rows", "handle_of", "rank", "resolver_for"]
