"""An evidence card as a page of the HTML report: the card's tables, and a small drawing of
the victim's calls, messages and transfers on one time axis.

The drawing is a few lines of SVG written here, not a matplotlib figure: a report holds a
card for every victim, and a hundred embedded PNGs would weigh megabytes and take a minute
to draw. ``linkage card --figure`` draws the full figure (``plot.timelines``) for one victim.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd

from linkage.normalize.amount import format_fen
from linkage.plot.timelines import KIND_COLOURS, KIND_ROWS
from linkage.report.card import EvidenceCard
from linkage.report.mask import Masker

__all__ = ["CARD_STYLE", "card_page", "timeline_svg"]

CARD_STYLE = """
section.card { border-top: 2px solid #888; margin-top: 2em; }
@media print { section.card { break-before: page; } }
svg.timeline text { font-size: 10px; fill: #555; }
"""

WIDTH, LEFT, RIGHT, ROW = 720, 70, 20, 14

WORDS = {
    "evidence": ("证据（按时间顺序；{zone}）", "Evidence, in time order ({zone})"),
    "transfers": ("付款与退款", "Payments and refunds"),
    "defendants": ("数额计入本被害人的被告人", "Defendants whose totals count this victim"),
    "missing": ("缺失的证据及可补的调证", "What is missing, and the request that closes it"),
    "none": ("无", "none"),
    "back": ("返回被害人列表", "back to the victims"),
    "summary": (
        "认定：{verdict}（{kinds}）；团伙 {group}；损失 {loss} 元 = 付款 {gross} − 退款 {refund}",
        "verdict {verdict} ({kinds}); group {group}; loss {loss} yuan = paid {gross} − "
        "refunded {refund}",
    ),
}  # fmt: skip


def card_page(
    card: EvidenceCard,
    anchor: str,
    lang: str,
    table: Callable[..., str],
    masker: Masker | None = None,
) -> str:
    """One victim's card as an HTML section with the id ``anchor``; ``table`` renders a frame
    with the report's headers, ``masker`` masks identifiers as the rest of the report."""

    def say(key: str, **values: object) -> str:
        return WORDS[key][0 if lang == "zh" else 1].format(**values)

    def shown(frame: pd.DataFrame) -> str:
        if frame.empty:
            return f"<p>{_e(say('none'))}</p>"
        rendered = table(masker.frame(frame) if masker else frame)
        return f"<div class='scroll'>{rendered}</div>"

    v = card.victim
    ident = masker.text(str(v["victim_id"])) if masker else str(v["victim_id"])
    evidence = card.evidence.drop(columns=["at"]).assign(
        amount_fen=card.evidence["amount_fen"].map(_yuan),
        group_row=card.evidence["group_row"].where(
            card.evidence["group_row"] != card.evidence["record"], "="
        ),
    )
    transfers = card.transfers.assign(amount_fen=card.transfers["amount_fen"].map(_yuan))
    defendants = card.defendants.assign(net_fen=card.defendants["net_fen"].map(_yuan))
    summary = say(
        "summary",
        verdict=v["verdict"],
        kinds=v["evidence_kinds"] or "—",
        group=v["group_id"] if isinstance(v["group_id"], str) else "—",
        loss=format_fen(int(v["loss_fen"]), grouping=True),
        gross=format_fen(int(v["gross_fen"]), grouping=True),
        refund=format_fen(int(v["refund_fen"]), grouping=True),
    )
    return "\n".join(
        [
            f"<section class='card' id='{anchor}'>",
            f"<h3>{_e(v['name'])} · {_e(ident)}</h3>",
            f"<p>{_e(summary)}</p>",
            timeline_svg(card),
            f"<h4>{_e(say('evidence', zone=card.zone.key))}</h4>",
            shown(evidence),
            f"<h4>{_e(say('transfers'))}</h4>",
            shown(transfers),
            f"<h4>{_e(say('defendants'))}</h4>",
            shown(defendants),
            f"<h4>{_e(say('missing'))}</h4>",
            shown(card.missing),
            f"<p class='note'><a href='#victims'>{_e(say('back'))}</a></p>",
            "</section>",
        ]
    )


def timeline_svg(card: EvidenceCard) -> str:
    """The victim's links on one time axis as inline SVG: a row per kind, a dot per piece
    (filled when it agrees in time with another kind, hollow when alone), the first and last
    day written under the axis."""
    evidence = card.evidence
    rows = len(KIND_ROWS)
    height = ROW * rows + 24
    parts = [f"<svg class='timeline' width='{WIDTH}' height='{height}' role='img'>"]
    for kind, row in KIND_ROWS.items():
        y = ROW * (rows - 1 - row) + ROW // 2 + 2
        parts.append(f"<text x='0' y='{y + 4}'>{kind}</text>")
        parts.append(f"<line x1='{LEFT}' x2='{WIDTH - RIGHT}' y1='{y}' y2='{y}' stroke='#eee'/>")
    if not evidence.empty:
        times = pd.to_datetime(evidence["at"], utc=True)
        first, last = times.min(), times.max()
        span = max((last - first).total_seconds(), 1.0)
        usable = WIDTH - LEFT - RIGHT
        for kind, when, agrees in zip(evidence["kind"], times, evidence["corroborates"],
                                      strict=True):  # fmt: skip
            x = LEFT + usable * (when - first).total_seconds() / span
            y = ROW * (rows - 1 - KIND_ROWS.get(kind, 0)) + ROW // 2 + 2
            colour = KIND_COLOURS.get(kind, "#333")
            fill = colour if agrees else "none"
            parts.append(
                f"<circle cx='{x:.1f}' cy='{y}' r='4' fill='{fill}' stroke='{colour}'>"
                f"<title>{_e(kind)} {_e(_local(when, card))}</title></circle>"
            )
        bottom = ROW * rows + 16
        parts.append(f"<text x='{LEFT}' y='{bottom}'>{_e(_local(first, card))}</text>")
        parts.append(
            f"<text x='{WIDTH - RIGHT}' y='{bottom}' text-anchor='end'>"
            f"{_e(_local(last, card))} ({_e(card.zone.key)})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _local(moment: pd.Timestamp, card: EvidenceCard) -> str:
    return str(moment.tz_convert(card.zone).strftime("%Y-%m-%d %H:%M"))


def _yuan(fen: object) -> str:
    if fen is None or (isinstance(fen, float) and pd.isna(fen)) or fen is pd.NA:
        return ""
    return format_fen(int(fen), grouping=True)  # type: ignore[call-overload]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)
