"""The record: what the referee decided, kept, read back, exported.

Here live the ops journal's reading and compaction (``journal_admin``) and its export.
The record reads the store and admission's lease values; the domains never import it.
"""
