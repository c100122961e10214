"""The suspects' roster: who worked at which den, under which numbers, handles and extensions.

The roster is the investigators' own list (FORMATS.md §5, proposed layout):
``序号,姓名,性别,证件类型,证件号码,出生日期,国籍,手机号码,Skype账号,微信号,QQ号,窝点,分机号,角色,备注``.
It is what turns an extension in a dial list, a Skype handle in a chat or a phone in a call record
into a defendant, so a person must never vanish from it because of a clerical slip.

Rules, and why:

- 证件号码 is the person's key and is required: a row without one is rejected as
  ``empty_identifier`` (it names nobody the court can identify). A number that fails validation
  (a typo in the check character, a passport with a stray symbol) does **not** drop the suspect:
  ``person_id`` holds the number as written, cleaned (NFKC, no white space, upper case), and
  ``note`` says it was not validated. Such a key cannot collide with a valid normalized number
  (a valid one would have passed), so it links only to the same slip elsewhere, and the
  defendant keeps a key in every output. A number a spreadsheet turned into a float has lost its
  digits: ``person_id`` stays null, ``person_id_raw`` shows the float, and ``note`` says so.
- 证件类型 decides how the number is read (``居民身份证`` resident ID, ``护照`` passport,
  ``台湾居民来往大陆通行证`` permit); without it a resident-ID-shaped number is read as one.
- Multi-value cells (phones, handles, QQ numbers, extensions) are split on ``; ； 、 / ， ,`` and
  line breaks; values that do not normalize are left out of the lists (the cell stays in the
  source file for anyone who checks).
- 角色 is the investigators' note, kept in ``role_noted``; ``role`` maps it to the closed roles
  the judgment uses. It is evidence to be corroborated, not a finding.
- Names go through ``normalize_name`` (traditional to simplified), so ``張偉`` matches ``张伟``.
  An empty 姓名 (or a formula cell whose workbook saved no value: linkage never evaluates one)
  keeps the row, known by its ID number, with a ``note`` saying the name is missing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pandas as pd

from linkage.errors import InvalidIdentifier
from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_handle, normalize_name, normalize_person_id, normalize_phone
from linkage.rejects import RejectReason

SERIAL = ("序号",)
NAME = ("姓名",)
GENDER = ("性别",)
ID_TYPE = ("证件类型",)
ID_NUMBER = ("证件号码",)
BIRTH = ("出生日期",)
NATIONALITY = ("国籍",)
PHONES = ("手机号码", "联系电话", "电话号码")
SKYPE = ("Skype账号", "Skype", "skype账号")
WECHAT = ("微信号", "微信账号")
QQ = ("QQ号", "QQ")
DEN = ("窝点",)
EXTENSIONS = ("分机号",)
ROLE = ("角色",)
REMARK = ("备注",)

SEPARATORS = re.compile(r"[;；、/，,\n]+")
"""What a clerk puts between several values in one cell."""

ROLES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("首要分子", "组织者"), "organiser"),
    (("一线",), "first_line"),
    (("二线",), "second_line"),
    (("三线",), "third_line"),
    (("取款", "水房"), "money_mule"),
    (("技术", "后勤", "招募", "护照保管", "卡商", "卡头"), "support"),
)
"""角色 words, in the order they are tried, and the role each means."""

GENDERS = {
    "男": "male",
    "女": "female",
    "m": "male",
    "f": "female",
    "male": "male",
    "female": "female",
}

ID_KINDS = (
    (("身份证", "身份證"), "resident_id"),
    (("护照", "護照", "passport"), "passport"),
    (("通行证", "通行證", "台胞证", "台胞證", "permit"), "permit"),
)

RESIDENT_SHAPE = re.compile(r"[0-9]{17}[0-9X]")

MANGLED_NOTE = "证件号码 was stored as a number and lost its digits"
NO_NAME_NOTE = "姓名 is empty (or a formula with no saved value): known by the ID number only"


def present(value: object) -> str | None:
    """A cell's text, or None for every kind of empty (None, NaN, NA, ``""``).

    >>> present(float("nan")), present(""), present(" 8001 ")
    (None, None, '8001')
    """
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def objects(values: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """``fn`` applied to every cell, as an object column that keeps None (``map`` makes NaN)."""
    return pd.Series([fn(v) for v in values], index=values.index, dtype=object)


def map_role(noted: object) -> str:
    """The role an investigator's 角色 note means; ``unknown`` when it says nothing known.

    >>> map_role("二线（客服）"), map_role("组织者"), map_role(None), map_role("厨师")
    ('second_line', 'organiser', 'unknown', 'unknown')
    """
    text = present(noted)
    if text is None:
        return "unknown"
    text = normalize_name(text)
    for words, role in ROLES:
        if any(word in text for word in words):
            return role
    return "unknown"


def split_cell(value: object) -> list[str]:
    """The values of a multi-value cell, trimmed, empty pieces dropped.

    >>> split_cell("138 0013 8000；13900139000、/ 17951 13700137000")
    ['138 0013 8000', '13900139000', '17951 13700137000']
    """
    text = present(value)
    if text is None:
        return []
    return [piece.strip() for piece in SEPARATORS.split(text) if piece.strip()]


def value_lists(cells: pd.Series, normalize: Callable[[str], str]) -> pd.Series:
    """Each cell split into values, each normalized; values that fail are left out, order kept.

    Numeric workbook cells (a phone typed as a number) count when exact; float-damaged ones are
    left out like any other value that does not normalize.
    """
    texts, _ = columns.identifier_text(cells)
    cache: dict[str, str | None] = {}

    def one(piece: str) -> str | None:
        if piece not in cache:
            try:
                cache[piece] = normalize(piece)
            except InvalidIdentifier:
                cache[piece] = None
        return cache[piece]

    def row(value: object) -> list[str]:
        out: list[str] = []
        for piece in split_cell(value):
            normal = one(piece)
            if normal is not None and normal not in out:
                out.append(normal)
        return out

    return objects(texts, row)


def id_kind(id_type: object) -> str | None:
    """The canonical document kind of a 证件类型 text, or None when it names none we know.

    >>> id_kind("居民身份证"), id_kind("护照"), id_kind("台湾居民来往大陆通行证"), id_kind(None)
    ('resident_id', 'passport', 'permit', None)
    """
    raw = present(id_type)
    if raw is None:
        return None
    text = unicodedata.normalize("NFKC", raw).lower()
    return next((kind for words, kind in ID_KINDS if any(w in text for w in words)), None)


def cleaned_as_written(raw: str) -> str:
    """An unvalidated number as a key: NFKC, no white space, upper case.

    >>> cleaned_as_written(" e12 345\\u3000678x ")
    'E12345678X'
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).upper()


def _qq(raw: str) -> str:
    digits = unicodedata.normalize("NFKC", raw).strip()
    if not re.fullmatch(r"[1-9][0-9]{4,11}", digits):
        raise InvalidIdentifier(f"{raw!r} is not a QQ number")
    return digits


def _extension(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise InvalidIdentifier("empty extension")
    return text


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one roster table onto the canonical persons table."""
    region = rows.context.region
    person_id, person_id_raw, kinds, flags = person_ids(rows)
    remarks = rows.text(*REMARK)
    names = rows.text(*NAME)
    nameless = [None if present(n) else NO_NAME_NOTE for n in names]
    note = pd.Series(
        [
            "; ".join(p for p in (present(r), present(f), n) if p) or None
            for r, f, n in zip(remarks, flags, nameless, strict=True)
        ],
        index=rows.index,
        dtype=object,
    )
    role_noted = rows.text(*ROLE)
    gender = objects(rows.text(*GENDER), lambda g: GENDERS.get((present(g) or "").lower()))
    return pd.DataFrame(
        {
            "person_id": person_id,
            "person_id_raw": person_id_raw,
            "id_type": kinds,
            "name": columns.lenient_identifiers(rows.cells(*NAME), normalize_name),
            "name_raw": names,
            "gender": gender,
            "birth_date": dates(rows.cells(*BIRTH)),
            "nationality": rows.text(*NATIONALITY),
            "phones": value_lists(rows.cells(*PHONES), lambda p: normalize_phone(p, region)),
            "skype": value_lists(rows.cells(*SKYPE), normalize_handle),
            "wechat": value_lists(rows.cells(*WECHAT), normalize_handle),
            "qq": value_lists(rows.cells(*QQ), _qq),
            "den": rows.text(*DEN),
            "extensions": value_lists(rows.cells(*EXTENSIONS), _extension),
            "role_noted": role_noted,
            "role": columns.each(role_noted, map_role).fillna("unknown"),
            "note": note,
        },
        index=rows.index,
    )


def person_ids(rows: Rows) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(person_id, person_id_raw, id_type, flag note) for every row; rejects rows without an ID."""
    cells = rows.cells(*ID_NUMBER)
    texts, errors = columns.identifier_text(cells)
    mangled = errors.notna()
    rows.reject(texts.isna() & ~mangled, RejectReason.EMPTY_IDENTIFIER, *ID_NUMBER)
    id_types = rows.text(*ID_TYPE)
    kinds = objects(id_types, id_kind)
    person_id = objects(texts, lambda _: None)
    flags = objects(texts, lambda _: None)
    flags[mangled] = MANGLED_NOTE
    cache: dict[tuple[str, str], str | InvalidIdentifier] = {}
    for position, raw in texts.dropna().items():
        key = (str(raw), present(id_types[position]) or "")
        if key not in cache:
            try:
                cache[key] = normalize_person_id(*key)
            except InvalidIdentifier as error:
                cache[key] = error
        normal = cache[key]
        if isinstance(normal, InvalidIdentifier) and normal.reason == RejectReason.ID_MANGLED:
            flags[position] = MANGLED_NOTE  # text a spreadsheet wrote: ``1.10105E+17``
        elif isinstance(normal, InvalidIdentifier):
            person_id[position] = cleaned_as_written(key[0])
            kind = (kinds[position] or "ID").replace("_", " ")
            flags[position] = f"证件号码 kept as written: not a valid {kind}"
        else:
            person_id[position] = normal
            if present(kinds[position]) is None:
                kinds[position] = "resident_id" if RESIDENT_SHAPE.fullmatch(normal) else None
    raw = pd.Series(
        [str(c) if m else present(t) for t, c, m in zip(texts, cells, mangled, strict=True)],
        index=cells.index,
        dtype=object,
    )
    return person_id, raw, kinds, flags


def dates(cells: pd.Series) -> pd.Series:
    """Calendar dates (birth dates) from text or date cells; None where unreadable.

    No range check: people are born before 1990. An unreadable birth date is no reason to drop
    a suspect, and the cell stays in the source file.
    """
    times, _ = columns.times(cells, "UTC")
    return objects(times, lambda t: None if pd.isna(t) else pd.Timestamp(t).date())


def read(context: SourceContext) -> ReadResult:
    """Read a suspects' roster (CSV or xlsx)."""
    return read_tabular(context, "persons", interpret)


FORMAT = register(
    Format(
        name="roster",
        kind="persons",
        title="Suspects' roster (proposed layout)",
        read=read,
        header=signature(NAME, ID_NUMBER, DEN),
        vocabulary=frozenset(
            SERIAL
            + NAME
            + GENDER
            + ID_TYPE
            + ID_NUMBER
            + BIRTH
            + NATIONALITY
            + PHONES
            + SKYPE
            + WECHAT
            + QQ
            + DEN
            + EXTENSIONS
            + ROLE
            + REMARK
        ),
        status="proposed",
    )
)
