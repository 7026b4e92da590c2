"""The HTML pages of ``dos serve``, and the hooks a browser test drives.

Every page is one document: ``<body data-page=NAME data-live=STATE>``, a ``<nav id="nav">``
of ``a[data-nav=top|decisions|plan|observe]``, ``#operator[data-operator]`` and the view
in ``<main id="view">``. ``/static/app.js`` listens on ``/events`` and, when the store
changes, fetches the same URL with ``X-Dos-Fragment: 1`` and swaps ``#view``'s content;
then it sets ``body[data-seq="OPS.VERDICTS"]`` (the journal heads it has shown) and
counts ``body[data-refreshes]``. ``data-live`` is ``connecting``, ``live`` or ``down``.
A refresh waits while a field inside ``#view`` has focus.

==================  ===========================================================
page (path)         stable hooks
==================  ===========================================================
top (``/``)         ``#top[data-initialized]``, ``#totals[data-lanes]``,
                    ``#lanes tr[data-lane][data-chip][data-holder]``,
                    ``#verdicts tr[data-seq][data-syscall]``, ``#activity tr[data-sha]``
decisions           ``#queue[data-all][data-pending]``, ``a#show-all``,
(``/decisions``,    ``#decisions tr[data-decision=HANDLE][data-number][data-kind]
``?all=1``)         [data-resolver]`` with ``a[data-drill=HANDLE]`` and
                    ``form[data-resolve=HANDLE]`` (``input[name=note]``,
                    ``button[name=decision][value=approve|dismiss]``, hidden ``csrf``);
                    ``#history tr[data-history=HANDLE][data-owner][data-outcome]``
decision            ``#decision[data-decision=HANDLE]``, ``dd[data-field=NAME]`` for each
(``/decisions/N``)  field of ``dos decisions show N --json``, ``#evidence li``, the
                    same ``form[data-resolve]``
resolved (the POST  ``#resolution[data-decision][data-outcome][data-owner][data-seq]``,
answer)             ``code#command`` when an approval proposes one
plan (``/plan``)    ``#plan[data-source]``, ``#summary``,
                    ``#phases tr[data-phase="PLAN/PHASE"][data-divergent]``
observe             ``#observe[data-total]``, ``#chain[data-ok]``,
(``/observe``)      ``#rollup tr[data-value]``, ``#events tr[data-seq]``
login (``/login``)  ``form#login`` with ``input[name=token]``, ``input[name=operator]``;
                    ``#login-error`` after a refused attempt; ``form#logout`` once in
error               ``#error[data-status]`` with the message and its fix
==================  ===========================================================

An empty table is ``p#<table id>[data-empty=true]`` instead. Query parameters are the
API's (``/decisions?all=1&since=1h``, ``/observe?by=source&tail=50``,
``/plan?pairs=AUTH,AUTH1``).
"""

from __future__ import annotations

from dos.web.html import esc
from dos.web.views_decisions import decision_body, decisions_body, resolved_body
from dos.web.views_fleet import observe_body, plan_body, top_body

__all__ = ["decision_body", "decisions_body", "error_body", "login_body", "observe_body",
           "plan_body", "resolved_body", "top_body"]


def login_body(*, refused: bool = False, operator: str = "") -> str:
    problem = ('<p id="login-error" class="error">the token was not accepted, or the '
               "operator name is empty</p>" if refused else "")
    return (f'<section id="login-page">{problem}<form id="login" method="post" '
            'action="/login"><label>operator (journaled as who decides) <input '
            f'type="text" name="operator" maxlength="200" required value="{esc(operator)}" '
            'autocomplete="username"></label><label>token <input type="password" '
            'name="token" required autocomplete="current-password"></label>'
            '<button type="submit">log in</button></form></section>')


def error_body(status: int, message: str, hint: str = "") -> str:
    fix = f'<p class="hint">fix: {esc(hint)}</p>' if hint else ""
    return (f'<section id="error" data-status="{status}"><p class="error">{esc(message)}</p>'
            f'{fix}<p><a href="/">back to top</a></p></section>')
