"""How people in a den write: designations of receiving cards, reports, instructions.

Real designations are not one phrase. Organisers announce a card, add a spare, switch to a new
one and stop the old, in words of their own, with the number in groups of four, with hyphens,
in full-width digits or in one run, and the holder named at most by surname. Callers report a
victim by whatever they have at hand, and a victim's own card in such a report is evidence
about the victim, never a card of the group. Writers from Taiwan type traditional characters.
Every function takes the random draw, so the same seed gives the same words.
"""

from __future__ import annotations

import functools

import numpy as np
import opencc

__all__ = [
    "FULL_WIDTH",
    "PHONE_AND_CARD",
    "addition",
    "amount_text",
    "card_text",
    "chatter",
    "dropped",
    "hooked",
    "instruction",
    "paid",
    "retirement",
    "switch",
    "traditional",
]

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
SHORT_BANK = {
    "中国工商银行": "工行",
    "中国建设银行": "建行",
    "中国农业银行": "农行",
    "中国银行": "中行",
    "招商银行": "招行",
}


@functools.cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """``text`` as a writer from Taiwan types it."""
    return str(_s2t().convert(text))


def _pick(rng: np.random.Generator, options: list[str]) -> str:
    return options[int(rng.integers(len(options)))]


def card_text(number: str, rng: np.random.Generator, form: int | None = None) -> str:
    """A card number as people type it: in one run, in groups of four, hyphenated, full width.

    ``form`` (0 to 4) chooses the way; None draws it.

    >>> card_text("6217001234567890123", np.random.default_rng(1))
    '6217 0012 3456 7890 123'
    >>> card_text("6217001234567890123", np.random.default_rng(1), form=3)
    '6217-0012-3456-7890-123'
    """
    groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    form = int(rng.integers(5)) if form is None else form % 5
    if form == 0:
        return number
    if form in (1, 2):
        return " ".join(groups)
    if form == 3:
        return "-".join(groups)
    return number.translate(FULL_WIDTH)


def _holder(bank: str, surname: str, rng: np.random.Generator) -> str:
    short = SHORT_BANK.get(bank, bank)
    return _pick(
        rng, [f"（{short}，{surname}某）", f" {short} 户名{surname}**", f"（{short}）", ""]
    )


def addition(card: str, bank: str, surname: str, rng: np.random.Generator, form: int) -> str:
    """A card announced beside the ones in use (a spare, or the first card of the den)."""
    shown, holder = card_text(card, rng, form), _holder(bank, surname, rng)
    return _pick(
        rng,
        [
            f"今天起收款卡 {shown}{holder}",
            f"加一张卡备用：{shown}{holder}",
            f"二线注意：客户转账也可以用这张 {shown}{holder}",
            f"收款账户：{shown}{holder}，都记一下",
            f"新卡 {shown}{holder} 可以用了",
        ],
    )


def switch(card: str, bank: str, surname: str, rng: np.random.Generator, form: int) -> str:
    """A new card that replaces every card in use: the old ones stop with this message."""
    shown, holder = card_text(card, rng, form), _holder(bank, surname, rng)
    return _pick(
        rng,
        [
            f"换卡了，新卡{shown}{holder}，旧卡停用",
            f"大家注意，收款账户换成{shown}{holder}，之前那张作废",
            f"从现在起只用 {shown}{holder}，原来的卡别再报给客户了",
            f"旧卡被冻了，马上换新卡：{shown}{holder}",
        ],
    )


def retirement(card: str, rng: np.random.Generator) -> str:
    """One card stopped, named in full or by its last four digits."""
    return _pick(
        rng,
        [
            f"{card_text(card, rng)} 停用",
            f"尾号{card[-4:]}那张卡停用了，别再报",
            f"{card[-4:]}这张作废，客户问就说系统升级",
        ],
    )


def amount_text(fen: int, rng: np.random.Generator) -> str:
    """An amount as a caller reports it: 5万, 5w, 50,000, 50000 or 38,650.25.

    >>> amount_text(3_865_025, np.random.default_rng(0))
    '38,650.25'
    """
    yuan, cents = divmod(fen, 100)
    if cents:
        return f"{yuan:,}.{cents:02d}"
    if yuan >= 10_000 and yuan % 1_000 == 0:
        wan = f"{yuan / 10_000:g}"
        return _pick(rng, [f"{wan}万", f"{wan}w", f"{yuan:,}", str(yuan)])
    return _pick(rng, [f"{yuan:,}", str(yuan), f"{yuan}元"])


INSTRUCTIONS = (
    "明天早上八点开工，迟到的罚款",
    "一线每人每天打够两百个，没按键的不用记",
    "二线话术再练一下，别说漏嘴",
    "这周目标每组三十万，完成的有奖金",
    "客户问警号就报上次给的那个，别自己编",
    "晚上开会，总结今天的单子",
    "护照都交上来统一保管",
    "三线今天休息，疑心重的客户先稳住，明天再转",
)

CHATTER = (
    "中午吃什么",
    "网又断了，谁去看一下路由",
    "今天好热",
    "收到",
    "好的",
    "明白",
    "晚上谁去买水",
    "电脑卡死了",
)


def instruction(rng: np.random.Generator) -> str:
    """An organiser's instruction or target to the den: no victim, no card."""
    return _pick(rng, list(INSTRUCTIONS))


def chatter(rng: np.random.Generator) -> str:
    """Small talk: no name, no number."""
    return _pick(rng, list(CHATTER))


PHONE_AND_CARD = 3
"""The report form that gives a victim's phone and card together."""


def hooked(
    name: str,
    phone: str,
    id_number: str,
    card: str,
    rng: np.random.Generator,
    form: int | None = None,
) -> tuple[str, frozenset[str]]:
    """A first-liner's report of a victim passed on, and the identifiers it gives in full.

    The victim's own card in such a report is about the victim: it is where their money comes
    from, not where it goes.
    """
    if rng.random() < 0.15:
        id_number = id_number.translate(FULL_WIDTH)
    forms: list[tuple[str, frozenset[str]]] = [
        (f"客户{name} {phone} 已转二线", frozenset({"name", "phone"})),
        (f"客户{name}，身份证{id_number}，转二线了", frozenset({"name", "id"})),
        (f"{name} 卡号{card_text(card, rng)} 在走流程", frozenset({"name", "card"})),
        (
            f"一线报：{name}，手机{phone}，卡{card_text(card, rng)}",
            frozenset({"name", "phone", "card"}),
        ),
    ]
    return forms[int(rng.integers(len(forms))) if form is None else form]


def paid(name: str, fen: int, rng: np.random.Generator) -> str:
    """A caller's report to the organisers that a victim paid: the name and the amount only."""
    amount = amount_text(fen, rng)
    return _pick(
        rng,
        [
            f"客户 {name} 已汇款{amount}",
            f"{name} {amount} 到账",
            f"{name}已转{amount}",
            f"{name} 又转了{amount}",
        ],
    )


def dropped(name: str, rng: np.random.Generator) -> str:
    """A caller's note that somebody hung up or did not pay: a name and nothing else."""
    return _pick(rng, [f"{name} 没转，挂了", f"{name} 接了又挂了，明天再打", f"{name}不信，放弃"])
