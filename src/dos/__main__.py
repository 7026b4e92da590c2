"""``python -m dos``: the same as the ``dos`` command."""

from __future__ import annotations

from dos.cli import main
from dos.process_end import end_process

end_process(main())
