"""The desk app: top, decisions and plan as three modes, one set of keys, one timer."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from dos.errors import EXIT_INTERRUPTED
from dos.tui._screen import DeskScreen
from dos.tui.data import DeskData
from dos.tui.screen_decisions import DecisionsScreen
from dos.tui.screen_plan import PlanScreen
from dos.tui.screen_top import TopScreen

__all__ = ["DeskApp"]

_SCREENS: dict[str, type[DeskScreen]] = {
    "top": TopScreen, "decisions": DecisionsScreen, "plan": PlanScreen}
_ORDER = tuple(_SCREENS)


class DeskApp(App[None]):
    """``dos top`` / ``dos decisions`` / ``dos plan`` on a terminal."""

    TITLE = "dos"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "show('top')", "top"),
        Binding("d", "show('decisions')", "decisions"),
        Binding("p", "show('plan')", "plan"),
        Binding("tab", "next_screen", "next screen", show=False, priority=True),
        Binding("r", "reload", "refresh"),
        Binding("q", "quit", "quit"),
        Binding("ctrl+c", "interrupt", show=False, priority=True),
    ]

    def __init__(self, desk: DeskData, *, screen: str = "top", interval: float = 5.0) -> None:
        super().__init__()
        self.desk = desk
        self._first = screen if screen in _SCREENS else "top"
        self._interval = interval
        for name, screen_class in _SCREENS.items():
            self.add_mode(name, partial(screen_class, desk))

    def on_mount(self) -> None:
        self.switch_mode(self._first)
        if self._interval > 0:
            self.set_interval(self._interval, self.action_reload)

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        # A dialog keeps the keys: no switching or redrawing underneath it.
        if action in ("show", "next_screen", "reload"):
            return not isinstance(self.screen, ModalScreen)
        return True

    def action_show(self, mode: str) -> None:
        if mode != self.current_mode:
            self.switch_mode(mode)

    def action_next_screen(self) -> None:
        following = (_ORDER.index(self.current_mode) + 1) % len(_ORDER)
        self.switch_mode(_ORDER[following])

    def action_interrupt(self) -> None:
        """Ctrl-C leaves as it leaves every verb: exit 130."""
        self.exit(return_code=EXIT_INTERRUPTED)

    def action_reload(self) -> None:
        if isinstance(self.screen, DeskScreen):
            self.screen.reload()
