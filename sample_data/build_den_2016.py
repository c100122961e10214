"""Write the committed sample case ``sample_data/den-2016``: the DOMAIN.md worked example.

A small, fully synthetic case in the real export formats, built by hand around the worked example
of the domain primer: group G ran den-K in Kenya (UTC+3) until the seizure on 2016-04-08.

- V1 张三 is called by first-liner L1's extension on 2016-03-10 10:00 Beijing time, named in the
  den's Skype chat ten minutes later, pays 150,000.00 to the designated account D1 forty
  minutes later and 50,000.00 more the next morning (call, chat and transfer).
- V2 李四 is called and pays 80,000.00 on 2016-02-20; V3 王五 pays 2,500.00 on 2016-03-20
  (transfer only); V4 赵六 reported but paid another group's account.
- The auto-dialer also rang numbers that never answered.
- Staff: organiser 张凯; first-liner 林一 joins mid-way (2016-03-04); first-liner 陳二 leaves
  early (back in China 2016-03-01); second-liner 黄三 works the group's earlier den-J in
  Jakarta, goes home, then works den-K; third-liner 吴四. docs/attribution.md works their
  amounts out by hand.

Quirks the loaders must survive are planted on purpose: GB18030 and GBK files, ``\\t``-prefixed
values and ``*`` header suffixes, preambles and trailers, an unparseable dial-list time, a
failed bank-query row, a row a bank returned twice, Excel date cells, traditional characters.

Run ``python sample_data/build_den_2016.py`` to rebuild it; the output is the same bytes every time
(the xlsx files' timestamps are fixed as ``linkage synth`` fixes them).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sqlite3
from pathlib import Path

import openpyxl
from stdnum.cn import ric

from linkage.reproducible import repack
from linkage.synth.write.police import ROSTER_HEADER

CASE = Path(__file__).resolve().parent / "den-2016"

D1 = "6222020200001234567"  # designated account (一级卡), holder 王小明
D2 = "6230580000012345678"  # second-layer account
OTHER_GROUP = "6228480000000000011"


def resident_id(area: str, birth: str, sequence: str) -> str:
    """A resident ID with a valid check character (synthetic people need valid numbers)."""
    body = area + birth + sequence
    return body + ric.calc_check_digit(body + "?")  # stdnum drops the last character


V1 = ("张三", resident_id("110105", "19490101", "002"), "13912345678", "6222021001112223334")
V2 = ("李四", resident_id("310104", "19800101", "123"), "13722223333", "6217000011112222333")
V3 = ("王五", resident_id("440305", "19900315", "045"), "15811112222", "6212260200012345671")
V4 = ("赵六", resident_id("420106", "19700707", "067"), "18622223333", "6227000012345678901")
MULE = ("王小明", resident_id("450102", "19950505", "031"))
DISPLAYED = "02168881234"


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def save(book: openpyxl.Workbook, path: Path) -> None:
    """Save an xlsx whose bytes depend on its cells only (openpyxl stamps the save time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(repack(buffer.getvalue()))


def dial_list() -> None:
    rows = [
        "任务ID,线路号,分机号,主叫号码,被叫号码,开始时间,应答时间,结束时间,通话时长,呼叫结果,按键,转接分机"
    ]
    for i in range(12):  # the broadcast rang many numbers that never answered
        callee = f"86139{10000000 + 731 * i:08d}"
        minute = 40 + i
        rows.append(
            f"T0310,L01,,{DISPLAYED},{callee},2016-03-10 04:{minute}:00,,"
            f"2016-03-10 04:{minute}:30,0,未接,,"
        )
    rows += [
        f"T0310,L01,8001,{DISPLAYED},0086{V1[2]},2016-03-10 05:00:00,2016-03-10 05:00:20,"
        "2016-03-10 05:19:40,1180,接通,1,8101",
        f",L01,8101,{DISPLAYED},0086{V1[2]},2016-03-10 05:20:00,2016-03-10 05:20:05,"
        "2016-03-10 05:35:05,900,接通,,",
        f"T0220,L02,8002,{DISPLAYED},86{V2[2]},2016-02-20 09:00:00,2016-02-20 09:00:15,"
        "2016-02-20 09:25:15,1500,接通,1,8101",
        f"T0220,L02,,{DISPLAYED},17951{V4[2]},2016-02-20 09:03:00,,2016-02-20 09:03:30,0,忙,,",
        f"T0220,L02,8002,{DISPLAYED},{V3[2]},2016-02-30 09:10:00,,,0,未接,,",
    ]
    write(CASE / "seized/den-k/dial_list.csv", "\n".join(rows) + "\n", "gb18030")


def dial_list_j() -> None:
    """den-J in Jakarta (UTC+7), the group's den before den-K, on the same displayed line.

    黄三 worked its second line from extension 8105 in December and January; the people she
    rang by hand hung up. Nobody there was defrauded, so the den adds a stay, not an amount.
    """
    rows = [
        "任务ID,线路号,分机号,主叫号码,被叫号码,开始时间,应答时间,结束时间,通话时长,呼叫结果,按键,转接分机",
        f",L01,8105,{DISPLAYED},13800002222,2015-12-10 10:00:00,,2015-12-10 10:00:40,0,未接,,",
        f",L01,8105,{DISPLAYED},13800003333,2016-01-20 15:30:00,,2016-01-20 15:30:25,0,未接,,",
    ]
    write(CASE / "seized/den-j/dial_list.csv", "\n".join(rows) + "\n", "gb18030")


def skype() -> None:
    path = CASE / "seized/den-k/main.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    chat = "#boss.k/$kenya.l1;5f1c0a2b9d3e4f60"
    utc = lambda *a: int(dt.datetime(*a, tzinfo=dt.UTC).timestamp())  # noqa: E731
    messages = [
        (101, "kenya.l1", "林一", utc(2016, 3, 10, 1, 30), "今天线路正常吗"),
        (102, "boss.k", "老板", utc(2016, 3, 10, 1, 31), "正常，继续打"),
        (
            103,
            "kenya.l1",
            "林一",
            utc(2016, 3, 10, 2, 10),
            f"被害人{V1[0]}，身份证{V1[1]}，卡号{V1[3]}，已转二线",
        ),
        (104, "kenya.s1", "黄三", utc(2016, 3, 10, 2, 45), f"{V1[0]}已转15万到{D1[-4:]}尾号卡"),
        (105, "boss.k", "老板", utc(2016, 3, 10, 2, 50), "好 &amp; 辛苦"),
        (106, "kenya.s1", "黄三", utc(2016, 3, 11, 1, 20), f"{V1[0]} 又转了5万"),
        (107, "kenya.l2", "陳二", utc(2016, 2, 20, 1, 30), f"{V2[2]} 李四 转了八万"),
    ]
    with sqlite3.connect(path) as db:
        db.executescript(
            """
            CREATE TABLE Accounts (id INTEGER PRIMARY KEY, skypename TEXT, fullname TEXT);
            CREATE TABLE Conversations (id INTEGER PRIMARY KEY, identity TEXT, displayname TEXT);
            CREATE TABLE Messages (id INTEGER PRIMARY KEY, convo_id INTEGER, chatname TEXT,
                author TEXT, from_dispname TEXT, dialog_partner TEXT, timestamp INTEGER,
                type INTEGER, chatmsg_type INTEGER, body_xml TEXT);
            CREATE TABLE Calls (id INTEGER PRIMARY KEY, begin_timestamp INTEGER,
                duration INTEGER, is_incoming INTEGER, host_identity TEXT);
            CREATE TABLE CallMembers (id INTEGER PRIMARY KEY, call_db_id INTEGER,
                identity TEXT, call_duration INTEGER);
            """
        )
        db.execute("INSERT INTO Accounts VALUES (1, 'kenya.l1', '林一')")
        db.execute("INSERT INTO Conversations VALUES (7, ?, '肯尼亚业绩群')", (chat,))
        db.executemany(
            "INSERT INTO Messages VALUES (?, 7, ?, ?, ?, NULL, ?, 61, 3, ?)",
            [(i, chat, a, n, t, b) for i, a, n, t, b in messages],
        )
        db.execute(
            "INSERT INTO Calls VALUES (301, ?, 120, 0, 'kenya.l1')", (utc(2016, 3, 10, 2, 12),)
        )
        db.execute("INSERT INTO CallMembers VALUES (401, 301, 'boss.k', 120)")


def ledger() -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    header = [
        "日期",
        "时间",
        "被害人",
        "被害人电话",
        "被害人卡号",
        "金额(元)",
        "收款卡号",
        "收款户名",
        "收款银行",
        "一线",
        "二线",
        "三线",
        "备注",
    ]
    months = {
        "2016-02": [
            (dt.date(2016, 2, 20), "09:30", "李四", int(V2[2]), V2[3], 80000, "林二", "黄三", "")
        ],
        "2016-03": [
            (dt.date(2016, 3, 10), "05:40", "張三", V1[2], V1[3], 150000, "林一", "黄三", ""),
            (
                dt.date(2016, 3, 11),
                "04:15",
                "張三",
                V1[2],
                V1[3],
                "50,000.00",
                "林一",
                "黄三",
                "追加",
            ),
            (dt.date(2016, 3, 20), "09:00", "王五", V3[2], V3[3], 2500, "", "", "只有转账"),
        ],
    }
    for month, rows in months.items():
        sheet = book.create_sheet(month)
        sheet.append([f"肯尼亚组 {month[:4]}年{int(month[5:])}月业绩"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append(header)
        for day, clock, name, phone, card, amount, first, second, note in rows:
            sheet.append(
                [
                    day,
                    clock,
                    name,
                    phone,
                    card,
                    amount,
                    D1,
                    MULE[0],
                    "中国工商银行",
                    first,
                    second,
                    "",
                    note,
                ]
            )
            sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd"
    save(book, CASE / "seized/den-k/ledger.xlsx")


def bank_return() -> None:
    folder = CASE / "bank/6100000020160412093000"
    header = (
        "交易卡号,交易账号,交易方户名,交易方证件号码,交易时间,交易金额,交易余额,收付标志,交易对手账卡号,"
        "现金标志,对手户名,对手身份证号,对手开户银行,摘要说明,交易币种,交易网点名称,交易发生地,"
        "交易是否成功,传票号,IP地址,MAC地址,对手交易余额,交易流水号,日志号,凭证种类,凭证号,"
        "交易柜员号,备注,商户名称,交易类型,查询反馈结果原因"
    )

    def row(
        when: str,
        amount: str,
        balance: str,
        flag: str,
        other: str,
        name: str,
        serial: str,
        reason: str = "",
    ) -> str:
        return (
            f"{D1}_156_1,\t0200001234567890123,,,{when},{amount},{balance},{flag},{other},其它,"
            f"{name},\\N,中国建设银行,网银转账,CNY,,,01,,,,,{serial},,,,,,,转账,{reason}"
        )

    rows = [
        header,
        row("2016-02-20 17:30:00", "80000.00", "80000.00", "进", V2[3], V2[0], "S0001"),
        row("2016-03-10 10:40:00", "150000.00", "230000.00", "进", V1[3], V1[0], "S0002"),
        row("2016-03-10 10:45:00", "-229000.00", "1000.00", "出", D2, "刘七", "S0003"),
        row("2016-03-11 09:15:00", "50000.00", "51000.00", "进", V1[3], V1[0], "S0004"),
        row("2016-03-20 14:00:00", "2500.00", "53500.00", "进", V3[3], V3[0], "S0005"),
        row("2016-03-21 08:00:00", "0.00", "0.00", "出", "", "", "S0006", "查询失败"),
    ]
    write(folder / "中国工商银行交易明细信息.csv", "\n".join(rows) + "\n", "gb18030")
    # A second query, answered three days later, overlaps the first on 2016-03-11.
    again = CASE / "bank/6100000020160415100000"
    overlap = [
        header,
        rows[4],
        row("2016-03-21 09:00:00", "-53500.00", "0.00", "出", D2, "刘七", "S0007"),
    ]
    write(again / "中国工商银行交易明细信息.csv", "\n".join(overlap) + "\n", "gb18030")
    accounts = (
        "账户开户名称,开户人证件号码,交易卡号,交易账号,账号开户时间,账户余额,可用余额,币种,开户网点代码,"
        "开户网点,账户状态,销户日期,账户类型,账号开户银行\n"
        f"{MULE[0]},{MULE[1]},{D1},0200001234567890123,20151120,53500.00,53500.00,CNY,,"
        "南宁分行,正常,,借记卡,中国工商银行\n"
    )
    persons = f"客户名称,证件号码,联系电话\n{MULE[0]},{MULE[1]},13000000001\n"
    for answer in (folder, again):
        write(answer / "账户信息.csv", accounts, "gb18030")
        write(answer / "人员信息.csv", persons, "gb18030")


def carrier_records() -> None:
    rows = [
        "己方号码*,截获时间*,呼叫类型*,对方号码*,己方位置区*,己方小区*,己方卡号*,己方机身码*,时长*,己方姓名*,对方姓名*",
        f"\t{V1[2]},\t2016-03-10 10:00:03,\t被叫,\t{DISPLAYED},\t4102,\t22781,\t460001234567890,"
        f"\t861234567890123,\t1178,\t{V1[0]},\t",
        f"\t{V1[2]},\t2016-03-10 10:20:01,\t被叫,\t{DISPLAYED},\t4102,\t22781,\t460001234567890,"
        f"\t861234567890123,\t902,\t{V1[0]},\t",
        f"\t{V1[2]},\t2016-03-10 12:00:00,\t主叫,\t13800138000,\t0,\t0,\t460001234567890,"
        f"\t861234567890123,\t65,\t{V1[0]},\t",
    ]
    write(CASE / f"telecom/{V1[2]}_话单.csv", "\n".join(rows) + "\n", "gbk")


def victim_statement() -> None:
    pad = lambda v: f"{v:<20}\t"  # noqa: E731  (ICBC pads every cell and ends it in a tab)
    lines = [
        "明细查询文件下载",
        "",
        f'卡号: {V1[3][:4]}****{V1[3][-4:]},"卡别名: "',
        "",
        '子账户序号: 00000,子账户类别: 活期,"子账户别名: "',
        "",
        "交易日期,摘要,交易详情,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,"
        "记账金额(收入),记账金额(支出),记账币种,余额,对方户名,对方账户",
    ]
    for day, amount in (("2016-03-10", "150,000.00"), ("2016-03-11", "50,000.00")):
        cells = [
            day,
            "转账",
            "网银转账",
            "网上银行",
            "CHN",
            "钞",
            "-",
            "-",
            "-",
            "-",
            amount,
            "人民币",
            "-",
            MULE[0],
            D1,
        ]
        lines.append(",".join(f'"{pad(c)}"' if "," in c else pad(c) for c in cells) + ",")
    lines += [" ", '人民币合计,,,,,,,,,"0.00          \t","200,000.00          \t",']
    write(CASE / "victims/v1_icbc_debit.csv", "\n".join(lines) + "\n")


def roster() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "人员名单"
    sheet.append(list(ROSTER_HEADER))
    people = [
        (
            "张凯",
            "男",
            "居民身份证",
            resident_id("350102", "19811121", "015"),
            "boss.k",
            "",
            "组织者",
        ),
        ("林一", "男", "台湾居民来往大陆通行证", "01234567", "kenya.l1", "8001", "一线"),
        ("陳二", "男", "台湾居民来往大陆通行证", "07654321", "kenya.l2", "8002", "一线"),
        (
            "黄三",
            "女",
            "居民身份证",
            resident_id("350203", "19900808", "024"),
            "kenya.s1",
            "8105;8101",
            "二线",
        ),
        (
            "吴四",
            "男",
            "居民身份证",
            resident_id("350203", "19850505", "037"),
            "kenya.t1",
            "8201",
            "三线",
        ),
    ]
    for number, (name, sex, kind, pid, handle, ext, role) in enumerate(people, start=1):
        note = "曾在den-j" if name == "黄三" else ""
        sheet.append(
            [number, name, sex, kind, pid, "", "中国", "", handle, "", "", "den-k", ext, role, note]
        )
    save(book, CASE / "police/roster.xlsx")


def travel() -> None:
    rows = [
        "姓名,性别,出生日期,国籍,证件类型,证件号码,出入境类型,出入境日期,出入境时间,口岸,前往地/出发地,交通工具,航班号"
    ]
    huang = resident_id("350203", "19900808", "024")
    crossings = [  # 陳二 leaves early; 黄三 works den-J, goes home, then works den-K
        ("张凯", resident_id("350102", "19811121", "015"), "出境", "2015-11-20", "23:40", "肯尼亚"),
        ("林一", "01234567", "出境", "2016-03-04", "22:10", "肯尼亚"),
        ("陳二", "07654321", "出境", "2015-11-30", "22:10", "肯尼亚"),
        ("陳二", "07654321", "入境", "2016-03-01", "10:00", "肯尼亚"),
        ("黄三", huang, "出境", "2015-12-01", "08:00", "印度尼西亚"),
        ("黄三", huang, "入境", "2016-01-31", "20:00", "印度尼西亚"),
        ("黄三", huang, "出境", "2016-02-05", "08:00", "肯尼亚"),
        ("吴四", resident_id("350203", "19850505", "037"), "出境", "2016-01-15", "08:00", "肯尼亚"),
    ]
    for name, pid, direction, day, clock, where in crossings:
        kind = "台湾居民来往大陆通行证" if len(pid) == 8 else "居民身份证"
        rows.append(
            f"{name},,,中国,{kind},{pid},{direction},{day},{clock},广州白云机场,{where},飞机,CZ6043"
        )
    write(CASE / "immigration/exit_entry.csv", "\n".join(rows) + "\n")


def victim_list() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "被害人"
    sheet.append(
        [
            "序号",
            "被害人姓名",
            "身份证号码",
            "联系电话",
            "报案时间",
            "报案地点",
            "被骗金额(元)",
            "被害人账号",
            "收款账号",
            "首次被骗时间",
            "被骗经过",
        ]
    )
    victims = [
        (V1, "2016-03-12 09:00", 200000, D1, "2016-03-10 10:00", "接到快递电话后转给公安"),
        (V2, "2016-02-22 15:30", 80000, D1, "2016-02-20 17:00", "冒充公安"),
        (V3, "2016-03-25 10:00", 2500, D1, "2016-03-20 13:30", ""),
        (V4, "2016-02-25 10:00", 30000, OTHER_GROUP, "2016-02-20 09:03", "冒充检察院"),
    ]
    for number, ((name, pid, phone, card), reported, loss, payee, first, story) in enumerate(
        victims, start=1
    ):
        sheet.append(
            [number, name, pid, phone, reported, "北京市公安局", loss, card, payee, first, story]
        )
    save(book, CASE / "police/victims.xlsx")


CASE_TOML = """\
# The sample case: the worked example of the domain primer, in the real export formats.
[case]
name = "den-2016"
timezone = "Asia/Shanghai"
seized_at = "2016-04-08T10:00:00+03:00"

[[source]]
path = "seized/den-k/dial_list.csv"
kind = "calls"
origin = "seized"
timezone = "Africa/Nairobi"
den = "den-k"

[[source]]
path = "seized/den-j/dial_list.csv"
kind = "calls"
origin = "seized"
timezone = "Asia/Jakarta"
den = "den-j"

[[source]]
path = "seized/den-k/main.db"
kind = "chats"
origin = "seized"
den = "den-k"

[[source]]
path = "seized/den-k/main.db"
kind = "calls"
origin = "seized"
den = "den-k"

[[source]]
path = "seized/den-k/ledger.xlsx"
kind = "transactions"
origin = "seized"
timezone = "Africa/Nairobi"
den = "den-k"

[[source]]
path = "bank/6100000020160412093000"
kind = "transactions"
origin = "bank"

[[source]]
path = "bank/6100000020160415100000"
kind = "transactions"
origin = "bank"

[[source]]
path = "bank/6100000020160412093000/账户信息.csv"
kind = "accounts"
origin = "bank"

[[source]]
path = "bank/6100000020160415100000/账户信息.csv"
kind = "accounts"
origin = "bank"

[[source]]
path = "telecom/13912345678_话单.csv"
kind = "calls"
origin = "telecom"

[[source]]
path = "victims/v1_icbc_debit.csv"
kind = "transactions"
origin = "victim"
owner = "6222021001112223334"

[[source]]
path = "police/roster.xlsx"
kind = "persons"
origin = "police"

[[source]]
path = "immigration/exit_entry.csv"
kind = "travel"
origin = "immigration"

[[source]]
path = "police/victims.xlsx"
kind = "victims"
origin = "police"
"""


def main() -> None:
    if CASE.exists():
        shutil.rmtree(CASE)
    dial_list()
    dial_list_j()
    skype()
    ledger()
    bank_return()
    carrier_records()
    victim_statement()
    roster()
    travel()
    victim_list()
    write(CASE / "case.toml", CASE_TOML)
    print(f"wrote {CASE}")


if __name__ == "__main__":
    main()
