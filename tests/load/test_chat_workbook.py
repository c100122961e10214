"""Forensic-tool chat tables (美亚/盘古石 style), written with openpyxl or as CSV under tmp_path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd

from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

Reader = Callable[..., ReadResult]


def col(frame: pd.DataFrame, name: str) -> list[object]:
    """A column as plain Python values, with None for every kind of null."""
    return [None if pd.api.types.is_scalar(v) and pd.isna(v) else v for v in frame[name]]


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


HEADER = ["序号", "应用", "会话", "发送人", "接收人", "发送时间", "消息类型", "内容"]


def write_workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "聊天记录"
    sheet.append(["检材编号 JC-2023-017  导出时间 2023-05-01"])
    sheet.append(HEADER)
    first = dt.datetime(2023, 4, 2, 21, 15, 7)
    sheet.append([1, "微信", "三线组@chatroom", "wxid_Zhou88", "", first, "文本", "今晚换话术"])
    sms = dt.datetime(2023, 4, 2, 21, 16)
    sheet.append([2, "短信", "", "138 0013 8000", "+86 139 0013 9000", sms, "短信", "验证码 4821"])
    sheet.append([3, "QQ", "", "", "10001", dt.datetime(2023, 4, 2, 22, 0), "文本", "no sender"])
    sheet.append([4, "微信", "", "wxid_zhou88", "", "昨天", "文本", "text time"])
    sheet.append([5, "微信", "", "wxid_zhou88", "", dt.datetime(1985, 1, 1), "文本", "too old"])
    sheet.append([6, "Line", "", "Zhou", "Wei", "2023-04-03 08:00:00", "text", "hi"])
    book.save(path)


def test_workbook(tmp_path: Path, read_source: Reader) -> None:
    write_workbook(tmp_path / "手机聊天.xlsx")
    result = read_source(tmp_path, "手机聊天.xlsx", "chat_xlsx")
    assert result.rows_read == 6
    table = result.table
    assert col(table, "source_row") == [3, 4, 8]
    assert set(col(table, "source_sheet")) == {"聊天记录"}
    assert col(table, "channel") == ["wechat", "sms", "line"]
    assert col(table, "conversation") == ["三线组@chatroom", None, None]
    assert col(table, "sender") == ["wxid_zhou88", "+8613800138000", "zhou"]
    assert col(table, "sender_raw") == ["wxid_Zhou88", "138 0013 8000", "Zhou"]
    assert col(table, "recipient") == [None, "+8613900139000", "wei"]
    assert col(table, "sent_at") == [
        utc("2023-04-02 13:15:07"),
        utc("2023-04-02 13:16:00"),
        utc("2023-04-03 00:00:00"),
    ]
    assert col(table, "body") == ["今晚换话术", "验证码 4821", "hi"]
    assert col(table, "body_raw") == col(table, "body")
    assert col(table, "message_type") == ["文本", "短信", "text"]
    rejects = result.rejects
    assert list(
        zip(
            col(rejects, "source_row"),
            col(rejects, "reason"),
            col(rejects, "column"),
            col(rejects, "value"),
            strict=True,
        )
    ) == [
        (5, "empty_identifier", "发送人", ""),
        (6, "unparseable_time", "发送时间", "昨天"),
        (7, "time_out_of_range", "发送时间", "1985-01-01"),  # a midnight cell reads as a date
    ]
    assert any("1 preamble lines" in note for note in result.notes)
    assert sniff(tmp_path / "手机聊天.xlsx", "手机聊天.xlsx", "chats").format.name == "chat_xlsx"


def test_csv_without_app_column(tmp_path: Path, read_source: Reader) -> None:
    path = tmp_path / "chats.csv"
    path.write_text(
        "发送人,接收人,发送时间,内容\nzhou,wei,2023-04-02 21:15:07,在吗\n", encoding="utf-8-sig"
    )
    result = read_source(tmp_path, "chats.csv", "chat_xlsx", timezone="Asia/Kuala_Lumpur")
    assert col(result.table, "channel") == [None]
    assert col(result.table, "sent_at") == [utc("2023-04-02 13:15:07")]
    assert col(result.table, "source_row") == [2]
    assert sniff(path, "chats.csv", "chats").format.name == "chat_xlsx"
