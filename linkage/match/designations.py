"""Accounts a seized chat message designates: the group's receiving cards, however worded.

Organisers name the cards victims must pay in their own words (``今天起收款卡 6217 …（建行，
李某）``, ``换卡了，新卡…，旧卡停用``, ``加一张卡备用：…``), with the number in one run, in groups
of four, hyphenated or in full-width digits (DOMAIN.md §5b). A reader keyed to a few phrases
misses most of them, so the wording is not read at all: a 16- to 19-digit number in a seized
message is a designation, except where the message is about a person. A caller's report names
a victim's own card beside the victim's phone or ID number (``一线报：张伟，手机138…，卡6222…``):
that card is evidence about the victim, never the group's. The rules in ``match/rules.py`` also
drop a number that is a listed victim's account, or that paid money into a group account.

A card (``4…``, ``5…``, ``6…``, ``9…``) carries a Luhn check digit: a number that fails it was
mistyped or misread, and is never guessed at; it is not a designation. A number that moved no
money in the case's evidence is not one either (``designated_sql``): an order number or a time
stamp in a chat never makes two dens one group.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pyarrow as pa
from stdnum import luhn

from linkage.normalize.resident_id import is_valid_resident_id

__all__ = ["body_accounts", "designated_numbers", "join_digit_groups"]

GAP = r"[\s.\-\u2010-\u2015\u200b]{1,2}"
"""What people type between digit groups: spaces, tabs, a line break, dots, hyphens, dashes."""
CARD_GROUPS = re.compile(
    rf"(?<![0-9])[0-9]{{4}}(?:{GAP}[0-9]{{4}}){{3}}(?:({GAP})([0-9]{{1,3}}))?(?![0-9])"
)
"""A card typed in groups of four: 16 digits, and maybe a tail of 1 to 3."""
PHONE_GROUPS = re.compile(rf"(?<![0-9])1[0-9]{{2}}{GAP}[0-9]{{4}}{GAP}[0-9]{{4}}(?![0-9])")
"""A mainland mobile typed 3-4-4."""
ID_GROUPS = re.compile(rf"(?<![0-9])[0-9]{{6}}{GAP}[0-9]{{8}}{GAP}[0-9]{{3}}[0-9Xx](?![0-9Xx])")
"""A resident ID typed 6-8-4 (area, birth date, sequence and check)."""
NUMBER = re.compile(r"(?<![0-9])([0-9]{11,19}[Xx]?)(?![0-9Xx])")
MASKED_PHONE = re.compile(r"(?<![0-9])1[0-9]{2}[*＊xX]{4}[0-9]{4}(?![0-9])")
"""A mobile with its middle hidden (``138****8000``): still a person."""
CARD_SHAPED = ("4", "5", "6", "9")
"""Card numbers (Visa, Mastercard, UnionPay and the old domestic 9 ranges) carry a Luhn digit;
bank-internal account numbers do not."""


def join_digit_groups(text: str) -> str:
    """``text`` with a card typed in fours and a phone typed 3-4-4 written in one run.

    Only those shapes are joined: two numbers a space apart stay two numbers.

    >>> join_digit_groups("新卡 6217-0000-1234-5678-901，电话 138 0013 8000，编号 2016 0310")
    '新卡 6217000012345678901，电话 13800138000，编号 2016 0310'
    """

    def joined(match: re.Match[str]) -> str:
        return re.sub(GAP, "", match.group())

    return PHONE_GROUPS.sub(joined, ID_GROUPS.sub(joined, CARD_GROUPS.sub(_card, text)))


def _card(match: re.Match[str]) -> str:
    """Four groups joined; a short group after them joins too, unless the card is whole
    without it and not with it (``6217 0000 1234 5674 500元``: the 500 is the amount)."""
    text = match.group()
    gap, tail = match.group(1), match.group(2)
    body = re.sub(GAP, "", text[: len(text) - len(gap) - len(tail)] if tail else text)
    if tail and luhn.is_valid(body) and not luhn.is_valid(body + tail):
        return body + gap + tail
    return body + (tail or "")


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
    if MASKED_PHONE.search(text) or any(_names_a_person(n) for n in numbers):
        return []
    found: dict[str, None] = {}
    for number in numbers:
        if 16 <= len(number) <= 19 and number.isdigit():
            if number.startswith(CARD_SHAPED) and not luhn.is_valid(number):
                continue
            found.setdefault(number)
    return list(found)


def _names_a_person(number: str) -> bool:
    """A mainland mobile (with or without its 86) or something shaped as a resident ID number,
    even with a wrong check character: the message is about someone."""
    mobile = (len(number) == 11 and number.startswith("1")) or (
        len(number) == 13 and number.startswith("861")
    )
    return mobile or (len(number) == 18 and _id_shaped(number))


def _id_shaped(number: str) -> bool:
    """A province code and a birth date where a resident ID has them (1900 to 2029)."""
    if is_valid_resident_id(number):
        return True
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return number[:2] in PROVINCES and 1900 <= born.year <= 2029


PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
"""The first two digits of a resident ID: provinces, Taiwan, Hong Kong and Macao."""


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
