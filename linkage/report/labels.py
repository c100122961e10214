"""What a human-facing report calls each table and column, in Chinese or in English.

The result tables keep their English snake_case names: scripts join on them. The evidence
workbook and the HTML report are read by a prosecutor and filed with the case, so they speak
Chinese by default (``lang="zh"``); ``lang="en"`` keeps the column names. In both, money is in
yuan and times are in the case's zone, so a header says so: ``loss_fen`` is shown as
``损失金额（元）`` or ``loss_yuan``, ``first_contact_at`` with the zone named.
"""

from __future__ import annotations

__all__ = ["LANGS", "SHEET_ABOUT", "column_label"]

LANGS = ("zh", "en")

COLUMNS_ZH = {
    "victim_id": "被害人标识", "name": "姓名", "group_id": "团伙", "verdict": "认定",
    "evidence_kinds": "证据种类", "loss_fen": "损失金额（元）",
    "first_contact_at": "首次联系时间", "last_transfer_at": "最后转账时间",
    "reported": "是否报案", "gross_fen": "转出总额（元）", "refund_fen": "退回金额（元）",
    "transfer_count": "转账笔数", "link_count": "关联证据数", "phone": "电话",
    "missing": "缺失证据", "source_file": "来源文件", "source_row": "来源行",
    "source_sheet": "来源工作表", "person_id": "证件号码", "role": "角色",
    "period_start": "参与起始日", "period_end": "参与截止日", "amount_fen": "金额（元）",
    "victim_count": "被害人数", "call_count": "通话次数", "message_count": "消息条数",
    "band": "数额档次", "near_next_band": "接近上一档次", "attempt_band": "未遂数额档次",
    "overseas_days": "境外天数", "periods": "参与期间", "dens": "窝点",
    "subrole": "细分角色", "role_noted": "名册所记角色", "roster_agrees": "名册与行为一致",
    "role_basis": "角色依据", "principal_suggested": "建议认定主犯",
    "principal_reasons": "主犯理由", "mule_indicator": "取款人迹象",
    "period_rule": "期间规则", "amount_rule": "数额规则", "payments": "付款笔数",
    "first_at": "最早时间", "last_at": "最晚时间", "net_fen": "净额（元）", "basis": "依据",
    "evidence_source_file": "证据来源文件", "evidence_source_row": "证据来源行",
    "evidence_source_sheet": "证据来源工作表", "kind": "类别", "via": "证据内容",
    "matched": "匹配标识", "matched_kind": "匹配标识类别", "at": "时间",
    "time_resolution_s": "时间精度（秒）", "den": "窝点", "corroborates": "相互印证",
    "counterpart": "团伙一方标识", "duration_s": "通话时长（秒）", "answered": "是否接通",
    "record_origin": "记录来源", "victim_source_file": "被害人来源文件",
    "victim_source_row": "被害人来源行", "victim_source_sheet": "被害人来源工作表",
    "group_source_file": "团伙标识来源文件", "group_source_row": "团伙标识来源行",
    "group_source_sheet": "团伙标识来源工作表", "flow": "资金方向",
    "victim_account": "被害人账户", "group_account": "团伙账户", "times": "次数",
    "outside_designation": "指定期间外", "payment": "付款", "hop": "层级",
    "from_account": "转出账户", "to_account": "转入账户", "end": "资金去向",
    "account": "账户", "start_day": "起始日", "end_day": "截止日", "start_basis": "起始依据",
    "start_source_file": "起始来源文件", "start_source_row": "起始来源行",
    "end_basis": "截止依据", "end_source_file": "截止来源文件", "end_source_row": "截止来源行",
    "conflict": "记录冲突", "role_shown": "显示角色", "detail": "详情", "t": "时间（纪元秒）",
    "gap": "缺口", "count": "数量", "id_number": "身份证号", "column": "列", "reason": "原因",
    "value": "原始值", "request_id": "调证编号", "asked_from": "调取起始日",
    "asked_to": "调取截止日", "to": "调证对象类别", "addressee": "调证对象",
    "ask": "调取内容", "subject_kind": "调取标的类别", "subject": "调取标的",
    "priority": "优先级", "closes": "可补的证据缺口", "could_change": "可能改变的认定与数额",
    "victim_fen": "涉及被害人资金（元）", "unproven_fen": "报案损失中尚未查实的金额（元）",
    "victims": "涉及被害人数", "victim_ids": "涉及被害人",
    "payment_ids": "涉及付款", "person_ids": "涉及嫌疑人", "verdict_if_found": "补证后可能的认定",
    "loss_may_rise": "损失可能增加", "change": "可能的变化", "time": "时间",
    "record": "证据记录", "victim_row": "被害人一方记录", "group_row": "团伙一方记录",
    "nearest_other": "最近的其他种类证据", "apart": "相隔", "deducted": "从损失中扣减",
}  # fmt: skip
"""Chinese headers of every column the workbook and the report show."""

SHEET_ABOUT = {
    "victims": ("每名报案及新发现被害人的认定结论与损失", "one row per reported or discovered "
                "victim: the verdict and the proven loss"),
    "defendants": ("每名嫌疑人的团伙、角色、参与期间与数额", "one row per suspect: group, role, "
                   "participation periods and amount"),
    "defendant_victims": ("计入各被告人数额的被害人付款", "the victims' payments each "
                          "defendant's amount counts"),
    "links": ("支撑认定的每条证据及双方来源行", "every piece of evidence behind a verdict, with "
              "the rows of both sides"),
    "transfers": ("被害人每笔付款与退款", "each victim's payments and refunds, once"),
    "flows": ("每笔付款逐层流向", "every hop of every payment's money"),
    "destinations": ("资金最终去向", "where each payment's money ended"),
    "stays": ("嫌疑人在各窝点的停留期间及出入境依据", "each suspect's stays at the dens, with "
              "the border records"),
    "roles_evidence": ("角色认定所依据的事实", "the facts each role rests on"),
    "attribution_gaps": ("归属认定中证据未能解决的问题", "what the evidence leaves open about "
                         "the defendants"),
    "account_gaps": ("团伙账户方面的证据缺口", "what the evidence leaves open about the group's "
                     "accounts"),
    "requests": ("补充侦查调证清单：向银行、运营商调取及再次询问的人员", "further evidence to "
                 "request: from banks, carriers, and people to question again"),
    "request_victims": ("每项调证可补的被害人证据缺口及可能改变的认定", "each victim's gap a "
                        "request would close, and what it could turn"),
    "leads": ("值得进一步调查的线索", "leads worth a further enquiry"),
    "rejects": ("未采用的输入行及原因", "every input row left out, and why"),
    "coerced": ("保留行中无法读取而留空的值及原文", "values of kept rows read as empty, with "
                "their raw text"),
}  # fmt: skip
"""What each sheet holds, in Chinese and in English, for the ``about`` sheet."""


def column_label(column: str, lang: str, zone: str) -> str:
    """The header a report shows for ``column``: Chinese or English, money in yuan, times in
    ``zone`` (named as the offset it has, with the zone's name).

    >>> column_label("loss_fen", "zh", "UTC+08:00"), column_label("loss_fen", "en", "UTC+08:00")
    ('损失金额（元）', 'loss_yuan')
    >>> column_label("first_contact_at", "zh", "UTC+08:00 北京时间")
    '首次联系时间（UTC+08:00 北京时间）'
    >>> column_label("at", "en", "UTC+08:00 Asia/Shanghai")
    'at (UTC+08:00 Asia/Shanghai)'
    """
    timed = column.endswith("_at") or column == "at"
    if lang == "zh":
        label = COLUMNS_ZH.get(column, column)
        return f"{label}（{zone}）" if timed else label
    if column.endswith("_fen"):
        return column.removesuffix("_fen") + "_yuan"
    return f"{column} ({zone})" if timed else column
