"""A lane named on the command line must be one the workspace declares: a typo is a usage
error naming the declared lanes, never a refusal that reads as "someone holds it"."""

from __future__ import annotations

from dos.config import SubstrateConfig
from dos.errors import UsageError

__all__ = ["declared_lane"]


def declared_lane(config: SubstrateConfig, name: str, *, flag: str = "--lane") -> str:
    """The declared lane ``name`` means (any case, or an alias); UsageError otherwise."""
    lane = config.lanes.resolve(name)
    if lane is not None:
        return lane
    import difflib  # only for a typo: it costs start-up time

    declared = sorted(config.lanes.declared())
    spellings = [*declared, *config.lanes.aliases]
    close = difflib.get_close_matches(name.strip(), spellings, n=1)
    guess = f"did you mean '{close[0]}'? " if close else ""
    where = str(config.source) if config.source else "this workspace (no dos.toml)"
    raise UsageError(
        f"{flag} {name.strip()!r} is not a lane declared in {where}",
        hint=f"{guess}declared lanes: {', '.join(declared) or '(none)'}; or declare it "
             "in [lanes] of dos.toml")
