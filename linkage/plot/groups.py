"""The groups and their people: each suspect by role, tied to the dens they stayed at.

Only entities are drawn (people and dens), never records; members of one group sit together
because the layout pulls each person towards their dens, and suspects no evidence places at a
den (money mules, card suppliers) sit beside their group's organisers.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from linkage.graph import Attribution
from linkage.plot.style import ROLE_COLOURS, use_cjk_font

__all__ = ["group_roles"]


def group_roles(attribution: Attribution, ax: Axes | None = None, seed: int = 7) -> Axes:
    """People coloured by role, linked to their dens (and mules to their organisers)."""
    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(12, 9))
    graph = nx.Graph()
    defendants = attribution.defendants
    for person in defendants.itertuples(index=False):
        name = person.name if isinstance(person.name, str) else "(no name)"
        graph.add_node(f"p:{person.person_id}", label=name, role=person.role)
    for stay in attribution.stays.itertuples(index=False):
        graph.add_node(f"d:{stay.den}", label=stay.den, role="den")
        graph.add_edge(f"p:{stay.person_id}", f"d:{stay.den}")
    for _, members in defendants.groupby("group_id"):
        heads = members.loc[members["role"] == "organiser", "person_id"].tolist()
        for person in members.itertuples(index=False):
            if heads and not graph.degree(f"p:{person.person_id}"):
                graph.add_edge(f"p:{person.person_id}", f"p:{heads[0]}")
    layout = nx.spring_layout(graph, seed=seed, k=0.35)
    for kind, colour in ROLE_COLOURS.items():
        nodes = [n for n, role in graph.nodes(data="role") if role == kind]
        nx.draw_networkx_nodes(graph, layout, nodelist=nodes, node_color=colour, node_size=120,
                               ax=ax)  # fmt: skip
    dens = [n for n, role in graph.nodes(data="role") if role == "den"]
    nx.draw_networkx_nodes(graph, layout, nodelist=dens, node_color="#f1c40f", node_shape="s",
                           node_size=420, edgecolors="black", ax=ax)  # fmt: skip
    nx.draw_networkx_edges(graph, layout, alpha=0.25, ax=ax)
    labels = {n: str(label) for n, label in graph.nodes(data="label")}
    nx.draw_networkx_labels(graph, layout, labels=labels, font_size=7, ax=ax,
                            font_family=plt.rcParams["font.sans-serif"][0])  # fmt: skip
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=r)
               for r, c in ROLE_COLOURS.items()]  # fmt: skip
    handles.append(Line2D([], [], marker="s", linestyle="", color="#f1c40f", label="den"))
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="lower left")
    groups = ", ".join(
        f"{g}: {n} people" for g, n in defendants["group_id"].value_counts().sort_index().items()
    )
    ax.set_title(f"Groups and roles ({groups})", fontsize=10)
    ax.set_axis_off()
    return ax
