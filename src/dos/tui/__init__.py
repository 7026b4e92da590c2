"""The operator's desk: ``dos top``, ``dos decisions`` and ``dos plan`` as one Textual app.

A surface, beside the verbs: it reads through :mod:`dos.api` (the same functions the
``--json`` output and the MCP tools call) and never opens the store, runs git or decides
anything itself; only :func:`dos.api.decisions.resolve` writes, after a confirmation.

launch     wants_app / run_app: whether a verb opens the app; imports no Textual
data       DeskData: calls the api, carries the incremental cursors and the clock
app        DeskApp: the three screens as modes, the keys, the refresh timer
screen_*   one module per screen (top, decisions, plan); confirm: the resolve dialog

Only this package imports Textual (the ``[tui]`` extra); nothing below the verbs
imports this package (import-linter contracts in pyproject.toml).
"""
