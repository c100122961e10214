"""A layout no reader knows, loaded through a case.toml column mapping alone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from linkage import load_case
from linkage.errors import ConfigError, SourceError

CARRIER = (
    "某运营商话单导出 2016年3月\n"
    "本方号码,对方,呼叫时刻,秒数,方向,基站\n"
    "13912345678,02168881234,20160310100003,1178,接听,4102\n"
    "13912345678,13800138000,20160310120000,65,拨出,4102\n"
    "13912345678,13800138000,2016-13-01 00:00:00,5,拨出,4102\n"
    "13912345678,13800138000,20160310130000,5,转接,4102\n"
)

MAPPED = """
[case]
name = "mapped"
timezone = "Asia/Shanghai"

[[source]]
path = "odd.csv"
kind = "calls"
origin = "telecom"
[source.mapping]
own_number = "本方号码"
other_number = "对方"
started_at = "呼叫时刻"
duration_s = 4
direction = "方向"
direction_values = { out = ["拨出"], in = ["接听"] }
"""


def case_with(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "odd.csv").write_bytes(CARRIER.encode("gb18030"))
    (tmp_path / "case.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def test_a_made_up_carrier_layout_loads_through_the_mapping(tmp_path: Path) -> None:
    case = load_case(case_with(tmp_path, MAPPED))
    (source,) = case.sources
    assert (source.format, source.rows_read, source.rows_kept, source.rows_rejected) == (
        "mapped",
        4,
        2,
        2,
    )
    calls = case.calls
    assert calls["source_row"].tolist() == [3, 4]
    assert calls["caller"].tolist() == ["+862168881234", "+8613912345678"]
    assert calls["callee"].tolist() == ["+8613912345678", "+8613800138000"]
    assert calls["direction"].tolist() == ["in", "out"]
    assert calls["duration_s"].tolist() == [1178, 65]
    assert calls["started_at"].tolist() == [
        pd.Timestamp("2016-03-10 02:00:03", tz="UTC"),
        pd.Timestamp("2016-03-10 04:00:00", tz="UTC"),
    ]
    rejects = case.rejects[["source_row", "reason", "column"]].values.tolist()
    assert rejects == [[5, "unparseable_time", "呼叫时刻"], [6, "bad_direction", "方向"]]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (
            ('other_number = "对方"', 'other_nmber = "对方"'),
            ConfigError,
            "unknown keys other_nmber",
        ),
        (('started_at = "呼叫时刻"\n', ""), ConfigError, "mapping lacks started_at"),
        (('kind = "calls"', 'kind = "persons"'), ConfigError, "a mapping reads calls"),
        (('"呼叫时刻"', '"通话时间"'), SourceError, "mapped headers not in the file: 通话时间"),
    ],
)
def test_mapping_mistakes_are_named(
    tmp_path: Path, change: tuple[str, str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        load_case(case_with(tmp_path, MAPPED.replace(*change)))


def test_a_signed_amount_gives_the_direction_of_a_mapped_transaction(tmp_path: Path) -> None:
    (tmp_path / "bank.csv").write_text(
        "账号,时间,发生额,对方账号\n"
        '6222020200001234567,2016-03-10 10:40:00,"150,000.00",6222021001112223334\n'
        "6222020200001234567,2016-03-10 10:45:00,-149000.00,6230580000012345678\n",
        encoding="utf-8",
    )
    (tmp_path / "case.toml").write_text(
        '[case]\nname = "m"\n[[source]]\npath = "bank.csv"\nkind = "transactions"\n'
        'origin = "bank"\n[source.mapping]\naccount = "账号"\noccurred_at = "时间"\n'
        'amount_fen = "发生额"\ncounterparty_account = "对方账号"\n',
        encoding="utf-8",
    )
    money = load_case(tmp_path).transactions
    assert money["amount_fen"].tolist() == [15000000, 14900000]
    assert money["direction"].tolist() == ["in", "out"]
    assert money["counterparty_account"].tolist() == ["6222021001112223334", "6230580000012345678"]
