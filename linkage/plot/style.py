"""Shared look of the figures: a font that has Chinese glyphs, role colours, short labels.

Names in a case are Chinese; a figure that draws them as empty boxes is useless in court. The
first installed font that covers Chinese is put before matplotlib's default (Debian's
``fonts-noto-cjk`` provides Noto Sans CJK; WenQuanYi, Source Han and the Windows and macOS
system fonts are found too). Without one, a warning says what to install.
"""

from __future__ import annotations

import warnings
from functools import cache

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["ROLE_COLOURS", "account_label", "find_cjk_font", "use_cjk_font"]

CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Heiti SC", "Droid Sans Fallback",
)  # fmt: skip

ROLE_COLOURS = {
    "organiser": "#b2182b",
    "first_line": "#2166ac",
    "second_line": "#4393c3",
    "third_line": "#92c5de",
    "money_mule": "#e08214",
    "support": "#8c6bb1",
    "unknown": "#999999",
}


@cache
def find_cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs, or None."""
    found = _installed()
    if found is None:  # fonts added after matplotlib cached its list: read the system's again
        for path in font_manager.findSystemFonts():
            if any(part in path for part in ("CJK", "wqy", "SourceHan", "DroidSansFallback")):
                font_manager.fontManager.addfont(path)
        found = _installed()
    return found


def use_cjk_font() -> str | None:
    """Put an installed Chinese font first in matplotlib's sans-serif list; return its name."""
    found = find_cjk_font()
    if found is None:
        warnings.warn(
            "no font with Chinese glyphs is installed (e.g. Debian's fonts-noto-cjk): names "
            "in figures will show as boxes",
            stacklevel=2,
        )
        return None
    families = list(mpl.rcParams["font.sans-serif"])
    mpl.rcParams["font.sans-serif"] = [found, *[f for f in families if f != found]]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    return found


def account_label(account: str) -> str:
    """An account as a figure shows it: the last four digits (all of it when short).

    >>> account_label("6222021234567890123"), account_label("abc")
    ('…0123', 'abc')
    """
    return f"…{account[-4:]}" if len(account) > 6 else account


def _installed() -> str | None:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)
