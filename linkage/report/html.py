"""The HTML report: what an investigator reads in two minutes, figures included, one file.

A single self-contained page (figures embedded as PNG data, no script, no external resource,
so it opens offline and leaks nothing): the case in numbers, the victims by group and verdict,
the defendants with their roles, periods and amounts, where the money went, what the evidence
leaves open, and the rule parameters used. Every value is HTML-escaped; with ``mask`` the
identifiers are masked as in the workbook.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import pandas as pd

from linkage.normalize.amount import format_fen
from linkage.report.mask import Masker
from linkage.report.workbook import output_masker

__all__ = ["write_html"]

STYLE = """
body { font-family: "Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
       "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", sans-serif;
       margin: 2em auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; }
th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.facts { display: flex; gap: 2em; flex-wrap: wrap; }
.fact { font-size: 1.4em; } .fact span { display: block; font-size: 0.6em; color: #666; }
img { max-width: 100%; border: 1px solid #eee; }
.note { color: #666; font-size: 0.85em; }
"""


def write_html(folder: Path, mask: bool = False) -> Path:
    """``folder/report.html`` from the tables and figures ``linkage run`` wrote there."""
    masker = output_masker(folder) if mask else None
    victims = _table(folder, "victims", masker)
    defendants = _table(folder, "defendants", masker)
    destinations = _table(folder, "destinations", masker)
    gaps = _table(folder, "attribution_gaps", masker)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    linked = victims[victims["verdict"] != "unlinked"]
    parts = [
        f"<h1>{_e(manifest['case']['name'])}: what the evidence shows</h1>",
        "<div class='facts'>",
        _fact(len(linked), "victims linked to a group"),
        _fact(int((victims["verdict"] == "corroborated").sum()), "corroborated (2+ kinds agree)"),
        _fact(int((~victims["reported"].astype(bool)).sum()), "found by collision, unreported"),
        _fact(_grouped(int(linked["loss_fen"].sum())), "yuan lost, net of refunds"),
        _fact(len(defendants), "suspects attributed"),
        "</div>",
        "<h2>Victims by group and verdict</h2>",
        _html_table(
            victims.assign(group_id=victims["group_id"].fillna("none"))
            .groupby(["group_id", "verdict"])
            .agg(victims=("victim_id", "size"), loss_yuan=("loss_fen", "sum"))
            .reset_index()
            .assign(loss_yuan=lambda t: t["loss_yuan"].map(_grouped))
        ),
        _figure(folder / "figures" / "fund_flow.png", "Where the money went"),
        "<h2>Where the money ended</h2>",
        _html_table(
            destinations.groupby("end")
            .agg(payments=("payment", "nunique"), amount_yuan=("amount_fen", "sum"))
            .reset_index()
            .assign(amount_yuan=lambda t: t["amount_yuan"].map(_grouped))
        ),
        "<p class='note'>statement_missing: the money went to an account whose statement is not "
        "in the case; a query to that bank would follow it.</p>",
        "<h2>Defendants</h2>",
        _html_table(_defendant_rows(defendants)),
        "<p class='note'>Roles come from what each person did; principal_suggested is a "
        "suggestion with its reasons in defendants.csv, never a verdict.</p>",
        _figure(folder / "figures" / "group_roles.png", "Groups and roles"),
        _figure(folder / "figures" / "den_activity.png", "Den activity"),
        "<h2>What the evidence leaves open</h2>",
        _html_table(gaps) if len(gaps) else "<p>Nothing: every call, act and stay is placed.</p>",
        "<h2>Rules used</h2>",
        f"<pre>{_e(json.dumps(manifest['parameters'], ensure_ascii=False, indent=1))}</pre>",
        f"<p class='note'>linkage {_e(manifest['linkage_version'])}; every input's SHA-256 is in "
        "manifest.json.</p>",
    ]
    page = (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{_e(manifest['case']['name'])}</title><style>{STYLE}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>\n"
    )
    path = folder / ("report_masked.html" if mask else "report.html")
    path.write_text(page, encoding="utf-8")
    return path


DEFENDANT_COLUMNS = [
    "name", "person_id", "group_id", "role", "period_start", "period_end", "amount_fen",
    "victim_count", "call_count", "band", "principal_suggested",
]  # fmt: skip


def _defendant_rows(defendants: pd.DataFrame) -> pd.DataFrame:
    """The defendants by group, the largest amounts first, amounts in yuan."""
    rows = defendants[DEFENDANT_COLUMNS].sort_values(
        ["group_id", "amount_fen"], ascending=[True, False]
    )
    return rows.assign(amount_fen=rows["amount_fen"].map(_grouped)).rename(
        columns={"amount_fen": "amount_yuan"}
    )


def _table(folder: Path, name: str, masker: Masker | None) -> pd.DataFrame:
    frame = pd.read_parquet(folder / f"{name}.parquet")
    return masker.frame(frame) if masker else frame


def _html_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for value in row:
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            shown = (
                "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
            )
            cells.append(f"<td class='n'>{_e(shown)}</td>" if numeric else f"<td>{_e(shown)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _figure(path: Path, title: str) -> str:
    if not path.exists():
        return ""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"<h2>{_e(title)}</h2><img alt='{_e(title)}' src='data:image/png;base64,{data}'>"


def _fact(value: object, label: str) -> str:
    return f"<div class='fact'>{_e(value)}<span>{_e(label)}</span></div>"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _grouped(fen: int) -> str:
    return format_fen(fen, grouping=True)
