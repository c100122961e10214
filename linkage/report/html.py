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
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from linkage.normalize.amount import format_fen
from linkage.report.card import CardTables, evidence_card
from linkage.report.card_page import CARD_STYLE, card_page
from linkage.report.labels import column_label
from linkage.report.mask import Masker
from linkage.report.workbook import output_masker, zone_label

__all__ = ["write_html"]

STYLE = (
    """
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
.scroll { overflow-x: auto; } .scroll img { max-width: none; }
.note { color: #666; font-size: 0.85em; }
"""
    + CARD_STYLE
)


WORDS = {
    "title": ("{case}：证据说明", "{case}: what the evidence shows"),
    "linked": ("关联到团伙的被害人", "victims linked to a group"),
    "corroborated": ("两类以上证据相互印证", "corroborated (2+ kinds agree)"),
    "unreported": ("碰撞发现、未报案", "found by collision, unreported"),
    "lost": ("损失（元），已扣除退款", "yuan lost, net of refunds"),
    "suspects": ("归属认定的嫌疑人", "suspects attributed"),
    "figures_explained": (
        "<b>数额之间的关系。</b>关联被害人付给团伙 {gross} 元；扣押前退回 {refund} 元；"
        "损失为两者之差 {gross} − {refund} = {loss} 元。资金追踪逐笔跟踪付给团伙的款项（退款不"
        "回溯），跟踪到去向的共 {traced} 元{traced_gap}。",
        "<b>How the figures relate.</b> Linked victims paid the group {gross} yuan; {refund} "
        "yuan was refunded before the seizure; the loss is the difference, {gross} − {refund} "
        "= {loss} yuan. The tracer follows every payment made to the group (refunds are not "
        "traced back): {traced} yuan reached an end{traced_gap}.",
    ),
    "traced_gap": ("，另有 {gap} 元未能跟踪", "; {gap} yuan could not be followed"),
    "by_group": ("按团伙与认定统计的被害人", "Victims by group and verdict"),
    "where_went": ("资金流向", "Where the money went"),
    "where_ended": ("资金最终去向", "Where the money ended"),
    "missing_note": (
        "statement_missing：资金转入的账户在本案中没有流水；向该银行调取即可继续追踪。",
        "statement_missing: the money went to an account whose statement is not in the case; "
        "a query to that bank would follow it.",
    ),
    "defendants": ("被告人", "Defendants"),
    "roles_note": (
        "角色依据每人的行为认定；建议认定主犯（principal_suggested）只是建议，理由见 "
        "defendants.csv，并非结论。",
        "Roles come from what each person did; principal_suggested is a suggestion with its "
        "reasons in defendants.csv, never a verdict.",
    ),
    "groups": ("团伙与角色", "Groups and roles"),
    "dens": ("窝点活动", "Den activity"),
    "open": ("证据尚未解决的问题", "What the evidence leaves open"),
    "nothing_open": ("无：每次通话、每项行为、每段停留都已归属。",
                     "Nothing: every call, act and stay is placed."),
    "requests": ("补充调证", "Further evidence to request"),
    "requests_note": (
        "每行是一项调证：向谁调取、调取什么、期间；可补的证据缺口及调到后可能改变的认定或数额。"
        "优先级 1：可能改变认定；2：可能改变数额或期间；3：补全记录。每名被害人的缺口见 "
        "request_victims.csv。",
        "One request a row: to whom, what, over which days; the gaps it closes and the verdicts "
        "or amounts that could change. Priority 1: a verdict could change; 2: an amount or a "
        "period; 3: it completes the record. Each victim's gaps are in request_victims.csv.",
    ),
    "no_requests": ("无：没有需要补充调取的证据。", "None: nothing is left to request."),
    "victim_list": ("被害人及证据卡", "Victims, each with an evidence card"),
    "victim_list_note": (
        "点击“证据卡”查看该被害人的全部证据（双方来源行、时间差）、付款、计入数额的被告人及缺失证"
        "据的调证；打印时每张证据卡单独成页。",
        "Each card shows the victim's evidence with the rows of both sides and the time between "
        "pieces, the payments, the defendants whose totals count the victim, and what is "
        "missing with the request that closes it; printed, each card is a page.",
    ),
    "card": ("证据卡", "card"),
    "cards": ("证据卡", "Evidence cards"),
    "cards_capped": (
        "报告收录前 {shown} 名被害人的证据卡；其余请用 linkage card OUT 被害人标识 查看。",
        "The report holds the cards of the first {shown} victims; print any other with "
        "linkage card OUT VICTIM.",
    ),
    "timeline": ("团伙时间线", "The groups on one calendar"),
    "rules": ("所用规则参数", "Rules used"),
    "footer": ("linkage {version}；每个输入文件的 SHA-256 见 manifest.json。",
               "linkage {version}; every input's SHA-256 is in manifest.json."),
    "victims": ("被害人数", "victims"),
    "payments": ("付款笔数", "payments"),
}  # fmt: skip
"""Every sentence of the page, in Chinese and in English."""


REQUEST_COLUMNS = ["request_id", "to", "addressee", "ask", "asked_from", "asked_to",
                   "priority", "closes", "could_change"]  # fmt: skip
"""The columns of ``requests`` the page shows."""


def write_html(folder: Path, mask: bool = False, lang: str = "zh") -> Path:
    """``folder/report.html`` (``report_masked.html`` with ``mask``) from the tables and
    figures ``linkage run`` wrote there, in Chinese (``lang="zh"``) or English."""
    masker = output_masker(folder) if mask else None
    victims = _table(folder, "victims", masker)
    defendants = _table(folder, "defendants", masker)
    destinations = _table(folder, "destinations", masker)
    gaps = _table(folder, "attribution_gaps", masker)
    requests = _table(folder, "requests", masker) if (folder / "requests.parquet").exists() \
        else pd.DataFrame()  # fmt: skip
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    zone = str(manifest["case"].get("timezone") or "Asia/Shanghai")

    def say(key: str, **values: object) -> str:
        return WORDS[key][0 if lang == "zh" else 1].format(**values)

    def table(frame: pd.DataFrame, raw: tuple[str, ...] = ()) -> str:
        """``frame`` with the report's headers; the ``raw`` columns hold HTML already."""
        headers = {c: _header(str(c), lang, zone, say) for c in frame.columns}
        return _html_table(frame.rename(columns=headers), raw={headers[c] for c in raw})

    linked = victims[victims["verdict"] != "unlinked"]
    gross, refund, loss = (int(linked[c].sum()) for c in ("gross_fen", "refund_fen", "loss_fen"))
    traced = int(destinations["amount_fen"].sum())
    gap = "" if traced == gross else say("traced_gap", gap=_grouped(gross - traced))
    parts = [
        f"<h1>{_e(say('title', case=manifest['case']['name']))}</h1>",
        "<div class='facts'>",
        _fact(len(linked), say("linked")),
        _fact(int((victims["verdict"] == "corroborated").sum()), say("corroborated")),
        _fact(int((~victims["reported"].astype(bool)).sum()), say("unreported")),
        _fact(_grouped(loss), say("lost")),
        _fact(len(defendants), say("suspects")),
        "</div>",
        "<p>" + say("figures_explained", gross=_grouped(gross), refund=_grouped(refund),
                    loss=_grouped(loss), traced=_grouped(traced), traced_gap=gap) + "</p>",
        f"<h2>{_e(say('by_group'))}</h2>",
        table(
            victims.assign(group_id=victims["group_id"].fillna("none"))
            .groupby(["group_id", "verdict"])
            .agg(victims=("victim_id", "size"), loss_fen=("loss_fen", "sum"))
            .reset_index()
            .assign(loss_fen=lambda t: t["loss_fen"].map(_grouped))
        ),
        _figure(folder / "figures" / "fund_flow.png", say("where_went")),
        f"<h2>{_e(say('where_ended'))}</h2>",
        table(
            destinations.groupby("end")
            .agg(payments=("payment", "nunique"), amount_fen=("amount_fen", "sum"))
            .reset_index()
            .assign(amount_fen=lambda t: t["amount_fen"].map(_grouped))
        ),
        f"<p class='note'>{_e(say('missing_note'))}</p>",
        f"<h2>{_e(say('defendants'))}</h2>",
        table(_defendant_rows(defendants)),
        f"<p class='note'>{_e(say('roles_note'))}</p>",
        _figure(folder / "figures" / "group_roles.png", say("groups"), natural=True),
        _figure(folder / "figures" / "den_activity.png", say("dens")),
        _figure(folder / "figures" / "group_timeline.png", say("timeline")),
        f"<h2>{_e(say('open'))}</h2>",
        table(gaps) if len(gaps) else f"<p>{_e(say('nothing_open'))}</p>",
        f"<h2 id='requests'>{_e(say('requests'))}</h2>",
        f"<p class='note'>{_e(say('requests_note'))}</p>",
        table(requests[REQUEST_COLUMNS]) if len(requests) else f"<p>{_e(say('no_requests'))}</p>",
        *_victim_pages(folder, victims, lang, table, say, masker),
        f"<h2>{_e(say('rules'))}</h2>",
        f"<pre>{_e(json.dumps(manifest['parameters'], ensure_ascii=False, indent=1))}</pre>",
        f"<p class='note'>{_e(say('footer', version=manifest['linkage_version']))}</p>",
    ]  # fmt: skip
    page = (
        f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
        f"<meta charset='utf-8'><title>{_e(manifest['case']['name'])}</title>"
        f"<style>{STYLE}</style></head><body>" + "\n".join(parts) + "</body></html>\n"
    )
    path = folder / ("report_masked.html" if mask else "report.html")
    path.write_text(page, encoding="utf-8")
    return path


MAX_CARDS = 500
"""Victims whose cards the report holds; ``linkage card`` prints any."""
CARD_ORDER = {"linked": 0, "corroborated": 1, "unlinked": 2}
"""Linked victims first: one kind of evidence is what the defence attacks."""


def _card_order(victims: pd.DataFrame) -> list[int]:
    """The victims' positions in the report's order: by verdict (linked first), then the
    largest losses, then victims.csv's order."""
    keys = pd.DataFrame({"verdict": victims["verdict"].map(CARD_ORDER).fillna(3).to_numpy(),
                         "loss": -victims["loss_fen"].astype("int64").to_numpy(),
                         "row": range(len(victims))})  # fmt: skip
    ordered = keys.sort_values(["verdict", "loss", "row"], kind="stable")["row"]
    return [int(row) for row in ordered]


def _victim_pages(
    folder: Path,
    victims: pd.DataFrame,
    lang: str,
    table: Callable[..., str],
    say: Callable[..., str],
    masker: Masker | None,
) -> list[str]:
    """The victims table, each row linked to its card, and the cards, one page each."""
    if victims.empty or not (folder / "links.parquet").exists():
        return []
    tables = CardTables.read(folder)  # unmasked: the cards mask what they show
    order = _card_order(tables.victims)
    listed = victims.iloc[order][["victim_id", "name", "group_id", "verdict", "loss_fen",
                                  "missing"]]  # fmt: skip
    anchors = [f"card-{n}" for n in range(1, len(listed) + 1)]
    links = [
        f"<a href='#{anchor}'>{_e(say('card'))}</a>" if n < MAX_CARDS else ""
        for n, anchor in enumerate(anchors)
    ]
    listed = listed.assign(loss_fen=listed["loss_fen"].map(_grouped))
    rows = table(pd.concat([pd.DataFrame({"card": links}, index=listed.index), listed], axis=1),
                 raw=("card",))  # fmt: skip
    parts = [
        f"<h2 id='victims'>{_e(say('victim_list'))}</h2>",
        f"<p class='note'>{_e(say('victim_list_note'))}</p>",
        rows,
        f"<h2>{_e(say('cards'))}</h2>",
    ]
    if len(listed) > MAX_CARDS:
        parts.append(f"<p class='note'>{_e(say('cards_capped', shown=MAX_CARDS))}</p>")
    originals = tables.victims["victim_id"].iloc[order].tolist()
    for anchor, victim in zip(anchors[:MAX_CARDS], originals[:MAX_CARDS], strict=False):
        card = evidence_card(folder, victim, tables=tables)
        parts.append(card_page(card, anchor, lang, table, masker))
    return parts


def _header(column: str, lang: str, zone: str, say: Callable[..., str]) -> str:
    """A column's header on the page: the workbook's label, or the page's own word."""
    if column in ("victims", "payments", "card"):
        return say(column)
    return column_label(column, lang, zone_label(zone, lang))


DEFENDANT_COLUMNS = [
    "name", "person_id", "group_id", "role", "period_start", "period_end", "amount_fen",
    "victim_count", "call_count", "band", "principal_suggested",
]  # fmt: skip


def _defendant_rows(defendants: pd.DataFrame) -> pd.DataFrame:
    """The defendants by group, the largest amounts first, amounts in yuan."""
    rows = defendants[DEFENDANT_COLUMNS].sort_values(
        ["group_id", "amount_fen"], ascending=[True, False]
    )
    return rows.assign(amount_fen=rows["amount_fen"].map(_grouped))


def _table(folder: Path, name: str, masker: Masker | None) -> pd.DataFrame:
    frame = pd.read_parquet(folder / f"{name}.parquet")
    return masker.frame(frame) if masker else frame


def _html_table(frame: pd.DataFrame, raw: set[str] | None = None) -> str:
    """``frame`` as an HTML table, every value escaped but in the ``raw`` columns."""
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    verbatim = [c in (raw or set()) for c in frame.columns]
    rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for value, as_is in zip(row, verbatim, strict=True):
            if as_is:
                cells.append(f"<td>{value}</td>")
                continue
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            shown = (
                "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
            )
            cells.append(f"<td class='n'>{_e(shown)}</td>" if numeric else f"<td>{_e(shown)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _figure(path: Path, title: str, natural: bool = False) -> str:
    """A figure embedded in the page; ``natural`` keeps it at its own size, scrolled sideways
    when wider than the page (the roles chart: every name at a size that can be read)."""
    if not path.exists():
        return ""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    image = f"<img alt='{_e(title)}' src='data:image/png;base64,{data}'>"
    return f"<h2>{_e(title)}</h2>" + (f"<div class='scroll'>{image}</div>" if natural else image)


def _fact(value: object, label: str) -> str:
    return f"<div class='fact'>{_e(value)}<span>{_e(label)}</span></div>"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _grouped(fen: int) -> str:
    return format_fen(fen, grouping=True)
