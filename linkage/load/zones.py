"""Which time zone each source was read in, and where a case's zones do not add up.

Every wall-clock time is read in its source's zone: the one case.toml states for the source,
else the case's. A wrong zone shifts every call of a den by hours and can move a transfer out
of its call's window, so the zone used is recorded per source in the manifest, and what looks
wrong is said:

- a den's sources state different zones (a dial list in Nairobi time, a ledger in Jakarta's);
- a source names no zone while another source of its den states one: it was read in the case
  zone, which is almost never the zone of a device abroad;
- a seized source names no zone at all: read in the case zone, which the analyst should
  confirm from the device.

Formats that stamp absolute times (Unix epochs: Skype, WeChat and Android databases) need no
zone and are left out. The daylight-saving rule is fixed and stated (:data:`DST_RULE`), never
chosen per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from linkage.load.config import CaseConfig
from linkage.load.formats import FORMATS

__all__ = ["DST_RULE", "ZoneUse", "zone_uses", "zone_warnings"]

DST_RULE = (
    "a wall-clock time in an hour that a daylight-saving change repeats is read as the first of "
    "its two readings; one in an hour the change skips is read with the offset in force before "
    "the change"
)
"""How ``normalize/time.py`` reads local times a daylight-saving change makes ambiguous."""


@dataclass(frozen=True)
class ZoneUse:
    """The zone one source's wall-clock times were read in."""

    path: str
    zone: str | None
    """None when the format stamps absolute times."""
    stated: bool
    """Whether case.toml states it for the source (else it is the case's zone)."""


def zone_uses(config: CaseConfig, formats: Sequence[str]) -> list[ZoneUse]:
    """The zone each source of ``config`` was read in, given the format each was read as."""
    uses = []
    for spec, name in zip(config.sources, formats, strict=True):
        fmt = FORMATS.get(name)
        if fmt is not None and not fmt.zoned:
            uses.append(ZoneUse(spec.path, None, False))
        else:
            uses.append(ZoneUse(spec.path, spec.timezone or config.timezone, bool(spec.timezone)))
    return uses


def zone_warnings(config: CaseConfig, formats: Sequence[str]) -> tuple[str, ...]:
    """What looks wrong in the zones the sources were read in (see the module's list)."""
    uses = zone_uses(config, formats)
    by_den: dict[str, list[ZoneUse]] = defaultdict(list)
    for use, spec in zip(uses, config.sources, strict=True):
        if use.zone is not None and spec.den:
            by_den[spec.den].append(use)
    warnings = []
    for den, members in sorted(by_den.items()):
        stated = sorted({use.zone for use in members if use.stated and use.zone})
        if len(stated) > 1:
            shown = ", ".join(stated)
            warnings.append(f"den {den}: its sources state different time zones ({shown})")
        warnings += [
            f"{use.path}: names no time zone, so it was read in the case zone "
            f"{config.timezone}, while other sources of den {den} state {', '.join(stated)}; "
            "state its zone in case.toml"
            for use in members
            if not use.stated and stated
        ]
    for use, spec in zip(uses, config.sources, strict=True):
        lone = not any(u.stated for u in by_den.get(spec.den or "", []))
        if use.zone is not None and not use.stated and spec.origin == "seized" and lone:
            warnings.append(
                f"{use.path}: a seized source that names no time zone, read in the case zone "
                f"{config.timezone}; confirm the zone its device kept and state it in case.toml"
            )
    return tuple(warnings)
