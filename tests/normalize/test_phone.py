from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.errors import ConfigError, InvalidIdentifier, InvalidValue
from linkage.normalize import is_valid_phone, normalize_phone
from linkage.rejects import RejectReason

REGIONS = ["CN", "ID", "KE", "MY", "KH", "PH", "TH", "VN", "TW"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("138-0013-8000", "+8613800138000"),
        ("138.0013.8000", "+8613800138000"),
        ("(138)00138000", "+8613800138000"),
        ("\t13800138000", "+8613800138000"),
        ("13800138000\u3000", "+8613800138000"),
        ("\u00a013800138000", "+8613800138000"),
        ("１３８００１３８０００", "+8613800138000"),
        ("'13800138000", "+8613800138000"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("+86-13800138000", "+8613800138000"),
        ("0086 138 0013 8000", "+8613800138000"),
        ("008613800138000", "+8613800138000"),
        ("8613800138000", "+8613800138000"),
        ("013800138000", "+8613800138000"),
        ("17951 13800138000", "+8613800138000"),
        ("1791113800138000", "+8613800138000"),
        ("1259313800138000", "+8613800138000"),
        ("1790113800138000", "+8613800138000"),
        ("1019313800138000", "+8613800138000"),
        ("17012345678", "+8617012345678"),
        ("16512345678", "+8616512345678"),
        ("19212345678", "+8619212345678"),
        ("010-12345678", "+861012345678"),
        ("(010) 1234 5678", "+861012345678"),
        ("400 812 3123", "+864008123123"),
        ("15555215554", "+8615555215554"),
    ],
)
def test_chinese_numbers(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+886 0912 345 678", "CN", "+886912345678"),
        ("00886 912 345 678", "CN", "+886912345678"),
        ("00886912345678", "ID", "+886912345678"),
        ("0912345678", "TW", "+886912345678"),
        ("0712 345678", "KE", "+254712345678"),
        ("000 44 20 7946 0958", "KE", "+442079460958"),
        ("0812 3456 7890", "ID", "+6281234567890"),
        ("012-345 6789", "MY", "+60123456789"),
        ("012 345 678", "KH", "+85512345678"),
        ("0917 123 4567", "PH", "+639171234567"),
        ("081 234 5678", "TH", "+66812345678"),
        ("091 234 5678", "VN", "+84912345678"),
        ("+8613800138000", "KE", "+8613800138000"),
        ("8613800138000", "TH", "+8613800138000"),
        ("17951 13800138000", "MY", "+8613800138000"),
        ("13800138000", "cn", "+8613800138000"),
    ],
)
def test_foreign_and_regional_numbers(raw: str, region: str, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", RejectReason.EMPTY_IDENTIFIER),
        ("   ", RejectReason.EMPTY_IDENTIFIER),
        ("-", RejectReason.EMPTY_IDENTIFIER),
        ("\\N", RejectReason.EMPTY_IDENTIFIER),
        ("1.3800138E10", RejectReason.ID_MANGLED),
        ("1.3800138e+10", RejectReason.ID_MANGLED),
        ("13800138000.0", RejectReason.ID_MANGLED),
        ("13800138000.00", RejectReason.ID_MANGLED),
        ("10086", RejectReason.INVALID_IDENTIFIER),
        ("95555", RejectReason.INVALID_IDENTIFIER),
        ("14812345678", RejectReason.INVALID_IDENTIFIER),
        ("1380013800", RejectReason.INVALID_IDENTIFIER),
        ("138001380001", RejectReason.INVALID_IDENTIFIER),
        ("abc", RejectReason.INVALID_IDENTIFIER),
        ("138 0013 8000 ext 12", RejectReason.INVALID_IDENTIFIER),
        ("1-800-FLOWERS", RejectReason.INVALID_IDENTIFIER),
        ("86+13800138000", RejectReason.INVALID_IDENTIFIER),
        ("+", RejectReason.INVALID_IDENTIFIER),
    ],
)
def test_rejects_with_reason(raw: str, reason: RejectReason) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_phone(raw)
    assert caught.value.reason == reason
    assert repr(raw) in str(caught.value)


def test_region_decides_a_number_without_country_code() -> None:
    # A Chinese mobile dialled in Indonesia without +86 is not a number there: never guessed.
    with pytest.raises(InvalidIdentifier):
        normalize_phone("13800138000", "ID")


def test_unknown_region_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        normalize_phone("13800138000", "XX")


def test_is_valid_phone() -> None:
    assert is_valid_phone("+86 138-0013-8000")
    assert not is_valid_phone("95555")
    assert not is_valid_phone("")
    assert is_valid_phone("0712345678", "KE")


@settings(deadline=None)
@given(st.text(), st.sampled_from(REGIONS))
def test_junk_never_crashes(raw: str, region: str) -> None:
    try:
        result = normalize_phone(raw, region)
    except InvalidValue:
        return
    assert result.startswith("+") and result[1:].isdigit()
    assert normalize_phone(result, region) == result


_SEPARATOR = st.sampled_from(["", " ", "-", ".", "\t", "\u3000", "\u00a0"])


@st.composite
def written_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """A Chinese mobile as some source might write it, and its E.164 form."""
    rest = draw(st.text("0123456789", min_size=9, max_size=9))
    mobile = "1" + draw(st.sampled_from("3456789")) + rest
    prefix = draw(st.sampled_from(["", "+86", "0086", "86", "17951", "12593", "+86 "]))
    parts = [mobile[:3], mobile[3:7], mobile[7:]]
    sep = draw(_SEPARATOR)
    return prefix + sep.join(parts), "+86" + mobile


@settings(deadline=None)
@given(written_mobiles())
def test_written_mobiles_normalize_to_one_key(case: tuple[str, str]) -> None:
    raw, e164 = case
    try:
        result = normalize_phone(raw)
    except InvalidIdentifier as exc:
        # Unassigned ranges (148…) are invalid however they are written.
        assert exc.reason == RejectReason.INVALID_IDENTIFIER
        assert not is_valid_phone(e164)
        return
    assert result == e164
    assert normalize_phone(result) == result


@settings(deadline=None)
@given(st.text("0123456789+", min_size=1, max_size=18), st.sampled_from(REGIONS))
def test_digit_strings_are_idempotent(raw: str, region: str) -> None:
    try:
        result = normalize_phone(raw, region)
    except InvalidValue:
        return
    assert normalize_phone(result, region) == result
    assert normalize_phone(result, "CN") == result


@given(
    digits=st.text("0123456789", min_size=10, max_size=10),
    prefix=st.sampled_from(["", "+86"]),
)
def test_mobile_shortcut_agrees_with_a_full_parse(digits: str, prefix: str) -> None:
    """The pattern shortcut for 1xxxxxxxxxx must give exactly phonenumbers' answer."""
    from linkage.normalize.phone import _e164_if_valid, _parsed_e164_if_valid

    text = prefix + "1" + digits
    assert _e164_if_valid(text, "CN") == _parsed_e164_if_valid(text, "CN")


def test_mobile_shortcut_on_every_prefix_block() -> None:
    from linkage.normalize.phone import _e164_if_valid, _parsed_e164_if_valid

    for block in range(1000, 2000):
        for tail in ("0000000", "5555555", "9999999", "0123456"):
            text = f"{block}{tail}"
            assert _e164_if_valid(text, "CN") == _parsed_e164_if_valid(text, "CN"), text


@st.composite
def dialled_numbers(draw: st.DrawFn) -> str:
    """Numbers as dial lists and carriers write them: prefixes, mobiles, landlines, junk."""
    prefix = draw(st.sampled_from(["", "+86", "0086", "86", "17951", "12593", "+", "00", "0"]))
    body = draw(
        st.one_of(
            st.builds(lambda d: "1" + d, st.text("0123456789", min_size=10, max_size=10)),
            st.builds(lambda d: "17951" + d, st.text("0123456789", min_size=6, max_size=11)),
            st.text("0123456789", min_size=1, max_size=16),
        )
    )
    return prefix + body


@settings(deadline=None, max_examples=400)
@given(st.lists(dialled_numbers(), min_size=1, max_size=30), st.sampled_from(REGIONS))
def test_bulk_pass_answers_exactly_as_the_normalizer(raws: list[str], region: str) -> None:
    """Whatever the vectorized pass answers, ``normalize_phone`` answers the same."""
    import pyarrow as pa

    from linkage.normalize.phone import PhoneNormalizer

    normalizer = PhoneNormalizer(region)
    answered = normalizer.bulk(pa.array(raws, pa.string())).to_pylist()
    for raw, quick in zip(raws, answered, strict=True):
        if quick is not None:
            assert normalize_phone(raw, region) == quick, raw
            assert normalizer(raw) == quick


def test_bulk_pass_reads_the_usual_shapes() -> None:
    import pyarrow as pa

    from linkage.normalize.phone import PhoneNormalizer

    raws = ["13800138000", "+8613800138000", "008613800138000", "1795113800138000",
            "8613800138000", "14800138000", "010 8888 8888", None]  # fmt: skip
    quick = PhoneNormalizer("CN").bulk(pa.array(raws, pa.string())).to_pylist()
    assert quick == ["+8613800138000"] * 4 + [None] * 4
    abroad = PhoneNormalizer("KE").bulk(pa.array(raws, pa.string())).to_pylist()
    assert abroad == [None] + ["+8613800138000"] * 3 + [None] * 4
