"""The parameters of a synthetic case: every count, share and window the generator uses.

A profile describes a world (groups, dens, staff, victims, money habits, noise) at scale 1;
``scaled`` multiplies what grows with a case (staff, victims, mule accounts) so that one profile
yields both the committed sample and the benchmark cases. Every figure is a field here, so the
documentation (docs/synthetic.md) and the ground truth can cite it, and a user can build their
own profile with ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

__all__ = [
    "PROFILES",
    "DenPlan",
    "GroupPlan",
    "Profile",
    "grow_by_root",
    "grow_linearly",
    "scaled",
]


@dataclass(frozen=True)
class DenPlan:
    """One den (窝点): where it was, on whose clock, when it ran and whether it was raided.

    A den that closed before the raid (``closes`` set) is known only from files recovered later,
    as the Indonesian dens of the guiding case were; a raided den runs until ``seized_at``.
    """

    name: str
    country: str
    """ISO country code of the den, as the travel records name the destination."""
    country_name: str
    """The country as Chinese immigration writes it (前往地)."""
    zone: str
    """IANA zone of the den's clocks: its dial list and ledger are in this local time."""
    opens: dt.date
    closes: dt.date | None
    """Last working day, or None when the den ran until the seizure."""
    lines: int
    """VoIP gateway lines (线路号) the auto-dialer uses."""


@dataclass(frozen=True)
class GroupPlan:
    """One fraud group: its dens, its staff by role and the victims it defrauded."""

    group_id: str
    dens: tuple[DenPlan, ...]
    organisers: int
    first_line: int
    second_line: int
    third_line: int
    money_mules: int
    """The laundering crew (水房): operate the mule accounts from China, never in a den."""
    card_suppliers: int
    """Card suppliers (卡商): sold the account kits; support role, no den."""
    victims: int
    """Victims the group defrauded (reported, unreported and weak cases together)."""
    first_layer_accounts: int
    """Designated accounts (一级卡) victims paid into."""
    mule_accounts: int
    """Second- and third-layer accounts the money is layered through."""


@dataclass(frozen=True)
class Profile:
    """Everything the generator varies; two runs with one profile and seed are identical."""

    name: str
    case_name: str
    seized_at: dt.datetime
    """When the raided dens' devices were seized (aware): rows after it are not evidence."""
    groups: tuple[GroupPlan, ...]
    outside_victims: int
    """Reported victims defrauded by a group with no evidence in the case: must stay unlinked."""
    reported_share: float
    """Share of a group's victims on the police victim list; the rest are found by collision."""
    weak_share: float
    """Share of reported victims with exactly one kind of evidence (call, chat or transfer)."""
    lead_payers: int
    """Payers into designated accounts with no call or chat: leads, not victims."""
    refund_share: float
    """Share of victims paid a small 返利 by the group before their first payment."""
    third_line_share: float
    """Share of victims who doubted and were passed on to a third-liner (fake prosecutor)."""
    carrier_record_share: float
    """Share of reported victims whose carrier returned their call records."""
    statement_share: float
    """Share of reported victims who handed in their own bank statement."""
    missing_statement_share: float
    """Share of mule accounts whose bank never answered: money vanishes there."""
    late_join_share: float
    """Share of den staff who join a den after it opened."""
    early_leave_share: float
    """Share of den staff who leave a den before it closed."""
    mover_share: float
    """Share of den staff who work in two dens of their group, one after the other."""
    passport_share: float
    """Share of mainland staff known by passport number rather than resident ID."""
    taiwan_share: float
    """Share of den staff from Taiwan (travel permit numbers, traditional characters)."""
    broadcasts_per_victim: int
    """Auto-dialer calls per victim: nobody answers most (the primer's 1 in 1,000 hook rate)."""
    handoffs_per_operator_day: float
    """Broadcasts answered with 1 pressed and handed to each first-liner per working day: they
    talk a while and may pass the call on, and the callee never pays. Every caller at a den
    thus shows on its dial list, whether or not one of their calls ended in a payment."""
    manual_calls_per_operator_day: float
    """Unanswered calls an operator dials by hand per working day, to people never defrauded."""
    chatter_per_victim: int
    """Chat messages per victim that mention no victim at all."""
    statement_rows_per_victim: int
    """Everyday rows (salary, shopping) in each victim's own statement."""
    relay_rows_per_victim: int
    """Unrelated money relayed through mule accounts (跑分), per victim, in the bank returns."""
    malformed_per_source: int
    """Rows deliberately broken in each dial list, carrier file and bank return."""
    chat_designations: bool = False
    """Organisers name each collecting card in the den chats when it comes into use, and stop
    it in the chats when it goes out, as well as the ledger listing it."""
    mules_hold_cards: bool = False
    """The laundering crew hold the mule-layer cards in their own names, not kit sellers': the
    banks' account records then put the cards on the roster."""


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


NAIROBI_RAID = dt.datetime(2016, 4, 8, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))

GUIDING = Profile(
    name="guiding",
    case_name="synth-2016",
    seized_at=NAIROBI_RAID,
    groups=(
        GroupPlan(
            group_id="G1",
            dens=(
                DenPlan(
                    "den-jakarta",
                    "ID",
                    "印度尼西亚",
                    "Asia/Jakarta",
                    _date("2015-06-01"),
                    _date("2015-10-20"),
                    3,
                ),
                DenPlan(
                    "den-makassar",
                    "ID",
                    "印度尼西亚",
                    "Asia/Makassar",
                    _date("2015-08-10"),
                    _date("2015-12-31"),
                    2,
                ),
                DenPlan(
                    "den-nairobi",
                    "KE",
                    "肯尼亚",
                    "Africa/Nairobi",
                    _date("2015-12-01"),
                    None,
                    3,
                ),
            ),
            organisers=2,
            first_line=22,
            second_line=8,
            third_line=4,
            money_mules=3,
            card_suppliers=2,
            victims=96,
            first_layer_accounts=8,
            mule_accounts=10,
        ),
        GroupPlan(
            group_id="G2",
            dens=(
                DenPlan(
                    "den-mombasa",
                    "KE",
                    "肯尼亚",
                    "Africa/Nairobi",
                    _date("2016-01-15"),
                    None,
                    1,
                ),
            ),
            organisers=1,
            first_line=7,
            second_line=3,
            third_line=1,
            money_mules=1,
            card_suppliers=0,
            victims=14,
            first_layer_accounts=2,
            mule_accounts=2,
        ),
    ),
    outside_victims=4,
    reported_share=0.85,
    weak_share=0.12,
    lead_payers=3,
    refund_share=0.1,
    third_line_share=0.4,
    carrier_record_share=0.45,
    statement_share=0.3,
    missing_statement_share=0.2,
    late_join_share=0.25,
    early_leave_share=0.2,
    mover_share=0.15,
    passport_share=0.1,
    taiwan_share=0.4,
    broadcasts_per_victim=20,
    handoffs_per_operator_day=0.3,
    manual_calls_per_operator_day=0.3,
    chatter_per_victim=12,
    statement_rows_per_victim=6,
    relay_rows_per_victim=2,
    malformed_per_source=1,
)
"""The guiding case's shape (检例67): three dens in turn, an unrelated gang raided alongside.

At scale 1 it is the committed sample: about 60 suspects, 110 victims, a few thousand calls
and messages and a few hundred transfers.
"""

BENCHMARK = dataclasses.replace(
    GUIDING,
    name="benchmark",
    broadcasts_per_victim=1000,
    handoffs_per_operator_day=5.0,
    manual_calls_per_operator_day=20.0,
    chatter_per_victim=100,
    statement_rows_per_victim=200,
    relay_rows_per_victim=440,
    statement_share=0.25,
    malformed_per_source=5,
    chat_designations=True,
    mules_hold_cards=True,
)
"""The guiding case at realistic volumes: the primer's 1-in-1,000 hook rate, busy chats and
mule accounts that relay other money; the cards are also designated in the chats and the mule
layers held by the crew, so that every rule making a group account runs at scale. Scale 100
gives about 11M call rows, 5M transactions and 1.3M messages."""

PROFILES: dict[str, Profile] = {p.name: p for p in (GUIDING, BENCHMARK)}
"""The named profiles ``linkage synth --profile`` accepts."""


def grow_linearly(count: int, scale: float) -> int:
    """``count`` times ``scale``, at least one of anything there was (victims, accounts)."""
    return max(1, round(count * scale)) if count else 0


def grow_by_root(count: int, scale: float) -> int:
    """``count`` times the square root of ``scale``: staff, who grow slower than the work."""
    return max(1, round(count * math.sqrt(scale))) if count else 0


def scaled(profile: Profile, scale: float) -> Profile:
    """The profile with its people and accounts multiplied by ``scale``.

    Victims, leads and accounts grow linearly; staff grow with the square root, since a den
    that dials ten times as much hires more callers but not ten times as many organisers.
    Noise per victim stays the same, so volumes grow linearly with ``scale``.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale}")

    def linear(count: int) -> int:
        return grow_linearly(count, scale)

    def root(count: int) -> int:
        return grow_by_root(count, scale)

    groups = tuple(
        dataclasses.replace(
            group,
            first_line=root(group.first_line),
            second_line=root(group.second_line),
            third_line=root(group.third_line),
            money_mules=root(group.money_mules),
            victims=linear(group.victims),
            first_layer_accounts=root(group.first_layer_accounts),
            mule_accounts=root(group.mule_accounts),
        )
        for group in profile.groups
    )
    return dataclasses.replace(
        profile,
        groups=groups,
        outside_victims=linear(profile.outside_victims),
        lead_payers=linear(profile.lead_payers),
    )
