"""Every figure renders to PNG on the sample case, is not blank, and draws Chinese names.

With a Chinese font installed (CI installs Debian's fonts-noto-cjk) any warning fails the
test, a missing glyph included: no figure shows boxes for names. Without one, the test
requires the library to say so (the font warning, then matplotlib's missing-glyph warnings)
and still checks that every figure is drawn."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import numpy as np
import pytest
from case_runs import Ran
from matplotlib.axes import Axes

from linkage.plot import den_activity, evidence_timeline, fund_flow, group_roles
from linkage.plot.style import find_cjk_font

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


def test_an_unknown_victim_gives_an_empty_figure_not_an_error(sample_run: Ran) -> None:
    ax = _drawn(evidence_timeline, sample_run.result.findings, "nobody")
    assert "no evidence" in ax.texts[0].get_text()
    plt.close(ax.figure)


@pytest.fixture(autouse=True)
def _close_figures() -> None:
    plt.close("all")
