"""Accounts a seized chat message designates: the group's receiving cards, however worded.

Organisers name the cards victims must pay in their own words (``今天起收款卡 6217 …（建行，
李某）``, ``换卡了，新卡…，旧卡停用``, ``加一张卡备用：…``), with the number in one run, in groups
of four, hyphenated or in full-width digits (DOMAIN.md §5b). A reader keyed to a few phrases
misses most of them, so the wording is not read at all: a 16- to 19-digit number in a seized
message is a designation, except where the message is about a person. A caller's report names
a victim's own card beside the victim's phone or ID number (``一线报：张伟，手机138…，卡6222…``):
that card is evidence about the victim, never the group's. The rules in ``match/rules.py`` also
drop a number that is a listed victim's account, or that paid money into a group account.

A UnionPay card (``62…``) carries a Luhn check digit: a number that fails it was mistyped or
misread, and is never guessed at; it is not a designation.
"""

from __future__ import annotations

import re
import unicodedata

import pyarrow as pa
from stdnum import luhn

from linkage.normalize.resident_id import is_valid_resident_id

__all__ = ["body_accounts", "designated_numbers", "join_digit_groups"]

CARD_GROUPS = re.compile(r"(?<![0-9])[0-9]{4}(?:[ \-][0-9]{4}){3}(?:[ \-][0-9]{1,3})?(?![0-9])")
"""A card typed in groups of four, spaces or hyphens between: 16 to 19 digits."""
PHONE_GROUPS = re.compile(r"(?<![0-9])1[0-9]{2}[ \-][0-9]{4}[ \-][0-9]{4}(?![0-9])")
"""A mainland mobile typed 3-4-4."""
NUMBER = re.compile(r"(?<![0-9])([0-9]{11,19}[Xx]?)(?![0-9Xx])")


def join_digit_groups(text: str) -> str:
    """``text`` with a card typed in fours and a phone typed 3-4-4 written in one run.

    Only those shapes are joined: two numbers a space apart stay two numbers.

    >>> join_digit_groups("新卡 6217-0000-1234-5678-901，电话 138 0013 8000，编号 2016 0310")
    '新卡 6217000012345678901，电话 13800138000，编号 2016 0310'
    """

    def joined(match: re.Match[str]) -> str:
        return re.sub(r"[ \-]", "", match.group())

    return PHONE_GROUPS.sub(joined, CARD_GROUPS.sub(joined, text))


def designated_numbers(body: str) -> list[str]:
    """The account numbers ``body`` designates, in the order written, each once.

    >>> designated_numbers("换卡了，新卡６２１７ ００００ １２３４ ５６７８ ９０７，旧卡停用")
    ['6217000012345678907']
    >>> designated_numbers("一线报：张伟，手机13800138000，卡6217000012345678907")
    []
    >>> designated_numbers("新卡 6217000012345678901")  # fails its Luhn digit: misread
    []
    """
    text = join_digit_groups(unicodedata.normalize("NFKC", body))
    numbers = [n.upper() for n in NUMBER.findall(text)]
    if any(_names_a_person(n) for n in numbers):
        return []
    found: dict[str, None] = {}
    for number in numbers:
        if 16 <= len(number) <= 19 and number.isdigit():
            if number.startswith("62") and not luhn.is_valid(number):
                continue
            found.setdefault(number)
    return list(found)


def _names_a_person(number: str) -> bool:
    """A mainland mobile or a resident ID number: the message is about someone."""
    mobile = len(number) == 11 and number.startswith("1")
    return mobile or (len(number) == 18 and is_valid_resident_id(number))


def body_accounts(bodies: list[str]) -> pa.Table:
    """``body_id`` (the position in ``bodies``) and ``account`` of every designation."""
    ids: list[int] = []
    accounts: list[str] = []
    for body_id, body in enumerate(bodies):
        for number in designated_numbers(body):
            ids.append(body_id)
            accounts.append(number)
    return pa.table(
        {"body_id": pa.array(ids, pa.int64()), "account": pa.array(accounts, pa.string())}
    )
