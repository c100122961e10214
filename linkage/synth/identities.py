"""Made-up identifiers that pass every check a real one does: names, ID numbers, phones, cards.

Synthetic people need *valid* numbers, or the loaders would reject them and no test would reach
the matcher: resident IDs carry a real county code, a real birth date and the right check
character; cards start with a real bank's BIN and pass Luhn; phones use real mobile prefixes.
Every number is drawn once: ``Identities`` remembers what it handed out, so two people never
share a phone or a card by accident (the generator plants the collisions it wants on purpose,
and only names collide).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from stdnum.cn import ric

__all__ = ["BANKS", "Bank", "Identities", "luhn_digit", "resident_id"]

AREAS = (
    "110105",
    "110108",
    "310104",
    "310115",
    "440305",
    "440106",
    "420106",
    "350102",
    "350203",
    "350583",
    "350181",
    "450102",
    "510104",
    "330106",
    "320102",
    "370102",
    "410105",
    "430104",
    "500103",
    "610113",
    "210102",
    "230103",
    "360102",
    "520102",
)
"""Real county codes (朝阳区, 徐汇区, 南山区, 鼓楼区, 南安市, 福清市, ...)."""

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹"
    "彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文俊鹏辉斌宇浩凯晨欣怡婷雪琳"


class Bank:
    """A bank as its statements name it, with a debit-card BIN its cards start with."""

    def __init__(self, name: str, bin_prefix: str, return_file: str) -> None:
        self.name = name
        self.bin_prefix = bin_prefix
        self.return_file = return_file
        """File name of this bank's answer in a 资金查控 return folder."""


BANKS = (
    Bank("中国工商银行", "622202", "中国工商银行交易明细信息.csv"),
    Bank("中国建设银行", "621700", "中国建设银行交易明细信息.csv"),
    Bank("中国农业银行", "622848", "中国农业银行交易明细信息.csv"),
    Bank("中国银行", "621661", "中国银行交易明细信息.csv"),
    Bank("招商银行", "622588", "招商银行交易明细信息.csv"),
)

MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "150", "158", "186", "185", "133", "189")


def luhn_digit(body: str) -> str:
    """The Luhn check digit that completes ``body``.

    >>> luhn_digit("622202020000123456")
    '2'
    """
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return str(-total % 10)


def resident_id(area: str, birth: dt.date, sequence: int) -> str:
    """An 18-character resident ID with its check character.

    >>> resident_id("110105", dt.date(1949, 1, 1), 2)
    '110105194901010021'
    """
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return body + str(ric.calc_check_digit(body + "0"))


class Identities:
    """Hands out unique identifiers from one random stream.

    Parameters
    ----------
    rng
        The stream; the same stream state gives the same identifiers.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._taken: set[str] = set()

    def _fresh(self, make: object) -> str:
        assert callable(make)
        for _ in range(1000):
            value = str(make())
            if value not in self._taken:
                self._taken.add(value)
                return value
        raise RuntimeError("identifier space exhausted")  # pragma: no cover

    def name(self) -> str:
        """A two- or three-character Chinese name (names may collide, as real ones do)."""
        surname = SURNAMES[self.rng.integers(len(SURNAMES))]
        length = 1 if self.rng.random() < 0.3 else 2
        given = "".join(GIVEN[i] for i in self.rng.integers(len(GIVEN), size=length))
        return surname + given

    def birth(self, youngest: int, oldest: int) -> dt.date:
        """A birth date for someone aged ``youngest`` to ``oldest`` in 2016."""
        start = dt.date(2016 - oldest, 1, 1).toordinal()
        end = dt.date(2016 - youngest, 12, 31).toordinal()
        return dt.date.fromordinal(int(self.rng.integers(start, end + 1)))

    def resident_id(self, birth: dt.date, female: bool) -> str:
        """A unique resident ID; its sequence's last digit is even for women, as the law sets.

        The area code must have existed on the birth date (python-stdnum checks it, as the
        loaders do), so older people get counties that are old enough.
        """

        def make() -> str:
            for _ in range(100):
                area = AREAS[self.rng.integers(len(AREAS))]
                sequence = int(self.rng.integers(0, 500)) * 2 + (0 if female else 1)
                number = resident_id(area, birth, sequence)
                if ric.is_valid(number):  # the county existed when the person was born
                    return number
            raise RuntimeError(f"no county in AREAS existed on {birth}")  # pragma: no cover

        return self._fresh(make)

    def passport(self) -> str:
        """A unique mainland ordinary passport number (E + 8 digits)."""
        return self._fresh(lambda: f"E{self.rng.integers(10**7, 10**8)}")

    def taiwan_permit(self) -> str:
        """A unique Taiwan residents' mainland travel permit number (8 digits)."""
        return self._fresh(lambda: f"{self.rng.integers(10**7, 10**8)}")

    def mobile(self) -> str:
        """A unique mainland mobile number, 11 digits."""
        prefixes = MOBILE_PREFIXES
        return self._fresh(
            lambda: f"{prefixes[self.rng.integers(len(prefixes))]}{self.rng.integers(10**8):08d}"
        )

    def landline(self) -> str:
        """A unique Shanghai or Beijing landline as a den's spoofed caller id shows it."""
        return self._fresh(
            lambda: (
                f"0{('21', '10')[self.rng.integers(2)]}{self.rng.integers(6 * 10**7, 9 * 10**7)}"
            )
        )

    def card(self, bank: Bank) -> str:
        """A unique 19-digit debit card of ``bank`` that passes Luhn."""

        def make() -> str:
            body = bank.bin_prefix + f"{self.rng.integers(10**12):012d}"
            return body + luhn_digit(body)

        return self._fresh(make)

    def internal_account(self) -> str:
        """A unique bank-internal account number (交易账号) behind a card."""
        return self._fresh(lambda: f"02000{self.rng.integers(10**14):014d}")

    def handle(self, stem: str) -> str:
        """A unique Skype name built from ``stem`` (``live:`` names are what 2015 users had)."""
        return self._fresh(lambda: f"live:{stem}{self.rng.integers(100, 1000)}")

    def serial(self, prefix: str) -> str:
        """A unique transaction serial number."""
        return self._fresh(lambda: f"{prefix}{self.rng.integers(10**11):011d}")
