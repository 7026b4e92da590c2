"""Agent memory, re-checked: a note's claims against the working tree and git.

``note`` reads a note, ``claims`` finds what it asserts, ``judge`` decides each claim
from gathered facts, ``ladder`` the note's verdict, ``store_path`` where the host keeps
the notes. All pure; the gathering lives in :mod:`dos.api.memory_facts`.
"""
