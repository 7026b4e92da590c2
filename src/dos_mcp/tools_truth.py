"""Truth tools: did it ship, does a commit's subject match its diff, did a sub-agent end well."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from dos.config import SubstrateConfig
from dos_mcp.params import Answer, Grade, Ref, Workspace
from dos_mcp.session import Session

__all__ = ["TruthTools"]


class TruthTools:
    """``dos verify``, ``dos commit-audit``, ``dos verify-result``, ``dos verify-receipt``
    and ``dos memory`` as tools."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_verify(
        self, *,
        plan: Annotated[str, Field(description="the plan (series), e.g. AUTH")],
        phase: Annotated[str, Field(description="the phase, e.g. AUTH1 (or 1, or 'Phase 1')")],
        ref: Ref = "HEAD",
        min_grade: Annotated[Grade, Field(
            description="SHIPPED only with evidence at least this strong: none < subject "
                        "< artifact < registry-verified")] = "none",
        explain: Annotated[bool, Field(
            description="add an 'interpretation' saying what the verdict means")] = False,
        no_index: Annotated[bool, Field(
            description="scan the whole history instead of the stamp index (same answer, "
                        "slower; for checking the index)")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """Did PHASE of PLAN really ship? Answers from git history, not from what an agent
        said: `shipped`, the commit `sha`, and the evidence `grade`. Same answer as
        `dos verify PLAN PHASE [--no-index] --json`; exit code 0 shipped, 1 not shipped."""
        from dos.api import truth

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            verdict = truth.verify(config, plan=plan, phase=phase, ref=ref, min_grade=min_grade,
                                   use_index=not no_index)
            misses = truth.near_misses(config, verdict, ref=ref) if explain else []
            return (truth.verify_json(verdict, explain=explain, misses=misses),
                    verdict.token.exit_code)
        return self.session.answer(workspace, compute)

    def dos_commit_audit(
        self, *,
        ref: Annotated[str, Field(
            description="a commit (default HEAD) or a range such as main..HEAD")] = "HEAD",
        sweep: Annotated[bool, Field(
            description="answer with the aggregate drift rate over REF instead of one "
                        "object per commit")] = False,
        docs_ok: Annotated[bool, Field(
            description="accept any non-empty diff as witness of a code-effect claim")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """Does each commit subject claim what its own diff shows? ("fix:" needs a source
        file, "test:" a test file, …). Same answer as `dos commit-audit REF [--sweep]
        --json` (a list is returned as {"result": [...]}); exit code 1 when a claim is
        unwitnessed."""
        from dos.api import truth

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            report = truth.commit_audit(config, ref=ref, sweep=sweep, docs_ok=docs_ok)
            return truth.commit_audit_json(report), report.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_verify_result(
        self, *,
        transcript: Annotated[str, Field(
            description="the sub-agent's JSONL transcript; a relative path resolves against "
                        "the workspace, and it must lie inside it")],
        workspace: Workspace = None,
    ) -> Answer:
        """Did a sub-agent's transcript end in a real answer (HEALTHY), a harness-made
        error or nothing (dead), or is it unreadable? Same answer as
        `dos verify-result --transcript PATH --json`; exit code 0 healthy, 3 dead,
        4 unreadable."""
        from dos.api import truth

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            path = self.session.confinement.file(transcript, base=config.root,
                                                 what="transcript")
            verdict = truth.verify_result(path)
            return truth.verify_result_json(verdict), verdict.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_verify_receipt(
        self, *,
        receipt: Annotated[str, Field(
            description="the receipt, DSSE envelope or `dos attest --json` line, as a file; a "
                        "relative path resolves against the workspace, and it must lie "
                        "inside it")],
        key_files: Annotated[list[str] | None, Field(
            description="key files inside the workspace: a shared HMAC secret or a PEM "
                        "Ed25519 public key each; the receipt's key id picks one (default: "
                        "the server's $DOS_ATTEST_KEY)")] = None,
        require_verdict: Annotated[Literal["CONFIRMED", "REFUTED", "UNWITNESSED"] | None,
                                   Field(description="exit code 1 unless the valid receipt "
                                                     "carries this verdict")] = None,
        workspace: Workspace = None,
    ) -> Answer:
        """Is a signed receipt authentic? Checks its exact fields, the key it names (whose
        kind, not the receipt, decides the algorithm), its signature over the RFC 8785
        canonical payload, and that its verdict follows from its witness. Same answer as
        `dos verify-receipt --receipt PATH [--key-file K …] --json`; exit code 0 valid,
        1 invalid (or another verdict than require_verdict)."""
        from dos.api import attest
        from dos.truth.receipts.keyfiles import read_regular_file
        from dos.truth.receipts.verify import MAX_RECEIPT_BYTES

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            confine = self.session.confinement
            path = confine.file(receipt, base=config.root, what="receipt",
                                limit=MAX_RECEIPT_BYTES)
            keys = [str(confine.file(named, base=config.root, what="key file"))
                    for named in key_files or ()]
            verifiers = attest.verifying_keys(keys)
            data = read_regular_file(path, limit=MAX_RECEIPT_BYTES, what="receipt")
            report = attest.verify_receipt(data, verifiers, require_verdict=require_verdict)
            return attest.verify_receipt_json(report), report.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_memory(
        self, *,
        action: Annotated[Literal["recall", "verify"], Field(
            description="recall one note by name, or verify every note of the store")],
        note: Annotated[str | None, Field(
            description="for recall: the note's file name or front-matter name (never a "
                        "path)")] = None,
        explain: Annotated[bool, Field(
            description="for recall: add an 'interpretation' of the verdict")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """Does an agent's memory note still match the code? Each file, commit and code
        token the note cites is re-checked against the working tree and git, in the
        host's memory directory for the workspace (read-only). Same answer as `dos memory
        recall NOTE --json` / `dos memory verify --json` (a list is returned as
        {"result": [...]}); exit code 3 when a note (any note, for verify) is STALE.
        Never routes: handing STALE notes to the decisions queue writes to the store,
        so it is the CLI's `dos memory verify --route`, not a tool."""
        from dos.api import memory
        from dos.errors import UsageError

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            if action == "verify":
                sweep = memory.verify(config)
                return memory.sweep_json(sweep), sweep.exit_code
            if not note:
                raise UsageError("recall needs a note", hint="pass note: the name of the note "
                                                             "to recall")
            verdict = memory.recall(config, note)
            return memory.recall_json(verdict, explain=explain), verdict.token.exit_code
        return self.session.answer(workspace, compute)
