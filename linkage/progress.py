"""Progress bars: one per stage of a run, cleared before anything else is printed.

A batch run on a large case takes minutes, so every stage shows a bar (``leave=False``: it
clears itself when the stage ends, and when the stage fails, so the one-line error that
follows is not garbled). In a Jupyter kernel with ``ipywidgets`` the bar is the notebook
widget; without the widgets it is the plain text bar. ``tqdm.auto`` is not used: in a kernel
without ``ipywidgets`` it warns ``IProgress not found`` on import, at every ``import linkage``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tqdm.std import tqdm as text_bar

__all__ = ["bar", "stage"]


def _in_notebook() -> bool:
    """Whether this process is a Jupyter kernel that can show the notebook widget."""
    shell = sys.modules.get("IPython")
    if shell is None or importlib.util.find_spec("ipywidgets") is None:
        return False
    ipython = getattr(shell, "get_ipython", lambda: None)()
    return ipython is not None and "IPKernelApp" in getattr(ipython, "config", {})


def bar(**options: Any) -> Any:
    """A progress bar (``tqdm`` options), the notebook widget where one can be shown, that
    clears itself when closed."""
    options.setdefault("leave", False)
    if _in_notebook():
        from tqdm.notebook import tqdm as widget_bar

        return widget_bar(**options)
    return text_bar(**options)


@contextmanager
def stage(name: str, show: bool) -> Iterator[None]:
    """A bar for one stage done in one piece (tracing, attributing, writing), closed however
    the stage ends."""
    shown = bar(total=1, desc=name, disable=not show, bar_format="{desc}: {elapsed}")
    try:
        yield
        shown.update(1)
    finally:
        shown.close()
