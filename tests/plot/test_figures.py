"""Every figure renders to PNG on the sample case, is not blank, and draws Chinese names.

The Chinese font comes with the install (Noto Sans SC, from a dependency), so any warning fails
the test, a missing glyph included: no figure shows boxes for names. Should it be missing, the
test requires the library to say so (the font warning, then matplotlib's missing-glyph
warnings) and still checks that every figure is drawn."""

from __future__ import annotations

import io
from collections.abc import Callable
from importlib import resources
from types import SimpleNamespace
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from case_runs import Ran
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from linkage.graph import Attribution
from linkage.plot import den_activity, evidence_timeline, fund_flow, group_roles
from linkage.plot.groups import FULL, group_roles_size
from linkage.plot.style import PACKAGED_FONT, find_cjk_font

FONT = find_cjk_font()


def _drawn(draw: Callable[..., Axes], *args: Any, **kwargs: Any) -> Axes:
    """Call a plot function; without a Chinese font it must warn that names will be boxes."""
    if FONT is not None:
        return draw(*args, **kwargs)
    with pytest.warns(UserWarning, match="no font with Chinese glyphs"):
        return draw(*args, **kwargs)


def _rendered(ax: Axes, chinese: bool = True) -> np.ndarray:
    buffer = io.BytesIO()
    if FONT is None and chinese:
        with pytest.warns(UserWarning, match="missing from font"):
            ax.figure.savefig(buffer, format="png", dpi=60)
    else:
        ax.figure.savefig(buffer, format="png", dpi=60)
    plt.close(ax.figure)
    buffer.seek(0)
    return mpimg.imread(buffer, format="png")


def _not_blank(image: np.ndarray) -> None:
    ink = (image[..., :3] < 0.9).any(axis=-1).mean()
    assert ink > 0.01, f"only {ink:.2%} of the figure is drawn"
    assert image[..., :3].std() > 0.05


def test_fund_flow(sample_run: Ran) -> None:
    result = sample_run.result
    names = dict(zip(result.findings.victims["victim_id"], result.findings.victims["name"],
                     strict=True))  # fmt: skip
    ax = _drawn(fund_flow, result.flows, names=names)
    texts = [t.get_text() for t in ax.texts]
    assert any("cash withdrawn" in t for t in texts)
    assert any(t.startswith("…") for t in texts), "accounts by their last digits"
    assert any(not t.isascii() for t in texts), "victims by their Chinese names"
    _not_blank(_rendered(ax))


def test_fund_flow_draws_on_a_given_axes_and_pools_a_large_case(sample_run: Ran) -> None:
    _, (left, right) = plt.subplots(1, 2)
    ax = _drawn(fund_flow, sample_run.result.flows, ax=right, max_victims=3, max_accounts=4)
    assert ax is right and not left.lines
    texts = [t.get_text() for t in ax.texts]
    assert any(t.endswith("others") for t in texts) and "other accounts" in texts
    _not_blank(_rendered(ax))


def test_evidence_timeline(sample_run: Ran) -> None:
    findings = sample_run.result.findings
    victims = findings.victims
    victim = victims.loc[victims["evidence_kinds"] == "call;chat;transfer", "victim_id"].iloc[0]
    ax = _drawn(evidence_timeline, findings, victim)
    assert "corroborated" in ax.get_title()
    _not_blank(_rendered(ax))


def test_den_activity(sample_run: Ran) -> None:
    ax = _drawn(den_activity, sample_run.result.case)
    assert len(ax.lines) == 4, "one line per den"
    _not_blank(_rendered(ax, chinese=False))


def test_group_roles(sample_run: Ran) -> None:
    ax = _drawn(group_roles, sample_run.result.attribution)
    assert "G1" in ax.get_title() and "G2" in ax.get_title()
    _not_blank(_rendered(ax))


def test_the_font_installed_with_linkage_draws_the_names() -> None:
    assert FONT == "Noto Sans SC", "the packaged font comes first, whatever the system has"
    path = resources.files(PACKAGED_FONT[0]) / PACKAGED_FONT[1]
    assert path.is_file()
    assert font_manager.FontProperties(fname=str(path)).get_name() == FONT
    figure = Figure(figsize=(2, 1))
    ax = figure.add_subplot()
    ax.text(0.1, 0.5, "张伟 李娜 王芳", family=FONT)
    figure.savefig(io.BytesIO(), format="png")  # a missing glyph would warn, and fail


def test_group_roles_gives_two_hundred_suspects_each_a_legible_row() -> None:
    roles = ["organiser"] * 4 + ["first_line"] * 120 + ["second_line"] * 40 + [
        "third_line"] * 16 + ["money_mule"] * 12 + ["support"] * 4 + ["unknown"] * 4  # fmt: skip
    surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    defendants = pd.DataFrame(
        {
            "person_id": [f"P{i:03d}" for i in range(200)],
            "name": [surnames[i % 10] + given[i % 20] + given[(i // 20) % 20] for i in range(200)],
            "group_id": ["G1" if i < 150 else "G2" for i in range(200)],
            "role": roles,
            "dens": [["den-a", "den-b;den-c", None][i % 3] for i in range(200)],
        }
    )
    attribution = cast(Attribution, SimpleNamespace(defendants=defendants))
    figure = Figure(figsize=group_roles_size(attribution))
    FigureCanvasAgg(figure)
    ax = group_roles(attribution, ax=figure.add_axes(FULL))
    texts = [t for t in ax.texts if t.get_text()]
    shown = " ".join(t.get_text() for t in texts)
    assert all(name in shown for name in defendants["name"])
    assert "G1: 150 people; dens den-a, den-b, den-c" in shown and "G2: 50 people" in shown
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in texts]
    overlapping = [(texts[i].get_text(), texts[j].get_text()) for i in range(len(boxes))
                   for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]  # fmt: skip
    assert overlapping == []
    area = figure.bbox
    assert all(area.x0 <= b.x0 and b.x1 <= area.x1 for b in boxes), "no label runs off the page"


def test_an_unknown_victim_gives_an_empty_figure_not_an_error(sample_run: Ran) -> None:
    ax = _drawn(evidence_timeline, sample_run.result.findings, "nobody")
    assert "no evidence" in ax.texts[0].get_text()
    plt.close(ax.figure)


@pytest.fixture(autouse=True)
def _close_figures() -> None:
    plt.close("all")
