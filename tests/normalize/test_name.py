from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.errors import InvalidIdentifier, InvalidValue
from linkage.normalize import normalize_handle, normalize_name
from linkage.rejects import RejectReason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张伟", "张伟"),
        ("張偉", "张伟"),
        (" 张 伟 ", "张伟"),
        ("张\u3000伟", "张伟"),
        ("\t张\u00a0伟", "张伟"),
        ("陳麗華", "陈丽华"),
        ("买买提·艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提・艾力", "买买提·艾力"),
        ("买买提.艾力", "买买提·艾力"),
        ("张\u200b伟", "张伟"),
        ("ＺＨＡＮＧ Ｗｅｉ", "ZHANGWei"),
        ("薴", "苎"),
    ],
)
def test_names(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", "-", "\\N", "\u200b"])
def test_empty_names(raw: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_name(raw)
    assert caught.value.reason == RejectReason.EMPTY_IDENTIFIER


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8:live:.cid.ABC123", "live:.cid.abc123"),
        ("live:.cid.abc123", "live:.cid.abc123"),
        (" 8:Zhang.San ", "zhang.san"),
        ("wxid_AbC123", "wxid_abc123"),
        ("12345678@chatroom", "12345678@chatroom"),
        ("@Telegram_User", "@telegram_user"),
    ],
)
def test_handles(raw: str, expected: str) -> None:
    assert normalize_handle(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", "8:", "-"])
def test_empty_handles(raw: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_handle(raw)
    assert caught.value.reason == RejectReason.EMPTY_IDENTIFIER


@settings(deadline=None)  # the first call loads OpenCC's dictionaries
@given(st.text())
def test_names_never_crash_and_are_idempotent(raw: str) -> None:
    try:
        result = normalize_name(raw)
    except InvalidValue:
        return
    assert result and not any(ch.isspace() for ch in result)
    assert normalize_name(result) == result


TRADITIONAL = "張陳劉楊黃趙吳周鄭馮錢孫衛蔣韓鍾鄧蕭薴乾隆發財龍鳳麗華偉強軍東國"


@settings(deadline=None)
@given(st.text(TRADITIONAL + "·• \u3000", min_size=1, max_size=8))
def test_chinese_names_are_idempotent(raw: str) -> None:
    try:
        result = normalize_name(raw)
    except InvalidValue:
        return
    assert normalize_name(result) == result


@settings(deadline=None)
@given(st.text())
def test_handles_never_crash_and_are_idempotent(raw: str) -> None:
    try:
        result = normalize_handle(raw)
    except InvalidValue:
        return
    assert result == result.strip()
    assert not result.startswith("8:")
    assert normalize_handle(result) == result
