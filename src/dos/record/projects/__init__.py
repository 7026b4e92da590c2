"""The cross-project registry: every workspace a write verb touched, by a stable id.

``card``      the id file, ``.dos/project.json`` (random, written once)
``identity``  moved or copied? the pure rule
``history``   refusals, no-pick runs and decisions read from a project's own store
``register``  one registration: place the card, read the new history
``upkeep``    ``dos reindex``: re-check every project, read its history, prune
``home``      where the registry lives (DOS_HOME, platformdirs, or the shared store)
``hook``      the CLI's registration after a verb wrote its workspace's store

Imported on every verb's start-up (``hook``): nothing heavy at import time.
"""
