"""Alipay 协查 (police assistance request) returns: trade records and transfers.

Alipay answers a 协查 request with one xlsx or CSV per table (FORMATS.md §3, real). The header
row is not at a fixed line (a title or the request number may sit above it), and every table
ends with a ``对应的协查数据…`` line naming the request; real exports also end the header with an
``对应的协查数据`` column. The trailer line is not a transaction: it is rejected ``summary_row``,
whether it arrives as a full row (xlsx, padded CSV) or as a short CSV line that did not split.
linkage's header cleaning turns ``交易金额（元）`` into ``交易金额(元)``.

**交易记录** (``alipay_trades``): one row per trade between a buyer and a seller, both Alipay
user ids (``2088…``). The return is not one account's statement but a list of trades, so each
row is emitted from the **buyer's** side: ``account`` = 买家用户id, ``direction`` = out,
``counterparty_account`` = 卖家用户id, names from 买家信息 / 卖家信息. The buyer paid; that is
the movement a victim's payment into a den-controlled seller account is. ``occurred_at`` is
收款时间 (when the seller was paid); 创建时间 and 最后修改时间 are bookkeeping. A trade whose
交易状态 says it was closed or never paid (``交易关闭``, ``TRADE_CLOSED``, ``等待买家付款``,
``WAIT_BUYER_PAY``) moved no money (``no_money_moved``); a failed one is ``failed_status``.

**转账明细** (``alipay_transfers``): one row per transfer, emitted from the **payer's** side:
``account`` = 付款方支付宝账号, direction out, counterparty 收款方支付宝账号 and, for a
withdrawal to a card, the bank in 收款机构信息 (提现流水号 is kept in ``summary``: it is the
serial the receiving bank quotes). ``occurred_at`` is 到账时间.

Amounts are yuan (``Decimal``, never float); zero amounts are ``no_money_moved``.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import normalized
from linkage.load.readers.bank_statement_rows import counterparty_columns
from linkage.load.readers.personal_exports import constant, joined
from linkage.load.tabular import Interpret, Rows, read_tabular
from linkage.normalize import normalize_account, normalize_name
from linkage.rejects import RejectReason

INQUIRY = ("对应的协查数据",)
TRAILER = "对应的协查数据"
"""First words of the line every 协查 table ends with."""

SERIAL = ("交易号",)
OUTER_SERIAL = ("外部交易号",)
STATUS = ("交易状态",)
PARTNER = ("合作伙伴ID",)
BUYER_ID = ("买家用户id", "买家用户ID")
BUYER = ("买家信息",)
SELLER_ID = ("卖家用户id", "卖家用户ID")
SELLER = ("卖家信息",)
TRADE_AMOUNT = ("交易金额(元)",)
PAID = ("收款时间",)
MODIFIED = ("最后修改时间",)
CREATED = ("创建时间",)
TRADE_TYPE = ("交易类型",)
ORIGIN = ("来源地",)
GOODS = ("商品名称",)
ADDRESS = ("收货人地址",)
TRADE_COLUMNS = (
    SERIAL + OUTER_SERIAL + STATUS + PARTNER + BUYER_ID + BUYER + SELLER_ID + SELLER
    + TRADE_AMOUNT + PAID + MODIFIED + CREATED + TRADE_TYPE + ORIGIN + GOODS + ADDRESS + INQUIRY
)  # fmt: skip

PAYER = ("付款方支付宝账号",)
PAYEE = ("收款方支付宝账号",)
PAYEE_BANK = ("收款机构信息",)
ARRIVED = ("到账时间",)
TRANSFER_AMOUNT = ("转账金额(元)",)
PRODUCT = ("转账产品名称",)
PLACE = ("交易发生地",)
WITHDRAWAL = ("提现流水号",)
TRANSFER_COLUMNS = (
    SERIAL + PAYER + PAYEE + PAYEE_BANK + ARRIVED + TRANSFER_AMOUNT + PRODUCT + PLACE + WITHDRAWAL
    + INQUIRY
)  # fmt: skip

NOT_PAID = re.compile(r"关闭|CLOSED|等待买家付款|WAIT_BUYER_PAY", re.IGNORECASE)
"""交易状态 of trades that never moved money."""
FAILED = re.compile(r"失败|FAIL", re.IGNORECASE)
"""交易状态 of trades the platform marks as failed."""

PLATFORM = "支付宝"


def trailer_rows(rows: Rows) -> tuple[pd.Series, pd.Series]:
    """Rows whose first non-empty cell starts with ``对应的协查数据``, and that cell's text.

    Returns
    -------
    tuple of pandas.Series
        The boolean mask and each row's first non-empty cell (None where the row is empty).
    """
    first = pd.Series([None] * len(rows.index), index=rows.index, dtype=object)
    for name in rows.raw.header:
        cells = columns.text(rows.raw.column(name)).astype(object)
        first = first.where(first.notna(), cells)
    texts = first.where(first.notna(), "").astype(str)
    return texts.str.startswith(TRAILER), first


def reject_trailers(rows: Rows) -> None:
    """Reject the ``对应的协查数据…`` trailer lines of a 协查 table as ``summary_row``."""
    if not rows.raw.header:  # a sheet without a header: its rows are rejected already
        return
    mask, first = trailer_rows(rows)
    rows.ledger.reject(mask, RejectReason.SUMMARY_ROW, None, first)


def reject_status(rows: Rows) -> pd.Series:
    """Reject closed, unpaid and failed rows by 交易状态; return the status text."""
    status = rows.text(*STATUS)
    rows.reject(columns.matches(status, FAILED.pattern), RejectReason.FAILED_STATUS, *STATUS)
    rows.reject(columns.matches(status, NOT_PAID.pattern), RejectReason.NO_MONEY_MOVED, *STATUS)
    return status


def read_inquiry(context: SourceContext, kind: str, interpret: Interpret) -> ReadResult:
    """Read a 协查 table; a trailer line that did not split into cells is a ``summary_row``.

    A CSV trailer usually has fewer fields than the header, so the text reader reports it as
    ``malformed_row`` before any reader sees it; it is renamed here, where the format is known.
    """
    result = read_tabular(context, kind, interpret)
    rejects = result.rejects
    if rejects.empty:
        return result
    values = rejects["value"].astype(object).where(rejects["value"].notna(), "").astype(str)
    trailer = (rejects["reason"] == str(RejectReason.MALFORMED_ROW)) & values.str.lstrip(
        ' \t\u3000\ufeff"'
    ).str.startswith(TRAILER)
    if not trailer.any():
        return result
    rejects = rejects.copy()
    rejects.loc[trailer, "reason"] = str(RejectReason.SUMMARY_ROW)
    return dataclasses.replace(result, rejects=rejects)


def interpret_trades(rows: Rows) -> pd.DataFrame:
    """Map one 交易记录 table onto the canonical transactions table, buyer side."""
    reject_trailers(rows)
    status = reject_status(rows)
    account = rows.identifier(normalize_account, *BUYER_ID, required=True)
    occurred = rows.time(*PAID)
    amount = rows.amount(*TRADE_AMOUNT).abs()
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *TRADE_AMOUNT)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": rows.identifier_raw(*BUYER_ID),
            "holder_name": normalized(rows.text(*BUYER), normalize_name),
            **counterparty_columns(rows, SELLER_ID, SELLER),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": constant(rows, "out"),
            "channel": rows.text(*TRADE_TYPE),
            "summary": joined(rows.text(*GOODS), rows.text(*ORIGIN), rows.text(*ADDRESS)),
            "serial_no": rows.text(*SERIAL),
            "status_raw": status,
            "bank": constant(rows, PLATFORM),
        },
        index=rows.index,
    )


def interpret_transfers(rows: Rows) -> pd.DataFrame:
    """Map one 转账明细 table onto the canonical transactions table, payer side."""
    reject_trailers(rows)
    status = reject_status(rows)
    account = rows.identifier(normalize_account, *PAYER, required=True)
    occurred = rows.time(*ARRIVED)
    amount = rows.amount(*TRANSFER_AMOUNT).abs()
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *TRANSFER_AMOUNT)
    withdrawal = rows.text(*WITHDRAWAL)
    withdrawal = withdrawal.where(withdrawal.isna(), "提现流水号 " + withdrawal.astype(str))
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": rows.identifier_raw(*PAYER),
            "counterparty_account": rows.identifier(normalize_account, *PAYEE),
            "counterparty_account_raw": rows.identifier_raw(*PAYEE),
            "counterparty_bank": rows.text(*PAYEE_BANK),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": constant(rows, "out"),
            "channel": rows.text(*PRODUCT),
            "summary": joined(rows.text(*PLACE), withdrawal),
            "serial_no": rows.text(*SERIAL),
            "status_raw": status,
            "bank": constant(rows, PLATFORM),
        },
        index=rows.index,
    )


def read_trades(context: SourceContext) -> ReadResult:
    """Read an Alipay 协查 交易记录 table (xlsx or CSV)."""
    return read_inquiry(context, "transactions", interpret_trades)


def read_transfers(context: SourceContext) -> ReadResult:
    """Read an Alipay 协查 转账明细 table (xlsx or CSV)."""
    return read_inquiry(context, "transactions", interpret_transfers)


TRADES = register(
    Format(
        name="alipay_trades",
        kind="transactions",
        title="Alipay 协查 return: trade records (交易记录), buyer side",
        read=read_trades,
        header=signature(SERIAL, BUYER_ID, SELLER_ID),
        vocabulary=frozenset(TRADE_COLUMNS),
    )
)

TRANSFERS = register(
    Format(
        name="alipay_transfers",
        kind="transactions",
        title="Alipay 协查 return: transfers (转账明细), payer side",
        read=read_transfers,
        header=signature(PAYER, PAYEE),
        vocabulary=frozenset(TRANSFER_COLUMNS),
    )
)
