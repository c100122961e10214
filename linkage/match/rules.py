"""The corroboration rules, as SQL text over the prepared tables (``match/prepare.py``).

Each function returns one SELECT; ``match/corroborate.py`` runs them in order on an engine and
names the results. The SQL is portable: identifier equi-joins, epoch-second arithmetic, window
functions, no dialect-specific functions; values are bound as ``$name`` parameters.

Vocabulary: an *identifier* is a phone, chat handle or account the group controls; a *link* is
one record tying one victim to the group (a call, a chat message, a transfer), carrying the
``source_file``/``source_row`` of the record itself (``evidence_*``), of the row that names the
victim's identifier (``victim_*``) and of the row that put the group's identifier in the set
(``group_*``).
"""

from __future__ import annotations

__all__ = [
    "RULES",
    "account_growth_sql",
    "bridges_sql",
    "call_links_sql",
    "chat_links_sql",
    "corroboration_sql",
    "designated_sql",
    "discovered_victims_sql",
    "group_seed_sql",
    "leads_sql",
    "links_sql",
    "losses_sql",
    "member_accounts_sql",
    "member_relays_sql",
    "payer_groups_sql",
    "reached_calls_sql",
    "relayed_payments_sql",
    "returned_accounts_sql",
    "transfer_links_sql",
    "unknown_payees_sql",
    "unreadable_numbers_sql",
    "victim_accounts_sql",
    "victim_groups_sql",
    "victim_transfers_sql",
]


RULES = {
    "dial_list": "caller id on a seized dial list",
    "roster": "on the roster",
    "chat_sender": "sender in a seized chat",
    "ledger": "collecting account in a seized ledger",
    "chat_designation": "account designated in a seized chat",
    "held_by_member": "account held by a member on the roster",
    "case_file": "named in case.toml known_group_accounts",
    "grown": "paid by a group account, and returned by its own bank",
}
"""The rules that make an identifier the group's (``group_identifiers.rule``), in words."""


def group_seed_sql() -> str:
    """Identifiers seized with a den: dial-list caller ids, roster numbers and handles, chat
    senders, ledger accounts, accounts designated in the den's chats (``designated``) and
    accounts held by the den's members (``member_accounts``); plus the accounts case.toml
    names, and accounts held by members the roster places at no den, unless a den shows them.

    One row per identifier and den, by the first rule that shows it (the order above), with
    the first row of that rule (each file's first row is found by aggregation before the window
    sorts what is left: a dial list repeats its few lines millions of times). ``written_by`` is
    the sender of a designation.
    """
    return """
    WITH designations AS (
        SELECT account, den, source_file, source_row, source_sheet, sender FROM (
            SELECT d.account, m.den, m.source_file, m.source_row, m.source_sheet, m.sender,
                   row_number() OVER (
                       PARTITION BY d.account, m.den, m.source_file, m.source_sheet
                       ORDER BY CASE WHEN d.act = 'designate' THEN 0 ELSE 1 END,
                                m.source_row) AS in_file
            FROM messages AS m JOIN designated AS d ON d.body_id = m.body_id
            WHERE m.origin = 'seized' AND m.den IS NOT NULL) AS named
        WHERE in_file = 1
    ),
    seen AS (
        SELECT caller AS identifier, 'phone' AS kind, den, 1 AS priority,
               'dial_list' AS rule, 'caller id on a seized dial list' AS basis, source_file,
               min(source_row) AS source_row, source_sheet,
               CAST(NULL AS VARCHAR) AS written_by
        FROM calls
        WHERE origin = 'seized' AND den IS NOT NULL AND caller LIKE '+%'
        GROUP BY caller, den, source_file, source_sheet
        UNION ALL
        SELECT value, kind, den, 2, 'roster', 'roster ' || kind || ' of ' || name,
               source_file, source_row, source_sheet, CAST(NULL AS VARCHAR)
        FROM person_identifiers
        WHERE den IS NOT NULL
        UNION ALL
        SELECT sender, 'handle', den, 3, 'chat_sender', 'sender in a seized chat',
               source_file, min(source_row), source_sheet, CAST(NULL AS VARCHAR)
        FROM messages
        WHERE origin = 'seized' AND den IS NOT NULL AND sender IS NOT NULL
        GROUP BY sender, den, source_file, source_sheet
        UNION ALL
        SELECT account, 'account', den, 4, 'ledger', 'collecting account in a seized ledger',
               source_file, min(source_row), source_sheet, CAST(NULL AS VARCHAR)
        FROM transactions
        WHERE origin = 'seized' AND den IS NOT NULL AND account IS NOT NULL
          AND direction = 'in'
        GROUP BY account, den, source_file, source_sheet
        UNION ALL
        SELECT account, 'account', den, 5, 'chat_designation',
               'account designated in a seized chat', source_file, source_row, source_sheet,
               sender
        FROM designations
        UNION ALL
        SELECT account, 'account', den, 6, 'held_by_member',
               'account held by ' || name || ', on the roster at ' || den,
               source_file, source_row, source_sheet, CAST(NULL AS VARCHAR)
        FROM member_accounts
        WHERE den IS NOT NULL
    ),
    ranked AS (
        SELECT identifier, kind, den, rule, basis, source_file, source_row, source_sheet,
               written_by
        FROM (
            SELECT *, row_number() OVER (
                       PARTITION BY identifier, kind, den
                       ORDER BY priority, source_file, source_sheet NULLS FIRST,
                                source_row) AS rank_in_den
            FROM seen) AS ordered
        WHERE rank_in_den = 1
    )
    SELECT * FROM ranked
    UNION ALL
    SELECT account, 'account', CAST(NULL AS VARCHAR), 'case_file',
           'named in case.toml known_group_accounts', 'case.toml', CAST(NULL AS BIGINT),
           CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR)
    FROM known_accounts
    UNION ALL
    SELECT account, 'account', CAST(NULL AS VARCHAR), 'held_by_member',
           'account held by ' || name || ', on the roster at no den',
           source_file, source_row, source_sheet, CAST(NULL AS VARCHAR)
    FROM member_accounts
    WHERE den IS NULL
      AND account NOT IN (SELECT account FROM known_accounts)
      AND account NOT IN (
          SELECT identifier FROM ranked WHERE kind = 'account' AND identifier IS NOT NULL)
    """


def member_accounts_sql() -> str:
    """Accounts held by a person on the roster, one row per account (its first record).

    The holder is read by ID number from the banks' account records (账户信息) and the
    statements' own holder fields. Where the record names the holder too, the names must
    agree; an ID that is not a resident ID (a permit or passport number, short and reused
    across countries) counts only with the name beside it. A listed victim's account is never
    a member's. The den is the holder's on the roster (none for a mule caught at home).
    """
    return """
    WITH held AS (
        SELECT account, holder_id, holder_name, source_file, source_row, source_sheet,
               1 AS priority
        FROM accounts WHERE account IS NOT NULL AND holder_id IS NOT NULL
        UNION ALL
        SELECT account, holder_id, holder_name, source_file, min(source_row), source_sheet, 2
        FROM transactions
        WHERE origin <> 'seized' AND account IS NOT NULL AND holder_id IS NOT NULL
        GROUP BY account, holder_id, holder_name, source_file, source_sheet
    ),
    matched AS (
        SELECT h.account, p.person_id, p.name, p.den, h.source_file, h.source_row,
               h.source_sheet,
               row_number() OVER (
                   PARTITION BY h.account
                   ORDER BY h.priority, h.source_file, h.source_sheet NULLS FIRST,
                            h.source_row, p.person_id, p.den NULLS FIRST) AS record_order
        FROM held AS h JOIN members AS p ON p.person_id = h.holder_id
        WHERE CASE WHEN h.holder_name IS NOT NULL AND p.name IS NOT NULL
                   THEN h.holder_name = p.name
                   ELSE p.id_type = 'resident_id' END
          AND h.account NOT IN (
              SELECT value FROM victim_list WHERE kind = 'account' AND value IS NOT NULL)
    )
    SELECT account, person_id, name, den, source_file, source_row, source_sheet
    FROM matched WHERE record_order = 1
    """


def designated_sql() -> str:
    """The numbers seized chats designate or stop (``body_acts``) that are group accounts.

    A number counts only if it moved money in the case's evidence (an order number or a time
    stamp in a chat never does), and never if it is a victim's own: a listed victim's account
    or one held in their name, the account of a victim's own statement, or a payer into a
    collecting, known or designated account (the victim's card a report names is where the
    money came from). A number whose own bank answered for it is a receiving account even
    when it passed money on to another designated card.
    """
    return """
    WITH named AS (
        SELECT DISTINCT account FROM body_acts WHERE act IN ('designate', 'stop')
    ),
    money AS (
        SELECT account AS number, max(CASE WHEN origin = 'bank' THEN 1 ELSE 0 END) AS returned,
               max(CASE WHEN origin = 'victim' THEN 1 ELSE 0 END) AS victims_own
        FROM transactions WHERE account IN (SELECT account FROM named)
        GROUP BY account
        UNION ALL
        SELECT counterparty_account, 0, 0 FROM transactions
        WHERE counterparty_account IN (SELECT account FROM named)
        GROUP BY counterparty_account
    ),
    kept AS (
        SELECT number, max(returned) AS returned FROM money
        WHERE number NOT IN (
            SELECT value FROM victim_list WHERE kind = 'account' AND value IS NOT NULL)
          AND number NOT IN (
            SELECT a.account FROM victim_list AS v JOIN accounts AS a ON a.holder_id = v.value
            WHERE v.kind = 'id' AND a.account IS NOT NULL)
        GROUP BY number
        HAVING max(victims_own) = 0
    ),
    payers AS (
        SELECT DISTINCT counterparty_account AS number FROM transactions
        WHERE direction = 'in' AND counterparty_account IN (SELECT number FROM kept)
          AND (account IN (SELECT number FROM kept)
               OR account IN (SELECT account FROM known_accounts)
               OR (origin = 'seized' AND den IS NOT NULL))
    )
    SELECT DISTINCT b.body_id, b.account, b.act
    FROM body_acts AS b JOIN kept AS k ON k.number = b.account
    WHERE b.act IN ('designate', 'stop')
      AND (k.returned = 1 OR b.account NOT IN (SELECT number FROM payers))
    """


def payer_groups_sql() -> str:
    """For each group account with no group (named in case.toml, held by a member at no den),
    how many victims of each group paid it, by their group as the links decide it
    (``victim_groups``)."""
    return """
    SELECT l.group_account AS account, v.group_id, count(DISTINCT l.victim_key) AS victims
    FROM checked_links AS l
    JOIN victim_groups AS v ON v.victim_key = l.victim_key
    WHERE l.kind = 'transfer' AND l.group_id IS NULL AND v.group_id <> 'unattributed'
    GROUP BY l.group_account, v.group_id
    """


def member_relays_sql() -> str:
    """Returned payments into accounts held by members at no den that no victim's transfer
    reached: ``payer`` to ``account``, one row per pair (``relayed_payments``, made by account
    growth; ``checked_links``). An account victims paid is theirs to place, tie or not."""
    return """
    SELECT DISTINCT account AS payer, counterparty_account AS account
    FROM relayed_payments
    WHERE counterparty_account IN (
        SELECT account FROM member_accounts WHERE den IS NULL AND account IS NOT NULL)
      AND counterparty_account NOT IN (
        SELECT group_account FROM checked_links
        WHERE kind = 'transfer' AND group_account IS NOT NULL)
    """


def unknown_payees_sql() -> str:
    """Accounts reported victims say they paid that no rule made the group's: how many victims
    name each, and the first of them (by key, then row)."""
    return """
    WITH payees AS (
        SELECT value AS account, victim_key, source_file, source_row, source_sheet
        FROM victim_list
        WHERE kind = 'payee' AND value IS NOT NULL
          AND value NOT IN (SELECT identifier FROM group_accounts WHERE identifier IS NOT NULL)
    ),
    counted AS (
        SELECT account, count(DISTINCT victim_key) AS count FROM payees GROUP BY account
    ),
    ordered AS (
        SELECT *, row_number() OVER (
                   PARTITION BY account
                   ORDER BY victim_key, source_file, source_sheet NULLS FIRST, source_row) AS n
        FROM payees
    )
    SELECT o.account, c.count, o.victim_key AS first_victim, o.source_file, o.source_row,
           o.source_sheet
    FROM ordered AS o JOIN counted AS c ON c.account = o.account
    WHERE o.n = 1
    """


def unreadable_numbers_sql() -> str:
    """Card numbers in seized messages that fail their check digit (``body_acts``): how many
    messages hold each, and the first of them, with its text and group."""
    return """
    SELECT account, group_id, count, t, body, source_file, source_row, source_sheet FROM (
        SELECT a.account, dg.group_id, m.t, m.body, m.source_file, m.source_row,
               m.source_sheet,
               count(*) OVER (PARTITION BY a.account) AS count,
               row_number() OVER (
                   PARTITION BY a.account
                   ORDER BY m.t, m.source_file, m.source_sheet NULLS FIRST, m.source_row) AS n
        FROM body_acts AS a
        JOIN messages AS m ON m.body_id = a.body_id
        LEFT JOIN den_groups AS dg ON dg.den = m.den
        WHERE a.act = 'unreadable' AND m.origin = 'seized'
    ) AS named
    WHERE n = 1
    """


def victim_accounts_sql() -> str:
    """Accounts of reported victims: listed by the victim, or held in their name (KYC)."""
    return """
    SELECT victim_key, value AS account, 'listed by the victim' AS basis,
           source_file, source_row, source_sheet
    FROM victim_list WHERE kind = 'account'
    UNION ALL
    SELECT v.victim_key, a.account, 'held in the victim''s name', a.source_file, a.source_row,
           a.source_sheet
    FROM victim_list AS v JOIN accounts AS a ON a.holder_id = v.value
    WHERE v.kind = 'id' AND a.account IS NOT NULL
    """


def returned_accounts_sql() -> str:
    """The accounts whose own bank returned their statement."""
    return """
    SELECT DISTINCT account FROM transactions WHERE origin = 'bank' AND account IS NOT NULL
    """


def relayed_payments_sql() -> str:
    """Payments a returned statement shows into another returned account (``returned_accounts``)
    that is not a victim's: the only transfers account growth can follow, gathered once for
    every layer (a few ten thousand of the millions of transactions).
    """
    return """
    SELECT account, counterparty_account, t, source_file, source_row, source_sheet
    FROM transactions
    WHERE direction = 'out' AND origin = 'bank' AND counterparty_account IS NOT NULL
      AND counterparty_account IN (SELECT account FROM returned_accounts)
      AND counterparty_account NOT IN (
          SELECT account FROM victim_accounts WHERE account IS NOT NULL)
    """


def account_growth_sql() -> str:
    """Accounts one layer further: paid by a group account, and returned by their own bank
    (``relayed_payments``).

    Requiring the account's own return keeps out the victims a group refunded and the strangers
    whose money a mule card relayed: investigators query the layers they follow.
    """
    return """
    SELECT identifier, kind, den, rule, basis, source_file, source_row, source_sheet,
           written_by, group_id FROM (
        SELECT p.counterparty_account AS identifier, 'account' AS kind, g.den, 'grown' AS rule,
               'paid by group account ' || g.identifier AS basis,
               CAST(NULL AS VARCHAR) AS written_by,
               p.source_file, p.source_row, p.source_sheet, g.group_id,
               row_number() OVER (
                   PARTITION BY p.counterparty_account
                   ORDER BY p.t, p.source_file, p.source_sheet NULLS FIRST,
                            p.source_row) AS first_seen
        FROM relayed_payments AS p
        JOIN group_accounts AS g ON g.identifier = p.account
        WHERE p.counterparty_account NOT IN (
            SELECT identifier FROM group_accounts WHERE identifier IS NOT NULL)
    ) AS grown
    WHERE first_seen = 1
    """


def bridges_sql() -> str:
    """Records tying an account to a phone and a person: a bank's account record (账户信息:
    holder, ID number, phone), or a den ledger row naming the payer's account and phone."""
    return """
    SELECT account, phone, holder_id AS id_number, holder_name AS name,
           source_file, source_row, source_sheet, 1 AS priority
    FROM accounts WHERE account IS NOT NULL AND phone IS NOT NULL
    UNION ALL
    SELECT counterparty_account, counterparty_phone, counterparty_id, counterparty_name,
           source_file, source_row, source_sheet, 2
    FROM transactions
    WHERE origin = 'seized' AND counterparty_account IS NOT NULL
      AND counterparty_phone IS NOT NULL
    """


def reached_calls_sql() -> str:
    """The calls that reached a phone of a reported victim or one a bridge names: on a seized
    dial list, the number dialled; in anyone else's records, the records' own number.

    Only these calls can link a victim or find one, so the millions of dial-list rows are read
    once here, and the rules that follow read a few ten thousand.
    """
    return """
    WITH phones AS (
        SELECT value AS phone FROM victim_list WHERE kind = 'phone'
        UNION
        SELECT phone FROM bridges
    )
    SELECT c.caller, c.callee, c.own_number, c.other_number, c.duration_s, c.answered,
           c.origin, c.den, c.t, c.source_file, c.source_row, c.source_sheet
    FROM calls AS c
    JOIN phones AS p
      ON p.phone = CASE WHEN c.origin = 'seized' THEN c.callee ELSE c.own_number END
    """


def discovered_victims_sql() -> str:
    """People not on the victim list who answered a group call and paid a group account.

    The phone and the account are tied to one person by a bridge (``bridges``). One row per
    identifier of each discovered person, keyed by their ID number (else their phone).
    """
    return """
    WITH called AS (  -- reached_calls: only the phones a bridge (or a listed victim) names
        SELECT DISTINCT c.callee AS phone
        FROM reached_calls AS c
        WHERE c.origin = 'seized' AND c.den IS NOT NULL AND c.callee IS NOT NULL
          AND (c.answered OR NOT $needs_answered)
          AND c.callee NOT IN (SELECT value FROM victim_list WHERE kind = 'phone')
          AND c.callee NOT IN (SELECT identifier FROM group_identifiers WHERE kind = 'phone')
    ),
    payers AS (  -- only the accounts a bridge names can matter: millions of payers are not
                 -- gathered to meet a few thousand bridges
        SELECT DISTINCT t.counterparty_account AS account
        FROM transactions AS t JOIN group_accounts AS g ON g.identifier = t.account
        WHERE t.direction = 'in' AND t.counterparty_account IS NOT NULL
          AND t.counterparty_account IN (SELECT account FROM bridges)
          AND t.counterparty_account NOT IN (SELECT account FROM victim_accounts)
          AND t.counterparty_account NOT IN (SELECT identifier FROM group_accounts)
    ),
    found AS (
        SELECT b.*, coalesce(b.id_number, b.phone) AS victim_key,
               row_number() OVER (
                   PARTITION BY b.account
                   ORDER BY b.priority, b.source_file, b.source_sheet NULLS FIRST,
                            b.source_row) AS rank_for_account
        FROM bridges AS b
        JOIN called ON called.phone = b.phone
        JOIN payers ON payers.account = b.account
    ),
    best AS (SELECT * FROM found WHERE rank_for_account = 1),
    named AS (
        SELECT victim_key, max(name) AS name FROM best GROUP BY victim_key
    )
    SELECT DISTINCT victim_key, name, kind, value, source_file, source_row, source_sheet
    FROM (
        SELECT b.victim_key, n.name, 'account' AS kind, b.account AS value,
               b.source_file, b.source_row, b.source_sheet
        FROM best AS b JOIN named AS n ON n.victim_key = b.victim_key
        UNION ALL
        SELECT b.victim_key, n.name, 'phone', b.phone, b.source_file, b.source_row, b.source_sheet
        FROM best AS b JOIN named AS n ON n.victim_key = b.victim_key
        UNION ALL
        SELECT b.victim_key, n.name, 'id', b.id_number, b.source_file, b.source_row,
               b.source_sheet
        FROM best AS b JOIN named AS n ON n.victim_key = b.victim_key
        UNION ALL
        SELECT b.victim_key, n.name, 'name', n.name, b.source_file, b.source_row, b.source_sheet
        FROM best AS b JOIN named AS n ON n.victim_key = b.victim_key
    ) AS identifiers
    WHERE value IS NOT NULL
    """


LINK_COLUMNS = """
    victim_key, kind, flow, via, matched, matched_kind, t, den, group_id,
    evidence_file, evidence_row, evidence_sheet, victim_file, victim_row, victim_sheet,
    group_file, group_row, group_sheet, counterpart, duration_s, answered, amount_fen,
    victim_account, group_account, record_origin, strength, t_span
"""


def call_links_sql() -> str:
    """A group line called the victim's phone (dial list), or the victim's carrier records
    show a call with a group line, in either direction."""
    return f"""
    SELECT {LINK_COLUMNS} FROM (
        SELECT v.victim_key, 'call' AS kind, 'call' AS flow,
               'a seized dial list calls the victim''s phone' AS via,
               v.value AS matched, 'phone' AS matched_kind, c.t, c.den, dg.group_id,
               c.source_file AS evidence_file, c.source_row AS evidence_row,
               c.source_sheet AS evidence_sheet, v.source_file AS victim_file,
               v.source_row AS victim_row, v.source_sheet AS victim_sheet,
               c.source_file AS group_file, c.source_row AS group_row,
               c.source_sheet AS group_sheet, c.caller AS counterpart, c.duration_s, c.answered,
               CAST(NULL AS BIGINT) AS amount_fen, CAST(NULL AS VARCHAR) AS victim_account,
               CAST(NULL AS VARCHAR) AS group_account, c.origin AS record_origin, 1 AS strength,
               0 AS t_span
        FROM victim_ids AS v
        JOIN reached_calls AS c ON c.callee = v.value
        JOIN den_groups AS dg ON dg.den = c.den
        WHERE v.kind = 'phone' AND c.origin = 'seized'
        UNION ALL
        SELECT v.victim_key, 'call', 'call',
               'the victim''s call records show a group line', v.value, 'phone', c.t, g.den,
               g.group_id, c.source_file, c.source_row, c.source_sheet, v.source_file,
               v.source_row, v.source_sheet, g.source_file, g.source_row, g.source_sheet,
               c.other_number, c.duration_s, c.answered, CAST(NULL AS BIGINT),
               CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), c.origin, 1, 0
        FROM victim_ids AS v
        JOIN reached_calls AS c ON c.own_number = v.value
        JOIN group_phones AS g ON g.identifier = c.other_number
        WHERE v.kind = 'phone' AND c.origin <> 'seized'
    ) AS links
    """


def chat_links_sql() -> str:
    """A seized message gives the victim's ID number, phone or account (strength 1), or their
    name (strength 2: kept only when other evidence of the same group agrees in time)."""
    return f"""
    SELECT {LINK_COLUMNS} FROM (
        SELECT v.victim_key, 'chat' AS kind, 'chat' AS flow,
               'a seized message gives the victim''s ' ||
                   CASE v.kind WHEN 'id' THEN 'ID number' WHEN 'account' THEN 'account'
                               WHEN 'phone' THEN 'phone' ELSE 'name' END AS via,
               v.value AS matched, v.kind AS matched_kind, m.t, m.den, dg.group_id,
               m.source_file AS evidence_file, m.source_row AS evidence_row,
               m.source_sheet AS evidence_sheet, v.source_file AS victim_file,
               v.source_row AS victim_row, v.source_sheet AS victim_sheet,
               m.source_file AS group_file, m.source_row AS group_row,
               m.source_sheet AS group_sheet, m.sender AS counterpart,
               CAST(NULL AS BIGINT) AS duration_s, CAST(NULL AS BOOLEAN) AS answered,
               CAST(NULL AS BIGINT) AS amount_fen, CAST(NULL AS VARCHAR) AS victim_account,
               CAST(NULL AS VARCHAR) AS group_account, m.origin AS record_origin,
               CASE WHEN v.kind = 'name' THEN 2 ELSE 1 END AS strength, 0 AS t_span
        FROM victim_ids AS v
        JOIN body_tokens AS k ON k.token = v.value
        JOIN messages AS m ON m.body_id = k.body_id
        JOIN den_groups AS dg ON dg.den = m.den
        WHERE m.origin = 'seized'
          AND ((v.kind IN ('id', 'phone', 'account') AND k.token_kind = 'digits')
               OR (v.kind = 'name' AND k.token_kind = 'name'))
    ) AS links
    """


def transfer_links_sql() -> str:
    """Money between a victim's account and a group account, seen from either side.

    ``flow`` is ``payment`` (victim to group: the evidence) or ``refund`` (group to victim:
    deducted from the loss, never evidence on its own). Each side is one pass over the
    transactions, its record's direction telling a payment from a refund.
    """
    sides = []
    for record, group_column, victim_column, paying, paid, repaid in (
        ("group", "t.account", "t.counterparty_account", "in",
         "a group account is credited from the victim''s account",
         "a group account pays the victim back"),
        ("victim", "t.counterparty_account", "t.account", "out",
         "the victim''s account pays a group account",
         "the victim''s account is paid back by a group account"),
    ):  # fmt: skip
        sides.append(f"""
        SELECT v.victim_key,
               CASE WHEN t.direction = '{paying}' THEN 'transfer' ELSE 'refund' END AS kind,
               CASE WHEN t.direction = '{paying}' THEN 'payment' ELSE 'refund' END AS flow,
               CASE WHEN t.direction = '{paying}' THEN '{paid}' ELSE '{repaid}' END AS via,
               v.value AS matched, 'account' AS matched_kind, t.t, g.den, g.group_id,
               t.source_file AS evidence_file, t.source_row AS evidence_row,
               t.source_sheet AS evidence_sheet, v.source_file AS victim_file,
               v.source_row AS victim_row, v.source_sheet AS victim_sheet,
               g.source_file AS group_file, g.source_row AS group_row,
               g.source_sheet AS group_sheet, {group_column} AS counterpart,
               CAST(NULL AS BIGINT) AS duration_s, CAST(NULL AS BOOLEAN) AS answered,
               t.amount_fen, {victim_column} AS victim_account, {group_column} AS group_account,
               t.origin AS record_origin, 1 AS strength,
               coalesce(t.time_resolution_s, 0) AS t_span
        FROM victim_ids AS v
        JOIN transactions AS t ON {victim_column} = v.value
        JOIN group_accounts AS g ON g.identifier = {group_column}
        WHERE v.kind = 'account' AND t.direction IN ('in', 'out')
          /* the record of the {record} */""")
    return f"SELECT {LINK_COLUMNS} FROM (" + "\nUNION ALL".join(sides) + "\n) AS links"


LINK_ORDER = [
    "victim_key", "t", "kind", "flow", "evidence_file", "evidence_sheet", "evidence_row",
    "strength", "matched_kind", "matched", "victim_file", "victim_sheet", "victim_row",
    "group_file", "group_sheet", "group_row", "den", "group_id", "counterpart",
]  # fmt: skip
"""The order links are numbered in (``link_id``), nulls first: by victim and time, then by the
rows that make each link, so the numbers do not depend on the order an engine returns rows in.
A record's time is its own, so the links one record makes for one victim lie together."""
ONE_RECORD = ["victim_key", "kind", "flow", "evidence_file", "evidence_sheet", "evidence_row"]
"""What makes a link one: a victim, a kind and flow, and the record's own row. A record can
name one victim through two of their identifier rows (an account both in their statement and
in their bank's KYC record): the link kept is the first in ``LINK_ORDER``."""


def links_sql() -> str:
    """Every link: calls, chats, transfers and refunds (numbered and made one per record by
    ``match/corroborate.py``, in ``LINK_ORDER``)."""
    return f"""
    {call_links_sql()}
    UNION ALL
    {chat_links_sql()}
    UNION ALL
    {transfer_links_sql()}
    """


def corroboration_sql() -> str:
    """Each evidence link, and whether a link of another kind of the same group agrees in time.

    Windows: a chat within ``$chat_window_s`` of a call or transfer; a call and a transfer within
    ``$call_transfer_window_s``. A link no other kind agrees with is kept, marked false.
    A record giving the date or the minute only (``t_span`` seconds) may lie anywhere in that
    day or minute, so the gap is measured from its nearest end.
    A chat naming the victim by name only needs its support from the same den: in a large case
    another victim of the same name is reported, the same days, at another den. Without that
    support it is dropped: a name alone links no one.
    """
    return """
    WITH evidence AS (
        SELECT * FROM links WHERE kind IN ('call', 'chat', 'transfer')
    ),
    agreeing AS (
        SELECT a.link_id, max(CASE WHEN b.link_id IS NULL THEN 0 ELSE 1 END) AS agrees
        FROM evidence AS a
        LEFT JOIN evidence AS b
          ON b.victim_key = a.victim_key AND b.kind <> a.kind
         AND coalesce(b.group_id, a.group_id, '') = coalesce(a.group_id, b.group_id, '')
         AND b.strength = 1
         AND (a.strength = 1 OR coalesce(b.den, a.den) = a.den)
         AND greatest(b.t - (a.t + a.t_span), a.t - (b.t + b.t_span), 0)
             <= CASE WHEN a.kind = 'chat' OR b.kind = 'chat'
                     THEN $chat_window_s ELSE $call_transfer_window_s END
        GROUP BY a.link_id
    )
    SELECT l.*, coalesce(g.agrees, 0) = 1 AS corroborates
    FROM links AS l LEFT JOIN agreeing AS g ON g.link_id = l.link_id
    WHERE l.strength = 1 OR g.agrees = 1
    """


def victim_groups_sql() -> str:
    """The group each victim is linked to: the one with most kinds of evidence, then most
    links; links to accounts named only in case.toml count for whichever group is chosen.

    The first contact is the earliest record timed to the second; a record giving only the
    day or the minute comes first only if that whole day or minute lies before it.
    """
    return """
    WITH usable AS (
        SELECT * FROM checked_links
        WHERE kind IN ('call', 'chat', 'transfer') AND (strength = 1 OR corroborates)
    ),
    exact AS (
        SELECT victim_key, min(CASE WHEN t_span = 0 THEN t END) AS first_exact_t
        FROM usable GROUP BY victim_key
    ),
    per_group AS (
        SELECT victim_key, group_id, count(DISTINCT kind) AS kinds, count(*) AS links
        FROM usable WHERE group_id IS NOT NULL GROUP BY victim_key, group_id
    ),
    ranked AS (
        SELECT victim_key, group_id,
               row_number() OVER (
                   PARTITION BY victim_key ORDER BY kinds DESC, links DESC, group_id) AS rank
        FROM per_group
    )
    SELECT u.victim_key, coalesce(r.group_id, 'unattributed') AS group_id,
           count(DISTINCT u.kind) AS kind_count,
           count(DISTINCT CASE WHEN u.corroborates THEN u.kind END) AS agreeing_kinds,
           max(CASE WHEN u.kind = 'call' THEN 1 ELSE 0 END) AS has_call,
           max(CASE WHEN u.kind = 'chat' THEN 1 ELSE 0 END) AS has_chat,
           max(CASE WHEN u.kind = 'transfer' THEN 1 ELSE 0 END) AS has_transfer,
           min(CASE WHEN u.t_span = 0 OR e.first_exact_t IS NULL
                         OR u.t + u.t_span <= e.first_exact_t THEN u.t END) AS first_t
    FROM usable AS u
    JOIN exact AS e ON e.victim_key = u.victim_key
    LEFT JOIN (SELECT * FROM ranked WHERE rank = 1) AS r ON r.victim_key = u.victim_key
    WHERE u.group_id IS NULL OR u.group_id = r.group_id
    GROUP BY u.victim_key, coalesce(r.group_id, 'unattributed')
    """


def victim_transfers_sql() -> str:
    """Each victim's transfers to and from the chosen group's accounts, one row per transfer.

    One transfer is seen in the group account's return, the den's ledger and the victim's own
    statement. Records are grouped by payer, payee, amount and calendar day (in the case's
    zone, ``$day_offset_s`` east of UTC); each file lists a transfer once, so a group holds as
    many transfers as its fullest file (``times``). Its time is the latest record's (a
    statement that gives the date only says midnight), and its rows are those of the earliest
    record, by file, sheet and row.
    """
    return """
    WITH records AS (
        SELECT l.victim_key, v.group_id, l.flow, l.victim_account, l.group_account,
               l.amount_fen, CAST(floor((l.t + $day_offset_s) / 86400.0) AS BIGINT) AS day,
               l.evidence_file, l.evidence_sheet, l.evidence_row, l.t, l.t_span
        FROM checked_links AS l
        JOIN victim_groups AS v ON v.victim_key = l.victim_key
        WHERE l.kind IN ('transfer', 'refund')
          AND (l.group_id IS NULL OR l.group_id = v.group_id)
    ),
    per_file AS (
        SELECT victim_key, group_id, flow, victim_account, group_account, amount_fen, day,
               evidence_file, count(*) AS copies, max(t) AS t, min(t_span) AS t_span
        FROM records
        GROUP BY victim_key, group_id, flow, victim_account, group_account, amount_fen, day,
                 evidence_file
    ),
    first_record AS (
        SELECT * FROM (
            SELECT victim_key, flow, victim_account, group_account, amount_fen, day,
                   evidence_file, evidence_sheet, evidence_row,
                   row_number() OVER (
                       PARTITION BY victim_key, flow, victim_account, group_account, amount_fen,
                                    day
                       ORDER BY evidence_file, evidence_sheet NULLS FIRST, evidence_row
                   ) AS record_order
            FROM records) AS ordered
        WHERE record_order = 1
    )
    SELECT p.victim_key, p.group_id, p.flow, p.victim_account, p.group_account, p.amount_fen,
           p.day, max(p.copies) AS times, max(p.t) AS t, min(p.t_span) AS t_span,
           f.evidence_file, f.evidence_sheet, f.evidence_row
    FROM per_file AS p
    JOIN first_record AS f
      ON f.victim_key = p.victim_key AND f.flow = p.flow
     AND f.victim_account = p.victim_account AND f.group_account = p.group_account
     AND f.amount_fen = p.amount_fen AND f.day = p.day
    GROUP BY p.victim_key, p.group_id, p.flow, p.victim_account, p.group_account, p.amount_fen,
             p.day, f.evidence_file, f.evidence_sheet, f.evidence_row
    """


def losses_sql() -> str:
    """Each victim's gross payments, refunds before ``$refund_cutoff_s``, and their times."""
    return """
    SELECT victim_key,
           coalesce(sum(CASE WHEN flow = 'payment' THEN amount_fen * times END), 0) AS gross_fen,
           coalesce(sum(CASE WHEN flow = 'refund' AND t < $refund_cutoff_s
                             THEN amount_fen * times END), 0) AS refund_fen,
           coalesce(sum(CASE WHEN flow = 'payment' THEN times END), 0) AS transfer_count,
           max(CASE WHEN flow = 'payment' THEN t END) AS last_transfer_t,
           min(CASE WHEN flow = 'payment' THEN t END) AS first_transfer_t
    FROM victim_transfers
    GROUP BY victim_key
    """


def leads_sql() -> str:
    """Payers into the group's collecting accounts whom no victim record or call explains.

    A collecting account is a seeded one (a ledger's, a designated, a named one, a den
    member's), but not the card of a member at no den that no victim's transfer reached: such
    a card joined its group through the group's own payments into it (a mule layer, which also
    takes the money it relays for strangers, 跑分), and those payers lead nowhere.
    Each lead points at its first payment's row (earliest, then by file and row).
    """
    return """
    WITH payments AS (
        SELECT t.counterparty_account AS account, t.counterparty_name, t.counterparty_id,
               g.group_id, t.amount_fen, t.t, t.source_file, t.source_sheet, t.source_row,
               row_number() OVER (
                   PARTITION BY t.counterparty_account, g.group_id
                   ORDER BY t.t, t.source_file, t.source_sheet NULLS FIRST, t.source_row
               ) AS payment_order
        FROM transactions AS t
        JOIN group_accounts AS g ON g.identifier = t.account
        WHERE t.direction = 'in' AND t.counterparty_account IS NOT NULL AND g.seed
          AND (g.rule <> 'held_by_member' OR g.den IS NOT NULL OR g.identifier IN (
              SELECT group_account FROM checked_links
              WHERE kind = 'transfer' AND group_account IS NOT NULL))
          AND t.counterparty_account NOT IN (
              SELECT value FROM victim_ids WHERE kind = 'account' AND value IS NOT NULL)
          AND t.counterparty_account NOT IN (
              SELECT identifier FROM group_accounts WHERE identifier IS NOT NULL)
    )
    SELECT account, max(counterparty_name) AS name, max(counterparty_id) AS id_number,
           group_id, sum(amount_fen) AS amount_fen, count(*) AS transfer_count,
           min(t) AS first_t, max(t) AS last_t,
           max(CASE WHEN payment_order = 1 THEN source_file END) AS source_file,
           max(CASE WHEN payment_order = 1 THEN source_row END) AS source_row
    FROM payments
    GROUP BY account, group_id
    """
