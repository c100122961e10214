"""case.toml: the analyst's reviewed statement of what each file in the case folder is.

The file is the contract between the investigator and the software: which file is what kind of
evidence, who it came from, which clock its times were written in, and at which den it was
seized. Everything the loaders cannot know from the bytes is written here, and a mistake in it
is reported with the key at fault before a single row is read.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from linkage.errors import ConfigError
from linkage.load.context import SourceSpec
from linkage.schema import KINDS

ORIGINS = ("seized", "victim", "bank", "telecom", "immigration", "police")
SOURCE_KEYS = {"path", "kind", "origin", "timezone", "den", "format", "region", "owner", "mapping"}
CASE_KEYS = {
    "name", "timezone", "seized_at", "latest_plausible", "known_group_accounts", "clock_skew_s",
}  # fmt: skip
TABLES = {"case", "source", "rules", "attribution", "requests"}
"""Keys case.toml may hold. Anything else is refused: a misspelt ``timzone`` silently ignored
would read a den's clock as Beijing time and shift every call by hours."""
CASE_FILE = "case.toml"
SAVED_MARK = "saved_case.json"
"""The file that makes a folder a case saved by ``linkage load --to`` (``load/saved.py``)."""


@dataclass(frozen=True)
class CaseConfig:
    """A parsed case.toml: case facts plus the sources in the order the analyst listed them."""

    folder: Path
    name: str
    timezone: str
    seized_at: dt.datetime | None
    sources: tuple[SourceSpec, ...]
    facts: dict[str, Any] = field(default_factory=dict)
    latest_plausible: dt.datetime | None = None
    rules: dict[str, Any] = field(default_factory=dict)
    """case.toml's ``[rules]``: matching parameters, checked by ``MatchParams.from_toml``."""
    attribution: dict[str, Any] = field(default_factory=dict)
    """case.toml's ``[attribution]``: checked by ``AttributionParams.from_toml``."""
    clock_skew_s: int = 600
    """How far past ``seized_at`` a seized device's clock may stamp a row before the row is
    taken out of evidence (``load/integrity.py``)."""
    requests: dict[str, Any] = field(default_factory=dict)
    """case.toml's ``[requests]``: checked by ``RequestParams.from_toml``."""


def case_folder(path: str | Path) -> Path:
    """The case folder a user named: the folder itself, or the folder of the case.toml named.

    >>> case_folder("cases/den-2016")
    PosixPath('cases/den-2016')
    """
    path = Path(path)
    return path.parent if path.name == CASE_FILE and path.is_file() else path


def read_config(folder: Path) -> CaseConfig:
    """Read and check ``folder/case.toml``.

    Raises
    ------
    ConfigError
        If the file is missing or malformed, names an unknown kind, origin or time zone, or a
        path that does not exist. The message names the source and the key.
    """
    folder = case_folder(folder)
    path = folder / CASE_FILE
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such case folder")
    if not path.is_file():
        raise ConfigError(f"{path}: no case.toml (run `linkage init {folder}` to draft one)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from error
    return parse_config(data, folder)


def parse_config(data: dict[str, Any], folder: Path, require_files: bool = True) -> CaseConfig:
    """Check a case.toml already parsed into ``data``; see :func:`read_config`.

    ``require_files`` false skips the check that each source path exists: a saved case
    (``load/saved.py``) keeps the case.toml but not the files it was loaded from.
    """
    case = data.get("case")
    if not isinstance(case, dict):
        raise ConfigError("case.toml: missing [case] table")
    _known_keys(data, TABLES, "case.toml", "tables")
    _known_keys(case, CASE_KEYS, "case.toml [case]", "keys")
    name = _text(case, "name", "[case]")
    timezone = _zone(case.get("timezone", "Asia/Shanghai"), "[case] timezone")
    seized_at = _instant(case.get("seized_at"), "[case] seized_at")
    latest = _instant(case.get("latest_plausible"), "[case] latest_plausible")
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError("case.toml: no [[source]] entries")
    sources = tuple(
        _source(entry, number, folder, require_files)
        for number, entry in enumerate(raw_sources, start=1)
    )
    pairs = [(s.path, s.kind) for s in sources]
    repeated = sorted({p for p, k in pairs if pairs.count((p, k)) > 1})
    if repeated:
        raise ConfigError(f"case.toml: sources listed twice with the same kind: {repeated}")
    facts = {k: v for k, v in case.items() if k not in {"name", "timezone", "seized_at"}}
    facts.pop("latest_plausible", None)
    skew = facts.pop("clock_skew_s", 600)
    if isinstance(skew, bool) or not isinstance(skew, int) or skew < 0:
        raise ConfigError(f"case.toml [case] clock_skew_s: {skew!r} is not a whole number of "
                          "seconds (0 or more)")  # fmt: skip
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError("case.toml: [rules] must be a table")
    known = case.get("known_group_accounts", [])
    if not isinstance(known, list) or not all(isinstance(a, str) for a in known):
        raise ConfigError("case.toml [case] known_group_accounts: expected a list of strings")
    attribution = data.get("attribution", {})
    if not isinstance(attribution, dict):
        raise ConfigError("case.toml: [attribution] must be a table")
    requests = data.get("requests", {})
    if not isinstance(requests, dict):
        raise ConfigError("case.toml: [requests] must be a table")
    return CaseConfig(
        folder, name, timezone, seized_at, sources, facts, latest, rules, attribution, skew,
        requests,
    )  # fmt: skip


def _source(entry: Any, number: int, folder: Path, require_files: bool) -> SourceSpec:
    where = f"[[source]] #{number}"
    if not isinstance(entry, dict):
        raise ConfigError(f"case.toml {where}: expected a table")
    path = _text(entry, "path", where)
    where = f"[[source]] #{number} ({path})"
    _known_keys(entry, SOURCE_KEYS, f"case.toml {where}", "keys")
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise ConfigError(
            f"case.toml {where}: path must be relative to the case folder and inside it"
        )
    if require_files and not (folder / path).exists():
        raise ConfigError(f"case.toml {where}: path does not exist in {folder}")
    kind = _text(entry, "kind", where)
    if kind not in KINDS:
        raise ConfigError(f"case.toml {where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    origin = _text(entry, "origin", where)
    if origin not in ORIGINS:
        raise ConfigError(
            f"case.toml {where}: origin {origin!r} is not one of {', '.join(ORIGINS)}"
        )
    timezone = entry.get("timezone")
    if timezone is not None:
        timezone = _zone(timezone, f"{where} timezone")
    region = entry.get("region")
    if region is not None and str(region).upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(
            f"case.toml {where}: region {region!r} is not a two-letter region code (e.g. US, KE)"
        )
    return SourceSpec(
        path=path,
        kind=kind,
        origin=origin,
        timezone=timezone,
        den=entry.get("den"),
        format=str(entry.get("format", "auto")),
        region=str(region).upper() if region is not None else None,
        owner=entry.get("owner"),
        mapping=_mapping(entry, where),
    )


def _mapping(entry: dict[str, Any], where: str) -> dict[str, Any] | None:
    mapping = entry.get("mapping")
    if mapping is None:
        return None
    if not isinstance(mapping, dict):
        raise ConfigError(f"case.toml {where}: [source.mapping] must be a table")
    if entry.get("format", "auto") not in ("auto", "mapped"):
        raise ConfigError(f"case.toml {where}: a mapping replaces format; drop format =")
    return dict(mapping)


def _known_keys(table: dict[str, Any], known: set[str], where: str, what: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown {what} {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"case.toml {where}: {key} is required and must be text")
    return value.strip()


def _zone(value: Any, where: str) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(
            f"case.toml {where}: {value!r} is not an IANA time zone (e.g. Asia/Jakarta)"
        ) from error
    return str(value)


def _instant(value: Any, where: str) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError as error:
            raise ConfigError(f"case.toml {where}: {value!r} is not an ISO 8601 time") from error
    if moment.tzinfo is None:
        raise ConfigError(f"case.toml {where}: {value!r} needs an offset (e.g. +03:00)")
    return moment.astimezone(dt.UTC)
