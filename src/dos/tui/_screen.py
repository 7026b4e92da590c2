"""What the three screens share: the desk's data, reloading when shown, a detail panel."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from dos.errors import DosError
from dos.tui.data import DeskData

__all__ = ["DeskScreen"]


class DeskScreen(Screen[None]):
    """A screen of the desk: subclasses fill themselves in :meth:`redraw` and describe a
    row in :meth:`detail_for`; ``enter`` on a row opens that description, ``escape``
    closes it, and it is redrawn from fresh data on every reload."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close_detail", "close"),
    ]
    DEFAULT_CSS = """
    DeskScreen DataTable { height: 1fr; }
    DeskScreen #detail { height: auto; max-height: 12; border: round $accent; padding: 0 1; }
    DeskScreen .note { height: auto; padding: 0 1; }
    DeskScreen .muted { color: $text-muted; max-height: 7; }
    """

    def __init__(self, desk: DeskData) -> None:
        super().__init__()
        self.desk = desk
        self._open_key: str | None = None

    def redraw(self) -> None:
        """Read the data again and fill the screen."""
        raise NotImplementedError

    def reload(self) -> None:
        """:meth:`redraw`; when the store or git cannot answer, say so and keep the frame."""
        try:
            self.redraw()
        except DosError as error:
            self.notify(error.render(), title="could not refresh", severity="error")

    def detail_for(self, key: str) -> Text | None:
        """The drill-in text for the row ``key``; ``None`` when that row is gone."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.query_one("#detail", Static).display = False

    def on_screen_resume(self) -> None:
        self.reload()

    def stamp(self, verb: str, now: str) -> None:
        """Title the screen with the verb, the workspace and the time the frame was read."""
        self.title = f"dos {verb} · {self.desk.workspace_name}"
        self.sub_title = now

    def draw_detail(self) -> None:
        panel = self.query_one("#detail", Static)
        text = self.detail_for(self._open_key) if self._open_key is not None else None
        if text is None:
            self._open_key = None
        else:
            panel.update(text)
        panel.display = text is not None
        self.refresh_bindings()

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        # ``escape`` is offered only while a detail panel is open
        return self._open_key is not None if action == "close_detail" else True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open_key = str(event.row_key.value)
        self.draw_detail()

    def action_close_detail(self) -> None:
        self._open_key = None
        self.draw_detail()
