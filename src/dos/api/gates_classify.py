"""Pre-effect loop gates: exec-capability, hook-exit, arg-provenance, answer-shape.
Policy comes from ``[exec_capability]``, ``[hook_exit]`` and ``[arg_provenance]``, with
the flags added on top. Read-only: each answers from its inputs and the policy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dos import _fastjson as jsonc
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.gates.answer_shape import ShapeEvidence, ShapeVerdict
from dos.gates.exec_capability import ExecPolicy, ExecVerdict
from dos.gates.hook_exit import HookExitVerdict
from dos.gates.provenance import ProvenanceVerdict
from dos.render import with_schema
from dos.verdicts.gates import HookExitToken

__all__ = ["MAX_ARGS_BYTES", "answer_shape", "answer_shape_json", "arg_provenance",
           "arg_provenance_json", "exec_capability", "exec_capability_json", "hook_exit",
           "hook_exit_json", "parse_args_json"]

MAX_ARGS_BYTES = 1 << 20
_MAX_DEPTH = 32


def _names(values: Sequence[str]) -> frozenset[str]:
    return frozenset(name.strip().lower() for text in values for name in text.split(",")
                     if name.strip())


def exec_capability(config: SubstrateConfig, *, command: str, extra: Sequence[str] = (),
                    allow: Sequence[str] = ()) -> ExecVerdict:
    """Does ``command`` start a code runner? (a shell parse, never a shell)."""
    from dos.gates.exec_capability import classify

    table = config.table("exec_capability")
    policy = ExecPolicy(extra=_names([*table["extra"], *extra]),
                        allow=_names([*table["allow"], *allow]))
    return classify(command, policy)


def exec_capability_json(verdict: ExecVerdict) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(), "exec-capability"))


def hook_exit(config: SubstrateConfig, *, code: int | str, entries: Sequence[str] = (),
              mapping: Mapping[int, str] | None = None) -> HookExitVerdict:
    """The intervention a hook script's exit status asks for."""
    from dos.gates.hook_exit import (
        DEFAULT_MAP,
        HookExitPolicy,
        classify,
        parse_code,
        parse_entries,
        parse_verb,
    )

    table = config.table("hook_exit")
    merged = dict(DEFAULT_MAP)
    merged.update({key: HookExitToken[verb] for key, verb in table["map"].items()})
    for key, verb in (mapping or {}).items():
        merged[parse_code(key, "map key")] = parse_verb(verb, f"map[{key}]")
    merged.update(parse_entries(entries))
    policy = HookExitPolicy(merged, HookExitToken[table["fallback"]])
    return classify(parse_code(code, "--code"), policy)


def hook_exit_json(verdict: HookExitVerdict) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(), "hook-exit"))


def parse_args_json(text: str) -> dict[str, Any]:
    """``--args``: a JSON object, at most 1 MiB and 32 levels deep."""
    if len(text.encode("utf-8", "replace")) > MAX_ARGS_BYTES:
        raise UsageError("--args is over 1 MiB", hint="pass the tool call's arguments only")
    try:
        value = jsonc.loads(text, max_depth=_MAX_DEPTH)  # a deep document is refused
    except (ValueError, RecursionError) as error:
        raise UsageError(f"--args is not valid JSON ({str(error)[:80]})",
                         hint='pass --args as a JSON object, e.g. \'{"issue_id": "INC-7"}\''
                         ) from None
    if not isinstance(value, dict):
        raise UsageError(f"--args is not a JSON object (got {type(value).__name__})",
                         hint='pass --args as a JSON object, e.g. \'{"issue_id": "INC-7"}\'')
    return value


def arg_provenance(config: SubstrateConfig, *, tool: str, args: Mapping[str, Any],
                   priors: Sequence[str] = (), prior_lines: Sequence[str] = (),
                   task_text: str = "", new_keys: Sequence[str] = (), read: bool = False,
                   write: bool = False) -> ProvenanceVerdict:
    """BELIEVE unless a write-like call carries an id the agent was never shown."""
    from dos.gates.provenance import Corpus, classify
    from dos.gates.write_tools import ToolTable

    if read and write:
        raise UsageError("--read and --write contradict each other", hint="pass one")
    if not tool.strip():
        raise UsageError("--tool is empty", hint="pass the tool's name, e.g. --tool write_file")
    table = config.table("arg_provenance")
    tools = ToolTable(table["write_tools"], table["read_tools"], table["write_stems"])
    mutating, why = (True, "--write") if write else (False, "--read") if read else \
        tools.classify(tool)
    corpus = Corpus([("task-text", task_text),
                     *((f"prior[{i}]", text) for i, text in enumerate(priors)),
                     *((f"prior-file:{i + 1}", text) for i, text in enumerate(prior_lines))])
    keys = _names([*table["new_keys"], *new_keys])
    return classify(tool, args, corpus, mutating=mutating, mutating_reason=why,
                    new_keys=frozenset(key.casefold() for key in keys))


def arg_provenance_json(verdict: ProvenanceVerdict) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(), "arg-provenance"))


def answer_shape(config: SubstrateConfig, *, text: str, min_chars: int = 1,
                 non_answer: Sequence[str] = (), markers: Sequence[str] = (),
                 budget_ms: int = 100) -> ShapeVerdict:
    """ANSWER_SHAPED, NON_ANSWER or INDETERMINATE; each of the caller's patterns gets
    ``budget_ms`` and is searched case-insensitively, ``^``/``$`` per line."""
    from dos.gates.answer_shape import classify
    from dos.gates.regex_budget import check_patterns, search_all

    del config  # no table yet: the policy is the flags
    check_patterns(non_answer, "--non-answer")
    check_patterns(markers, "--markers")
    found = search_all([*non_answer, *markers], text, budget_ms / 1000) \
        if non_answer or markers else {}
    return classify(ShapeEvidence(text, min_chars, {p: found[p] for p in non_answer},
                                  {p: found[p] for p in markers}))


def answer_shape_json(verdict: ShapeVerdict) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(), "answer-shape"))
