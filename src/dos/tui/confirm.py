"""The dialog that stands between a key press and a resolved decision."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from dos.structs import struct

__all__ = ["Confirmed", "ResolveDialog"]


@struct
class Confirmed:
    """The operator said yes, with this note."""

    note: str


class ResolveDialog(ModalScreen[Confirmed | None]):
    """``Approve #3 (LEASE_REFUSE on src)?``, what that does, and an optional note;
    ``enter`` confirms, ``escape`` cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]
    DEFAULT_CSS = """
    ResolveDialog { align: center middle; }
    ResolveDialog > Vertical {
        width: 70; height: auto; border: thick $accent; padding: 1 2; background: $surface;
    }
    ResolveDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ResolveDialog Button { margin-left: 2; }
    ResolveDialog .muted { color: $text-muted; margin-bottom: 1; }
    """

    def __init__(self, question: str, *, verb: str, consequence: str) -> None:
        super().__init__()
        self._question = question
        self._verb = verb
        self._consequence = consequence

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._question, id="question", markup=False)
            yield Label(self._consequence, id="consequence", markup=False, classes="muted")
            yield Input(placeholder="note (optional)", id="note", max_length=500)
            with Horizontal():
                yield Button(self._verb, variant="primary", id="confirm")
                yield Button("cancel", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(Confirmed(event.value.strip()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self.dismiss(Confirmed(self.query_one("#note", Input).value.strip()))
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
