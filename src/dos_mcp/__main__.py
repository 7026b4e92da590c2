"""``python -m dos_mcp``: the same as ``dos-mcp``."""

from __future__ import annotations

from dos_mcp import main

raise SystemExit(main())
