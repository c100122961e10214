from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.errors import InvalidIdentifier, InvalidValue
from linkage.normalize import is_masked, luhn_ok, normalize_account
from linkage.rejects import RejectReason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6222021234567890123", "6222021234567890123"),
        ("\t6222021234567890123", "6222021234567890123"),
        ("6222 0212 3456 7890 123", "6222021234567890123"),
        ("'6222021234567890123", "6222021234567890123"),
        ('"6222021234567890123"', "6222021234567890123"),
        ('="6222021234567890123"', "6222021234567890123"),
        ("6222021234567890123\u3000", "6222021234567890123"),
        ("\u00a06222021234567890123", "6222021234567890123"),
        ("６２２２０２１２３４５６７８９０１２３", "6222021234567890123"),
        ("6222021234567890123_156_1", "6222021234567890123"),
        ("6222021234567890123_156_12", "6222021234567890123"),
        ("0012345678901", "0012345678901"),
        ("2088102122334455", "2088102122334455"),
        ("Zhang.San@Example.COM", "zhang.san@example.com"),
        ("wxid_AbC123", "wxid_AbC123"),
        ("13800138000", "13800138000"),
        ("M-12:34", "M-12:34"),
        ("12E34", "12E34"),
    ],
)
def test_accounts(raw: str, expected: str) -> None:
    assert normalize_account(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", RejectReason.EMPTY_IDENTIFIER),
        ("  ", RejectReason.EMPTY_IDENTIFIER),
        ("-", RejectReason.EMPTY_IDENTIFIER),
        ("--", RejectReason.EMPTY_IDENTIFIER),
        ("/", RejectReason.EMPTY_IDENTIFIER),
        ("\\N", RejectReason.EMPTY_IDENTIFIER),
        ("NULL", RejectReason.EMPTY_IDENTIFIER),
        ("''", RejectReason.EMPTY_IDENTIFIER),
        ("6.22E+18", RejectReason.ID_MANGLED),
        ("6.22848E+18", RejectReason.ID_MANGLED),
        ("6.22848e+18", RejectReason.ID_MANGLED),
        ("6E+18", RejectReason.ID_MANGLED),
        ("6222021234567890000.0", RejectReason.ID_MANGLED),
        ("6222021234567890000.00", RejectReason.ID_MANGLED),
        ("6226******5669", RejectReason.MASKED_IDENTIFIER),
        ("1234****9876", RejectReason.MASKED_IDENTIFIER),
        ("6226＊＊＊＊5669", RejectReason.MASKED_IDENTIFIER),
        ("张三的卡", RejectReason.INVALID_IDENTIFIER),
        ("6222#0212", RejectReason.INVALID_IDENTIFIER),
        ("6222,0212", RejectReason.INVALID_IDENTIFIER),
    ],
)
def test_account_rejects(raw: str, reason: RejectReason) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_account(raw)
    assert caught.value.reason == reason
    assert repr(raw) in str(caught.value)


def test_is_masked() -> None:
    assert is_masked("6226******5669")
    assert is_masked("6226＊＊5669")
    assert not is_masked("6226095711115669")


def test_luhn_is_a_hint_only() -> None:
    assert luhn_ok("6226095711115662")
    assert not luhn_ok("6226095711115669")
    assert not luhn_ok("wxid_abc")
    assert not luhn_ok("")
    assert not luhn_ok("６２２６")
    # Failing Luhn never rejects: Alipay ids and internal accounts do not use it.
    assert normalize_account("6226095711115669") == "6226095711115669"


@settings(deadline=None)
@given(st.text())
def test_junk_never_crashes_and_is_idempotent(raw: str) -> None:
    try:
        result = normalize_account(raw)
    except InvalidValue:
        return
    assert result
    assert normalize_account(result) == result


@settings(deadline=None)
@given(st.text("0123456789 _.*'\"E+\t-", max_size=25))
def test_account_like_text_is_idempotent(raw: str) -> None:
    try:
        result = normalize_account(raw)
    except InvalidValue:
        return
    assert normalize_account(result) == result
    assert "*" not in result


@settings(deadline=None)
@given(st.text("0123456789", min_size=1, max_size=30))
def test_digits_survive_exactly(digits: str) -> None:
    # Leading zeros and all digits are kept: accounts never pass through int or float.
    assert normalize_account(digits) == digits
    assert normalize_account(f"\t{digits}_156_1") == digits


@settings(deadline=None, max_examples=300)
@given(st.lists(st.text("0123456789 _.*'\"E+\t-@ab", max_size=25), min_size=1, max_size=30))
def test_bulk_pass_answers_exactly_as_the_normalizer(raws: list[str]) -> None:
    """Whatever ``plain_accounts`` keeps, ``normalize_account`` returns unchanged."""
    import pyarrow as pa

    from linkage.normalize.account import plain_accounts

    kept = plain_accounts(pa.array(raws, pa.string())).to_pylist()
    for raw, quick in zip(raws, kept, strict=True):
        if quick is not None:
            assert normalize_account(raw) == quick == raw
    assert [k is not None for k in kept] == [r.isascii() and r.isdigit() for r in raws]
