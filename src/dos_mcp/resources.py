"""Resources: the server workspace's configuration, live leases and reason vocabulary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver.exceptions import ResourceError
from mcp.server.mcpserver.resources import FunctionResource, Resource

from dos.config import SubstrateConfig
from dos.errors import DosError
from dos.render import dumps
from dos_mcp.session import Session

__all__ = ["build_resources"]


def _configuration(config: SubstrateConfig) -> dict[str, Any]:
    from dos.api.doctor import configuration

    return {**configuration(config), "reasons": _reasons(config)}


def _live(config: SubstrateConfig) -> Any:
    from dos.api import admission

    return admission.live_json(admission.live(config))


def _reasons(config: SubstrateConfig) -> Any:
    from dos.api import vocabulary

    return vocabulary.reasons_json(vocabulary.reasons(config))


_RESOURCES: dict[str, tuple[str, str, Callable[[SubstrateConfig], Any]]] = {
    "dos://config": ("workspace-config", "The server workspace's configuration: lanes and "
                     "their trees, paths, stamp grammar, store, reason vocabulary",
                     _configuration),
    "dos://leases": ("live-leases", "The leases live now (as `dos lease-lane live --json`)",
                     _live),
    "dos://reasons": ("refusal-reasons", "The refusal vocabulary (as `dos man wedge --json`)",
                      _reasons),
}


def _reader(session: Session, read: Callable[[SubstrateConfig], Any]) -> Callable[[], str]:
    def content() -> str:
        try:
            return dumps(session.call(read))
        except DosError as error:
            raise ResourceError(error.render()) from None
    return content


def build_resources(session: Session) -> list[Resource]:
    """The resources of the server's own workspace (JSON, one line, keys sorted)."""
    return [FunctionResource(uri=uri, name=name, description=description,
                             mime_type="application/json", fn=_reader(session, read))
            for uri, (name, description, read) in _RESOURCES.items()]
