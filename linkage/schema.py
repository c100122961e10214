"""The canonical tables: every reader maps its format onto one of these, and nothing else.

One definition per table, with the Arrow type and the meaning of every column, is the single
source of truth the matching rules, the reports and the documentation read. Naming follows the
project's conventions: ``*_at`` is a tz-aware UTC timestamp, ``*_fen`` integer fen, ``*_s``
seconds, ``*_raw`` the text exactly as the source wrote it (trimmed of padding) beside its
normalized form. A normalized identifier that is null while its ``*_raw`` is not is *flagged*:
the source held something (a short code, a masked card, junk) that could not be normalized and
was deliberately not guessed.

Every row carries ``source_file`` (path relative to the case folder) and ``source_row`` (the
1-based line, or sheet row, a person would count in the original file), so every conclusion can
be walked back to the line of evidence it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

UTC_TIME = pa.timestamp("us", tz="UTC")
TEXT = pa.string()
INT = pa.int64()
TEXT_LIST = pa.list_(pa.string())


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, Arrow type and what it holds."""

    name: str
    type: pa.DataType
    meaning: str


@dataclass(frozen=True)
class Table:
    """One canonical table: its name, purpose and columns in output order."""

    name: str
    meaning: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        """The column names in output order."""
        return [c.name for c in self.columns]

    def arrow_schema(self) -> pa.Schema:
        """The Arrow schema of this table, with each column's meaning as field metadata."""
        return pa.schema(
            [pa.field(c.name, c.type, metadata={"meaning": c.meaning}) for c in self.columns]
        )

    def to_arrow(self, frame: pd.DataFrame) -> pa.Table:
        """Cast ``frame`` to this table's Arrow schema.

        Columns the frame lacks are added as nulls; extra columns are an error, because a reader
        that produces a column the schema does not define is writing something nobody documented.
        """
        extra = [c for c in frame.columns if c not in self.column_names]
        if extra:
            raise ValueError(f"table {self.name}: columns not in the canonical schema: {extra}")
        schema = self.arrow_schema()
        arrays = []
        for field in schema:
            if field.name in frame.columns:
                arrays.append(_to_array(frame[field.name], field.type))
            else:
                arrays.append(pa.nulls(len(frame), type=field.type))
        return pa.Table.from_arrays(arrays, schema=schema)

    def conform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return ``frame`` in canonical column order and types, as an Arrow-backed DataFrame."""
        return arrow_to_frame(self.to_arrow(frame))

    def empty(self) -> pd.DataFrame:
        """An empty Arrow-backed DataFrame with this table's columns."""
        return arrow_to_frame(self.arrow_schema().empty_table())


def arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as a pandas DataFrame backed by Arrow types (exact ints, tz-aware times)."""
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _to_array(values: pd.Series, type_: pa.DataType) -> pa.Array:
    if isinstance(values.dtype, pd.ArrowDtype):
        array = pa.array(values.array)
        return array if array.type == type_ else array.cast(type_)
    if pa.types.is_timestamp(type_) and pd.api.types.is_datetime64_any_dtype(values.dtype):
        return pa.array(values.dt.tz_convert("UTC") if values.dt.tz else values, type=type_)
    if values.dtype != object:
        try:  # numpy and pandas masked arrays (Int64, boolean) convert without Python objects
            return pa.array(values, from_pandas=True).cast(type_)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            pass
    # Arrow reads an object array in place, None, NaN, NaT and pandas' NA as null; a list of
    # Python values would first hold a second copy of every cell (a million-row table in
    # attribution doubled the stage's memory).
    return pa.array(values.to_numpy(dtype=object), type=type_, from_pandas=True)


def _c(name: str, type_: pa.DataType, meaning: str) -> Column:
    return Column(name, type_, meaning)


PROVENANCE = (
    _c("source_file", TEXT, "file the row came from, relative to the case folder"),
    _c("source_row", INT, "1-based line or sheet row of the row in that file, as a person counts"),
    _c("source_sheet", TEXT, "workbook sheet or database table the row came from; null for text"),
)

SOURCE_FACTS = (
    _c("origin", TEXT, "who the evidence came from: seized, victim, bank, telecom, ..."),
    _c("den", TEXT, "the den (site) the evidence was seized at, from case.toml; null if none"),
)

CALLS = Table(
    "calls",
    "One call or text between two numbers, from a den's dial list, a carrier or a handset.",
    (
        _c("caller", TEXT, "calling number in E.164; null if it could not be normalized"),
        _c("caller_raw", TEXT, "calling number as written in the source"),
        _c("callee", TEXT, "called number in E.164; null if it could not be normalized"),
        _c("callee_raw", TEXT, "called number as written in the source"),
        _c("own_number", TEXT, "E.164 number whose records these are (carrier and handset logs)"),
        _c("other_number", TEXT, "E.164 number of the other party in those records"),
        _c("started_at", UTC_TIME, "when the call started (or the text was sent), UTC"),
        _c("duration_s", INT, "talk time in seconds; 0 when not answered; null if not recorded"),
        _c("direction", TEXT, "out or in, seen from own_number; null for den dial lists"),
        _c("call_type", TEXT, "voice, sms or broadcast (auto-dialer campaign)"),
        _c(
            "answered", pa.bool_(), "whether the call was answered; null if the source does not say"
        ),
        _c("result_raw", TEXT, "the source's own call result or type text (接通, 未接, 主叫, ...)"),
        _c("line", TEXT, "VoIP gateway line (线路号) that placed the call"),
        _c("extension", TEXT, "den extension (分机号) that handled the call"),
        _c("forwarded_to", TEXT, "extension the call was forwarded to (转接分机)"),
        _c("task_id", TEXT, "auto-dialer campaign id (任务ID); set means a broadcast"),
        _c("key_pressed", TEXT, "digit the called person pressed (按键)"),
        _c("imei", TEXT, "handset IMEI"),
        _c("imsi", TEXT, "SIM IMSI"),
        _c("lac", TEXT, "location area code; null when the source says 0 (unknown)"),
        _c("ci", TEXT, "cell id; null when the source says 0 (unknown)"),
        _c("place", TEXT, "place name the source gives for the own side"),
        _c("body", TEXT, "text of an SMS row"),
        *SOURCE_FACTS,
        *PROVENANCE,
    ),
)

MESSAGES = Table(
    "messages",
    "One chat message or text, from a seized device or an export.",
    (
        _c("channel", TEXT, "skype, wechat, qq, telegram or sms"),
        _c("message_id", TEXT, "the source's own message id"),
        _c("conversation", TEXT, "conversation or chat-room id as the source names it"),
        _c("sender", TEXT, "normalized sender handle (lowercase; phones in E.164)"),
        _c("sender_raw", TEXT, "sender as written in the source"),
        _c("sender_name", TEXT, "display name of the sender"),
        _c("recipient", TEXT, "normalized recipient handle, when a single recipient is known"),
        _c("sent_at", UTC_TIME, "when the message was sent, UTC"),
        _c("body", TEXT, "message text with markup entities unescaped, for matching"),
        _c("body_raw", TEXT, "message text exactly as stored"),
        _c("message_type", TEXT, "the source's own type code (Skype 61, WeChat 1, ...)"),
        *SOURCE_FACTS,
        *PROVENANCE,
    ),
)

TRANSACTIONS = Table(
    "transactions",
    "One movement of money on an account, from a bank return, a ledger or a personal export.",
    (
        _c("account", TEXT, "normalized account or card the statement belongs to"),
        _c("account_raw", TEXT, "that account as written"),
        _c("holder_name", TEXT, "normalized name of the account holder"),
        _c("holder_id", TEXT, "normalized ID number of the account holder"),
        _c("counterparty_account", TEXT, "normalized counterparty account; null if none or masked"),
        _c("counterparty_account_raw", TEXT, "counterparty account as written"),
        _c("counterparty_name", TEXT, "normalized counterparty name"),
        _c("counterparty_id", TEXT, "normalized counterparty ID number"),
        _c("counterparty_bank", TEXT, "counterparty's bank as written"),
        _c("occurred_at", UTC_TIME, "when the transaction happened, UTC"),
        _c(
            "time_resolution_s",
            INT,
            "how coarse the source's clock is: 86400 when it gives the "
            "date only, 60 for hours and minutes (occurred_at is then the start of that day or "
            "minute); null when it gives seconds",
        ),
        _c("amount_fen", INT, "amount moved, integer fen, never negative"),
        _c("direction", TEXT, "in (credit to account) or out (debit from account)"),
        _c("balance_fen", INT, "balance after the transaction, integer fen, when given"),
        _c("currency", TEXT, "currency as written (CNY, 人民币, ...)"),
        _c(
            "original_amount_fen",
            INT,
            "the amount in the currency it was spent in, in hundredths, when the statement "
            "settled it in another (a card purchase abroad); amount_fen is the settled amount",
        ),
        _c("original_currency", TEXT, "that currency as written (USD, HKD, ...)"),
        _c("channel", TEXT, "channel or transaction type as written (网银, 转账, 微信, cash ...)"),
        _c("summary", TEXT, "摘要 / remark text"),
        _c("serial_no", TEXT, "the source's transaction serial or order number"),
        _c(
            "counterparty_phone",
            TEXT,
            "the counterparty's phone in E.164, when the source gives one (den ledger)",
        ),
        _c(
            "operators",
            TEXT,
            "den operators the source credits with the transfer, as "
            "`一线:name;二线:name;三线:name` (den ledger)",
        ),
        _c("status_raw", TEXT, "the source's success/status text, kept raw"),
        _c("bank", TEXT, "the bank or platform that returned the statement"),
        *SOURCE_FACTS,
        *PROVENANCE,
    ),
)

ACCOUNTS = Table(
    "accounts",
    "One account as its bank or platform registered it.",
    (
        _c("account", TEXT, "normalized account or card number"),
        _c("account_raw", TEXT, "account as written"),
        _c("holder_name", TEXT, "normalized holder name"),
        _c("holder_id", TEXT, "normalized holder ID number"),
        _c("holder_id_raw", TEXT, "holder ID number as written"),
        _c("bank", TEXT, "bank or platform, as written"),
        _c("opened_at", UTC_TIME, "when the account was opened, UTC"),
        _c("closed_at", UTC_TIME, "when the account was closed, UTC"),
        _c("phone", TEXT, "bound phone in E.164"),
        _c("status", TEXT, "account status as written"),
        _c(
            "bound_to",
            TEXT,
            "for a bank card bound to a payment account (Tenpay 绑定银行卡): that account, "
            "normalized",
        ),
        _c(
            "bound_cards_raw",
            TEXT,
            "for a payment account: the cards and accounts its platform lists as bound or "
            "linked to it, as written, cells joined by ' | ' (Tenpay 银行账号; Alipay 绑定银行卡, "
            "关联账户); a number a spreadsheet rounded is left out",
        ),
        *SOURCE_FACTS,
        *PROVENANCE,
    ),
)

PERSONS = Table(
    "persons",
    "One suspect on the roster, with the identifiers that tie them to lines, handles and dens.",
    (
        _c("person_id", TEXT, "normalized resident ID, passport or permit number"),
        _c("person_id_raw", TEXT, "that number as written"),
        _c("id_type", TEXT, "resident_id, passport or permit"),
        _c("name", TEXT, "normalized name (simplified, no spaces)"),
        _c("name_raw", TEXT, "name as written"),
        _c("gender", TEXT, "male or female, as recorded"),
        _c("birth_date", pa.date32(), "date of birth"),
        _c("nationality", TEXT, "nationality as written"),
        _c("phones", TEXT_LIST, "phones in E.164"),
        _c("skype", TEXT_LIST, "Skype handles, normalized"),
        _c("wechat", TEXT_LIST, "WeChat ids, normalized"),
        _c("qq", TEXT_LIST, "QQ numbers"),
        _c("den", TEXT, "den the roster places the person at"),
        _c("extensions", TEXT_LIST, "den extensions (分机号) the person used"),
        _c("role_noted", TEXT, "role as the investigators noted it: evidence, not truth"),
        _c("role", TEXT, "that note mapped to organiser/first_line/.../unknown"),
        _c("note", TEXT, "remarks"),
        *PROVENANCE,
    ),
)

TRAVEL = Table(
    "travel",
    "One border crossing of a suspect, as one authority recorded it.",
    (
        _c("person_id", TEXT, "normalized ID or passport number"),
        _c("person_id_raw", TEXT, "that number as written"),
        _c("name", TEXT, "normalized name"),
        _c("direction", TEXT, "entry or exit, as the recording authority saw it"),
        _c("crossed_at", UTC_TIME, "time of the crossing, UTC; null when only the date is known"),
        _c("crossed_on", pa.date32(), "calendar day of the crossing at the port"),
        _c("port", TEXT, "border port (口岸)"),
        _c("country", TEXT, "country of the recording authority (CN for Chinese immigration)"),
        _c("destination", TEXT, "where the person went to or came from (前往地/出发地)"),
        _c("transport", TEXT, "means of transport"),
        _c("flight_no", TEXT, "flight or vessel number"),
        _c("record_source", TEXT, "immigration, passport, foreign_police, ... as given"),
        _c("origin", TEXT, "who provided the records (immigration, police, ...)"),
        *PROVENANCE,
    ),
)

VICTIMS = Table(
    "victims",
    "One reported victim, as the case officers listed them.",
    (
        _c("name", TEXT, "normalized name"),
        _c("name_raw", TEXT, "name as written"),
        _c("id_number", TEXT, "normalized 18-character resident ID; null if invalid or missing"),
        _c("id_number_raw", TEXT, "ID number as written"),
        _c("phone", TEXT, "contact phone in E.164"),
        _c("phone_raw", TEXT, "phone as written"),
        _c("accounts", TEXT_LIST, "the victim's own accounts, normalized"),
        _c("payee_accounts", TEXT_LIST, "accounts the victim says they paid into, normalized"),
        _c("reported_at", UTC_TIME, "when the victim reported, UTC"),
        _c("report_place", TEXT, "where the victim reported"),
        _c("reported_loss_fen", INT, "loss the victim reported, integer fen (not the proven loss)"),
        _c("reported_loss_raw", TEXT, "reported loss as written; the flag when it is unreadable"),
        _c("first_defrauded_at", UTC_TIME, "when the victim says the fraud began, UTC"),
        _c("narrative", TEXT, "the victim's account of events (被骗经过)"),
        *PROVENANCE,
    ),
)

REJECTS = Table(
    "rejects",
    "One input row left out of the canonical tables, and why.",
    (
        _c("source_file", TEXT, "file the row came from, relative to the case folder"),
        _c("source_row", INT, "1-based line or sheet row in that file"),
        _c("source_sheet", TEXT, "workbook sheet or database table; null for text files"),
        _c("kind", TEXT, "the canonical table the row was meant for"),
        _c("column", TEXT, "the column at fault, as the source names it; null for whole rows"),
        _c("reason", TEXT, "a RejectReason value"),
        _c("value", TEXT, "the offending raw value, or the row text"),
    ),
)

COERCED = Table(
    "coerced",
    "One value of a kept row that could not be read and was left empty: its raw text, and why.",
    (
        _c("source_file", TEXT, "file the row came from, relative to the case folder"),
        _c("source_row", INT, "1-based line or sheet row in that file"),
        _c("source_sheet", TEXT, "workbook sheet or database table; null for text files"),
        _c("kind", TEXT, "the canonical table the row is in"),
        _c("column", TEXT, "the column, as the source names it"),
        _c("reason", TEXT, "a RejectReason value: what the value failed"),
        _c("value", TEXT, "the raw text the value was read from"),
    ),
)

FINDING_VICTIMS = Table(
    "victims",
    "One row per reported victim and per discovered one: the verdict and the proven loss.",
    (
        _c("victim_id", TEXT, "normalized 18-character ID number if known, else E.164 phone, "
           "else the victim list's file#row"),
        _c("name", TEXT, "normalized name"),
        _c("group_id", TEXT, "the group linked; empty if none"),
        _c("verdict", TEXT, "corroborated (two or more kinds agree in time), linked (one kind), "
           "unlinked (none)"),
        _c("evidence_kinds", TEXT, "sorted, ;-joined kinds found: call, chat, transfer"),
        _c("loss_fen", INT, "payments into the group's accounts less refunds, integer fen"),
        _c("first_contact_at", TEXT, "first call, chat or payment, ISO 8601 in the case's zone"),
        _c("last_transfer_at", TEXT, "last payment, ISO 8601 in the case's zone"),
        _c("reported", pa.bool_(), "on the police victim list (false: discovered by collision)"),
        _c("gross_fen", INT, "payments into the group's accounts, integer fen"),
        _c("refund_fen", INT, "money the group paid back before the seizure, integer fen"),
        _c("transfer_count", INT, "payments counted (one transfer seen in several records once)"),
        _c("link_count", INT, "rows of links behind the verdict"),
        _c("phone", TEXT, "the victim's phone, E.164"),
        _c("missing", TEXT, "the evidence not found, in words, ;-joined"),
        _c("source_file", TEXT, "victim list (or account record) the victim was taken from"),
        _c("source_row", INT, "row of that file"),
        _c("source_sheet", TEXT, "sheet of that file, for workbooks"),
    ),
)  # fmt: skip

LINKS = Table(
    "links",
    "One piece of evidence tying one victim to a group, with the rows of both sides.",
    (
        _c("victim_id", TEXT, "the victim, as in victims.csv"),
        _c("kind", TEXT, "call, chat, transfer, or refund (money paid back: not evidence)"),
        _c("via", TEXT, "what the record shows, in words"),
        _c("matched", TEXT, "the victim's identifier the record holds (normalized)"),
        _c("matched_kind", TEXT, "phone, id, account or name"),
        _c("at", UTC_TIME, "when the record says it happened, UTC"),
        _c(
            "time_resolution_s",
            INT,
            "the record's clock resolution: 86400 for a date only, 60 "
            "for minutes (at is the start of that day or minute), 0 for seconds",
        ),
        _c("group_id", TEXT, "group of the identifier on the group's side"),
        _c("den", TEXT, "den of the record or identifier, when known"),
        _c("corroborates", pa.bool_(), "another kind of link of the same group agrees in time"),
        _c("counterpart", TEXT, "the group's identifier: line, handle or account"),
        _c("amount_fen", INT, "amount of a transfer or refund, integer fen"),
        _c("duration_s", INT, "talk time of a call"),
        _c("answered", pa.bool_(), "whether a call was answered, when recorded"),
        _c("record_origin", TEXT, "origin of the record: seized, bank, telecom, victim"),
        _c("evidence_source_file", TEXT, "file of the record itself"),
        _c("evidence_source_row", INT, "row of the record"),
        _c("evidence_source_sheet", TEXT, "sheet or table of the record"),
        _c("victim_source_file", TEXT, "file naming the victim's identifier (victim list, ...)"),
        _c("victim_source_row", INT, "row of that file"),
        _c("victim_source_sheet", TEXT, "sheet of that file"),
        _c("group_source_file", TEXT, "file that put the group's identifier in the set"),
        _c("group_source_row", INT, "row of that file"),
        _c("group_source_sheet", TEXT, "sheet of that file"),
    ),
)

GROUP_IDENTIFIERS = Table(
    "group_identifiers",
    "One phone, handle or account the group controls, with the record that shows it.",
    (
        _c("identifier", TEXT, "normalized phone, handle or account"),
        _c("kind", TEXT, "phone, handle or account"),
        _c("group_id", TEXT, "the group; empty for accounts case.toml names without a den"),
        _c("den", TEXT, "den the identifier was seen at"),
        _c("basis", TEXT, "why it is the group's, in words"),
        _c("seed", pa.bool_(), "seized or named in case.toml (false: grown from bank returns)"),
        *PROVENANCE,
        _c(
            "rule",
            TEXT,
            "the rule that made it the group's: dial_list, roster, chat_sender, ledger, "
            "chat_designation, held_by_member, case_file or grown",
        ),
        _c("written_by", TEXT, "chat_designation: the handle that wrote the designation"),
        _c("valid_from", UTC_TIME, "chat_designation: first designated, UTC; empty if unknown"),
        _c("valid_to", UTC_TIME, "chat_designation: stopped, UTC; empty while in use"),
        _c("held_by", TEXT, "account: ID number of the roster member holding it"),
        _c("held_by_name", TEXT, "account: that member's name"),
    ),
)

VICTIM_TRANSFERS = Table(
    "victim_transfers",
    "One payment by a linked victim into the group's accounts, or one refund back: each "
    "transfer once, however many records show it.",
    (
        _c("victim_id", TEXT, "the victim, as in victims.csv"),
        _c("group_id", TEXT, "the victim's group"),
        _c("flow", TEXT, "payment (victim to group) or refund (group to victim)"),
        _c("victim_account", TEXT, "the victim's account"),
        _c("group_account", TEXT, "the group's account"),
        _c("amount_fen", INT, "amount of one transfer, integer fen"),
        _c("times", INT, "how many such transfers that day (the fullest record's count)"),
        _c("at", UTC_TIME, "when, UTC (the most precise record's time)"),
        _c("time_resolution_s", INT, "0, or 86400 when only a date-only record shows it"),
        _c("evidence_source_file", TEXT, "first record of it: file"),
        _c("evidence_source_row", INT, "row of that record"),
        _c("evidence_source_sheet", TEXT, "sheet of that record"),
        _c(
            "outside_designation",
            pa.bool_(),
            "a payment into a card designated in the chats, made outside its periods of use "
            "(counted all the same)",
        ),
    ),
)

ACCOUNT_GAPS = Table(
    "account_gaps",
    "What the evidence leaves open about the group's accounts: accounts victims paid that no "
    "rule made the group's, card numbers in the chats that could not be read, stops that "
    "name no card.",
    (
        _c("gap", TEXT, "paid_not_group, unreadable_number or stop_names_no_card"),
        _c("account", TEXT, "the account, the number as read, or the last four digits"),
        _c("group_id", TEXT, "the group concerned, when known"),
        _c("count", INT, "how many victims or messages it concerns"),
        _c("detail", TEXT, "the particulars, in words"),
        *PROVENANCE,
    ),
)

VICTIM_GAPS = Table(
    "victim_gaps",
    "One sentence of a victim's ``missing``: what kind of evidence is lacking, and the "
    "identifiers it is about.",
    (
        _c("victim_id", TEXT, "the victim"),
        _c("position", INT, "the sentence's place in ``missing``, from 0"),
        _c("code", TEXT, "group_line_absent, no_call_records, no_phone, no_chat, no_transfer, "
           "payee_not_group or no_own_statement"),
        _c("gap", TEXT, "the sentence, as ``missing`` writes it"),
        _c("subjects", TEXT, ";-joined phones or accounts the sentence is about; empty if none"),
    ),
)  # fmt: skip

REQUESTS = Table(
    "requests",
    "One request for further evidence that would close gaps: to a bank, a carrier, or people "
    "to question again, with what could change when it is answered.",
    (
        _c("request_id", TEXT, "R001, R002, ... in the order of the table"),
        _c("to", TEXT, "bank, carrier or people"),
        _c("addressee", TEXT, "the bank or carrier as the evidence names it, or the person"),
        _c("ask", TEXT, "what to ask for, in words"),
        _c("subject_kind", TEXT, "account, accounts, phone, phones, id_number, victim or "
           "suspect"),
        _c("subject", TEXT, "the account, phone or ID number (;-joined when several) or the "
           "person the request is about"),
        _c("asked_from", TEXT, "first day to ask for, in the case's zone"),
        _c("asked_to", TEXT, "last day to ask for, inclusive"),
        _c("priority", INT, "1: a verdict could change; 2: an amount or a period could "
           "change; 3: it completes the record"),
        _c("closes", TEXT, "the gaps it would close, sentences joined by ' | '"),
        _c("could_change", TEXT, "the verdicts and amounts that could change, in words"),
        _c("victim_fen", INT, "victims' money that reached the account (banks), integer fen"),
        _c("unproven_fen", INT, "what the victims whose loss may rise reported beyond their "
           "proven loss, integer fen: what the answer could add at most, as they tell it"),
        _c("victims", INT, "victims behind the request"),
        _c("victim_ids", TEXT, ";-joined victims behind it"),
        _c("payment_ids", TEXT, ";-joined payments (victim@time) whose money reached it"),
        _c("person_ids", TEXT, ";-joined suspects concerned"),
        *PROVENANCE,
    ),
)  # fmt: skip

REQUEST_VICTIMS = Table(
    "request_victims",
    "One victim's gap a request would close, and what the answer could turn for them.",
    (
        _c("request_id", TEXT, "the request"),
        _c("victim_id", TEXT, "the victim"),
        _c("gap", TEXT, "the gap it closes: a sentence of the victim's ``missing``, or what "
           "else is open (money traced to an account with no statement, a loss below the "
           "reported one)"),
        _c("verdict", TEXT, "the verdict now"),
        _c("verdict_if_found", TEXT, "the verdict if the request brings what it asks for, in "
           "time with the rest"),
        _c("loss_fen", INT, "the loss now, integer fen"),
        _c("loss_may_rise", pa.bool_(), "whether the answer can add payments to the loss"),
        _c("change", TEXT, "what could change, in words"),
    ),
)  # fmt: skip

LEADS = Table(
    "leads",
    "Payers into the group's collecting accounts with no call or chat: leads, not victims.",
    (
        _c("account", TEXT, "the payer's account"),
        _c("name", TEXT, "the payer's name as the return gives it"),
        _c("id_number", TEXT, "the payer's ID number as the return gives it"),
        _c("group_id", TEXT, "group of the account paid"),
        _c("amount_fen", INT, "total paid, integer fen"),
        _c("transfer_count", INT, "records of payments"),
        _c("first_at", UTC_TIME, "first payment, UTC"),
        _c("last_at", UTC_TIME, "last payment, UTC"),
        _c("source_file", TEXT, "a file showing the payments"),
        _c("source_row", INT, "first row of them in that file"),
    ),
)

DEFENDANTS = Table(
    "defendants",
    "One row per suspect on the roster: group, role, participation period and what the law "
    "attributes to them.",
    (
        _c("person_id", TEXT, "normalized ID, passport or permit number"),
        _c("name", TEXT, "normalized name"),
        _c("group_id", TEXT, "the group; empty when no evidence places them in one"),
        _c("role", TEXT, "organiser, first_line, second_line, third_line, money_mule, support "
           "or unknown, from behaviour first (see role_basis)"),
        _c("period_start", TEXT, "first day of the participation period (den's zone)"),
        _c("period_end", TEXT, "last day of it, inclusive"),
        _c("amount_fen", INT, "victims' net payments attributable under the period rule; "
           "organisers: the group's total; money mules: what their accounts received from "
           "victims (see amount_rule)"),
        _c("victim_count", INT, "distinct victims behind amount_fen"),
        _c("call_count", INT, "dial-list rows on the person's extension (人次: every attempt)"),
        _c("message_count", INT, "seized messages sent from the person's handles"),
        _c("gross_fen", INT, "those payments before refunds"),
        _c("refund_fen", INT, "refunds answering those payments"),
        _c("band", TEXT, "amount band: large (>=3,000 yuan), huge (>=30,000), very_huge "
           "(>=500,000), or empty"),
        _c("near_next_band", pa.bool_(), "amount at 80% or more of the next band (a flag)"),
        _c("attempt_band", TEXT, "serious / very_serious from calls or messages, or empty: for "
           "when the amount cannot be proven"),
        _c("overseas_days", INT, "most days in the dens within any 365 days"),
        _c("periods", TEXT, "each stay as den:first..last, ;-joined"),
        _c("dens", TEXT, "dens worked, in order, ;-joined"),
        _c("subrole", TEXT, "trainer, card_supplier, technician, or empty"),
        _c("role_noted", TEXT, "what the roster says"),
        _c("roster_agrees", pa.bool_(), "whether the roster's note gives the same role; empty "
           "when the roster notes none"),
        _c("role_basis", TEXT, "the evidence the role rests on, in words"),
        _c("principal_suggested", pa.bool_(), "the indicators point to a principal (主犯): a "
           "suggestion, never a verdict"),
        _c("principal_reasons", TEXT, "why, in words"),
        _c("mule_indicator", TEXT, "for money mules: which 掩隐 threshold (100,000 yuan; 10 "
           "transfers; 3 transfers and 50,000 yuan) the traced money meets, or empty"),
        _c("period_rule", TEXT, "the participation-period rule used"),
        _c("amount_rule", TEXT, "how amount_fen is made up, by role: group_total "
           "(organisers), account_received (money mules), period (everyone else)"),
        _c("source_file", TEXT, "roster file"),
        _c("source_row", INT, "roster row"),
    ),
)  # fmt: skip

DEFENDANT_VICTIMS = Table(
    "defendant_victims",
    "One victim whose payments count in one defendant's amount: how much, and why.",
    (
        _c("person_id", TEXT, "the defendant"),
        _c("victim_id", TEXT, "the victim who paid"),
        _c("group_id", TEXT, "the victim's group"),
        _c("payments", INT, "payments of the victim counted for the defendant"),
        _c("first_at", UTC_TIME, "first of them, UTC"),
        _c("last_at", UTC_TIME, "last of them, UTC"),
        _c("gross_fen", INT, "those payments"),
        _c("refund_fen", INT, "refunds answering them"),
        _c("net_fen", INT, "what counts"),
        _c("basis", TEXT, "why they count for this person (the first payment's reason)"),
        _c("evidence_source_file", TEXT, "first record of the first payment: file"),
        _c("evidence_source_row", INT, "row of that record"),
    ),
)

ROLES_EVIDENCE = Table(
    "roles_evidence",
    "One fact behind a suspect's role: a roster note, a chain leg, a ledger credit, an account.",
    (
        _c("person_id", TEXT, "the suspect"),
        _c("role_shown", TEXT, "the role this fact points to"),
        _c("detail", TEXT, "the fact, in words"),
        _c("t", INT, "when, epoch seconds UTC, for acts"),
        _c("source_file", TEXT, "file showing it"),
        _c("source_row", INT, "row of that file"),
    ),
)

STAYS = Table(
    "stays",
    "One stay of a suspect at a den: a participation period, with the records that set its ends.",
    (
        _c("person_id", TEXT, "the suspect"),
        _c("group_id", TEXT, "the den's group"),
        _c("den", TEXT, "the den"),
        _c("start_day", TEXT, "first day, in the den's zone"),
        _c("end_day", TEXT, "last day, inclusive"),
        _c("start_basis", TEXT, "what set the start"),
        _c("start_source_file", TEXT, "record of it: file"),
        _c("start_source_row", INT, "row"),
        _c("end_basis", TEXT, "what set the end"),
        _c("end_source_file", TEXT, "record of it: file (case.toml for the seizure)"),
        _c("end_source_row", INT, "row"),
        _c("conflict", TEXT, "where Chinese and den-country records disagree by over a day"),
        _c("period_rule", TEXT, "the participation-period rule used"),
    ),
)

ATTRIBUTION_GAPS = Table(
    "attribution_gaps",
    "What the evidence leaves open in the attribution: calls nobody can be given, acts "
    "outside every stay, border records that disagree.",
    (
        _c("person_id", TEXT, "the suspect concerned; empty for calls nobody can be given"),
        _c("den", TEXT, "the den"),
        _c("gap", TEXT, "what is open, in words"),
        _c("count", INT, "how many rows or records it concerns"),
        _c("detail", TEXT, "the particulars"),
    ),
)

FLOWS = Table(
    "flows",
    "One hop of one victim payment's money: part of one transfer, in time order, traced "
    "through the returned statements of the group's accounts.",
    (
        _c("victim_id", TEXT, "whose money"),
        _c("payment", TEXT, "which payment (victim@time)"),
        _c("hop", INT, "1 = the payment into the group account, 2 = the next transfer, ..."),
        _c("from_account", TEXT, "account the money left"),
        _c("to_account", TEXT, "account it reached"),
        _c("amount_fen", INT, "the part of the transfer that is this payment's money"),
        _c("at", UTC_TIME, "when, UTC"),
        _c("source_file", TEXT, "statement showing the transfer"),
        _c("source_row", INT, "its row"),
    ),
)

DESTINATIONS = Table(
    "destinations",
    "Where each victim payment's money stopped being traceable, and how much.",
    (
        _c("victim_id", TEXT, "whose money"),
        _c("payment", TEXT, "which payment (victim@time)"),
        _c(
            "end",
            TEXT,
            "cash_out, statement_missing (the account's statement is not in the "
            "case: the amount vanished there), held, unknown_counterparty, depth_limit",
        ),
        _c("account", TEXT, "the account it ended at (drawn from, or never returned)"),
        _c("amount_fen", INT, "how much, integer fen"),
        _c("at", UTC_TIME, "when it got there, UTC; empty for money still held"),
    ),
)

FLOW_LAYERS = Table(
    "flow_layers",
    "Per hop of the traced money: how many accounts it reached, how much, whose.",
    (
        _c("hop", INT, "1 = the victims' payments into the group accounts, 2 = the next layer"),
        _c("accounts", INT, "accounts reached at this hop"),
        _c("amount_fen", INT, "victims' money reaching them, integer fen"),
        _c("victims", INT, "victims whose money it is"),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (CALLS, MESSAGES, TRANSACTIONS, ACCOUNTS, PERSONS, TRAVEL, VICTIMS)
}
"""The canonical evidence tables by kind, as named in case.toml ``kind =``."""

KINDS: tuple[str, ...] = (
    "calls",
    "chats",
    "transactions",
    "accounts",
    "persons",
    "travel",
    "victims",
)
"""Source kinds case.toml accepts. ``chats`` load into the ``messages`` table."""


def table_for_kind(kind: str) -> Table:
    """The canonical table a source of ``kind`` loads into.

    >>> table_for_kind("chats").name
    'messages'
    """
    return TABLES["messages" if kind == "chats" else kind]
