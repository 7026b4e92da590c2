"""Store URLs as the user sees them: which backend, passwords hidden, workspace ids.

Free of any database driver, so ``dos doctor`` can describe a store it cannot open.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

__all__ = ["derive_workspace_id", "is_postgres_url", "redact_url", "scrub"]


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***``."""
    url = re.sub(r"(://[^/?#@:]*):[^/?#@]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)


def scrub(text: str, url: str) -> str:
    """``text`` (a driver's message) with ``url`` and its password hidden."""
    text = text.replace(url, redact_url(url))
    found = re.search(r"://[^/?#@:]*:([^/?#@]+)@", url) or \
        re.search(r"(?i)password=([^&\s]+)", url)
    return text.replace(found.group(1), "***") if found else text


def derive_workspace_id(root: Path | str) -> str:
    """A stable id for a workspace without ``[store] workspace_id``: a hash of its
    resolved root, the same on every run from that checkout (not across machines)."""
    digest = hashlib.sha256(str(Path(root).resolve()).encode("utf-8")).hexdigest()
    return f"ws-{digest[:16]}"
