"""Which tools the server offers, in a fixed order, and what each does to the world."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, cast

from mcp.server.mcpserver.tools import Tool
from mcp.types import ToolAnnotations
from pydantic import ConfigDict

from dos_mcp.session import Session
from dos_mcp.tools_admission import AdmissionTools
from dos_mcp.tools_evals import EvalTools
from dos_mcp.tools_gates import GateTools
from dos_mcp.tools_judges import JudgeTools
from dos_mcp.tools_ops import OpsTools
from dos_mcp.tools_picker import PickerTools
from dos_mcp.tools_plans import PlanTools
from dos_mcp.tools_record import RecordTools
from dos_mcp.tools_recovery import RecoveryTools
from dos_mcp.tools_truth import TruthTools

__all__ = ["EFFECTS", "TOOLS", "build_tools"]

# (read_only, destructive, idempotent); no tool reaches outside the workspace and its store,
# but dos_projects and dos_learn, which read this user's project registry.
EFFECTS: dict[str, tuple[bool, bool, bool]] = {
    "reads": (True, False, True),
    "grants": (False, False, False),   # adds a lease and a journal record
    "renews": (False, False, False),   # moves renewed_at and journals each beat
    "ends": (False, True, True),       # ends the caller's lease; a second call changes nothing
}

# name → (title, effect)
TOOLS: dict[str, tuple[str, str]] = {
    "dos_verify": ("Did this phase really ship?", "reads"),
    "dos_commit_audit": ("Does each commit subject match its diff?", "reads"),
    "dos_verify_result": ("Did a sub-agent end healthy, dead or unreadable?", "reads"),
    "dos_verify_receipt": ("Is this signed receipt authentic?", "reads"),
    "dos_memory": ("Do these memory notes still match the code?", "reads"),
    "dos_arbitrate": ("May this lane be taken now?", "reads"),
    "dos_lease_acquire": ("Take a lane lease", "grants"),
    "dos_lease_heartbeat": ("Renew a lane lease", "renews"),
    "dos_lease_release": ("Release a lane lease", "ends"),
    "dos_lease_live": ("The leases live now", "reads"),
    "dos_liveness": ("Is this run moving?", "reads"),
    "dos_status": ("One run's digest", "reads"),
    "dos_attempts": ("The recorded attempts at units of work", "reads"),
    "dos_intent_show": ("A run's intent ledger", "reads"),
    "dos_resume": ("Where a stopped run re-enters", "reads"),
    "dos_complete": ("Is every declared step of a run done?", "reads"),
    "dos_rewind": ("Rewind a run to a sealed checkpoint?", "reads"),
    "dos_refuse_reasons": ("The refusal vocabulary", "reads"),
    "dos_check_reason": ("Is this a known refusal reason?", "reads"),
    "dos_top": ("Who holds each lane, and is it moving", "reads"),
    "dos_doctor": ("What dos sees in this workspace", "reads"),
    "dos_observe": ("The verdicts dos handed out, and whether their journal holds", "reads"),
    "dos_decisions": ("What waits on the operator", "reads"),
    "dos_projects": ("Every project dos wrote to, by its stable id", "reads"),
    "dos_learn": ("Across projects, where the referee says no", "reads"),
    "dos_exec_capability": ("Does this command line start a code runner?", "reads"),
    "dos_arg_provenance": ("Were this write call's ids ever shown to the agent?", "reads"),
    "dos_answer_shape": ("Is this output shaped like an answer?", "reads"),
    "dos_overlap_eval": ("Grade the overlap policy on labelled tree pairs", "reads"),
    "dos_intervention_eval": ("Does acting on the id-provenance gate help the task?", "reads"),
    "dos_tool_stream_eval": ("Grade the stalled-tool-stream warning on replayed streams",
                             "reads"),
    "dos_precursor_gate_eval": ("Grade the [precursor] grammar on replayed calls", "reads"),
    "dos_enumerate": ("Which units does this plan declare, and which shipped?", "reads"),
    "dos_plan_lifecycle": ("Which plans are due to change class, and what holds each?",
                           "reads"),
    "dos_pickable": ("May this unit be offered to a worker now?", "reads"),
    "dos_reconcile": ("Does the agent's done hold up against git?", "reads"),
    "dos_gate": ("Is this empty packet a real drain?", "reads"),
    "dos_scout": ("Which activity do the loop's signals call for?", "reads"),
    "dos_health": ("Is this lane fit to start a worker on?", "reads"),
    "dos_pick_priority": ("In which order should a picker try these units?", "reads"),
    "dos_next": ("Take the next unit for this worker", "grants"),
    "dos_judge_wedge": ("Does a run's 'nothing to do' hold up?", "reads"),
    "dos_judge_eval": ("How often does a judge clear a false claim?", "reads"),
}


def _annotations(title: str, effect: str) -> ToolAnnotations:
    read_only, destructive, idempotent = EFFECTS[effect]
    return ToolAnnotations(title=title, read_only_hint=read_only, destructive_hint=destructive,
                           idempotent_hint=idempotent, open_world_hint=False)


def _refuse_unknown_arguments(tool: Tool) -> Tool:
    """A misspelt argument is an error, not silently the default; a wrong type is an
    error, not coerced ("yes" is not true)."""
    loose = tool.fn_metadata.arg_model
    strict = type(loose.__name__, (loose,), {
        "model_config": ConfigDict(extra="forbid", strict=True, arbitrary_types_allowed=True),
        "__module__": loose.__module__})
    tool.fn_metadata.arg_model = cast(Any, strict)
    tool.parameters["additionalProperties"] = False
    return tool


def build_tools(session: Session) -> list[Tool]:
    """Every tool, bound to ``session``, in the catalogue's order."""
    groups = (TruthTools(session), AdmissionTools(session), OpsTools(session),
              RecordTools(session), GateTools(session), RecoveryTools(session),
              PickerTools(session), PlanTools(session), EvalTools(session),
              JudgeTools(session))
    tools = []
    for name, (title, effect) in TOOLS.items():
        method: Callable[..., Any] = next(getattr(g, name) for g in groups if hasattr(g, name))
        tool = Tool.from_function(method, name=name, title=title,
                                  description=inspect.getdoc(method),
                                  annotations=_annotations(title, effect),
                                  structured_output=True)
        tools.append(_refuse_unknown_arguments(tool))
    return tools
