"""Loop-gate tools: does a command run code, were a write call's ids ever shown, is an
output shaped like an answer. Read-only: each answers from its arguments and the policy."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from dos.config import SubstrateConfig
from dos_mcp.params import Answer, Workspace
from dos_mcp.session import Session

__all__ = ["GateTools"]

Names = Annotated[list[str], Field(description="program names")]
Texts = Annotated[list[str], Field(description="texts the agent was shown, one per item")]
Patterns = Annotated[list[str], Field(description="Python regexes, one per item (searched "
                                                  "case-insensitively, ^/$ per line)")]


class GateTools:
    """``dos exec-capability``, ``dos arg-provenance`` and ``dos answer-shape`` as tools."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_exec_capability(
        self, *, command: Annotated[str, Field(description="the shell command line")],
        extra: Names = [],  # noqa: B006 - pydantic copies defaults; never mutated
        allow: Names = [],  # noqa: B006
        workspace: Workspace = None,
    ) -> Answer:
        """Does this shell command line start a code runner (an interpreter, a shell, a
        package manager, `find -exec`, …)? Parsed, never run. Same answer as
        `dos exec-capability --command CMD --json`; exit code 0 BOUNDED or EMPTY,
        3 GRANTS_ARBITRARY_EXEC."""
        from dos.api import gates_classify

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            verdict = gates_classify.exec_capability(config, command=command, extra=extra,
                                                     allow=allow)
            return gates_classify.exec_capability_json(verdict), verdict.capability.exit_code
        return self.session.answer(workspace, compute)

    def dos_arg_provenance(
        self, *, tool: Annotated[str, Field(description="the tool about to be called")],
        args: Annotated[dict[str, Any], Field(description="the call's arguments")],
        prior: Texts = [],  # noqa: B006
        task_text: Annotated[str, Field(description="the task the agent was given")] = "",
        new_keys: Annotated[list[str], Field(
            description="arguments that may legitimately be new")] = [],  # noqa: B006
        read: Annotated[bool, Field(description="treat the tool as a read")] = False,
        write: Annotated[bool, Field(description="treat the tool as write-like")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """Before a write-like tool call: did every id-shaped argument appear, as a whole
        token, in the task text or earlier tool output? Same answer as `dos arg-provenance
        --tool NAME --args JSON --json`; exit code 0 BELIEVE, 3 UNSUPPORTED."""
        from dos.api import gates_classify

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            verdict = gates_classify.arg_provenance(
                config, tool=tool, args=args, priors=prior, task_text=task_text,
                new_keys=new_keys, read=read, write=write)
            return gates_classify.arg_provenance_json(verdict), verdict.verdict.exit_code
        return self.session.answer(workspace, compute)

    def dos_answer_shape(
        self, *, text: Annotated[str, Field(description="the output to judge")],
        min_chars: Annotated[int, Field(description="least non-space characters")] = 1,
        non_answer: Patterns = [],  # noqa: B006
        markers: Patterns = [],  # noqa: B006
        budget_ms: Annotated[int, Field(description="time budget of each pattern")] = 100,
        workspace: Workspace = None,
    ) -> Answer:
        """Is this output shaped like an answer, or empty, a stub, a refusal or leaked
        process text? Shape only, never correctness. Same answer as `dos answer-shape
        --text T --json`; exit code 0 ANSWER_SHAPED, 3 NON_ANSWER, 4 INDETERMINATE."""
        from dos.api import gates_classify

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            verdict = gates_classify.answer_shape(config, text=text, min_chars=min_chars,
                                                  non_answer=non_answer, markers=markers,
                                                  budget_ms=budget_ms)
            return gates_classify.answer_shape_json(verdict), verdict.state.exit_code
        return self.session.answer(workspace, compute)
