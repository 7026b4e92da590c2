"""The reason vocabulary: base reasons, lookups, morphology, extension from dos.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from dos.admission.reasons import BASE_REASONS, ReasonRegistry, registry
from dos.config import load_workspace_config
from dos.errors import ConfigError
from dos.settings.reasons import KNOWN_CATEGORIES, MorphologyRule, ReasonSpec

REFERENCE_BASE = [
    ("LANE_DRAINED", "TRUE_DRAIN"),
    ("LANE_BLOCKED_ON_SOAK_GATED_PHASES", "OPERATOR_GATE"),
    ("LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP", "OPERATOR_GATE"),
    ("LANE_ALL_INFLIGHT_OR_DEFERRED", "STALE_CLAIM"),
    ("LANE_ALL_SHIPPED_INFLIGHT_OR_STALE_STAMP", "STALE_CLAIM"),
    ("LANE_ALL_BLOCKED_OR_STALE_STAMP", "OPERATOR_GATE"),
    ("LANE_BLOCKED_ON_OPERATOR_DECISION", "OPERATOR_GATE"),
    ("SELF_MODIFY", "MISROUTE"),
    ("SCHEMA_UNREADABLE", "MISROUTE"),
    ("UNKNOWN_LANE", "MISROUTE"),
]


def test_the_reference_reasons_come_first_in_order() -> None:
    assert [(s.token, s.category) for s in BASE_REASONS[:10]] == REFERENCE_BASE


def test_every_base_reason_is_a_documented_refusal() -> None:
    for spec in BASE_REASONS:
        assert spec.refusal
        assert all((spec.summary, spec.fix, spec.see_also)), spec.token
        assert spec.category in KNOWN_CATEGORIES


def test_store_unreadable_is_an_operator_gate() -> None:
    assert ReasonRegistry(BASE_REASONS).category_for("STORE_UNREADABLE") == "OPERATOR_GATE"


def test_lookups_ignore_case_and_whitespace() -> None:
    reasons = ReasonRegistry(BASE_REASONS)
    assert reasons.is_known("  self_modify ")
    spec = reasons.get("Unknown_Lane")
    assert spec is not None
    assert spec.token == "UNKNOWN_LANE"  # noqa: S105 - a reason token, not a secret
    assert "self_modify" in reasons
    assert reasons.category_for("tree_overlap") == "OPERATOR_GATE"


def test_unknown_tokens_are_unclassified_refusals() -> None:
    reasons = ReasonRegistry(BASE_REASONS)
    assert not reasons.is_known("NOPE")
    assert reasons.get("NOPE") is None
    assert reasons.category_for("NOPE") == "UNCLASSIFIED"
    assert reasons.is_refusal("NOPE") is True


def test_morphology_classifies_unknown_text_only() -> None:
    reasons = ReasonRegistry(BASE_REASONS, [MorphologyRule("parked", "OPERATOR_GATE")])
    assert reasons.category_for("lane is PARKED for budget") == "OPERATOR_GATE"
    assert reasons.category_for("SELF_MODIFY") == "MISROUTE"


def test_extend_returns_a_new_registry() -> None:
    base = ReasonRegistry(BASE_REASONS)
    advisory = ReasonSpec("note_only", "UNCLASSIFIED", refusal=False)
    extended = base.extend([advisory])
    assert not base.is_known("NOTE_ONLY")
    assert extended.is_known("note_only")
    assert extended.is_refusal("NOTE_ONLY") is False
    assert extended.tokens()[: len(base)] == base.tokens()
    assert "NOTE_ONLY" not in extended.refusal_tokens()
    assert extended.category_map()["NOTE_ONLY"] == "UNCLASSIFIED"
    with pytest.raises(AttributeError):
        base.extra = 1  # type: ignore[attr-defined]


def test_duplicates_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate reason token 'SELF_MODIFY'"):
        ReasonRegistry(BASE_REASONS).extend([ReasonSpec("self_modify", "MISROUTE")])


def _workspace(tmp_path: Path, text: str) -> Path:
    (tmp_path / "dos.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_dos_toml_reasons_and_morphology_are_both_kept(tmp_path: Path) -> None:
    config = load_workspace_config(_workspace(tmp_path, """
[reasons.lane_parked_for_budget]
category = "OPERATOR_GATE"
summary = "parked until the budget resets"
[reasons.heads_up]
category = "UNCLASSIFIED"
refusal = false
[[reasons.morphology]]
substring = "quota"
category = "OPERATOR_GATE"
"""))
    reasons = registry(config)
    assert reasons.tokens()[-2:] == ("LANE_PARKED_FOR_BUDGET", "HEADS_UP")
    assert reasons.is_refusal("heads_up") is False
    assert reasons.category_for("quota exceeded") == "OPERATOR_GATE"
    assert len(reasons) == len(BASE_REASONS) + 2


def test_redeclaring_a_base_reason_is_a_config_error(tmp_path: Path) -> None:
    config = load_workspace_config(_workspace(tmp_path, """
[reasons.SELF_MODIFY]
category = "MISROUTE"
"""))
    with pytest.raises(ConfigError, match="SELF_MODIFY") as caught:
        registry(config)
    assert caught.value.exit_code == 2
    assert "dos.toml" in caught.value.message
