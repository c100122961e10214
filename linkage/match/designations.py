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
from dataclasses import dataclass

import pyarrow as pa
from stdnum import luhn

from linkage.normalize.name import simplified_text
from linkage.normalize.resident_id import is_valid_resident_id

__all__ = [
    "Acts",
    "body_acts",
    "designated_numbers",
    "join_digit_groups",
    "message_acts",
    "unreadable_numbers",
]

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
    return _account_numbers(body)[0]


def _account_numbers(body: str) -> tuple[list[str], list[str]]:
    """The account-length numbers of ``body`` that read, and the card-shaped ones that fail
    their Luhn digit, each in the order written and once; none in a text about a person."""
    text = join_digit_groups(unicodedata.normalize("NFKC", body))
    numbers = [n.upper() for n in NUMBER.findall(text)]
    if MASKED_PHONE.search(text) or any(_names_a_person(n) for n in numbers):
        return [], []
    readable: dict[str, None] = {}
    unreadable: dict[str, None] = {}
    for number in numbers:
        if 16 <= len(number) <= 19 and number.isdigit():
            misread = number.startswith(CARD_SHAPED) and not luhn.is_valid(number)
            (unreadable if misread else readable).setdefault(number)
    return list(readable), list(unreadable)


def _names_a_person(number: str) -> bool:
    """A mainland mobile (with or without its 86) or something shaped as a resident ID number,
    even with a wrong check character: the message is about someone."""
    mobile = (len(number) == 11 and number.startswith("1")) or (
        len(number) == 13 and number.startswith("861")
    )
    return mobile or (len(number) == 18 and _id_shaped(number))


def _id_shaped(number: str) -> bool:
    """A province code and a birth date where a resident ID has them (1900 to 2029), or a
    valid resident ID whatever its year.

    The cheap shape is tried first: the full check reads the area-code register (a tenth of
    a millisecond a number), and a number with no real date or no province fails it anyway.
    """
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if number[:2] not in PROVINCES:
        return False
    return 1900 <= born.year <= 2029 or is_valid_resident_id(number)


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


@dataclass(frozen=True)
class Acts:
    """What one message does to the group's receiving cards (DOMAIN.md §5b).

    A message puts cards in use (``designated``), stops cards it names in full (``stopped``)
    or by their last four digits (``stopped_tails``), and may end every card in use before it
    (``replaces``: ``换卡了，新卡…，旧卡停用``). A card-shaped number that fails its check digit
    is ``unreadable``: never guessed at, listed in the run's gaps with its message.
    """

    designated: tuple[str, ...] = ()
    stopped: tuple[str, ...] = ()
    stopped_tails: tuple[str, ...] = ()
    replaces: bool = False
    unreadable: tuple[str, ...] = ()


REPLACING = ("换卡", "换成", "换新卡", "只用", "旧卡", "之前那张", "之前的卡", "原来的卡",
             "原来那张", "以前的卡", "以前那张")  # fmt: skip
"""Words that speak of the cards in use before this message as old: a card the message names
replaces them."""
STOPPING = ("停用", "作废", "冻结", "被冻", "别再报", "别再用", "不要再用", "不再使用", "注销")
"""Words that stop a card: the one the message names, or the old ones."""
TAIL = re.compile(r"尾号\s*([0-9]{4})(?![0-9])|(?<![0-9])([0-9]{4})\s*(?:这张|那张)")
"""A card named by its last four digits (``尾号1234那张``, ``1234这张``)."""


def message_acts(body: str) -> Acts:
    """What ``body`` does to the cards in use, read from its numbers and its words.

    >>> acts = message_acts("换卡了，新卡6217000012345678907，旧卡停用")
    >>> acts.designated, acts.replaces
    (('6217000012345678907',), True)
    >>> message_acts("6217 0000 1234 5678 907 停用").stopped
    ('6217000012345678907',)
    >>> message_acts("尾號5678那張卡停用了，別再報").stopped_tails
    ('5678',)
    >>> message_acts("新卡 6217000012345678901").unreadable
    ('6217000012345678901',)
    """
    text = simplified_text(body)
    readable, misread = _account_numbers(body)
    numbers, unreadable = tuple(readable), tuple(misread)
    old_cards = any(word in text for word in REPLACING)
    stops = any(word in text for word in STOPPING)
    tails: tuple[str, ...] = ()
    if stops and not numbers:
        found = (a or b for a, b in TAIL.findall(join_digit_groups(text)))
        tails = tuple(dict.fromkeys(found))
    if numbers and stops and not old_cards:
        return Acts(stopped=numbers, unreadable=unreadable)
    replaces = old_cards and (bool(numbers) or (stops and not tails))
    return Acts(numbers, (), tails, replaces, unreadable)


def unreadable_numbers(body: str) -> list[str]:
    """Card-shaped numbers in ``body`` that fail their check digit: mistyped or misread.

    >>> unreadable_numbers("新卡 6217 0000 1234 5678 901，旧卡 6217000012345678907")
    ['6217000012345678901']
    """
    return _account_numbers(body)[1]


def body_acts(bodies: list[str]) -> pa.Table:
    """The acts of each distinct text (``body_id`` is its position in ``bodies``), one row
    each: ``designate`` and ``stop`` name an ``account``; ``stop_tail`` names a ``tail``;
    ``replace`` ends the cards in use; ``unreadable`` holds a number that failed its check
    digit in ``account``."""
    rows: list[tuple[int, str, str | None, str | None]] = []
    for body_id, body in enumerate(bodies):
        acts = message_acts(body)
        rows += [(body_id, "designate", number, None) for number in acts.designated]
        rows += [(body_id, "stop", number, None) for number in acts.stopped]
        rows += [(body_id, "stop_tail", None, tail) for tail in acts.stopped_tails]
        rows += [(body_id, "replace", None, None)] if acts.replaces else []
        rows += [(body_id, "unreadable", number, None) for number in acts.unreadable]
    return pa.table(
        {
            "body_id": pa.array([r[0] for r in rows], pa.int64()),
            "act": pa.array([r[1] for r in rows], pa.string()),
            "account": pa.array([r[2] for r in rows], pa.string()),
            "tail": pa.array([r[3] for r in rows], pa.string()),
        }
    )
