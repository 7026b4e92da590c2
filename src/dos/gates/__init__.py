"""Loop gates: small, sharp verdicts for loops that rewrite their own code, call tools
with arguments taken from earlier output, or launch a host headless.

witness           test-witness: red on the baseline, green on the candidate
improve, reward   keep-gates over measured facts (the rung says who authored each)
exec_capability   does a command line run arbitrary code? (a real shell parse)
hook_exit         a plain hook script's exit status as an intervention
provenance        were a write-like tool call's id arguments ever shown to the agent?
answer_shape      empty, stub or leaked process text instead of an answer
guard_plan        the argv that launches a host headless with dos wired in
guard_hosts       each host's own form of it: Claude flags, Codex -c, Gemini settings
guard_files       the one file guard writes: Gemini's settings, private, at launch
runner            runs a witness command (argument list, time limit) through dos.processes
regex_budget      the caller's regexes, each under a time budget in a worker process
"""
