"""The record: what the referee decided, kept, read back, exported.

Here live the ops journal's reading and compaction (``journal_admin``) and its export;
the verdict journal — written by ``verdict_journal.journal`` from every surface, read by
``verdict_journal.read_events``, checked by ``verdict_verify`` — and its way out:
``exporters`` (file, StatsD, OTLP) fed by ``export_drain`` from a stored cursor, and
``notifiers`` (webhook, Slack) fed by ``notify_fold`` (decisions) and the top frame.
The record reads the store and admission's lease values; the domains never import it.
"""
