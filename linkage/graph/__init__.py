"""The graph layer: groups, roles, participation periods and per-defendant totals."""

from __future__ import annotations

from linkage.graph.attribution import Attribution, attribute
from linkage.graph.case_graph import case_graph, graph_groups, write_graphml, write_node_link
from linkage.graph.params import AttributionParams

__all__ = [
    "Attribution",
    "AttributionParams",
    "attribute",
    "case_graph",
    "graph_groups",
    "write_graphml",
    "write_node_link",
]
