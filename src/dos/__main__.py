"""``python -m dos``: the same as the ``dos`` command."""

from __future__ import annotations

from dos.code_bundle import install

install()  # dos's own modules from one file (dos/code_bundle.py)

from dos.cli import main  # noqa: E402
from dos.process_end import end_process  # noqa: E402

end_process(main())
