"""Victims' own exports (WeChat, Alipay, ICBC): public samples read in place, checked against an
independent parser's reading of the same bytes (double-entry-generator's ``*-output.beancount``),
plus small files for the owner and time-zone rules the samples do not exercise."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from frames import records

from linkage.errors import ConfigError

DEG = "double-entry-generator"
ENTRY = re.compile(r"^(\d{4}-\d{2}-\d{2}) \* ")
POSTING = re.compile(r"^\s+[A-Z][\w:-]* (-?\d+\.\d{2}) CNY$")
TYPE = re.compile(r'^\s+type: "(.*)"$')


def beancount_entries(path: Path) -> list[tuple[str, int, str]]:
    """(local date, fen of the first posting, peer's type 收入/支出/…) per ledger entry."""
    entries: list[tuple[str, int, str]] = []
    date = kind = None
    fen: int | None = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        match = ENTRY.match(line)
        if match:
            date, kind, fen = match.group(1), "", None
        elif date and (m := TYPE.match(line)):
            kind = m.group(1)
        elif date and fen is None and (m := POSTING.match(line)):
            fen = int(abs(Decimal(m.group(1))) * 100)
        elif date and not line.strip():
            assert fen is not None, f"{path}: entry {date} has no posting"
            entries.append((date, fen, kind or ""))
            date = None
    return entries


def kept_rows(table: pd.DataFrame) -> list[tuple[str, int, str]]:
    """(local date, fen, 收入/支出) per kept row, as the peer writes them."""
    local = table["occurred_at"].dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m-%d")
    kinds = table["direction"].map({"in": "收入", "out": "支出"})
    return list(zip(local, table["amount_fen"].astype(int), kinds, strict=True))


# --- Alipay -----------------------------------------------------------------------------------


def test_alipay_sample(samples: Path, read_source) -> None:
    result = read_source(samples, f"{DEG}/alipay/example-alipay-records.csv", "alipay_bill")
    assert (result.rows_read, len(result.table), len(result.rejects)) == (10, 5, 5)
    peer = beancount_entries(samples / DEG / "alipay/example-alipay-output.beancount")
    # The peer books its 7 entries; the 5 of type 收入/支出 are exactly our kept rows. Its two
    # 不计收支 entries (a refund to the credit card, a fund sale into 余额宝) move money between
    # the owner's own purses and pay no counterparty: we reject them no_money_moved. The peer
    # also has no entry for what we reject as 交易关闭 (lines 31, 33), nor for the 不计收支
    # refund on line 32.
    assert sorted(kept_rows(result.table)) == sorted(e for e in peer if e[2] in ("收入", "支出"))
    assert Counter(e[2] for e in peer) == {"支出": 4, "收入": 1, "不计收支": 2}
    assert records(
        result.table.head(3),
        [
            "source_row",
            "account",
            "holder_name",
            "counterparty_name",
            "counterparty_account",
            "counterparty_account_raw",
            "occurred_at",
            "amount_fen",
            "direction",
            "serial_no",
            "status_raw",
            "channel",
            "bank",
        ],
    ) == [
        {
            "source_row": 26,
            "account": "xx@gmail.com",
            "holder_name": "xx",
            "counterparty_name": "xxxxxxxxxxxx",
            "counterparty_account": None,
            "counterparty_account_raw": None,
            "occurred_at": pd.Timestamp("2023-02-12 13:32:14", tz="UTC"),
            "amount_fen": 4974,
            "direction": "out",
            "serial_no": "202302xxxxxx0011000103xxxxxx",
            "status_raw": "交易成功",
            "channel": "交通银行信用卡(7449)",
            "bank": "支付宝",
        },
        {
            "source_row": 27,
            "account": "xx@gmail.com",
            "holder_name": "xx",
            "counterparty_name": "x4***6",
            "counterparty_account": None,
            "counterparty_account_raw": "rim***@qq.com",
            "occurred_at": pd.Timestamp("2023-02-08 06:16:52", tz="UTC"),
            "amount_fen": 2000,
            "direction": "out",
            "serial_no": "2xxxxxxxxxxxxxx0",
            "status_raw": "等待确认收货",
            "channel": "余额",
            "bank": "支付宝",
        },
        {
            "source_row": 30,
            "account": "xx@gmail.com",
            "holder_name": "xx",
            "counterparty_name": "xxxx",
            "counterparty_account": None,
            "counterparty_account_raw": "xxx***@163.com",
            "occurred_at": pd.Timestamp("2023-01-18 02:17:29", tz="UTC"),
            "amount_fen": 22222850,
            "direction": "in",
            "serial_no": "2xxxxxxxxxxxxxxxxxxxxxxxxx9",
            "status_raw": "交易成功",
            "channel": "余额",
            "bank": "支付宝",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column", "value"]) == [
        {"source_row": 28, "reason": "no_money_moved", "column": "收/支", "value": "不计收支"},
        {"source_row": 29, "reason": "no_money_moved", "column": "收/支", "value": "不计收支"},
        {"source_row": 31, "reason": "no_money_moved", "column": "交易状态", "value": "交易关闭"},
        {"source_row": 32, "reason": "no_money_moved", "column": "收/支", "value": "不计收支"},
        {"source_row": 33, "reason": "no_money_moved", "column": "交易状态", "value": "交易关闭"},
    ]


def alipay_file(path: Path, owner_line: str) -> None:
    lines = [
        "------------------------------------------------------------------------------------",
        "导出信息：",
        "姓名：張三",
        owner_line,
        *["说明"] * 19,
        "-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,
        "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,"
        "交易订单号,商家订单号,备注,",
        '2024-05-01 20:15:00 ,转账红包 ,李四 ,lisi@example.com ,转账 ,支出 ,"1,000.00" ,余额 ,'
        "交易成功 ,2024050122001\t,\t, ,",
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))


def test_alipay_owner(tmp_path: Path, read_source) -> None:
    alipay_file(tmp_path / "a.csv", "支付宝账户：ZhangSan@Example.com")
    result = read_source(tmp_path, "a.csv", "alipay_bill", origin="victim")
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "account_raw",
            "holder_name",
            "counterparty_account",
            "counterparty_name",
            "occurred_at",
            "amount_fen",
            "direction",
            "serial_no",
        ],
    ) == [
        {
            "source_row": 26,
            "account": "zhangsan@example.com",
            "account_raw": "ZhangSan@Example.com",
            "holder_name": "张三",
            "counterparty_account": "lisi@example.com",
            "counterparty_name": "李四",
            "occurred_at": pd.Timestamp("2024-05-01 12:15", tz="UTC"),
            "amount_fen": 100000,
            "direction": "out",
            "serial_no": "2024050122001",
        },
    ]
    owned = read_source(tmp_path, "a.csv", "alipay_bill", owner="\t13800138000 ")
    assert owned.table["account"].tolist() == ["13800138000"]
    alipay_file(tmp_path / "masked.csv", "支付宝账户：zha***@example.com")
    masked = read_source(tmp_path, "masked.csv", "alipay_bill")
    assert records(masked.table, ["account", "account_raw"]) == [
        {"account": None, "account_raw": "zha***@example.com"}
    ]
    with pytest.raises(ConfigError, match="owner"):
        read_source(tmp_path, "a.csv", "alipay_bill", owner="6226****5669")


# --- WeChat -----------------------------------------------------------------------------------


def test_wechat_csv_sample(samples: Path, read_source) -> None:
    result = read_source(samples, f"{DEG}/wechat/example-wechat-records.csv", "wechat_bill")
    assert (result.rows_read, len(result.table), len(result.rejects)) == (27, 16, 11)
    peer = beancount_entries(samples / DEG / "wechat/example-wechat-output.beancount")
    # One peer entry per data row (27). The 11 of type "/" are WeChat's neutral entries
    # (top-ups, withdrawals, 零钱通 and 理财通 moves, a card repayment): money moving between the
    # owner's own purses, rejected here no_money_moved. The other 16 are exactly our rows.
    assert len(peer) == 27
    assert sorted(kept_rows(result.table)) == sorted(e for e in peer if e[2] != "/")
    assert Counter(e[2] for e in peer)["/"] == len(result.rejects) == 11
    assert set(result.rejects["reason"]) == {"no_money_moved"}
    assert set(result.rejects["column"]) == {"收/支"}
    assert result.rejects["source_row"].tolist() == list(range(23, 34))
    assert result.table["account"].isna().all()  # the bill names its owner by nickname only
    assert records(
        result.table.head(2),
        [
            "source_row",
            "counterparty_name",
            "occurred_at",
            "amount_fen",
            "direction",
            "serial_no",
            "status_raw",
            "channel",
            "summary",
            "bank",
        ],
    ) == [
        {
            "source_row": 18,
            "counterparty_name": "云膳过桥米线(传奇广场店)",
            "occurred_at": pd.Timestamp("2019-09-26 04:45:27", tz="UTC"),
            "amount_fen": 2816,
            "direction": "out",
            "serial_no": "3985734",
            "status_raw": "支付成功",
            "channel": "中国银行(1234)",
            "summary": "商户消费 | 总共消费:28.16",
            "bank": "微信支付",
        },
        {
            "source_row": 19,
            "counterparty_name": "同性好友",
            "occurred_at": pd.Timestamp("2019-09-24 02:10:11", tz="UTC"),
            "amount_fen": 35,
            "direction": "in",
            "serial_no": "3985734",
            "status_raw": "已存入零钱",
            "channel": None,
            "summary": "微信红包",
            "bank": "微信支付",
        },
    ]
    # ids padded with spaces or tabs come out bare
    assert "42000011202110191201583411" in set(result.table["serial_no"])


def test_wechat_xlsx_sample(samples: Path, read_source) -> None:
    # A source zone other than +08:00: Sheet1 states UTC+08:00 in its notes and wins; the other
    # sheet (no such note) is read in the source's zone.
    result = read_source(
        samples, f"{DEG}/wechat/example-wechat-records.xlsx", "wechat_bill", timezone="Asia/Tokyo"
    )
    assert (result.rows_read, len(result.table), len(result.rejects)) == (54, 32, 22)
    peer = beancount_entries(samples / DEG / "wechat/example-wechat-output.beancount")
    money = sorted(e for e in peer if e[2] != "/")
    sheet1 = result.table[result.table["source_sheet"] == "Sheet1"]
    first = result.table[result.table["source_sheet"] == "example-wechat-records"]
    assert sorted(kept_rows(sheet1)) == money  # numeric amounts (28.16) read to the fen
    assert sheet1["source_row"].tolist() == [19, 20, 21, 22, 23, *range(35, 46)]
    assert sheet1["occurred_at"].iloc[0] == pd.Timestamp("2019-09-26 04:45:27", tz="UTC")
    # Same wall-clock text, read as Tokyo time: an hour earlier in UTC.
    assert first["occurred_at"].iloc[0] == pd.Timestamp("2019-09-26 03:45:27", tz="UTC")
    assert first["amount_fen"].tolist() == sheet1["amount_fen"].tolist()
    assert (result.rejects.groupby("source_sheet")["reason"].count() == 11).all()


def test_wechat_owner_from_case(tmp_path: Path, read_source) -> None:
    preamble = ["微信支付账单明细,,,,,,,,,,", "微信昵称：[受害人],,,,,,,,,,", *[",,,,,,,,,,"] * 14]
    lines = [
        *preamble,
        "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注",
        "2024-05-01 20:15:00,转账,张三,/,支出,¥500.00,零钱,对方已收钱,1000050001 ,/ ,/",
        "2024-05-01 20:16:00,零钱提现,中国银行(1234),/,/,¥500.00,零钱,提现已到账,2000 ,/ ,/",
    ]
    (tmp_path / "w.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_source(tmp_path, "w.csv", "wechat_bill", origin="victim", owner="wxid_Abc")
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "occurred_at",
            "amount_fen",
            "direction",
            "counterparty_name",
            "origin",
        ],
    ) == [
        {
            "source_row": 18,
            "account": "wxid_Abc",
            "occurred_at": pd.Timestamp("2024-05-01 12:15", tz="UTC"),
            "amount_fen": 50000,
            "direction": "out",
            "counterparty_name": "张三",
            "origin": "victim",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 19, "reason": "no_money_moved", "column": "收/支"}
    ]


# --- ICBC -------------------------------------------------------------------------------------

ICBC_IGNORED = re.compile(r"财付通|支付宝|自动还款")
"""What the peer's personalRules (rules.yaml beside each sample) tell it to skip: rows whose
交易场所 names 财付通/支付宝 (payments it books from the WeChat and Alipay bills instead), Alipay
fund redemptions and automatic card repayments. We keep them: they are money on the card."""


@pytest.mark.parametrize(
    ("layout", "rows", "kept", "trailer", "peer_count"),
    [
        ("credit", 11, 9, ("合计金额", 18), 4),
        ("debit-v1", 13, 11, ("人民币合计", 20), 7),
        ("debit-v2", 13, 11, ("人民币合计", 20), 7),
    ],
)
def test_icbc_samples(samples: Path, read_source, layout, rows, kept, trailer, peer_count) -> None:
    folder = samples / DEG / "icbc" / layout
    result = read_source(
        samples, f"{DEG}/icbc/{layout}/example-icbc-{layout}-records.csv", "icbc_statement"
    )
    assert (result.rows_read, len(result.table)) == (rows, kept)
    assert records(result.rejects, ["source_row", "reason"]) == [
        {"source_row": trailer[1] - 1, "reason": "blank_row"},
        {"source_row": trailer[1], "reason": "summary_row"},
    ]
    assert result.rejects["value"].iloc[1].startswith(trailer[0])
    peer = beancount_entries(folder / f"example-icbc-{layout}-output.beancount")
    assert len(peer) == peer_count
    table = result.table
    skipped_by_peer = table["summary"].fillna("").str.contains(ICBC_IGNORED) | table[
        "channel"
    ].fillna("").str.contains(ICBC_IGNORED)
    assert int(skipped_by_peer.sum()) == kept - peer_count
    assert sorted(kept_rows(table[~skipped_by_peer])) == sorted(peer)
    # Date-only rows: midnight in Asia/Shanghai. The masked card is never the key.
    assert (table["occurred_at"].dt.tz_convert("Asia/Shanghai").dt.hour == 0).all()
    assert table["account"].isna().all()
    assert table["account_raw"].str.contains(r"\*\*\*\*", regex=True).all()
    assert (table["bank"] == "中国工商银行").all()
    assert table["currency"].eq("人民币").all()


def test_icbc_credit_balance_and_debit_placeholder(samples: Path, read_source) -> None:
    credit = read_source(
        samples, f"{DEG}/icbc/credit/example-icbc-credit-records.csv", "icbc_statement"
    )
    assert records(
        credit.table.head(1),
        [
            "source_row",
            "occurred_at",
            "amount_fen",
            "direction",
            "balance_fen",
            "channel",
            "summary",
        ],
    ) == [
        {
            "source_row": 8,
            "occurred_at": pd.Timestamp("2023-04-21 16:00", tz="UTC"),
            "amount_fen": 1,
            "direction": "out",
            "balance_fen": -608611,
            "channel": "银联在线支付",
            "summary": "XX旗舰店",
        },
    ]
    debit = read_source(
        samples, f"{DEG}/icbc/debit-v2/example-icbc-debit-v2-records.csv", "icbc_statement"
    )
    # 余额 is the placeholder xx,yyyy.zz on every row: null balances, every row kept.
    assert debit.table["balance_fen"].isna().all()
    assert records(
        debit.table.head(1),
        [
            "counterparty_account",
            "counterparty_account_raw",
            "counterparty_name",
            "amount_fen",
            "direction",
        ],
    ) == [
        {
            "counterparty_account": None,
            "counterparty_account_raw": "1234****9876",
            "counterparty_name": "深圳市财付通支付科技有限公司",
            "amount_fen": 1340,
            "direction": "out",
        },
    ]


def test_icbc_unmasked_card_and_bad_amount(tmp_path: Path, read_source) -> None:
    header = (
        "交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),"
        "交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名"
    )
    lines = [
        "明细查询文件下载",
        "",
        '卡号: 6222021234567890123,"卡别名: "',
        "",
        '子账户序号: 00000,子账户类别: 活期,"子账户别名: "',
        "",
        header,
        '2024-05-01 \t,"网转 \t"," \t","CHN \t",钞 \t,"- \t","- \t",- \t," \t",'
        '"1,000.00 \t",人民币 \t,"5,000.00 \t","张三 \t",',
        '2024-05-02 \t,"网转 \t"," \t","CHN \t",钞 \t,"- \t","- \t",- \t,"1O.00 \t",'
        '" \t",人民币 \t,"5,000.00 \t","张三 \t",',
        '2024-05-03 \t,"网转 \t"," \t","CHN \t",钞 \t,"- \t","- \t",- \t," \t",'
        '" \t",人民币 \t,"5,000.00 \t","张三 \t",',
    ]
    (tmp_path / "icbc.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_source(tmp_path, "icbc.csv", "icbc_statement")
    assert records(
        result.table, ["account", "amount_fen", "direction", "balance_fen", "counterparty_name"]
    ) == [
        {
            "account": "6222021234567890123",
            "amount_fen": 100000,
            "direction": "out",
            "balance_fen": 500000,
            "counterparty_name": "张三",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 9, "reason": "bad_amount", "column": "记账金额(收入)"},
        {"source_row": 10, "reason": "missing_value", "column": "记账金额(收入)"},
    ]


def test_alipay_row_without_a_status_is_read(tmp_path: Path, read_source) -> None:
    """An empty 交易状态 is not a closed trade (and must not crash the closed-trade test)."""
    header = "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,"
    row = "2023-02-12 21:32:14,转账,李四,,转账,支出,49.74,余额,,2023021200001,,,"
    (tmp_path / "alipay.csv").write_bytes(f"{header}\n{row}\n".encode("gb18030"))
    result = read_source(tmp_path, "alipay.csv", "alipay_bill", origin="victim")
    assert result.table["amount_fen"].tolist() == [4974]
