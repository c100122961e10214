"""Police 资金查控 bank returns (GB18030 CSV folders, Beijing time) for the group's accounts.

One folder per query, as the platform delivers it: a 交易明细信息 file per bank, 账户信息 and
人员信息. The first query covers every group account whose bank answered; accounts whose
statement is missing are simply absent. A second query, answered days later, repeats the last
rows of a few accounts (overlapping returns: the loader must keep one copy). A third query asks
the banks who holds the accounts that paid the designated accounts (账户信息 with the holder's
phone), which is what lets victims nobody reported be found.

Mule accounts also relay money that has nothing to do with the case (跑分), at night, in and
straight out again: that is the bulk of a large case's transactions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from linkage.synth.files import CaseFolder, Source
from linkage.synth.identities import BANKS, Bank
from linkage.synth.noise import night_seconds
from linkage.synth.text import delimited_bytes, local_times
from linkage.synth.world import Account, Transfer, World

__all__ = ["write_bank_returns"]

HEADER = (
    "交易卡号,交易账号,交易方户名,交易方证件号码,交易时间,交易金额,交易余额,收付标志,交易对手账卡号,"
    "现金标志,对手户名,对手身份证号,对手开户银行,摘要说明,交易币种,交易网点名称,交易发生地,"
    "交易是否成功,传票号,IP地址,MAC地址,对手交易余额,交易流水号,日志号,凭证种类,凭证号,"
    "交易柜员号,备注,商户名称,交易类型,查询反馈结果原因"
)
ACCOUNT_HEADER = (
    "账户开户名称,开户人证件号码,交易卡号,交易账号,账号开户时间,账户余额,可用余额,币种,开户网点代码,"
    "开户网点,账户状态,销户日期,账户类型,账号开户银行,联系手机"
)
PERSON_HEADER = "客户名称,证件号码,联系电话"
ENCODING = "gb18030"
FIRST_QUERY = "bank/6100000020160412093000"
SECOND_QUERY = "bank/6100000020160415100000"
PAYER_QUERY = "bank/6100000020160420080000"
BEIJING = "Asia/Shanghai"


@dataclass
class _Statement:
    """One account's rows, column-wise, in time order, with running balances."""

    seconds: np.ndarray
    signed_fen: np.ndarray
    counterparty: np.ndarray
    counterparty_name: np.ndarray
    counterparty_bank: np.ndarray
    summary: np.ndarray
    serial: np.ndarray

    def __len__(self) -> int:
        return len(self.seconds)


def _yuan(fen: np.ndarray) -> np.ndarray:
    """Signed fen as ``-1234.56`` text."""
    if len(fen) == 0:
        return np.zeros(0, dtype=object)
    sign = np.where(fen < 0, "-", "")
    magnitude = np.abs(fen)
    whole = (magnitude // 100).astype(str)
    cents = np.char.zfill((magnitude % 100).astype(str), 2)
    return np.char.add(np.char.add(np.char.add(sign, whole), "."), cents).astype(object)


def _signal(account: Account, transfers: list[Transfer], world: World) -> _Statement:
    """The account's case-relevant rows: payments, layering, refunds, cash."""
    names = {a.number: (a.holder_name, a.bank.name) for a in world.accounts.values()}
    rows = []
    for t in transfers:
        incoming = t.target == account.number
        other = t.source if incoming else t.target
        name, bank = names.get(other or "", ("", ""))
        cash = "现金存入" if incoming else "ATM取款"
        summary = cash if other is None else "网银转账"
        fen = t.amount_fen if incoming else -t.amount_fen
        rows.append((int(t.at.timestamp()), fen, other or "", name, bank, summary, t.serial))
    return _from_rows(rows)


def _from_rows(rows: list[tuple[int, int, str, str, str, str, str]]) -> _Statement:
    columns: list[tuple[object, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 7
    return _Statement(
        np.array(columns[0], dtype=np.int64),
        np.array(columns[1], dtype=np.int64),
        *(np.array(c, dtype=object) for c in columns[2:]),
    )


def _relay(
    account: Account, pairs: int, rng: np.random.Generator, start: dt.datetime, end: dt.datetime
) -> _Statement:
    """Unrelated money in and straight out again, at night: 跑分 traffic through a rented card."""
    arrive = night_seconds(rng, pairs, start, end)
    leave = arrive + rng.integers(60, 600, size=pairs)
    fen = rng.integers(50, 5_000, size=pairs) * 100
    payers = np.char.add("6259", np.char.zfill(rng.integers(0, 10**15, size=pairs).astype(str), 15))
    payees = np.char.add("6258", np.char.zfill(rng.integers(0, 10**15, size=pairs).astype(str), 15))
    serials = np.char.add(
        "R" + account.number[-6:], np.char.zfill(np.arange(2 * pairs).astype(str), 9)
    )
    return _Statement(
        np.concatenate([arrive, leave]),
        np.concatenate([fen, -fen]),
        np.concatenate([payers, payees]).astype(object),
        np.full(2 * pairs, "", dtype=object),
        np.full(2 * pairs, "", dtype=object),
        np.full(2 * pairs, "跨行转账", dtype=object),
        serials.astype(object),
    )


def _merge(parts: list[_Statement]) -> tuple[_Statement, np.ndarray]:
    """The parts in time order and the balance after each row."""
    joined = _Statement(
        *(
            np.concatenate([getattr(p, name) for p in parts])
            for name in (
                "seconds",
                "signed_fen",
                "counterparty",
                "counterparty_name",
                "counterparty_bank",
                "summary",
                "serial",
            )
        )
    )
    order = np.lexsort((joined.serial.astype(str), joined.seconds))
    ordered = _Statement(*(getattr(joined, f)[order] for f in _Statement.__dataclass_fields__))
    balance = np.cumsum(ordered.signed_fen)
    if len(balance) and balance.min() < 0:
        raise AssertionError("a synthetic account went below zero")  # pragma: no cover
    return ordered, balance


def _lines(account: Account, rows: _Statement, balance: np.ndarray, suffix: bool) -> bytes:
    incoming = rows.signed_fen > 0
    cash = rows.counterparty == ""
    card = account.number + ("_156_1" if suffix else "")
    return delimited_bytes(
        [
            card,
            "\t" + account.internal,
            account.holder_name,
            account.holder_id,
            local_times(rows.seconds, BEIJING),
            _yuan(rows.signed_fen),
            _yuan(balance),
            np.where(incoming, "进", "出"),
            rows.counterparty,
            np.where(cash, "现金", "其它"),
            rows.counterparty_name,
            "\\N",
            rows.counterparty_bank,
            rows.summary,
            "CNY",
            "",
            "",
            "01",
            "",
            "",
            "",
            "",
            rows.serial,
            "",
            "",
            "",
            "",
            "",
            "",
            np.where(cash, np.where(incoming, "存现", "取现"), "转账"),
            "",
        ],
        ENCODING,
    )


def _failed_row(account: Account, at: int) -> str:
    when = local_times(np.array([at]), BEIJING)[0].as_py()
    return (
        f"{account.number},\t{account.internal},{account.holder_name},{account.holder_id},{when},"
        "0.00,0.00,出,,其它,,\\N,,网银转账,CNY,,,01,,,,,,,,,,,,转账,查询失败"
    )


def _bad_amount_row(account: Account, at: int, serial: str) -> str:
    when = local_times(np.array([at]), BEIJING)[0].as_py()
    return (
        f"{account.number},\t{account.internal},{account.holder_name},{account.holder_id},{when},"
        f"12,3O0.00,0.00,进,,其它,,\\N,,网银转账,CNY,,,01,,,,,{serial},,,,,,,转账,"
    ).replace("12,3O0.00", '"12,3O0.00"')


def _account_lines(accounts: list[Account]) -> list[str]:
    return [ACCOUNT_HEADER] + [
        f"{a.holder_name},{a.holder_id},{a.number},{a.internal},{a.opened:%Y%m%d},0.00,0.00,CNY,,"
        f"{a.bank.name[:4]}分行,正常,,借记卡,{a.bank.name},{a.phone}"
        for a in accounts
    ]


def write_bank_returns(folder: CaseFolder, world: World, seed: np.random.SeedSequence) -> None:
    """Write the three query folders."""
    returned = sorted(
        (a for a in world.accounts.values() if a.group_id and a.returned),
        key=lambda a: (a.bank.name, a.number),
    )
    touching: dict[str, list[Transfer]] = {}
    for t in world.transfers:
        for side in (t.source, t.target):
            if side is not None:
                touching.setdefault(side, []).append(t)
    group_victims = {
        g.group_id: sum(1 for v in world.victims if v.group_id == g.group_id)
        for g in world.profile.groups
    }
    relayers = [a for a in returned if a.layer in (2, 3)]
    streams = dict(zip((a.number for a in relayers), seed.spawn(len(relayers)), strict=True))
    tails: dict[str, list[bytes]] = {}
    planted = False
    for bank in BANKS:
        accounts = [a for a in returned if a.bank is bank]
        if not accounts:
            continue
        relative = f"{FIRST_QUERY}/{bank.return_file}"
        line = 2
        with folder.path(relative).open("wb") as out:
            out.write((HEADER + "\n").encode(ENCODING))
            for account in accounts:
                parts = [_signal(account, touching.get(account.number, []), world)]
                if account.number in streams:
                    per_account = (
                        world.profile.relay_rows_per_victim
                        * group_victims.get(account.group_id or "", 0)
                        // max(1, sum(1 for r in relayers if r.group_id == account.group_id))
                    )
                    dens = [d for d in world.dens if d.group_id == account.group_id]
                    rng = np.random.default_rng(streams[account.number])
                    parts.append(
                        _relay(
                            account,
                            max(1, per_account // 2),
                            rng,
                            min(d.opens_at for d in dens),
                            max(d.closes_at for d in dens),
                        )
                    )
                rows, balance = _merge(parts)
                block = _lines(account, rows, balance, suffix=account.layer == 1)
                out.write(block)
                line += len(rows)
                folder.count("transactions", len(rows))
                asked_again = account.layer == 1 and len(rows) >= 3 and len(tails) < 2
                if asked_again and (not tails or bank is world.accounts[next(iter(tails))].bank):
                    tails[account.number] = block.split(b"\n")[-4:-1]
                if not planted and len(rows):
                    for _ in range(world.profile.malformed_per_source):
                        out.write(
                            (_failed_row(account, int(rows.seconds[-1])) + "\n").encode(ENCODING)
                        )
                        folder.plant(
                            relative, line, "failed_status", "查询反馈结果原因 is 查询失败"
                        )
                        line += 1
                        serial = f"X{account.number[-8:]}{line:06d}"
                        out.write(
                            (_bad_amount_row(account, int(rows.seconds[-1]), serial) + "\n").encode(
                                ENCODING
                            )
                        )
                        folder.plant(relative, line, "bad_amount", "交易金额 reads 12,3O0.00")
                        line += 1
                    planted = True
    persons = [PERSON_HEADER] + [f"{a.holder_name},{a.holder_id},{a.phone}" for a in returned]
    folder.write_text(f"{FIRST_QUERY}/账户信息.csv", _account_lines(returned), ENCODING)
    folder.write_text(f"{FIRST_QUERY}/人员信息.csv", persons, ENCODING)
    folder.add(Source(FIRST_QUERY, "transactions", "bank"))
    folder.add(Source(f"{FIRST_QUERY}/账户信息.csv", "accounts", "bank"))
    _again(folder, world, tails)
    _payers(folder, world)


def _again(folder: CaseFolder, world: World, tails: dict[str, list[bytes]]) -> None:
    """The second query: a few accounts asked again; every row it returns was already returned."""
    if not tails:
        return
    by_number = world.accounts
    accounts = [by_number[n] for n in sorted(tails)]
    bank: Bank = accounts[0].bank
    relative = f"{SECOND_QUERY}/{bank.return_file}"
    lines = [HEADER]
    for number in sorted(tails):
        if by_number[number].bank is not bank:
            continue
        for raw in tails[number]:
            lines.append(raw.decode(ENCODING))
            folder.plant(relative, len(lines), "duplicate_row", "the first query returned it too")
    folder.write_text(relative, lines, ENCODING)
    same_bank = [a for a in accounts if a.bank is bank]
    folder.write_text(f"{SECOND_QUERY}/账户信息.csv", _account_lines(same_bank), ENCODING)
    folder.write_text(
        f"{SECOND_QUERY}/人员信息.csv",
        [PERSON_HEADER] + [f"{a.holder_name},{a.holder_id},{a.phone}" for a in same_bank],
        ENCODING,
    )
    folder.add(Source(SECOND_QUERY, "transactions", "bank"))


def _payers(folder: CaseFolder, world: World) -> None:
    """Who holds the accounts that paid the designated accounts (开户信息 of counterparties)."""
    designated = {a.number for a in world.accounts.values() if a.layer == 1}
    payers = sorted(
        {t.source for t in world.transfers if t.target in designated and t.source is not None}
    )
    accounts = [world.accounts[n] for n in payers]
    relative = f"{PAYER_QUERY}/账户信息.csv"
    folder.write_text(relative, _account_lines(accounts), ENCODING)
    folder.add(Source(relative, "accounts", "bank"))
