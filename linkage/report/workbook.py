"""The evidence workbook: the tables a prosecutor attaches, one sheet each, ready to file.

A court annex must read as what it is, in a spreadsheet on any machine:

- headers in Chinese by default (``lang="en"`` keeps the column names), each saying its unit;
- times as real Excel dates in the case's zone (Beijing time for a case in Asia/Shanghai), the
  zone named in the header, never text in UTC on one sheet and +08:00 on another;
- money in yuan as numbers with two decimals (the CSV and Parquet tables keep integer fen);
- phones, ID numbers, accounts and every other text as text cells, with no apostrophe stored
  in the value. Text that a spreadsheet would take for a formula (starting with
  ``= + - @``, a tab or a carriage return) is stored as text and marked with Excel's quote
  prefix, so ``=HYPERLINK(...)`` in a remark never runs, even once the cell is edited;
- frozen headers and widths fitted to the content; an ``about`` sheet first that says what each
  sheet is, the case, the run's parameters and the digests that tie the workbook to the run.

A sheet holds at most Excel's 1,048,575 rows; a longer table is cut there and the cut is said
on ``about``. The bytes depend on the content only.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow.parquet as pq

from linkage.digest import sha256_file
from linkage.report.labels import SHEET_ABOUT, column_label
from linkage.report.mask import MASKED_COLUMNS, Masker
from linkage.report.tables import display_width
from linkage.report.xlsx import Sheet, Style, cell_xml, write_xlsx

__all__ = [
    "MAX_ROWS", "WORKBOOK_TABLES", "is_formula_like", "output_masker", "output_tables",
    "workbook_from_outputs", "write_workbook", "zone_label",
]  # fmt: skip

MAX_ROWS = 1_048_575
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DAY_COLUMNS = frozenset({"period_start", "period_end", "start_day", "end_day"})
"""Columns holding a calendar day as ``YYYY-MM-DD`` text: shown as Excel dates."""
WIDTH_SAMPLE = 2_000
"""Rows whose text sets a column's width (widths are fixed before the rows are written)."""
SLICE_ROWS = 50_000
"""Rows rendered at a time: the cells of one slice are in memory, never a whole sheet's."""


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet would take this text for a formula.

    >>> is_formula_like("=1+1"), is_formula_like("+8613912345678"), is_formula_like("张三")
    (True, True, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def write_workbook(
    path: Path,
    tables: dict[str, pd.DataFrame],
    title: str,
    mask: bool = False,
    masker: Masker | None = None,
    lang: str = "zh",
    zone: str = "Asia/Shanghai",
    about: list[tuple[str, str]] | None = None,
) -> Path:
    """Write ``tables`` (sheet name -> frame) to ``path``, with an ``about`` sheet first.

    ``mask`` masks every identifier (by ``masker``; default: one knowing ``tables``); times
    are shown in ``zone``; ``about`` adds lines (label, text) to the ``about`` sheet.
    """
    if mask and masker is None:
        masker = Masker.for_tables(tables.values())
    zh = lang == "zh"
    lines: list[tuple[str, str]] = [
        ("linkage 证据工作簿" if zh else "linkage evidence workbook", title),
        ("标识号" if zh else "identifiers", ("已遮盖中间位" if zh else "masked") if mask else
         ("完整" if zh else "in full")),
        ("时间" if zh else "times", zone_label(zone, lang) + ("，Excel 日期" if zh else
         ", as Excel dates")),
        ("金额" if zh else "money", "元，两位小数（CSV 与 Parquet 表中为整数分）" if zh else
         "yuan with two decimals (integer fen in the CSV and Parquet tables)"),
    ]  # fmt: skip
    shown = []
    for name, frame in tables.items():
        cut = len(frame) > MAX_ROWS
        what = SHEET_ABOUT.get(name, ("", ""))[0 if zh else 1]
        rows = f"{len(frame)} 行" if zh else f"{len(frame)} rows"
        if cut:
            rows += f"，仅列前 {MAX_ROWS} 行" if zh else f", first {MAX_ROWS} shown"
        lines.append((name, f"{what}（{rows}）" if zh else f"{what} ({rows})"))
        head = frame.head(MAX_ROWS)
        shown.append((name, masker.frame(head) if masker else head))
    sheets = [_about(lines + (about or []))]
    sheets += [_sheet(name[:31], frame, lang, zone) for name, frame in shown]
    return write_xlsx(path, sheets)


def _about(lines: list[tuple[str, str]]) -> Sheet:
    rows = ([_text_cell(label), _text_cell(text)] for label, text in lines)
    return Sheet("about", [28, 90], rows, freeze_header=False)


def _sheet(name: str, frame: pd.DataFrame, lang: str, zone: str) -> Sheet:
    """A table as a sheet: the header, then the rows, rendered a slice at a time."""
    zone_name = zone_label(zone, lang)
    header = [column_label(str(c), lang, zone_name) for c in frame.columns]
    shows = [_shown(str(c), frame[c], zone) for c in frame.columns]
    aware = [c for c in frame.columns if isinstance(frame[c].dtype, pd.DatetimeTZDtype)]
    if aware:  # the zone is applied to a whole column at once, not to each moment
        local = {c: frame[c].dt.tz_convert(zone).dt.tz_localize(None) for c in aware}
        frame = frame.assign(**local)
    widths = [display_width(h) for h in header]
    sample = frame.head(WIDTH_SAMPLE)
    for i, (column, (convert, _)) in enumerate(zip(sample.columns, shows, strict=True)):
        for value in _values(sample[column]):
            widths[i] = max(widths[i], min(60, _width(convert(value))))
    rows = itertools.chain([[_text_cell(h) for h in header]], _rows(frame, shows))
    return Sheet(name, [width + 2 for width in widths], rows)


def _rows(frame: pd.DataFrame, shows: list[tuple[Convert, Style]]) -> Iterator[tuple[str, ...]]:
    """The cells of each row, rendered column by column over slices of :data:`SLICE_ROWS`, so
    a row is only the join of its cells and a million-row table is never rendered whole."""
    for start in range(0, len(frame), SLICE_ROWS):
        part = frame.iloc[start : start + SLICE_ROWS]
        columns = [
            [_cell(convert(value), style) for value in _values(part[column])]
            for column, (convert, style) in zip(part.columns, shows, strict=True)
        ]
        yield from zip(*columns, strict=True)


def _values(column: pd.Series) -> list[object]:
    """A column's values as Python objects, ``None`` where missing."""
    return column.astype(object).where(column.notna(), None).tolist()  # type: ignore[no-any-return]


Convert = Callable[[Any], Any]


def _shown(column: str, values: pd.Series, zone: str) -> tuple[Convert, Style]:
    """How a column's values are shown: a conversion and the style of its cells."""
    if column.endswith("_fen"):
        return _yuan, Style.YUAN
    if column.endswith("_at") or column == "at" or pd.api.types.is_datetime64_any_dtype(values):
        here = ZoneInfo(zone)
        return (lambda v: _local(v, here)), Style.MOMENT
    if column in DAY_COLUMNS:
        return _day, Style.DAY
    return _plain, Style.PLAIN


def _cell(shown: object, style: Style) -> str:
    """A shown value's cell: text stays text (quote-prefixed where it looks like a formula),
    numbers, moments and days take the column's style."""
    if isinstance(shown, str):
        return _text_cell(shown)
    if isinstance(shown, bool):
        return cell_xml(shown)
    return cell_xml(shown, style)


def _text_cell(text: str) -> str:
    """Text as a text cell; one a spreadsheet would run as a formula is stored as text and
    quote-prefixed (no apostrophe is added to the value)."""
    return cell_xml(text, Style.QUOTED if is_formula_like(text) else Style.PLAIN)


def _yuan(value: object) -> object:
    """Integer fen as exact yuan: ``Decimal`` keeps 1234567 fen as 12345.67, not a float."""
    if value is None or isinstance(value, bool):
        return value
    return Decimal(int(value)).scaleb(-2)  # type: ignore[call-overload]


def _local(value: object, zone: ZoneInfo) -> object:
    """A time (aware, or ISO text with an offset) as a naive datetime in ``zone``."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(zone).replace(tzinfo=None)
    return value


def _day(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def _plain(value: object) -> object:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if hasattr(value, "tolist") and not isinstance(value, str):  # an Arrow or NumPy list
        listed = value.tolist()
        if isinstance(listed, list):
            return ";".join(str(v) for v in listed)
    return value


def _width(value: object) -> int:
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    if isinstance(value, dt.datetime):
        return 19
    return display_width("" if value is None else str(value))


def zone_label(zone: str, lang: str) -> str:
    """The zone as a header names it: Beijing time for a case in Asia/Shanghai."""
    if zone in ("Asia/Shanghai", "Asia/Chongqing", "PRC"):
        return "北京时间 UTC+8" if lang == "zh" else "Beijing time, UTC+8"
    return zone


WORKBOOK_TABLES = (
    "victims", "defendants", "defendant_victims", "links", "transfers", "flows", "destinations",
    "stays", "roles_evidence", "attribution_gaps", "account_gaps", "requests", "request_victims",
    "leads", "rejects", "coerced",
)  # fmt: skip
"""The result tables the workbook holds, in sheet order."""


def output_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The result tables of :data:`WORKBOOK_TABLES` a run wrote to ``folder``."""
    return {
        name: pd.read_parquet(folder / f"{name}.parquet")
        for name in WORKBOOK_TABLES
        if (folder / f"{name}.parquet").exists()
    }


def output_masker(folder: Path) -> Masker:
    """A masker that knows every identifier in every result table a run wrote to ``folder``
    (``group_identifiers`` and ``flows`` included, though the workbook shows fewer)."""
    frames = []
    for path in sorted(folder.glob("*.parquet")):
        wanted = [name for name in pq.read_schema(path).names if name in MASKED_COLUMNS]
        if wanted:
            frames.append(pd.read_parquet(path, columns=wanted))
    return Masker.for_tables(frames)


def workbook_from_outputs(folder: Path, mask: bool = False, lang: str = "zh") -> Path:
    """``folder/evidence.xlsx`` (``evidence_masked.xlsx`` with ``mask``) from the Parquet
    tables and the manifest a run wrote there."""
    tables = output_tables(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    case = manifest["case"]
    zh = lang == "zh"
    about = [
        ("案件" if zh else "case", str(case["name"])),
        ("扣押时间" if zh else "seized at", str(case.get("seized_at") or "")),
        ("linkage 版本" if zh else "linkage version", str(manifest["linkage_version"])),
        ("manifest.json SHA-256（写入本工作簿时）" if zh else
         "manifest.json SHA-256 (as this workbook was written)", sha256_file(
             folder / "manifest.json")),
    ]  # fmt: skip
    about += [
        (f"{name}.csv SHA-256", str(manifest.get("outputs", {}).get(f"{name}.csv", "")))
        for name in tables
    ]
    about += [
        (("参数 " if zh else "parameters ") + key, json.dumps(value, ensure_ascii=False,
                                                              sort_keys=True))
        for key, value in sorted(manifest.get("parameters", {}).items())
    ]  # fmt: skip
    masker = output_masker(folder) if mask else None
    name = "evidence_masked.xlsx" if mask else "evidence.xlsx"
    return write_workbook(
        folder / name, tables, title=str(case["name"]), mask=mask, masker=masker, lang=lang,
        zone=str(case.get("timezone") or "Asia/Shanghai"), about=about,
    )  # fmt: skip
