from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from linkage.errors import InvalidIdentifier, InvalidValue
from linkage.normalize import (
    is_valid_resident_id,
    normalize_passport,
    normalize_person_id,
    normalize_resident_id,
)
from linkage.rejects import RejectReason

AREAS = ["110101", "110102", "110105", "110108", "310101", "310104"]
"""Area codes valid across the birth years drawn below."""


def with_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(AREAS))
    birth = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(1999, 12, 31)))
    sequence = draw(st.integers(0, 999))
    return with_check(f"{area}{birth:%Y%m%d}{sequence:03d}")


def test_known_numbers() -> None:
    assert normalize_resident_id("11010519491231002X") == "11010519491231002X"
    assert normalize_resident_id("11010519491231002x") == "11010519491231002X"
    assert normalize_resident_id(" 110105 19491231 002x ") == "11010519491231002X"
    assert normalize_resident_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert normalize_resident_id("'11010519491231002X") == "11010519491231002X"


def test_fifteen_digits_become_eighteen() -> None:
    assert normalize_resident_id("110105491231002") == "11010519491231002X"


@settings(deadline=None)
@given(resident_ids())
def test_first_generation_number_gives_the_same_key(number: str) -> None:
    old = number[:6] + number[8:17]
    assert normalize_resident_id(old) == number
    assert normalize_resident_id(number.lower()) == number


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", RejectReason.EMPTY_IDENTIFIER),
        ("--", RejectReason.EMPTY_IDENTIFIER),
        ("1.10105194912310E+17", RejectReason.ID_MANGLED),
        ("110105194912310021.0", RejectReason.ID_MANGLED),
        ("110105194912310021", RejectReason.INVALID_IDENTIFIER),  # check character
        ("990101199001011237", RejectReason.INVALID_IDENTIFIER),  # no such area
        ("110105194913310027", RejectReason.INVALID_IDENTIFIER),  # month 13
        ("11010519491231002", RejectReason.INVALID_IDENTIFIER),  # 17 characters
        ("11010519491231002Y", RejectReason.INVALID_IDENTIFIER),
        ("110105491331002", RejectReason.INVALID_IDENTIFIER),  # 15 digits, month 13
        ("E12345678", RejectReason.INVALID_IDENTIFIER),
    ],
)
def test_resident_id_rejects(raw: str, reason: RejectReason) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_resident_id(raw)
    assert caught.value.reason == reason
    assert not is_valid_resident_id(raw)


def test_area_check_uses_stdnum() -> None:
    body = "99010119900101123"
    assert not is_valid_resident_id(with_check(body))
    assert is_valid_resident_id(with_check("11010119900101123"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("e12345678", "E12345678"), (" G 1234 5678 ", "G12345678"), ("ＰＥ１２３４５", "PE12345")],
)
def test_passports(raw: str, expected: str) -> None:
    assert normalize_passport(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", RejectReason.EMPTY_IDENTIFIER),
        ("E123", RejectReason.INVALID_IDENTIFIER),
        ("E" * 21, RejectReason.INVALID_IDENTIFIER),
        ("E1234-5678", RejectReason.INVALID_IDENTIFIER),
    ],
)
def test_passport_rejects(raw: str, reason: RejectReason) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_passport(raw)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("raw", "id_type", "expected"),
    [
        ("11010519491231002x", "居民身份证", "11010519491231002X"),
        ("11010519491231002x", "身份证", "11010519491231002X"),
        ("11010519491231002x", "", "11010519491231002X"),
        ("110105491231002", "", "11010519491231002X"),
        ("e12345678", "护照", "E12345678"),
        ("e12345678", "Passport", "E12345678"),
        ("e12345678", "", "E12345678"),
        ("h1234567801", "港澳居民来往内地通行证", "H1234567801"),
        ("12345678", "台湾居民来往大陆通行证", "12345678"),
        ("a123456789", "臺灣居民來往大陸通行證", "A123456789"),
        ("123456789012345", "护照", "123456789012345"),
    ],
)
def test_person_ids_by_type(raw: str, id_type: str, expected: str) -> None:
    assert normalize_person_id(raw, id_type) == expected


@pytest.mark.parametrize(
    ("raw", "id_type"),
    [
        ("110105194912310021", ""),  # shaped like a resident ID: a bad one is not a passport
        ("E12345678", "居民身份证"),
        ("1234567", "台湾居民来往大陆通行证"),
        ("12345678901", "台湾居民来往大陆通行证"),
    ],
)
def test_person_id_rejects(raw: str, id_type: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalize_person_id(raw, id_type)


ID_TYPES = ["", "居民身份证", "护照", "台湾居民来往大陆通行证", "其他"]


@settings(deadline=None)
@given(st.text(), st.sampled_from(ID_TYPES))
def test_junk_never_crashes_and_is_idempotent(raw: str, id_type: str) -> None:
    for normalize in (normalize_resident_id, normalize_passport):
        try:
            result = normalize(raw)
        except InvalidValue:
            pass
        else:
            assert normalize(result) == result
    try:
        result = normalize_person_id(raw, id_type)
    except InvalidValue:
        return
    assert normalize_person_id(result, id_type) == result


@settings(deadline=None)
@given(st.text("0123456789Xx ", min_size=14, max_size=20))
def test_digit_strings_are_idempotent(raw: str) -> None:
    try:
        result = normalize_resident_id(raw)
    except InvalidValue:
        return
    assert len(result) == 18
    assert normalize_resident_id(result) == result
    assert normalize_person_id(result) == result


def test_an_area_code_without_a_county_is_invalid_not_a_crash() -> None:
    """python-stdnum raises KeyError for some region-level codes (found by hypothesis)."""
    assert not is_valid_resident_id("111000000110000")
