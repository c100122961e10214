"""case.toml is checked before a row is read, and every mistake names its key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from linkage.errors import ConfigError
from linkage.load.config import read_config

GOOD = """
[case]
name = "den-2016"
timezone = "Asia/Shanghai"
seized_at = "2016-04-08T10:00:00+03:00"
known_group_accounts = ["6222020200001234567"]

[[source]]
path = "dial.csv"
kind = "calls"
origin = "seized"
timezone = "Africa/Nairobi"
den = "den-k"
format = "dial_list"

[[source]]
path = "main.db"
kind = "chats"
origin = "seized"

[[source]]
path = "main.db"
kind = "calls"
origin = "seized"
owner = "gen.beringer"
"""


def write_case(tmp_path: Path, text: str, files: tuple[str, ...] = ("dial.csv", "main.db")) -> Path:
    for name in files:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "case.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_reads_case_facts_and_sources(tmp_path: Path) -> None:
    config = read_config(write_case(tmp_path, GOOD))
    assert config.name == "den-2016"
    assert config.seized_at == dt.datetime(2016, 4, 8, 7, 0, tzinfo=dt.UTC)
    assert config.facts == {"known_group_accounts": ["6222020200001234567"]}
    dial, chats, calls = config.sources
    assert (dial.kind, dial.timezone, dial.den, dial.format) == (
        "calls",
        "Africa/Nairobi",
        "den-k",
        "dial_list",
    )
    assert (chats.kind, chats.format, chats.timezone) == ("chats", "auto", None)
    assert calls.owner == "gen.beringer"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "calls"', 'kind = "phonecalls"'), "kind 'phonecalls' is not one of"),
        (('origin = "seized"\ntimezone', 'origin = "den"\ntimezone'), "origin 'den' is not one of"),
        (('"Africa/Nairobi"', '"Kenya"'), "'Kenya' is not an IANA time zone"),
        (('"2016-04-08T10:00:00+03:00"', '"2016-04-08T10:00:00"'), "needs an offset"),
        (('path = "dial.csv"', 'path = "missing.csv"'), "#1 (missing.csv): path does not exist"),
        (('name = "den-2016"', ""), "[case]: name is required"),
        (('timezone = "Africa/Nairobi"', 'timzone = "Africa/Nairobi"'), "unknown keys timzone"),
        (('timezone = "Asia/Shanghai"', 'tz = "Asia/Shanghai"'), "[case]: unknown keys tz"),
        (('owner = "gen.beringer"', 'region = "CHN"'), "region 'CHN' is not a two-letter"),
        (('path = "dial.csv"', 'path = "../dial.csv"'), "path must be relative to the case"),
        (("[case]", "[rulez]\nx = 1\n\n[case]"), "unknown tables rulez"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    write_case(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError, match=_escape(message)):
        read_config(tmp_path)


def test_same_file_twice_with_the_same_kind_is_refused(tmp_path: Path) -> None:
    write_case(
        tmp_path,
        GOOD.replace(
            'kind = "calls"\norigin = "seized"\nowner', 'kind = "chats"\norigin = "seized"\nowner'
        ),
    )
    with pytest.raises(ConfigError, match="listed twice"):
        read_config(tmp_path)


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no case.toml"):
        read_config(tmp_path)
    (tmp_path / "case.toml").write_text("[case\nname=", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        read_config(tmp_path)
    (tmp_path / "case.toml").write_text('[case]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="no \\[\\[source\\]\\] entries"):
        read_config(tmp_path)


def _escape(text: str) -> str:
    import re

    return re.escape(text)
