"""Write a drafted case.toml into a case folder, never over the analyst's reviewed one."""

from __future__ import annotations

from pathlib import Path

from linkage.errors import ConfigError
from linkage.load.config import CASE_FILE


def write_case_toml(folder: Path, text: str, force: bool = False) -> Path:
    """Write ``text`` as ``folder/case.toml``; refuse to overwrite unless ``force``."""
    path = folder / CASE_FILE
    if path.exists() and not force:
        raise ConfigError(f"{path} exists; it may hold reviewed edits (use --force to replace it)")
    path.write_text(text, encoding="utf-8")
    return path
