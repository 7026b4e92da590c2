"""Temporal: is it moving? Verdicts over time, from commits, journal events and the clock.

Here live liveness, the evidence gatherers behind it, the supervisor's planning,
productivity, efficiency, the breaker, cooldown and the status digest. Time is an
input (``now_ms``) to every verdict. Temporal may use admission (a run's lease says
where it may commit) and the edges; nothing in admission or truth imports it.
"""
