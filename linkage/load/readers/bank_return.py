"""Transactions from a police 资金查控 bank return (交易明细信息), the spine of a money trail.

A bank answers an electronic 查控 request with a folder named by 22 digits ending in the answer's
time stamp (``yyyyMMddHHmmss``). It holds ``<银行全称>交易明细信息.csv`` (GB18030, 31 columns, or
an older 29-column form without 商户名称/交易类型) and support tables: ``账户信息.csv``,
``人员信息.csv``, ``子账户信息.csv`` and sometimes 强制措施, 任务信息, 人员联系方式, 人员住址.

The folder is read as **one source**: every ``*交易明细信息.csv`` in it is a table of transaction
rows, and its ``rows_read``, rejects and kept rows are summed over those files, each row naming
its own file (relative to the case folder) and line. The support files are *not* transaction
rows and are never counted as such; they are hashed by the caller like every file of the source.
Two of them are read here to complete the rows: banks often leave 交易方户名 and 交易方证件号码
empty on every line, because the holder is stated once in ``账户信息.csv``; those cells are
filled from it by joining on 交易卡号 or 交易账号, and names still missing are filled from
``人员信息.csv`` by the holder's ID number. A note says how many were filled, because a filled
name is the bank's registration, not what the transaction line said.

Rules, each for an evidential reason:

- Rows whose 查询反馈结果原因 says ``失败``/``无记录``/``查无此…`` are the bank's negative answer,
  not transactions: rejected ``failed_status``.
- 收付标志 ``进`` is money in, ``出`` money out. Some banks also sign 交易金额; the amount kept is
  its absolute value and the flag decides the direction, as the flag is the field the platform
  defines. Zero amounts (interest runs, fee waivers) move nothing: ``no_money_moved``.
- Card and account ids lose their ``_156_1`` currency/钞汇 suffix; 交易对手账卡号 may be a
  10-digit merchant id, kept as it is (it still identifies the payee across returns).
- 交易是否成功 is kept raw in ``status_raw``: banks disagree on whether ``01`` means success.
- Exact duplicates across overlapping returns are left for the deduplication step, which sees
  every source; one reader cannot tell an overlap from two identical transfers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from linkage.errors import SourceError
from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.delimited import read_delimited
from linkage.load.formats import Format, register, signature
from linkage.load.readers import bank_accounts
from linkage.load.readers.bank_accounts import FEEDBACK, failed_query, normalized, own_account
from linkage.load.readers.bank_statement_rows import counterparty_columns
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_account, normalize_name, normalize_person_id
from linkage.rejects import RejectReason

HOLDER = ("交易方户名", "交易户名")
HOLDER_ID = ("交易方证件号码", "交易证件号码", "交易方证件号")
TIME = ("交易时间",)
AMOUNT = ("交易金额",)
BALANCE = ("交易余额",)
FLAG = ("收付标志",)
COUNTERPARTY = ("交易对手账卡号",)
COUNTERPARTY_NAME = ("对手户名",)
COUNTERPARTY_ID = ("对手身份证号", "对手证件号码")
COUNTERPARTY_BANK = ("对手开户银行",)
SUMMARY = ("摘要说明",)
CURRENCY = ("交易币种",)
SUCCESS = ("交易是否成功",)
SERIAL = ("交易流水号",)
CHANNEL = ("交易类型",)
COLUMNS_31 = (
    "交易卡号", "交易账号", "交易方户名", "交易方证件号码", "交易时间", "交易金额", "交易余额",
    "收付标志", "交易对手账卡号", "现金标志", "对手户名", "对手身份证号", "对手开户银行",
    "摘要说明", "交易币种", "交易网点名称", "交易发生地", "交易是否成功", "传票号", "IP地址",
    "MAC地址", "对手交易余额", "交易流水号", "日志号", "凭证种类", "凭证号", "交易柜员号", "备注",
    "商户名称", "交易类型", "查询反馈结果原因",
)  # fmt: skip
"""The 31 columns of the current form, in file order.

The 29-column form lacks 商户名称 and 交易类型."""

DIRECTIONS = {"进": "in", "出": "out"}

TRANSACTION_FILE = re.compile(r"(?P<bank>.*)交易明细信息\.csv", re.IGNORECASE)
RETURN_FOLDER = re.compile(r"\d{8}(?P<stamp>\d{14})")
PERSON_NAME = ("客户名称", "客户姓名", "姓名", "户名")
PERSON_ID = ("证照号码", "证件号码", "客户证件号码", "身份证号码")
PERSON_WORDS = frozenset(
    PERSON_NAME
    + PERSON_ID
    + ("证照类型", "证件类型", "联系手机", "联系电话", "单位地址", "住宅地址", "工作单位")
    + ("查询反馈结果原因",)
)


def bank_of(file_name: str) -> str | None:
    """The bank a return file names itself after (``<银行全称>交易明细信息.csv``).

    >>> bank_of("returns/中国工商银行交易明细信息.csv")
    '中国工商银行'
    >>> bank_of("交易明细信息.csv") is None
    True
    """
    match = TRANSACTION_FILE.fullmatch(Path(file_name).name)
    bank = match.group("bank").strip(" _-") if match else ""
    return bank or None


def transaction_files(folder: Path, recursive: bool = True) -> list[Path]:
    """The ``*交易明细信息.csv`` files of a return folder, in name order."""
    candidates = folder.rglob("*") if recursive else folder.glob("*")
    return sorted(
        p
        for p in candidates
        if p.is_file() and not p.name.startswith((".", "~$")) and TRANSACTION_FILE.fullmatch(p.name)
    )


def is_return_folder(path: Path) -> bool:
    """A folder named by 22 digits ending yyyyMMddHHmmss, or holding a ``*交易明细信息.csv``."""
    if not path.is_dir():
        return False
    match = RETURN_FOLDER.fullmatch(path.name)
    if match:
        try:
            dt.datetime.strptime(match.group("stamp"), "%Y%m%d%H%M%S")
            return True
        except ValueError:
            pass
    return bool(transaction_files(path, recursive=False))


@dataclass
class Holders:
    """Who holds each account of one return folder, from its support tables."""

    by_account: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Normalized card or account id → (holder name, holder ID) as 账户信息 wrote them."""
    by_person: dict[str, str] = field(default_factory=dict)
    """Normalized holder ID → name as 人员信息 wrote it."""
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def load_holders(folder: Path, context: SourceContext) -> Holders:
    """Read the 账户信息 and 人员信息 tables beside a return's transaction files.

    A support table that cannot be read is noted, not fatal: the transactions stand on their
    own, only their empty holder cells stay empty.
    """
    holders = Holders()
    for path in sorted(folder.glob("*.csv")):
        name = path.name
        is_accounts = name.endswith("账户信息.csv") and not name.endswith("子账户信息.csv")
        is_persons = name.endswith("人员信息.csv")
        if not (is_accounts or is_persons):
            continue
        name = context.name_of(path)
        vocabulary = bank_accounts.FORMAT.vocabulary if is_accounts else PERSON_WORDS
        try:
            raw = read_delimited(path, name, vocabulary)
        except SourceError as error:
            holders.problems.append(f"{error}; holder cells not filled from it")
            continue
        holders.files.append(path)
        if is_accounts:
            holder = columns.text(raw.column(_first(raw.cells, bank_accounts.HOLDER)))
            holder_id = columns.text(raw.column(_first(raw.cells, bank_accounts.HOLDER_ID)))
            for aliases in (bank_accounts.CARD, bank_accounts.ACCOUNT_NO):
                ids = columns.lenient_identifiers(
                    raw.column(_first(raw.cells, aliases)), normalize_account
                )
                for key, person, number in zip(ids, _texts(holder), _texts(holder_id), strict=True):
                    if isinstance(key, str) and (person or number):
                        holders.by_account.setdefault(key, (person, number))
        else:
            person = columns.text(raw.column(_first(raw.cells, PERSON_NAME)))
            ids = columns.lenient_identifiers(
                raw.column(_first(raw.cells, PERSON_ID)), normalize_person_id
            )
            for key, value in zip(ids, _texts(person), strict=True):
                if isinstance(key, str) and value:
                    holders.by_person.setdefault(key, value)
    return holders


def _texts(values: pd.Series) -> list[str | None]:
    return [v if isinstance(v, str) and v else None for v in values]


def _first(cells: pd.DataFrame, aliases: tuple[str, ...]) -> str:
    return next((a for a in aliases if a in cells.columns), "")


def interpret_return(
    rows: Rows, holders: Holders | None = None, filled: Counter[str] | None = None
) -> pd.DataFrame:
    """Map one 交易明细 table onto the canonical transactions table.

    ``holders`` fills empty holder cells from the folder's support tables; ``filled`` counts
    the cells filled, by what filled them.
    """
    rows.needs(TIME, AMOUNT, FLAG)  # a row may leave the columns after these off
    rows.reject(failed_query(rows), RejectReason.FAILED_STATUS, *FEEDBACK)
    account, account_raw = own_account(rows)
    occurred = rows.time(*TIME)
    signed = rows.amount(*AMOUNT)
    amount = signed.abs()
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *AMOUNT)
    direction = rows.flag(DIRECTIONS, *FLAG)

    holder = rows.text(*HOLDER)
    holder_id = rows.identifier_raw(*HOLDER_ID)
    if holders is not None:
        holder, holder_id = _fill_holders(rows, holder, holder_id, holders, filled)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": account_raw,
            "holder_name": normalized(holder, normalize_name),
            "holder_id": normalized(holder_id, normalize_person_id),
            **counterparty_columns(rows, COUNTERPARTY, COUNTERPARTY_NAME),
            "counterparty_id": normalized(
                rows.identifier_raw(*COUNTERPARTY_ID), normalize_person_id
            ),
            "counterparty_bank": rows.text(*COUNTERPARTY_BANK),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "currency": rows.text(*CURRENCY),
            "channel": rows.text(*CHANNEL),
            "summary": rows.text(*SUMMARY),
            "serial_no": rows.text(*SERIAL),
            "status_raw": rows.text(*SUCCESS),
            "bank": bank_of(rows.ledger.source_file),
        },
        index=rows.index,
    )


def interpret(rows: Rows) -> pd.DataFrame:
    """Map a loose 交易明细 table (no support tables beside it) onto transactions."""
    return interpret_return(rows)


def _fill_holders(
    rows: Rows,
    holder: pd.Series,
    holder_id: pd.Series,
    holders: Holders,
    filled: Counter[str] | None,
) -> tuple[pd.Series, pd.Series]:
    """Holder name and ID cells with the empty ones filled from the support tables."""
    registered = pd.Series([None] * len(rows.index), index=rows.index, dtype=object)
    for aliases in (bank_accounts.CARD, bank_accounts.ACCOUNT_NO):
        ids = rows.identifier(normalize_account, *aliases)
        found = columns.each(ids, holders.by_account.get)
        registered = registered.where(registered.notna(), found)
    reg_name = columns.each(registered, lambda r: r[0])
    reg_id = columns.each(registered, lambda r: r[1])
    name_from_accounts = holder.isna() & reg_name.notna()
    id_from_accounts = holder_id.isna() & reg_id.notna()
    holder = holder.where(~name_from_accounts, reg_name)
    holder_id = holder_id.where(~id_from_accounts, reg_id)
    person_keys = normalized(holder_id, normalize_person_id)
    by_person = columns.each(person_keys, holders.by_person.get)
    name_from_persons = holder.isna() & by_person.notna()
    holder = holder.where(~name_from_persons, by_person)
    if filled is not None:
        kept = rows.ledger.kept
        filled["names_from_accounts"] += int((name_from_accounts & kept).sum())
        filled["ids_from_accounts"] += int((id_from_accounts & kept).sum())
        filled["names_from_persons"] += int((name_from_persons & kept).sum())
    return holder, holder_id


def read_folder(context: SourceContext) -> ReadResult:
    """Read a 查控 return folder: its 交易明细 files as one source, holders filled in.

    Raises
    ------
    SourceError
        If the path is not a folder or holds no ``*交易明细信息.csv``.
    """
    folder = context.path
    if not folder.is_dir():
        raise SourceError(f"{context.spec.path}: expected a bank return folder, found a file")
    files = transaction_files(folder)
    if not files:
        raise SourceError(
            f"{context.spec.path}: bank return folder holds no *交易明细信息.csv transaction file"
        )
    by_folder: dict[Path, Holders] = {}
    for file in files:
        if file.parent not in by_folder:
            by_folder[file.parent] = load_holders(file.parent, context)
    by_file = {context.name_of(f): by_folder[f.parent] for f in files}
    filled: Counter[str] = Counter()

    def interpret_file(rows: Rows) -> pd.DataFrame:
        return interpret_return(rows, by_file[rows.ledger.source_file], filled)

    result = read_tabular(context, "transactions", interpret_file, files)
    support = [context.name_of(p) for h in by_folder.values() for p in h.files]
    notes = [problem for h in by_folder.values() for problem in h.problems]
    notes.append(
        f"{context.spec.path}: holder names filled on {filled['names_from_accounts']} rows from "
        f"账户信息 and {filled['names_from_persons']} from 人员信息; holder IDs on "
        f"{filled['ids_from_accounts']} rows from 账户信息"
    )
    return dataclasses.replace(
        result, files=result.files + tuple(support), notes=result.notes + tuple(notes)
    )


def read(context: SourceContext) -> ReadResult:
    """Read a loose 交易明细 table (CSV or xlsx) of a 查控 return."""
    return read_tabular(context, "transactions", interpret)


VOCABULARY = frozenset(COLUMNS_31)

FOLDER_FORMAT = register(
    Format(
        name="bank_return_folder",
        kind="transactions",
        title="Police 资金查控 bank return folder (交易明细信息 + 账户信息 + 人员信息)",
        read=read_folder,
        container="folder",
        folder_test=is_return_folder,
    )
)

FORMAT = register(
    Format(
        name="bank_transactions",
        kind="transactions",
        title="Police 资金查控 transaction table (交易明细信息), 31 or 29 columns",
        read=read,
        header=signature(COUNTERPARTY, FLAG),
        vocabulary=VOCABULARY,
    )
)
