"""Truth: did it really happen? Answers from git history, never from an agent's narration.

Here live the oracle (``verify``), the stamp grammar, the evidence ladder
(``ship_*``), commit-audit, coverage, verify-result and the plan board. The verdict
modules are pure; ``ship_evidence`` gathers facts through ``dos.git``. Truth may import
the seam (``dos.config``, ``dos.settings``), ``dos.verdicts`` and ``dos.git``; it never
imports admission, temporal or any surface.
"""
