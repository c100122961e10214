"""Transactions from a 纪委/bank 查询反馈 template and from an offline bank xls statement.

Both are what a bank hands over outside the electronic 查控 platform (FORMATS.md §3, real):

- The **查询反馈 template** is the table a discipline commission (纪委) or a bank fills in to
  answer a written query: ``序号,查询对象,反馈单位,查询项,查询账户,查询卡号,交易类型,借贷标志,币种,
  交易金额,账户余额,交易时间,交易流水号,本方账号,本方卡号,交易对方姓名,交易对方账户,交易对方卡号,
  交易对方证件号码,…``. 查询对象 + 反馈单位 recognise it; no other export names the person asked
  about and the unit that answered.
- The **offline bank xls** is a counter-printed statement: a title and account lines above a
  header row (within the first 15 rows) holding 交易日期, a separate 交易时间, split
  借方发生额/贷方发生额 columns, 余额 and 对方账号/对方户名. 交易日期 + 借方发生额 + 贷方发生额
  recognise it.

How the columns are read, and why:

- 借贷标志 (template) takes the words banks use: 借/出/D debit the account (money out), 贷/进/C
  credit it (money in); anything else is ``bad_direction``, never a guess. The amount kept is the
  absolute value and the flag decides the direction; zero amounts are ``no_money_moved``.
- The template's own account is the card (查询卡号, else 本方卡号), or the account (查询账户, else
  本方账号) when no card is given, so it joins the cards of 查控 returns. The counterparty is
  交易对方卡号, else 交易对方账户. 查询对象 is the holder the query named.
- The offline statement's 交易时间 is either a time of day or, from DB2 cores, a whole stamp
  (``2021-03-04-10.23.45.123456``). A whole stamp is the moment itself; a stamp whose day
  contradicts 交易日期 is ``unparseable_time``, because which of the two is right cannot be told.
- Exactly one of 借方发生额 (debit, out) and 贷方发生额 (credit, in) holds the amount. Both filled
  is ``malformed_row``: the direction would be a guess. Neither filled is ``missing_value``, and
  zeros only are ``no_money_moved``.
- The offline statement's account is its 账号/卡号 column when it has one, else the ``账号：`` or
  ``卡号：`` line above the header (or ``owner =`` from case.toml).
"""

from __future__ import annotations

import re

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import normalized
from linkage.load.readers.bank_statement_rows import counterparty_columns
from linkage.load.readers.personal_exports import constant, mined, statement_owner
from linkage.load.tabular import EARLIEST, Rows, read_tabular
from linkage.normalize import normalize_account, normalize_name, normalize_person_id
from linkage.rejects import RejectReason

# The 查询反馈 template.
SUBJECT = ("查询对象",)
FEEDBACK_UNIT = ("反馈单位",)
CARD = ("查询卡号", "本方卡号")
ACCOUNT_NO = ("查询账户", "本方账号")
CHANNEL = ("交易类型",)
FLAG = ("借贷标志",)
CURRENCY = ("币种",)
AMOUNT = ("交易金额",)
BALANCE = ("账户余额",)
TIME = ("交易时间",)
SERIAL = ("交易流水号",)
COUNTERPARTY_NAME = ("交易对方姓名",)
COUNTERPARTY_ACCOUNT = ("交易对方账户",)
COUNTERPARTY_CARD = ("交易对方卡号",)
COUNTERPARTY_ID = ("交易对方证件号码",)
COUNTERPARTY_BANK = ("交易对方账号开户行",)
SUMMARY = ("交易摘要",)
SUCCESS = ("交易是否成功",)
TEMPLATE_COLUMNS = (
    "序号", "查询对象", "反馈单位", "查询项", "查询账户", "查询卡号", "交易类型", "借贷标志",
    "币种", "交易金额", "账户余额", "交易时间", "交易流水号", "本方账号", "本方卡号",
    "交易对方姓名", "交易对方账户", "交易对方卡号", "交易对方证件号码", "交易对手余额",
    "交易对方账号开户行", "交易摘要", "交易网点名称", "交易网点代码", "日志号", "传票号",
    "凭证种类", "凭证号", "现金标志", "终端号", "交易是否成功", "交易发生地", "商户名称",
    "商户号", "IP地址", "MAC", "交易柜员号", "备注",
)  # fmt: skip
"""The template's columns, in file order."""

DIRECTIONS = {
    "借": "out",
    "出": "out",
    "D": "out",
    "d": "out",
    "贷": "in",
    "进": "in",
    "C": "in",
    "c": "in",
}
"""借贷标志 values: 借/出/D debit the account, 贷/进/C credit it."""

# The offline bank xls.
DATE = ("交易日期",)
CLOCK = ("交易时间",)
DEBIT = ("借方发生额",)
CREDIT = ("贷方发生额",)
OFFLINE_BALANCE = ("余额", "账户余额")
OFFLINE_ACCOUNT = ("账号", "卡号", "本方账号")
OFFLINE_COUNTERPARTY = ("对方账号", "对方帐号")
OFFLINE_COUNTERPARTY_NAME = ("对方户名",)
OFFLINE_SUMMARY = ("摘要",)
OFFLINE_CURRENCY = ("币种",)
OWNER_LINE = re.compile(r"(?:账号|卡号)\s*[:：]\s*([^\s,\"]+)")
WHOLE_STAMP = re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}[- T].*")
"""A 交易时间 cell that is a whole stamp (DB2 ``2021-03-04-10.23.45.123456``), not a time of day."""


def own_account(
    rows: Rows, card: tuple[str, ...], number: tuple[str, ...]
) -> tuple[pd.Series, pd.Series]:
    """(account, account_raw): the card when the row has one, else the account number.

    Parameters
    ----------
    rows : Rows
        The raw table.
    card, number : tuple of str
        Aliases of the card column and of the account-number column.

    Returns
    -------
    tuple of pandas.Series
        Normalized and raw account. A row with neither readable is rejected with the first
        id's reason, or ``empty_identifier`` when it holds none.
    """
    card_cells, number_cells = rows.cells(*card), rows.cells(*number)
    card_ids, card_errors = rows.normalized(normalize_account, *card)
    number_ids, number_errors = rows.normalized(normalize_account, *number)
    card_raw = columns.identifier_text(card_cells)[0]
    number_raw = columns.identifier_text(number_cells)[0]
    use_card = card_ids.notna()
    account = card_ids.where(use_card, number_ids)
    account_raw = card_raw.where(use_card | number_ids.isna(), number_raw)
    missing = account.isna()
    card_name = rows.pick(*card) or card[0]
    number_name = rows.pick(*number) or number[0]
    for cells, errors, name in (
        (card_cells, card_errors, card_name),
        (number_cells, number_errors, number_name),
    ):
        reasons = errors.fillna(str(RejectReason.INVALID_IDENTIFIER))
        rows.ledger.reject(missing & columns.present(cells), reasons, name, cells)
    rows.ledger.reject(missing, RejectReason.EMPTY_IDENTIFIER, card_name, card_cells)
    return account, account_raw


def _card_else_account(
    rows: Rows, card: tuple[str, ...], number: tuple[str, ...]
) -> tuple[pd.Series, pd.Series]:
    """An optional counterparty id: the card when given, else the account number."""
    card_ids = rows.identifier(normalize_account, *card)
    number_ids = rows.identifier(normalize_account, *number)
    card_raw, number_raw = rows.identifier_raw(*card), rows.identifier_raw(*number)
    use_card = card_ids.notna() | (card_raw.notna() & number_raw.isna())
    return card_ids.where(use_card, number_ids), card_raw.where(use_card, number_raw)


def interpret_template(rows: Rows) -> pd.DataFrame:
    """Map one 查询反馈 template table onto the canonical transactions table.

    Parameters
    ----------
    rows : Rows
        The raw table, read through its row ledger.

    Returns
    -------
    pandas.DataFrame
        Canonical transaction columns aligned to ``rows.index``.
    """
    account, account_raw = own_account(rows, CARD, ACCOUNT_NO)
    occurred = rows.time(*TIME)
    amount = rows.amount(*AMOUNT).abs()
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *AMOUNT)
    direction = rows.flag(DIRECTIONS, *FLAG)
    other, other_raw = _card_else_account(rows, COUNTERPARTY_CARD, COUNTERPARTY_ACCOUNT)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": account_raw,
            "holder_name": normalized(rows.text(*SUBJECT), normalize_name),
            "counterparty_account": other,
            "counterparty_account_raw": other_raw,
            "counterparty_name": normalized(rows.text(*COUNTERPARTY_NAME), normalize_name),
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
            "bank": rows.text(*FEEDBACK_UNIT),
        },
        index=rows.index,
    )


def offline_time(rows: Rows) -> pd.Series:
    """UTC times from 交易日期 and 交易时间, where 交易时间 may be a whole DB2 stamp.

    Parameters
    ----------
    rows : Rows
        The raw table.

    Returns
    -------
    pandas.Series
        UTC times; unreadable, contradictory or out-of-range rows are rejected.
    """
    tz = rows.context.timezone
    dates, clocks = rows.cells(*DATE), rows.cells(*CLOCK)
    whole = columns.matches(clocks, "^" + WHOLE_STAMP.pattern + "$")
    blank = pd.Series([""] * len(rows.index), index=rows.index, dtype=object)
    split, split_errors = columns.date_and_time(dates, clocks.where(~whole, blank), tz)
    stamp, stamp_errors = columns.times(clocks.where(whole, blank), tz)
    days, _ = columns.date_and_time(dates, blank, tz)
    results = split.where(~whole, stamp)
    errors = split_errors.where(~whole, stamp_errors)
    local_day = results.dt.tz_convert(tz).dt.normalize()
    contradicts = whole & days.notna() & results.notna() & (local_day != days.dt.tz_convert(tz))
    errors = errors.where(~contradicts, str(RejectReason.UNPARSEABLE_TIME))
    results = results.where(~contradicts)
    name = rows.pick(*DATE) or DATE[0]
    results = rows.ledger.take(results, errors, name, dates)
    results = rows.ledger.require(results, name, dates)
    latest = pd.Timestamp(rows.context.latest)
    outside = results.notna() & ((results < EARLIEST) | (results > latest))
    rows.ledger.reject(outside, RejectReason.TIME_OUT_OF_RANGE, name, dates)
    return results.where(~outside)


def _side(rows: Rows, aliases: tuple[str, ...]) -> pd.Series:
    """One 发生额 side in fen: unreadable amounts reject the row, empty ones are null."""
    cells = rows.cells(*aliases)
    results, errors = columns.amounts(cells, "yuan")
    return rows.ledger.take(results, errors, rows.pick(*aliases) or aliases[0], cells)


def interpret_offline(rows: Rows) -> pd.DataFrame:
    """Map one offline bank xls statement onto the canonical transactions table.

    Parameters
    ----------
    rows : Rows
        The raw table, read through its row ledger.

    Returns
    -------
    pandas.DataFrame
        Canonical transaction columns aligned to ``rows.index``.
    """
    if rows.pick(*OFFLINE_ACCOUNT):
        account, account_raw = own_account(rows, ("卡号",), ("账号", "本方账号"))
    else:
        owner, owner_raw = statement_owner(rows, mined(rows.raw.preamble, OWNER_LINE))
        account, account_raw = constant(rows, owner), constant(rows, owner_raw)
    occurred = offline_time(rows)
    debit, credit = _side(rows, DEBIT), _side(rows, CREDIT)
    has_out = debit.notna() & debit.ne(0)
    has_in = credit.notna() & credit.ne(0)
    rows.reject(has_in & has_out, RejectReason.MALFORMED_ROW, *CREDIT)
    nothing = ~has_in & ~has_out
    rows.reject(nothing & (credit.notna() | debit.notna()), RejectReason.NO_MONEY_MOVED, *DEBIT)
    rows.reject(nothing, RejectReason.MISSING_VALUE, *DEBIT)
    has_in = has_in.fillna(False).astype(bool)
    amount = credit.where(has_in, debit).abs()
    direction = has_in.map({True: "in", False: "out"}).astype(object)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": account_raw,
            **counterparty_columns(rows, OFFLINE_COUNTERPARTY, OFFLINE_COUNTERPARTY_NAME),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*OFFLINE_BALANCE, required=False),
            "currency": rows.text(*OFFLINE_CURRENCY),
            "summary": rows.text(*OFFLINE_SUMMARY),
        },
        index=rows.index,
    )


def read_template(context: SourceContext) -> ReadResult:
    """Read a 查询反馈 template (CSV, xlsx or xls).

    Parameters
    ----------
    context : SourceContext
        The source as case.toml describes it.

    Returns
    -------
    ReadResult
        Kept rows, rejects and the row count.
    """
    return read_tabular(context, "transactions", interpret_template)


def read_offline(context: SourceContext) -> ReadResult:
    """Read an offline bank statement (xls, xlsx or CSV).

    Parameters
    ----------
    context : SourceContext
        The source as case.toml describes it.

    Returns
    -------
    ReadResult
        Kept rows, rejects and the row count.
    """
    return read_tabular(context, "transactions", interpret_offline)


TEMPLATE_FORMAT = register(
    Format(
        name="inquiry_feedback",
        kind="transactions",
        title="纪委/bank 查询反馈 template (查询对象, 反馈单位)",
        read=read_template,
        header=signature(SUBJECT, FEEDBACK_UNIT),
        vocabulary=frozenset(TEMPLATE_COLUMNS),
    )
)

OFFLINE_FORMAT = register(
    Format(
        name="offline_bank_xls",
        kind="transactions",
        title="Offline bank statement (交易日期 + 借方发生额/贷方发生额)",
        read=read_offline,
        header=signature(DATE, DEBIT, CREDIT),
        vocabulary=frozenset(
            DATE
            + CLOCK
            + DEBIT
            + CREDIT
            + OFFLINE_BALANCE
            + OFFLINE_ACCOUNT
            + OFFLINE_COUNTERPARTY
            + OFFLINE_COUNTERPARTY_NAME
            + OFFLINE_SUMMARY
            + OFFLINE_CURRENCY
        ),
    )
)
