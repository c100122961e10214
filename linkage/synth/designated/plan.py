"""The parameters of the designated-accounts world: dens, staff, victims and money habits.

This world writes the evidence as the guiding case (检例67) and cases written independently
of linkage write it, wherever the first world (``synth/world.py``) chose the other way: no den
ledger and no group account in case.toml (organisers designate the receiving cards in the seized
chats), organisers who take no calls, money mules on the roster who hold the first-layer cards
in their own names, and dial lists that repeat the session's 任务ID on every forwarded leg.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["DESIGNATED", "DenPlan", "GroupPlan", "WorldPlan"]


@dataclass(frozen=True)
class DenPlan:
    """A den: where it was, on whose clock, and the days it ran (``closes`` None: raided)."""

    name: str
    country: str
    """ISO code, as the transcribed foreign records write it."""
    country_name: str
    """As Chinese immigration writes the destination (前往地)."""
    zone: str
    opens: dt.date
    closes: dt.date | None
    lines: int
    dial_log_from: dt.date | None = None
    """First day the recovered dial list covers; earlier calls survive only in the victims'
    own carrier records (a gateway's log that was overwritten before it was imaged)."""


@dataclass(frozen=True)
class GroupPlan:
    """One group: dens, staff by role, cards, victims by scenario."""

    group_id: str
    dens: tuple[DenPlan, ...]
    organisers: int
    first_line: int
    second_line: int
    third_line: int
    technicians: int
    money_mules: int
    """On the roster (水房, caught at home); each holds first-layer cards in their own name."""
    first_layer_cards: int
    """Receiving cards designated in the chats, one after another, some side by side."""
    relay_accounts: int
    """Second-layer accounts in bought kits' names that pass the money to the hub."""
    reported: int
    transfer_only: int
    """Reported victims known to the case only by their transfer (no call row, no chat)."""
    unreported: int
    """Never reported: found only by collision (a call and a transfer, or a chat and a transfer)."""
    early: int
    """Worked before the recovered dial list starts: only their own carrier records show the
    call."""
    weak_call: int
    weak_chat: int
    name_only: int
    """Reported victims a chat names by name only, with no call or transfer: unlinked."""
    leads: int
    """Payers into group cards that no call or chat explains."""


@dataclass(frozen=True)
class WorldPlan:
    """Everything the designated world varies; one plan and seed give one set of bytes."""

    name: str
    case_name: str
    seized_at: dt.datetime
    groups: tuple[GroupPlan, ...]
    outside_victims: int
    """Reported victims defrauded by nobody in the case: must stay unlinked."""
    test_transfer_share: float
    """Victims told to send 1 yuan first, which the group sends straight back."""
    refund_share: float
    """Victims paid back a small sum after a payment (退款, to keep them quiet)."""
    third_line_share: float
    carrier_record_share: float
    """Reported victims whose carrier returned their call records (early victims: all)."""
    listed_payee_share: float
    """Reported victims who could tell the police which card they paid (收款账号)."""
    payer_query_from_fen: int
    """Payers into group cards the police asked the banks about (账户信息): those who paid at
    least this much; smaller payers are known only by the card that paid."""
    taiwan_share: float
    broadcasts_per_victim: int
    chatter_per_victim: int
    malformed_per_source: int


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


KAMPALA_RAID = dt.datetime(2016, 4, 21, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))

DESIGNATED = WorldPlan(
    name="designated",
    case_name="designated-2016",
    seized_at=KAMPALA_RAID,
    groups=(
        GroupPlan(
            group_id="G1",
            dens=(
                DenPlan(
                    "den-manila",
                    "PH",
                    "菲律宾",
                    "Asia/Manila",
                    _day("2015-08-03"),
                    _day("2015-12-12"),
                    2,
                    dial_log_from=_day("2015-09-14"),
                ),
                DenPlan(
                    "den-kampala",
                    "UG",
                    "乌干达",
                    "Africa/Kampala",
                    _day("2015-12-21"),
                    None,
                    3,
                ),
            ),
            organisers=2,
            first_line=10,
            second_line=4,
            third_line=2,
            technicians=1,
            money_mules=3,
            first_layer_cards=6,
            relay_accounts=3,
            reported=22,
            transfer_only=3,
            unreported=5,
            early=3,
            weak_call=2,
            weak_chat=2,
            name_only=1,
            leads=2,
        ),
        GroupPlan(
            group_id="G2",
            dens=(
                DenPlan(
                    "den-entebbe",
                    "UG",
                    "乌干达",
                    "Africa/Kampala",
                    _day("2016-01-18"),
                    None,
                    1,
                ),
            ),
            organisers=1,
            first_line=4,
            second_line=2,
            third_line=0,
            technicians=0,
            money_mules=1,
            first_layer_cards=2,
            relay_accounts=1,
            reported=7,
            transfer_only=1,
            unreported=2,
            early=0,
            weak_call=1,
            weak_chat=0,
            name_only=0,
            leads=1,
        ),
    ),
    outside_victims=3,
    test_transfer_share=0.25,
    refund_share=0.15,
    third_line_share=0.4,
    carrier_record_share=0.4,
    listed_payee_share=0.5,
    payer_query_from_fen=1_000_000,
    taiwan_share=0.35,
    broadcasts_per_victim=25,
    chatter_per_victim=10,
    malformed_per_source=1,
)
"""The committed second sample: two groups raided in Uganda the same morning; the main group
ran a den in Manila first, whose dial log was recovered only from mid-September."""
