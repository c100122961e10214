"""The 资金查控 return folder and loose 交易明细 tables, on files written in the real form."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from linkage.load.formats import FORMATS
from linkage.load.readers.bank_return import COLUMNS_31, bank_of, is_return_folder

FOLDER = "bank/0123456720210304102345"
COLUMNS_29 = [c for c in COLUMNS_31 if c not in ("商户名称", "交易类型")]
CARD = "6222021234567890123"
INTERNAL = "12345678901234567890"


def gb_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """Write a GB18030 CSV the way the platform does: CRLF, ``\\t``-prefixed cells."""
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(row.get(h.rstrip("*"), "") for h in header))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def t(value: str) -> str:
    return "\t" + value


def records(frame: pd.DataFrame, names: list[str]) -> list[dict[str, object]]:
    """Rows as plain dicts, with every kind of null as None."""
    part = frame[names].astype(object)
    return part.where(part.notna(), None).to_dict("records")


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / FOLDER
    header_31 = [h + "*" if h in ("交易卡号", "交易时间", "交易金额") else h for h in COLUMNS_31]
    gb_csv(
        folder / "中国工商银行交易明细信息.csv",
        header_31,
        [
            # Holder cells empty: filled from 账户信息 by the card. Signed amount, merchant id.
            {
                "交易卡号": t(CARD + "_156_1"),
                "交易账号": t(INTERNAL + "_156_1"),
                "交易方户名": "",
                "交易方证件号码": r"\N",
                "交易时间": t("2021-03-04 10:23:45"),
                "交易金额": t("-5000.00"),
                "交易余额": t("1000.00"),
                "收付标志": t("出"),
                "交易对手账卡号": t("1234567890"),
                "现金标志": "其它",
                "对手户名": r"\N",
                "对手身份证号": "-",
                "摘要说明": t("网银转账"),
                "交易币种": "CNY",
                "交易是否成功": "01",
                "交易流水号": t("SN001"),
                "商户名称": "某商户",
                "交易类型": "网银",
                "查询反馈结果原因": r"\N",
            },
            # No card: the internal account is the key, and fills the holder.
            {
                "交易卡号": r"\N",
                "交易账号": t(INTERNAL),
                "交易时间": t("2021-03-05 08:00:00"),
                "交易金额": t("20000.5"),
                "收付标志": t("进"),
                "交易对手账卡号": t("6228480000000000001_156_1"),
                "对手户名": t("李四"),
                "对手身份证号": t("110101199003071233"),
                "对手开户银行": "中国农业银行",
                "交易是否成功": "01",
                "查询反馈结果原因": "",
            },
            {"交易卡号": t(CARD), "查询反馈结果原因": "查无此账户交易"},
            {
                "交易卡号": t(CARD),
                "交易时间": t("2021-03-06 09:00:00"),
                "交易金额": t("10.00"),
                "收付标志": r"\N",
            },
        ],
    )
    gb_csv(
        folder / "中国建设银行交易明细信息.csv",
        COLUMNS_29,
        [
            # Holder ID given, name empty and the card unknown to 账户信息: name from 人员信息.
            {
                "交易卡号": t("6217000000000000011"),
                "交易方证件号码": t("110105198001010024"),
                "交易时间": "20210307121500",
                "交易金额": "300.00",
                "收付标志": "进",
                "交易对手账卡号": t(CARD),
                "对手户名": "张三",
                "交易是否成功": "00",
            },
            {"交易卡号": t("6217000000000000011"), "查询反馈结果原因": "查询失败"},
        ],
    )
    gb_csv(
        folder / "账户信息.csv",
        [
            "账户开户名称",
            "开户人证件号码",
            "交易卡号",
            "交易账号",
            "账号开户时间",
            "账户余额",
            "币种",
            "账户状态",
            "销户日期",
            "账号开户银行",
            "查询反馈结果原因",
        ],
        [
            {
                "账户开户名称": "张三",
                "开户人证件号码": t("440304198512123013"),
                "交易卡号": t(CARD + "_156_1"),
                "交易账号": t(INTERNAL + "_156_1"),
                "账号开户时间": "2015-01-01 09:30:00",
                "账户状态": "正常",
                "账号开户银行": "中国工商银行",
            }
        ],
    )
    persons = ["客户名称", "证照类型", "证照号码", "联系手机", "查询反馈结果原因"]
    gb_csv(
        folder / "人员信息.csv",
        persons,
        [
            {
                "客户名称": "王五",
                "证照类型": "居民身份证",
                "证照号码": t("110105198001010024"),
                "联系手机": "13800138000",
            }
        ],
    )
    gb_csv(
        folder / "子账户信息.csv", ["交易卡号", "子账户账号", "子账户类别"], [{"交易卡号": CARD}]
    )
    return tmp_path


def test_folder_signature(case: Path, tmp_path: Path) -> None:
    assert is_return_folder(case / FOLDER)
    loose = tmp_path / "loose"
    loose.mkdir()
    assert not is_return_folder(loose)
    (loose / "中国银行交易明细信息.csv").write_bytes(b"")
    assert is_return_folder(loose)
    named = tmp_path / "0123456720219999102345"  # month 99: not a time stamp
    named.mkdir()
    assert not is_return_folder(named)
    assert not is_return_folder(case / FOLDER / "账户信息.csv")
    assert (
        FORMATS["bank_return_folder"]
        .describe_signature()
        .startswith("folder: A folder named by 22 digits ending yyyyMMddHHmmss")
    )


def test_folder_is_one_source(case: Path, read_source) -> None:
    result = read_source(case, FOLDER, "bank_return_folder")
    icbc = f"{FOLDER}/中国工商银行交易明细信息.csv"
    ccb = f"{FOLDER}/中国建设银行交易明细信息.csv"
    assert result.rows_read == 6  # 4 + 2 transaction rows; support files count nothing
    assert result.files == (icbc, ccb, f"{FOLDER}/人员信息.csv", f"{FOLDER}/账户信息.csv")
    table = result.table.sort_values("occurred_at").reset_index(drop=True)
    got = records(
        table,
        [
            "source_file",
            "source_row",
            "account",
            "account_raw",
            "holder_name",
            "holder_id",
            "counterparty_account",
            "counterparty_account_raw",
            "counterparty_name",
            "counterparty_id",
            "occurred_at",
            "amount_fen",
            "direction",
            "balance_fen",
            "bank",
            "status_raw",
            "channel",
            "serial_no",
        ],
    )
    assert got == [
        {
            "source_file": icbc,
            "source_row": 2,
            "account": CARD,
            "account_raw": CARD + "_156_1",
            "holder_name": "张三",
            "holder_id": "440304198512123013",
            "counterparty_account": "1234567890",
            "counterparty_account_raw": "1234567890",
            "counterparty_name": None,
            "counterparty_id": None,
            "occurred_at": pd.Timestamp("2021-03-04 02:23:45", tz="UTC"),
            "amount_fen": 500000,
            "direction": "out",
            "balance_fen": 100000,
            "bank": "中国工商银行",
            "status_raw": "01",
            "channel": "网银",
            "serial_no": "SN001",
        },
        {
            "source_file": icbc,
            "source_row": 3,
            "account": INTERNAL,
            "account_raw": INTERNAL,
            "holder_name": "张三",
            "holder_id": "440304198512123013",
            "counterparty_account": "6228480000000000001",
            "counterparty_account_raw": "6228480000000000001_156_1",
            "counterparty_name": "李四",
            "counterparty_id": "110101199003071233",
            "occurred_at": pd.Timestamp("2021-03-05 00:00:00", tz="UTC"),
            "amount_fen": 2000050,
            "direction": "in",
            "balance_fen": None,
            "bank": "中国工商银行",
            "status_raw": "01",
            "channel": None,
            "serial_no": None,
        },
        {
            "source_file": ccb,
            "source_row": 2,
            "account": "6217000000000000011",
            "account_raw": "6217000000000000011",
            "holder_name": "王五",
            "holder_id": "110105198001010024",
            "counterparty_account": CARD,
            "counterparty_account_raw": CARD,
            "counterparty_name": "张三",
            "counterparty_id": None,
            "occurred_at": pd.Timestamp("2021-03-07 04:15:00", tz="UTC"),
            "amount_fen": 30000,
            "direction": "in",
            "balance_fen": None,
            "bank": "中国建设银行",
            "status_raw": "00",
            "channel": None,
            "serial_no": None,
        },
    ]
    rejects = result.rejects[["source_file", "source_row", "reason", "column"]]
    assert rejects.to_dict("records") == [
        {
            "source_file": icbc,
            "source_row": 4,
            "reason": "failed_status",
            "column": "查询反馈结果原因",
        },
        {"source_file": icbc, "source_row": 5, "reason": "missing_value", "column": "收付标志"},
        {
            "source_file": ccb,
            "source_row": 3,
            "reason": "failed_status",
            "column": "查询反馈结果原因",
        },
    ]
    assert (result.table["origin"] == "seized").all()
    assert result.notes[-1] == (
        f"{FOLDER}: holder names filled on 2 rows from 账户信息 and 1 from 人员信息; "
        "holder IDs on 2 rows from 账户信息"
    )


def test_folder_without_transactions_is_an_error(tmp_path: Path, read_source) -> None:
    from linkage.errors import SourceError

    (tmp_path / FOLDER).mkdir(parents=True)
    with pytest.raises(SourceError, match=r"no \*交易明细信息\.csv"):
        read_source(tmp_path, FOLDER, "bank_return_folder")


def test_loose_table_is_not_filled(case: Path, read_source) -> None:
    path = f"{FOLDER}/中国建设银行交易明细信息.csv"
    result = read_source(case, path, "bank_transactions")
    assert result.rows_read == 2
    assert records(result.table, ["holder_name", "holder_id", "bank"]) == [
        {"holder_name": None, "holder_id": "110105198001010024", "bank": "中国建设银行"}
    ]
    assert result.rejects["reason"].tolist() == ["failed_status"]


def test_loose_xlsx(tmp_path: Path, read_source) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS_29)
    row = dict.fromkeys(COLUMNS_29, "")
    row.update(
        {
            "交易卡号": CARD,
            "交易时间": "2021-03-04 10:23:45",
            "交易金额": -88.5,
            "收付标志": "出",
            "交易对手账卡号": "6228480000000000001",
        }
    )
    sheet.append([row[c] for c in COLUMNS_29])
    row.update({"交易卡号": 6.222021234567890e18})  # typed as a number: digits lost
    sheet.append([row[c] for c in COLUMNS_29])
    workbook.save(tmp_path / "return.xlsx")
    result = read_source(tmp_path, "return.xlsx", "bank_transactions")
    assert records(result.table, ["account", "amount_fen", "direction", "bank"]) == [
        {"account": CARD, "amount_fen": 8850, "direction": "out", "bank": None}
    ]
    assert result.rejects[["source_row", "reason", "column"]].values.tolist() == [
        [3, "id_mangled", "交易卡号"]
    ]


def test_bank_of() -> None:
    assert bank_of("a/中国农业银行交易明细信息.csv") == "中国农业银行"
    assert bank_of("资金交易明细.csv") is None
