"""The case officers' victim list: who reported, how to reach them, what they say they lost.

Every victim on this list is a count in the indictment, so a victim row is kept whenever it
identifies anybody (FORMATS.md §7, proposed layout):
``序号,被害人姓名,身份证号码,联系电话,报案时间,报案地点,被骗金额(元),被害人账号,收款账号,首次被骗时间,被骗经过``.

- An ID number or phone that does not validate keeps the row: ``id_number``/``phone`` are null
  beside their raw text (the schema's flag). A resident ID a spreadsheet stored as a number has
  lost its last digits; it is flagged the same way, with the float shown in ``id_number_raw``.
- Only a row with no name, no ID number and no phone is rejected (``empty_identifier``): it
  names nobody.
- 被害人账号 and 收款账号 hold ``;``-separated lists (other separators clerks use are accepted
  too); each account is normalized, and masked (``6222****1234``) or damaged ones are left out
  of the lists, because they can never be join keys.
- 报案时间 and 首次被骗时间 are read in the source's zone, which defaults to the case's (Beijing
  time in a mainland case, the police station's clock). They are optional: an unreadable one
  is left null, but a time outside the plausible range is rejected as ``time_out_of_range``,
  as everywhere.
- 被骗金额(元) is the loss the victim reported, in fen; the proven loss comes from transactions.
"""

from __future__ import annotations

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.roster import value_lists
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import (
    normalize_account,
    normalize_name,
    normalize_phone,
    normalize_resident_id,
)
from linkage.rejects import RejectReason

SERIAL = ("序号",)
NAME = ("被害人姓名", "姓名")
ID_NUMBER = ("身份证号码", "证件号码")
PHONE = ("联系电话", "手机号码")
REPORTED = ("报案时间",)
PLACE = ("报案地点",)
LOSS = ("被骗金额(元)", "被骗金额")
ACCOUNTS = ("被害人账号",)
PAYEES = ("收款账号",)
FIRST = ("首次被骗时间",)
NARRATIVE = ("被骗经过",)


def raw_identifier(cells: pd.Series) -> pd.Series:
    """Identifier cells as text; a float-damaged number shows as the float, to flag the damage.

    >>> raw_identifier(pd.Series(["11010519491231002X", 1.1010519491231002e17, ""])).tolist()
    ['11010519491231002X', '1.1010519491231002e+17', <NA>]
    """
    texts, errors = columns.identifier_text(cells)
    return texts.where(errors.isna(), columns.each(cells, str))


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one victim list onto the canonical victims table."""
    region = rows.context.region
    name_raw = rows.text(*NAME)
    id_raw = raw_identifier(rows.cells(*ID_NUMBER))
    phone_raw = raw_identifier(rows.cells(*PHONE))
    nobody = name_raw.isna() & id_raw.isna() & phone_raw.isna()
    rows.reject(nobody, RejectReason.EMPTY_IDENTIFIER)
    return pd.DataFrame(
        {
            "name": columns.lenient_identifiers(rows.cells(*NAME), normalize_name),
            "name_raw": name_raw,
            "id_number": columns.lenient_identifiers(rows.cells(*ID_NUMBER), normalize_resident_id),
            "id_number_raw": id_raw,
            "phone": columns.lenient_identifiers(
                rows.cells(*PHONE), lambda p: normalize_phone(p, region)
            ),
            "phone_raw": phone_raw,
            "accounts": value_lists(rows.cells(*ACCOUNTS), normalize_account),
            "payee_accounts": value_lists(rows.cells(*PAYEES), normalize_account),
            "reported_at": rows.time(*REPORTED, required=False),
            "report_place": rows.text(*PLACE),
            "reported_loss_fen": rows.amount(*LOSS, required=False),
            "reported_loss_raw": rows.text(*LOSS),
            "first_defrauded_at": rows.time(*FIRST, required=False),
            "narrative": rows.text(*NARRATIVE),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read the case officers' victim list (CSV or xlsx)."""
    return read_tabular(context, "victims", interpret)


FORMAT = register(
    Format(
        name="victim_list",
        kind="victims",
        title="Case officers' victim list (proposed layout)",
        read=read,
        header=signature(("被害人姓名",), LOSS),
        vocabulary=frozenset(
            SERIAL
            + NAME
            + ID_NUMBER
            + PHONE
            + REPORTED
            + PLACE
            + LOSS
            + ACCOUNTS
            + PAYEES
            + FIRST
            + NARRATIVE
        ),
        status="proposed",
    )
)
