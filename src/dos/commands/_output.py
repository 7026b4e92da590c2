"""How the verbs print an answer: ``render.emit``, or indented JSON for ``--pretty``."""

from __future__ import annotations

from collections.abc import Callable

from dos.render import answered, emit

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PRETTY_HELP", "answer"]

PRETTY_HELP = "print the JSON answer indented (implies --json)"


def answer(payload: Any, *, output: str, text: Callable[[bool], str],
           pretty: bool = False) -> None:
    """Print ``payload`` in the chosen form; ``pretty`` prints it as indented JSON."""
    if pretty:
        import json

        print(json.dumps(payload, sort_keys=True, ensure_ascii=True, indent=2, default=str))
        answered(payload)
        return
    emit(payload, output=output, text=text)
