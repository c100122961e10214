"""The layered fund-flow figure: victims, then each layer of accounts, then where money ended.

Columns from left to right: the victims (the largest payers named, the rest pooled), the
accounts money reached at each hop, and the ends: cash withdrawn, or an account whose
statement is not in the case (drawn in red with the amount that vanished there). Edge width
is proportional to the amount; every edge is the sum of the hops between two nodes, so a case
of thousands of transfers stays readable.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from linkage.flow import Flows
from linkage.normalize.amount import format_fen
from linkage.plot.style import account_label, use_cjk_font

__all__ = ["fund_flow"]

MISSING = "#c0392b"
CASH = "#2e7d32"


def fund_flow(
    flows: Flows,
    names: dict[str, str] | None = None,
    ax: Axes | None = None,
    max_victims: int = 15,
    max_accounts: int = 20,
) -> Axes:
    """Draw ``flows`` as a layered graph on ``ax`` (a new figure if none); return the Axes.

    ``names`` maps victim ids to the names shown (pass masked names for a masked report).
    """
    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(14, 8))
    hops = flows.hops
    if hops.empty:
        ax.text(0.5, 0.5, "no traced money", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    edges, columns = _edges(hops, flows.destinations, names or {}, max_victims, max_accounts)
    positions = _positions(columns)
    widest = max(edges["amount_fen"].max(), 1)
    for edge in edges.itertuples(index=False):
        (x0, y0), (x1, y1) = positions[edge.source], positions[edge.target]
        colour = MISSING if edge.end == "statement_missing" else CASH if edge.end else "#7f8c8d"
        ax.plot([x0, x1], [y0, y1], color=colour, alpha=0.45, solid_capstyle="round",
                linewidth=0.6 + 9.0 * edge.amount_fen / widest, zorder=1)  # fmt: skip
    for column, nodes in enumerate(columns):
        for node in nodes:
            x, y = positions[node]
            label = node.split(":", 1)[1]
            missing = node.startswith("missing:")
            ax.scatter([x], [y], s=30, zorder=2, edgecolors="black", linewidths=0.4,
                       color=MISSING if missing else CASH if node.startswith("cash") else
                       "#34495e")  # fmt: skip
            ax.text(x + (0.06 if column else -0.06), y, label, fontsize=7, va="center",
                    ha="left" if column else "right",
                    color=MISSING if missing else "black")  # fmt: skip
    titles = ["victims", *[f"layer {n}" for n in range(1, len(columns) - 1)], "ends"]
    for column, title in enumerate(titles):
        ax.text(column, 1.0, title, ha="center", va="bottom", fontsize=9, weight="bold",
                family="DejaVu Sans",  # Latin headings; the Chinese font has no bold
                transform=ax.get_xaxis_transform())  # fmt: skip
    total = int(flows.destinations["amount_fen"].sum())
    vanished = int(
        flows.destinations.loc[flows.destinations["end"] == "statement_missing", "amount_fen"].sum()
    )
    ax.set_title(
        f"Fund flow ({flows.rule}): {format_fen(total, grouping=True)} yuan traced; "
        f"{format_fen(vanished, grouping=True)} into accounts "
        "whose statements are missing (red)",
        fontsize=10,
        pad=12,
    )
    ax.set_xlim(-0.9, len(columns) - 0.3)
    ax.set_ylim(-0.03, 1.03)
    ax.set_axis_off()
    return ax


def _edges(
    hops: pd.DataFrame,
    ends: pd.DataFrame,
    names: dict[str, str],
    max_victims: int,
    max_accounts: int,
) -> tuple[pd.DataFrame, list[list[str]]]:
    """Aggregated edges between figure nodes, and the nodes of each column in drawing order."""
    layer_of = hops.groupby("to_account")["hop"].min()
    paid = hops[hops["hop"] == 1].groupby("victim_id")["amount_fen"].sum()
    shown = set(paid.sort_values(ascending=False).index[:max_victims])
    pooled = len(paid) - len(shown)

    def victim(v: str) -> str:
        return f"victim:{names.get(v, v[-6:])}" if v in shown else f"victim:{pooled} others"

    def account(a: str) -> str:
        return f"acct:{account_label(a)}"

    missing = set(ends.loc[ends["end"] == "statement_missing", "account"])
    rows = []
    for hop in hops.itertuples(index=False):
        source = victim(hop.victim_id) if hop.hop == 1 else account(hop.from_account)
        if hop.to_account in missing:
            target, end = f"missing:{account_label(hop.to_account)}", "statement_missing"
        else:
            target, end = account(hop.to_account), ""
        rows.append((source, target, hop.amount_fen, end))
    for end in ends[ends["end"] == "cash_out"].itertuples(index=False):
        rows.append((account(end.account), "cash:cash withdrawn", end.amount_fen, "cash_out"))
    edges = pd.DataFrame(rows, columns=["source", "target", "amount_fen", "end"])
    edges = edges.groupby(["source", "target", "end"], as_index=False)["amount_fen"].sum()
    edges = _keep_largest(edges, max_accounts)
    depth = {account(a): int(h) for a, h in layer_of.items()}
    last = max(depth.values(), default=1) + 1
    columns: list[list[str]] = [[] for _ in range(last + 1)]
    for node in _volume(edges).sort_values(ascending=False).index:
        if node.startswith("victim:"):
            columns[0].append(node)
        elif node.startswith(("cash:", "missing:")):
            columns[last].append(node)
        else:
            columns[min(depth.get(node, 1), last - 1)].append(node)
    return edges, [c for c in columns if c]


def _keep_largest(edges: pd.DataFrame, max_accounts: int) -> pd.DataFrame:
    """Pool the smaller accounts of each layer into one node so large cases stay legible."""
    accounts = pd.concat([edges["source"], edges["target"]])
    accounts = accounts[accounts.str.startswith("acct:")].unique()
    if len(accounts) <= max_accounts:
        return edges
    volume = _volume(edges)
    keep = set(volume[volume.index.isin(accounts)].sort_values(ascending=False).index[
        :max_accounts])  # fmt: skip
    rename = {a: "acct:other accounts" for a in accounts if a not in keep}
    edges = edges.replace({"source": rename, "target": rename})
    edges = edges[edges["source"] != edges["target"]]
    return edges.groupby(["source", "target", "end"], as_index=False)["amount_fen"].sum()


def _volume(edges: pd.DataFrame) -> pd.Series:
    """Each node's money: the larger of what leaves it and what reaches it."""
    out = edges.groupby("source")["amount_fen"].sum()
    into = edges.groupby("target")["amount_fen"].sum()
    return pd.concat([out, into]).groupby(level=0).max()


def _positions(columns: list[list[str]]) -> dict[str, tuple[float, float]]:
    """Nodes spread evenly down each column, the largest at the top."""
    positions = {}
    for x, nodes in enumerate(columns):
        for rank, node in enumerate(nodes):
            y = 1.0 - (rank + 0.5) / len(nodes)
            positions[node] = (float(x), y)
    return positions
