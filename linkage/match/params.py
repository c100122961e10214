"""The matching rules' parameters: every window and switch, with its default and its reason.

The law fixes none of these numbers (DOMAIN.md §2 rule 2, §6 questions 1, 2 and 11): they are
choices the analyst makes and the defence may question, so each has a documented default, can
be set in case.toml's ``[rules]`` table, and is written into manifest.json.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from linkage.errors import ConfigError
from linkage.load.config import CaseConfig

__all__ = ["MatchParams"]


@dataclass(frozen=True)
class MatchParams:
    """Windows and switches of the corroboration rules (all times in hours)."""

    call_transfer_window_h: float = 168.0
    """A call and a transfer corroborate each other when at most this far apart. The script
    has the victim pay minutes to hours after the calls, and later installments over the next
    days; a week covers the installments of one ordeal without joining separate ones."""
    chat_window_h: float = 72.0
    """A chat message corroborates a call or a transfer at most this far away: callers report
    a victim during the calls and again after each payment."""
    refunds_before_seizure: bool = True
    """Deduct only money the group paid back before the seizure (DOMAIN.md §3, 退赔)."""
    discovery_needs_answered_call: bool = True
    """A person not on the victim list is a discovered victim only with an answered group call
    (as well as a transfer); a payer without one is a lead."""
    account_growth_hops: int = 3
    """How many layers of accounts are added to the group's accounts from the returns: an
    account counts when a group account paid it and its own statement was returned."""

    @property
    def call_transfer_window_s(self) -> int:
        return round(self.call_transfer_window_h * 3600)

    @property
    def chat_window_s(self) -> int:
        return round(self.chat_window_h * 3600)

    def sql_parameters(self, config: CaseConfig) -> dict[str, Any]:
        """The values the rules' statements bind (``$name``) for one case: the windows in
        seconds, the refund cutoff (the seizure, or never), and where the case's calendar days
        start (seconds east of UTC of its zone at the seizure).

        >>> from pathlib import Path
        >>> config = CaseConfig(Path("case"), "c", "Asia/Shanghai", seized_at=None, sources=())
        >>> MatchParams().sql_parameters(config)["day_offset_s"]
        28800
        """
        seized = config.seized_at
        moment = seized or dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
        offset = moment.astimezone(ZoneInfo(config.timezone)).utcoffset()
        refunds_until = seized if seized and self.refunds_before_seizure else None
        return {
            "chat_window_s": self.chat_window_s,
            "call_transfer_window_s": self.call_transfer_window_s,
            "needs_answered": self.discovery_needs_answered_call,
            "refund_cutoff_s": int(refunds_until.timestamp()) if refunds_until else 2**62,
            "day_offset_s": int(offset.total_seconds()) if offset is not None else 0,
        }

    def as_dict(self) -> dict[str, Any]:
        """The parameters as written to manifest.json."""
        return dataclasses.asdict(self)

    @classmethod
    def from_toml(cls, table: dict[str, Any]) -> MatchParams:
        """Read case.toml's ``[rules]``; unknown keys are refused (a typo must not be silent).

        >>> MatchParams.from_toml({"chat_window_h": 48}).chat_window_h
        48
        """
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise ConfigError(
                f"case.toml [rules]: unknown keys {unknown}; known keys are {sorted(known)}"
            )
        for key, value in table.items():
            default = getattr(cls(), key)
            if isinstance(default, bool) != isinstance(value, bool) or not isinstance(
                value, int | float
            ):
                raise ConfigError(
                    f"case.toml [rules] {key}: {value!r} is not a {type(default).__name__}"
                )
        return cls(**table)
