"""The judge seam: a broken judge abstains, an unknown one is a usage error."""

from __future__ import annotations

from typing import Any

import pytest

from dos.errors import PluginError
from dos.judges import Claim, JudgeVerdict, Stance, known_judges, open_judge, safe_judge


class _Raising:
    name = "raising"

    def judge(self, claim: Claim, config: Any) -> JudgeVerdict:  # noqa: ARG002
        raise RuntimeError("model down")


class _Wrong:
    name = "wrong"

    def judge(self, claim: Claim, config: Any) -> Any:  # noqa: ARG002
        return "AGREE"


class _Costly:
    name = "costly"

    def __init__(self, cost: float) -> None:
        self.cost = cost

    def judge(self, claim: Claim, config: Any) -> JudgeVerdict:  # noqa: ARG002
        return JudgeVerdict(Stance.AGREE, "looks right", cost=self.cost)


CLAIM = Claim("tests pass", evidence=("tests pass",))


@pytest.mark.parametrize("judge", [_Raising(), _Wrong(), _Costly(float("nan")),
                                   _Costly(float("inf")), _Costly(-1.0)])
def test_a_broken_judge_abstains(judge: Any) -> None:
    assert safe_judge(judge, CLAIM).stance is Stance.ABSTAIN


def test_a_sound_judge_is_heard() -> None:
    assert safe_judge(_Costly(2.0), CLAIM) == JudgeVerdict(Stance.AGREE, "looks right",
                                                          cost=2.0)


def test_the_builtin_abstains_and_unknown_names_list_the_known() -> None:
    assert safe_judge(open_judge("abstain"), CLAIM).stance is Stance.ABSTAIN
    assert "abstain" in known_judges()
    with pytest.raises(PluginError, match=r"unknown judge 'nope'; known: .*abstain"):
        open_judge("nope")
