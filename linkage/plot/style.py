"""Shared look of the figures: a font that has Chinese glyphs, role colours, short labels.

Names in a case are Chinese; a figure that draws them as empty boxes is useless in court. The
font comes with the install: linkage depends on ``pylopdf-fonts-zh-cn``, a wheel that carries
the static Regular Noto Sans SC from the Noto CJK project under the SIL Open Font License
(17 MB, no dependencies, nothing written into matplotlib's folders). It was chosen over the
alternatives on PyPI for being the smallest package with the genuine Regular weight: the
variable Noto fonts other packages ship draw Thin in matplotlib, one large bundle carries a
proprietary font, another rewrites matplotlib's configuration on import. Its file is
registered with matplotlib at plot time and put first, so every machine draws the same glyphs
and the same case gives the same PNG bytes. Should the package be missing, an installed
system font that covers Chinese is used (Debian's ``fonts-noto-cjk``, WenQuanYi, Source Han,
the Windows and macOS system fonts); without any, a warning says what to install.
"""

from __future__ import annotations

import warnings
from functools import cache
from importlib import resources

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["ROLE_COLOURS", "account_label", "find_cjk_font", "use_cjk_font"]

PACKAGED_FONT = ("pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf")
"""The package and file of the font linkage installs with itself."""

CJK_FONTS = (
    "Noto Sans SC", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC",
    "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei",
    "PingFang SC", "Heiti SC", "Droid Sans Fallback",
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
    """The name of the font with Chinese glyphs the figures use: the one installed with
    linkage, else a system one; None when there is none."""
    packaged = _packaged_font()
    if packaged is not None:
        return packaged
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
            "no font with Chinese glyphs is installed (pip install -e . installs one with "
            "linkage): names in figures will show as boxes",
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


def _packaged_font() -> str | None:
    """Register the font installed with linkage with matplotlib; its name, or None."""
    package, name = PACKAGED_FONT
    try:
        path = resources.files(package) / name
    except ModuleNotFoundError:
        return None
    if not path.is_file():
        return None
    font_manager.fontManager.addfont(str(path))
    family: str = font_manager.FontProperties(fname=str(path)).get_name()
    return family


def _installed() -> str | None:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)
