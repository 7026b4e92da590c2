"""The verdict of ``dos cooldown``: was this tried too recently to try again?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["CooldownToken"]


class CooldownToken(VerdictToken):
    CLEAR = ("CLEAR", 0)
    RECENTLY_ATTEMPTED = ("RECENTLY_ATTEMPTED", 3)
