"""One JSON POST to a judge's endpoint (httpx, the ``notify`` extra, imported when used):
the answer is read up to a bound and decoded, and every failure becomes an abstention."""

from __future__ import annotations

import json
from typing import Any

from dos._version import __version__
from dos.judges.base import Claim, JudgeVerdict, Stance

__all__ = ["post_claim"]


def post_claim(url: str, claim: Claim, prompt: str, *, timeout_s: float,
               max_output: int) -> Any:
    """The endpoint's decoded JSON answer, or an ABSTAIN verdict saying why there is none."""
    try:
        import httpx
    except ImportError:
        return JudgeVerdict(Stance.ABSTAIN, "the llm endpoint needs httpx: "
                            "pip install 'dispatch-os[notify]'")
    body = {"claim": claim.claim_text, "stated_reason": claim.stated_reason,
            "subject": claim.subject, "evidence": list(claim.evidence), "prompt": prompt}
    headers = {"User-Agent": f"dos-judge/{__version__}"}
    try:
        with httpx.stream("POST", url, json=body, headers=headers, timeout=timeout_s,
                          follow_redirects=False) as response:
            if not 200 <= response.status_code < 300:
                return JudgeVerdict(Stance.ABSTAIN, f"the endpoint answered HTTP "
                                    f"{response.status_code}")
            data = b""
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > max_output:
                    return JudgeVerdict(Stance.ABSTAIN, f"the endpoint's answer is over "
                                        f"{max_output} bytes")
    except httpx.HTTPError as error:
        return JudgeVerdict(Stance.ABSTAIN, f"the endpoint failed: {type(error).__name__}")
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError:
        return JudgeVerdict(Stance.ABSTAIN, "the endpoint's answer is not JSON")
