"""Evidence cards: one victim's evidence gathered from a run's outputs, every link on its card
with the rows of both sides, and the groups' calendar drawn from the stays."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from case_runs import Ran
from matplotlib.figure import Figure

from linkage.cli import main
from linkage.errors import OutputError
from linkage.plot.gantt import _rows, group_timeline
from linkage.report.card import CardTables, evidence_card, find_victim

CAI = "110105194501259629"
"""蔡艳 of the sample: called, messaged and paying twice within a day."""


def _side(frame: pd.DataFrame, side: str) -> list[str]:
    """``file[sheet]#row`` of one side of the links, written as a reader would cite it."""
    cited = []
    for file, sheet, row in zip(frame[f"{side}_source_file"], frame[f"{side}_source_sheet"],
                                frame[f"{side}_source_row"], strict=True):  # fmt: skip
        if not isinstance(file, str):
            cited.append("")  # a side with no row (a refund's group side, say)
            continue
        where = f"{file}[{sheet}]" if isinstance(sheet, str) and sheet else file
        cited.append(f"{where}#{int(row)}" if pd.notna(row) else where)
    return cited


@pytest.mark.parametrize("which", ["sample", "designated"])
def test_every_link_appears_on_its_card_with_both_provenances(
    which: str, case_runs: Callable[[str], Ran]
) -> None:
    ran: Ran = case_runs(which)
    tables = CardTables.read(ran.out)
    links = pd.read_parquet(ran.out / "links.parquet")
    for victim, mine in links.groupby("victim_id"):
        card = evidence_card(ran.out, str(victim), tables=tables)
        expected = sorted(zip(_side(mine, "evidence"), _side(mine, "victim"),
                              _side(mine, "group"), strict=True))  # fmt: skip
        shown = sorted(zip(card.evidence["record"], card.evidence["victim_row"],
                           card.evidence["group_row"], strict=True))  # fmt: skip
        assert shown == expected, victim
        text = card.text()
        for record, victim_row, group_row in expected:
            assert f"record {record}; victim side {victim_row}; group side {group_row}" in text


HAND_WRITTEN = Path(__file__).resolve().parents[2] / "sample_data" / "den-2016"
ZHANG = "110105194901010021"
ICBC = "bank/6100000020160412093000/中国工商银行交易明细信息.csv"
LEDGER = "seized/den-k/ledger.xlsx"
ZHANG_EVIDENCE = [
    # Beijing time, as each record gives it; the record, and the group side's row
    ("2016-03-10 10:00:00", "call", "seized/den-k/dial_list.csv#14", "seized/den-k/dial_list.csv#14"),
    ("2016-03-10 10:00:03", "call", "telecom/13912345678_话单.csv#2", "seized/den-j/dial_list.csv#2"),
    ("2016-03-10 10:10:00", "chat", "seized/den-k/main.db[Messages]#103",
     "seized/den-k/main.db[Messages]#103"),
    ("2016-03-10 10:20:00", "call", "seized/den-k/dial_list.csv#15", "seized/den-k/dial_list.csv#15"),
    ("2016-03-10 10:20:01", "call", "telecom/13912345678_话单.csv#3", "seized/den-j/dial_list.csv#2"),
    ("2016-03-10 10:40:00", "transfer", f"{ICBC}#3", f"{LEDGER}[2016-02]#3"),
    ("2016-03-10 10:40", "transfer", f"{LEDGER}[2016-03]#3", f"{LEDGER}[2016-02]#3"),
    ("2016-03-10 10:45:00", "chat", "seized/den-k/main.db[Messages]#104",
     "seized/den-k/main.db[Messages]#104"),
    ("2016-03-10 (day only)", "transfer", "victims/v1_icbc_debit.csv#8", f"{LEDGER}[2016-02]#3"),
    ("2016-03-11 09:15:00", "transfer", f"{ICBC}#5", f"{LEDGER}[2016-02]#3"),
    ("2016-03-11 09:15", "transfer", f"{LEDGER}[2016-03]#4", f"{LEDGER}[2016-02]#3"),
    ("2016-03-11 09:20:00", "chat", "seized/den-k/main.db[Messages]#106",
     "seized/den-k/main.db[Messages]#106"),
    ("2016-03-11 (day only)", "transfer", "victims/v1_icbc_debit.csv#9", f"{LEDGER}[2016-02]#3"),
]  # fmt: skip
"""张三's evidence in the hand-written case, read off its files by hand: the den-k dial list
(Nairobi time, five hours behind), his carrier's records, the chat database's Messages rows
(Unix seconds), the bank return, the den's ledger (minutes, den time) and his own statement
(days only). The group side of a transfer is the ledger row that made the account the group's."""


def test_a_hand_written_case_gives_the_card_read_off_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(HAND_WRITTEN), "--out", str(out)]) == 0
    card = evidence_card(out, ZHANG)
    shown = list(zip(card.evidence["time"], card.evidence["kind"], card.evidence["record"],
                     card.evidence["group_row"], strict=True))  # fmt: skip
    assert shown == ZHANG_EVIDENCE
    assert set(card.evidence["victim_row"]) == {"police/victims.xlsx[被害人]#2"}
    bank = card.evidence.iloc[5]
    assert (bank["nearest_other"], bank["apart"]) == ("chat at 2016-03-10 10:45:00", "5 min 0 s")
    day_only = card.evidence.iloc[8]
    assert day_only["apart"] == "within the same day"
    assert card.transfers["amount_fen"].tolist() == [15_000_000, 5_000_000]
    assert card.victim["loss_fen"] == 20_000_000
    for name in ("requests", "request_victims"):  # as a folder written before requests
        (out / f"{name}.parquet").unlink()
    older = evidence_card(out, "王五")
    assert "no seized chat names the victim" in older.victim["missing"]
    assert older.missing["gap"].tolist() == [older.victim["missing"]]
    assert "written before requests" in older.text()


def test_a_card_reads_in_time_order_with_the_time_to_the_nearest_other_kind(
    sample_run: Ran,
) -> None:
    card = evidence_card(sample_run.out, CAI)
    first = card.evidence.iloc[0]
    assert (first["time"], first["kind"]) == ("2015-10-10 10:15:31", "call")
    assert (first["nearest_other"], first["apart"]) == ("chat at 2015-10-10 10:28:29",
                                                        "12 min 58 s")  # fmt: skip
    days = card.evidence["time"].str[:10]
    assert days.is_monotonic_increasing
    to_the_second = card.evidence["time"][card.evidence["time"].str.len() == 19]
    assert to_the_second.is_monotonic_increasing
    assert "2015-10-10 11:46" in card.evidence["time"].tolist(), "a ledger gives the minute"
    assert card.zone.key == "Asia/Shanghai"
    assert "Evidence, in time order (times in Asia/Shanghai):" in card.text()


@pytest.mark.parametrize("which", ["sample", "designated"])
def test_a_cards_payments_make_its_loss_and_its_defendants_are_those_counting_it(
    which: str, case_runs: Callable[[str], Ran]
) -> None:
    ran: Ran = case_runs(which)
    tables = CardTables.read(ran.out)
    counted = pd.read_parquet(ran.out / "defendant_victims.parquet")
    answered = pd.read_parquet(ran.out / "request_victims.parquet")
    for victim in tables.victims.itertuples(index=False):
        card = evidence_card(ran.out, victim.victim_id, tables=tables)
        moved = card.transfers.assign(fen=card.transfers["amount_fen"] * card.transfers["times"])
        assert moved.loc[moved["flow"] == "payment", "fen"].sum() == victim.gross_fen
        assert moved.loc[moved["deducted"], "fen"].sum() == victim.refund_fen
        assert not moved.loc[moved["flow"] == "payment", "deducted"].any()
        mine = counted[counted["victim_id"] == victim.victim_id]
        assert sorted(card.defendants["person_id"]) == sorted(mine["person_id"])
        assert (card.defendants["basis"] != "").all()
        asked = answered[answered["victim_id"] == victim.victim_id]
        assert sorted(zip(card.missing["request_id"], card.missing["gap"], strict=True)) == sorted(
            zip(asked["request_id"], asked["gap"], strict=True)
        )
        assert card.missing["ask"].notna().all()


def test_a_victim_is_found_by_id_phone_or_a_name_only_one_has(sample_run: Ran) -> None:
    victims = pd.read_parquet(sample_run.out / "victims.parquet")
    row = victims[victims["victim_id"] == CAI].iloc[0]
    assert find_victim(victims, CAI)["name"] == "蔡艳"
    assert find_victim(victims, row["phone"])["victim_id"] == CAI
    assert find_victim(victims, row["phone"].removeprefix("+86"))["victim_id"] == CAI
    assert find_victim(victims, "蔡艳")["victim_id"] == CAI
    with pytest.raises(OutputError, match="no victim answers to 'nobody'"):
        find_victim(victims, "nobody")
    twice = pd.concat([victims, victims[victims["victim_id"] == CAI].assign(victim_id="X")])
    with pytest.raises(OutputError, match="2 victims answer to '蔡艳'"):
        find_victim(twice, "蔡艳")


def test_linkage_card_prints_masks_and_draws(
    sample_run: Ran, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["card", str(sample_run.out), CAI]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"蔡艳  {CAI}\n")
    assert "Missing, and the request that would close it:" in printed
    figure = tmp_path / "cai.png"
    assert main(["card", str(sample_run.out), CAI, "--mask", "--figure", str(figure)]) == 0
    masked = capsys.readouterr().out
    assert CAI not in masked and "1101**********9629" in masked
    assert figure.read_bytes().startswith(b"\x89PNG")
    assert main(["card", str(sample_run.out), "nobody"]) == 1
    assert capsys.readouterr().err.startswith("linkage: error: no victim answers to 'nobody'")
    assert main(["card", str(tmp_path), CAI]) == 1
    assert "holds no victims or links of a linkage run" in capsys.readouterr().err


def test_the_report_links_every_victim_to_a_card_page(sample_run: Ran) -> None:
    page = (sample_run.out / "report.html").read_text(encoding="utf-8")
    victims = pd.read_parquet(sample_run.out / "victims.parquet")
    anchors = re.findall(r"<a href='#(card-\d+)'>", page)
    sections = re.findall(r"<section class='card' id='(card-\d+)'>", page)
    assert anchors == sections == [f"card-{n}" for n in range(1, len(victims) + 1)]
    assert "break-before: page" in page, "each card prints as a page"
    cai = page.index(f"<h3>蔡艳 · {CAI}</h3>")
    assert page.index("<svg class='timeline'", cai) < page.index("</section>", cai)


def test_the_groups_calendar_holds_every_stay_den_and_first_contact(sample_run: Ran) -> None:
    result = sample_run.result
    rows, left_out = _rows(result.findings, result.attribution)
    assert left_out == 0
    people = result.attribution.defendants.set_index("person_id")
    drawn = {(row.label, span) for row in rows if row.kind == "member" for span in row.spans}
    for stay in result.attribution.stays.itertuples(index=False):
        label = f"{people.at[stay.person_id, 'name']} · {people.at[stay.person_id, 'role']}"
        span = (pd.Timestamp(stay.start_day).date(), pd.Timestamp(stay.end_day).date(), stay.den)
        assert (label, span) in drawn
    members = [row for row in rows if row.kind == "member"]
    assert len(members) == len(result.attribution.defendants)
    dens = {row.label for row in rows if row.kind == "den"}
    assert dens == {f"{den} active" for den in ("den-jakarta", "den-makassar", "den-mombasa",
                                                "den-nairobi")}  # fmt: skip
    contacts = sum(len(row.days) for row in rows if row.kind == "contacts")
    linked = result.findings.victims["group_id"].notna().sum()
    assert contacts == linked
    ax = group_timeline(result.findings, result.attribution, ax=Figure().subplots())
    assert any(line.get_label() == "seizure" for line in ax.get_lines())
    assert (sample_run.out / "figures" / "group_timeline.png").exists()
