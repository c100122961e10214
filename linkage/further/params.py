"""The one choice a request makes that a case team may want otherwise: how many days around
the evidence to ask for."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from linkage.errors import ConfigError

__all__ = ["RequestParams"]


@dataclass(frozen=True)
class RequestParams:
    """Parameters of the requests for further evidence (case.toml ``[requests]``)."""

    padding_days: int = 7
    """Days added before the first and after the last day the evidence points at. A bank
    books a transfer on the next working day, and a victim may be called days before the
    first payment: a week either side keeps both inside the answer."""

    def as_dict(self) -> dict[str, Any]:
        """The parameters as written to manifest.json."""
        return dataclasses.asdict(self)

    @classmethod
    def from_toml(cls, table: dict[str, Any]) -> RequestParams:
        """Read case.toml's ``[requests]``; unknown keys and wrong values are refused.

        >>> RequestParams.from_toml({"padding_days": 3}).padding_days
        3
        """
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ConfigError(
                f"case.toml [requests]: unknown keys {unknown}; known keys are {sorted(known)}"
            )
        days = table.get("padding_days", cls.padding_days)
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ConfigError(
                f"case.toml [requests] padding_days: {days!r} is not a whole number of days "
                "(0 or more)"
            )
        return cls(padding_days=days)
