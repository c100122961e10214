"""Sniffing picks exactly one format per file, says why, and refuses to guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkage.errors import SourceError
from linkage.load.sniff import sniff

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "den-2016"

EXPECTED = {
    ("seized/den-k/dial_list.csv", "calls"): "dial_list",
    ("seized/den-k/main.db", "chats"): "skype_messages",
    ("seized/den-k/main.db", "calls"): "skype_calls",
    ("seized/den-k/ledger.xlsx", "transactions"): "den_ledger",
    ("bank/6100000020160412093000", "transactions"): "bank_return_folder",
    ("bank/6100000020160415100000", "transactions"): "bank_return_folder",
    ("bank/6100000020160412093000/账户信息.csv", "accounts"): "bank_accounts",
    ("bank/6100000020160415100000/账户信息.csv", "accounts"): "bank_accounts",
    ("telecom/13912345678_话单.csv", "calls"): "call_records",
    ("victims/v1_icbc_debit.csv", "transactions"): "icbc_statement",
    ("police/roster.xlsx", "persons"): "roster",
    ("immigration/exit_entry.csv", "travel"): "immigration_records",
    ("police/victims.xlsx", "victims"): "victim_list",
}


@pytest.mark.parametrize(("path", "kind"), sorted(EXPECTED))
def test_sample_case_files_sniff_to_one_format(path: str, kind: str) -> None:
    assert sniff(SAMPLE / path, path, kind).format.name == EXPECTED[(path, kind)]


@pytest.mark.parametrize(("path", "kind"), sorted(EXPECTED))
def test_sniffing_without_a_kind_agrees(path: str, kind: str) -> None:
    if path.endswith("main.db"):
        with pytest.raises(
            SourceError, match="ambiguous format, it matches skype_calls, skype_messages"
        ):
            sniff(SAMPLE / path, path)
        return
    assert sniff(SAMPLE / path, path).format.name == EXPECTED[(path, kind)]


def test_the_reason_names_the_matching_header_words() -> None:
    found = sniff(SAMPLE / "seized/den-k/dial_list.csv", "dial_list.csv")
    assert found.encoding == "gb18030"
    assert "分机号" in found.why and "任务ID" in found.why and "line 1" in found.why


@pytest.mark.parametrize(
    ("relative", "kind", "expected"),
    [
        ("double-entry-generator/alipay/example-alipay-records.csv", "transactions", "alipay_bill"),
        ("double-entry-generator/wechat/example-wechat-records.csv", "transactions", "wechat_bill"),
        (
            "double-entry-generator/wechat/example-wechat-records.xlsx",
            "transactions",
            "wechat_bill",
        ),
        (
            "double-entry-generator/icbc/credit/example-icbc-credit-records.csv",
            "transactions",
            "icbc_statement",
        ),
        (
            "double-entry-generator/icbc/debit-v2/example-icbc-debit-v2-records.csv",
            "transactions",
            "icbc_statement",
        ),
        ("plaso/skype_main.db", "chats", "skype_messages"),
        ("plaso/skype_main.db", "calls", "skype_calls"),
    ],
)
def test_public_samples_sniff(samples: Path, relative: str, kind: str, expected: str) -> None:
    assert sniff(samples / relative, relative, kind).format.name == expected


def test_unknown_headers_give_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("日期,天气,心情,备注\n2016-03-10,晴,好,\n", encoding="utf-8")
    with pytest.raises(
        SourceError, match=r"notes.csv: unknown format \(header words seen: 备注, 天气"
    ):
        sniff(path, "notes.csv")


def test_an_unknown_layout_names_the_closest_formats(tmp_path: Path) -> None:
    path = tmp_path / "new_bank.csv"
    path.write_text("交易时间,交易金额,收付标志,备注\n2016-03-10,1.00,进,\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"closest known formats: bank_transactions \(1/2\)"):
        sniff(path, "new_bank.csv", "transactions")


def test_a_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        SourceError, match=r"case.toml says kind calls, but the file looks like roster"
    ):
        sniff(SAMPLE / "police/roster.xlsx", "roster.xlsx", "calls")


def test_unreadable_files(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes((SAMPLE / "police/roster.xlsx").read_bytes()[:700])
    with pytest.raises(SourceError, match=r"cut.xlsx: not a readable xlsx/xls workbook"):
        sniff(truncated, "cut.xlsx")
    binary = tmp_path / "blob.csv"
    binary.write_bytes(bytes(range(128, 256)) * 40 + b"\n" + bytes(range(128, 256)) * 40)
    with pytest.raises(SourceError, match=r"blob.csv: not text in UTF-8 or GB18030"):
        sniff(binary, "blob.csv")
    with pytest.raises(SourceError, match=r"missing.csv: no such file or folder"):
        sniff(tmp_path / "missing.csv", "missing.csv")
    image = tmp_path / "photo.jpg"
    image.write_bytes(b"\xff\xd8\xff")
    with pytest.raises(SourceError, match=r"photo.jpg: .jpg is not a format linkage reads"):
        sniff(image, "photo.jpg")


def test_a_named_format_must_fit_the_file() -> None:
    from linkage.load.formats import FORMATS
    from linkage.load.sniff import confirm

    dial = SAMPLE / "seized/den-k/dial_list.csv"
    assert "任务ID" in confirm(dial, "dial_list.csv", FORMATS["dial_list"]).why
    with pytest.raises(SourceError, match="names format call_records, but no header row fits"):
        confirm(SAMPLE / "police/roster.xlsx", "roster.xlsx", FORMATS["call_records"])


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        (
            "交易卡号,交易账号,交易时间,交易金额,收付标志,交易对手账卡号,查询反馈结果原因\n",
            "transactions",
            "bank_transactions",
        ),
        (
            "name,passport_no,nationality,country,direction,date,source\n",
            "travel",
            "travel_transcribed",
        ),
    ],
)
def test_loose_tables_sniff(tmp_path: Path, text: str, kind: str, expected: str) -> None:
    path = tmp_path / "loose.csv"
    path.write_text(text, encoding="utf-8")
    assert sniff(path, "loose.csv", kind).format.name == expected
    assert sniff(path, "loose.csv").format.name == expected
