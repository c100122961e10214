"""Every registered format is sniff-tested, listed, and its module says why it reads as it does."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from linkage.load.formats import FORMATS

TESTS = Path(__file__).resolve().parent
SNIFFED_ELSEWHERE = {"mapped"}  # never sniffed: chosen by [source.mapping] in case.toml


def sniff_tests() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in TESTS.glob("test_*.py")
        if "sniff(" in path.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_has_a_sniff_test(name: str) -> None:
    """A format nobody feeds to the sniffer may silently shadow or be shadowed by another."""
    if name in SNIFFED_ELSEWHERE:
        return
    assert f'"{name}"' in sniff_tests(), f"no test sniffs a {name} fixture"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_is_described(name: str) -> None:
    fmt = FORMATS[name]
    assert fmt.title and fmt.describe_signature()
    module = importlib.import_module(fmt.read.__module__)
    assert module.__doc__ and len(module.__doc__) > 200, f"{fmt.read.__module__} says too little"
