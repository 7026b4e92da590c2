"""``python -m dos``: the same as the ``dos`` command."""

from __future__ import annotations

import sys

from dos.cli import main

sys.exit(main())
