"""The attribution rules' parameters: every threshold and choice, its default and its source.

Amounts compare as integer fen with ``>=``; days are calendar days in the den's zone, both ends
inclusive. Each value can be set in case.toml's ``[attribution]`` table and is written into
manifest.json, because each is a choice a court may be asked to review (DOMAIN.md §3, §5b, §6).

Sources: 最高人民法院、最高人民检察院《关于办理诈骗刑事案件具体应用法律若干问题的解释》(2011)
art. 1 (amount bands); 两高一部《关于办理电信网络诈骗等刑事案件适用法律若干问题的意见》(2016)
§2(1)-(4) (3,000 / 30,000 / 500,000 yuan nationally; 500 calls or 5,000 messages as 其他严重
情节 when the amount cannot be proven, ten times that as 特别严重; participation-period rule for
members of a group); 《意见(二)》(2021) §3 (30 days abroad in a year); 检例第67号 (ringleaders
answer for the group's whole amount; the "first-liner in two dens" argument, a suggestion only).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from linkage.errors import ConfigError

__all__ = ["AttributionParams"]

PERIOD_STARTS = ("entry", "first_act")
PERIOD_ENDS = ("exit", "last_act")


@dataclass(frozen=True)
class AttributionParams:
    """Thresholds and choices of per-defendant attribution."""

    period_start: str = "entry"
    """``entry``: the day the member entered the den's country (or left China for it, when only
    Chinese records exist), as 检例67's courts took joining a running den; ``first_act``: the
    day of their first call or chat at the den, if later."""
    period_end: str = "exit"
    """``exit``: the day they came back, or the seizure day; ``last_act``: their last call or
    chat at the den, if earlier."""
    forward_slack_s: int = 600
    """A forwarded leg begins at most this many seconds after the leg that forwarded it ended
    (a transfer rings, and is picked up, within minutes). A leg of the same session beginning
    later breaks the chain: it takes no position and the break is listed in the gaps."""
    organiser_directives: int = 3
    """Instructions or targets posted to the group (``graph/management.py``) that make a member
    who took fewer chain legs than that an organiser, where no account designation does."""
    count_linked: bool = True
    """Victims with one kind of evidence (``linked``) count in totals, not only corroborated."""
    count_discovered: bool = True
    """Victims found by collision (not on the victim list) count in totals."""
    band_large_fen: int = 300_000
    """数额较大: 3,000 yuan (2016 意见 §2(1))."""
    band_huge_fen: int = 3_000_000
    """数额巨大: 30,000 yuan."""
    band_very_huge_fen: int = 50_000_000
    """数额特别巨大: 500,000 yuan."""
    near_band_share: float = 0.8
    """An amount at this share of the next band or more is flagged (with an aggravating
    factor a court may raise the band): a flag, never a band."""
    attempt_calls: int = 500
    """Call attempts (人次) that are 其他严重情节 when no amount can be proven (2016 意见 §2(4))."""
    attempt_messages: int = 5_000
    """Fraud messages that are 其他严重情节 when no amount can be proven."""
    attempt_very_serious_factor: int = 10
    """Ten times the attempt thresholds is 其他特别严重情节."""
    overseas_days: int = 30
    """Days in the dens within one year that make 其他严重情节 for a member of an overseas group
    when no amount can be proven (2021 意见(二) §3)."""
    first_line_dens_principal: int = 2
    """Suggest principal for a first-liner who worked in at least this many dens (the
    prosecutor's argument in 检例67, accepted there); 0 turns the suggestion off."""
    principal_tenure_days: int = 180
    """With ``principal_calls`` and the huge band, a tenure this long suggests principal."""
    principal_calls: int = 300
    """Calls that, with a long tenure and a huge amount, suggest principal."""
    mule_amount_fen: int = 10_000_000
    """掩饰、隐瞒犯罪所得 by a money mule is 情节严重 at 100,000 yuan received (DOMAIN.md §3;
    cf. 最高人民法院《关于审理掩饰、隐瞒犯罪所得、犯罪所得收益刑事案件适用法律若干问题的解释》
    (2015) art. 3 — check the version in force for the case)."""
    mule_times: int = 10
    """... or at 10 transfers of the victims' money received."""
    mule_times_with_amount: int = 3
    """... or at 3 transfers together with ``mule_amount_with_times_fen``."""
    mule_amount_with_times_fen: int = 5_000_000
    """... that is, 50,000 yuan."""

    def as_dict(self) -> dict[str, Any]:
        """The parameters as written to manifest.json."""
        return dataclasses.asdict(self)

    @classmethod
    def from_toml(cls, table: dict[str, Any]) -> AttributionParams:
        """Read case.toml's ``[attribution]``; unknown keys and wrong types are refused.

        >>> AttributionParams.from_toml({"period_start": "first_act"}).period_start
        'first_act'
        """
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ConfigError(
                f"case.toml [attribution]: unknown keys {unknown}; known keys are {sorted(known)}"
            )
        defaults = cls()
        for key, value in table.items():
            default = getattr(defaults, key)
            if type(default) is float and type(value) is int:
                continue
            if type(value) is not type(default):
                wanted = type(default).__name__
                raise ConfigError(
                    f"case.toml [attribution] {key}: {value!r} is not of type {wanted}"
                )
        params = cls(**table)
        if params.period_start not in PERIOD_STARTS:
            raise ConfigError(f"case.toml [attribution] period_start: one of {PERIOD_STARTS}")
        if params.period_end not in PERIOD_ENDS:
            raise ConfigError(f"case.toml [attribution] period_end: one of {PERIOD_ENDS}")
        return params
