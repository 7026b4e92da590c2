"""Agent-host hooks: ``dos hook {pretool,posttool,stop}`` for Claude Code, Codex,
Cursor and Gemini, and the installers that wire them into each host's config.

Import-light on purpose: every hook call is a new process, so each module here
imports only what its own moment needs.
"""

from __future__ import annotations

__all__: list[str] = []
