-- The matching core written by hand as one DuckDB statement: the joins linkage's rules do,
-- without their provenance, statement boundaries or Python between statements.
--
-- It reads linkage's prepared tables (linkage.match.prepare) and returns one row per victim
-- (group, verdict, loss in fen, first contact, and whether their own call records and
-- statements are in the case: what the gaps are phrased from), then one row per lead.
-- benchmarks/corroborate.py times it against the corroboration stage and checks it reaches
-- the same verdicts and losses; tests/match/test_same_joins.py compares every row.
--
-- Parameters: $chat_window_s, $call_transfer_window_s, $refund_cutoff_s, $day_offset_s.
-- Fixed here as linkage's defaults are: three layers of account growth, and a discovered
-- victim must have answered a group call.
--
-- Tuned as a DuckDB expert would: the CTEs read more than once are MATERIALIZED, and the
-- joins are written large table first, to run with join reordering off
-- (SET disabled_optimizers = 'join_order,build_side_probe_side'). DuckDB cannot size a
-- materialized CTE; left to itself it hashes the ten million calls rather than the victims'
-- phones, and the statement takes three times as long.

WITH RECURSIVE
-- 1. What each den's seized evidence shows the group controls.
seen AS MATERIALIZED (
    SELECT DISTINCT caller AS identifier, 'phone' AS kind, den
    FROM calls WHERE origin = 'seized' AND den IS NOT NULL AND caller LIKE '+%'
    UNION
    SELECT value, kind, den FROM person_identifiers WHERE den IS NOT NULL
    UNION
    SELECT sender, 'handle', den
    FROM messages WHERE origin = 'seized' AND den IS NOT NULL AND sender IS NOT NULL
    UNION
    SELECT account, 'account', den FROM transactions
    WHERE origin = 'seized' AND den IS NOT NULL AND account IS NOT NULL AND direction = 'in'
),
first_calls AS (SELECT den, min(t) AS t FROM calls WHERE den IS NOT NULL GROUP BY den),
dens AS (SELECT den FROM seen UNION SELECT den FROM first_calls),
-- 2. Dens sharing an identifier are one group: each den reaches every den it is joined to.
--    Groups are numbered G1, G2, ... by their dens' first call, as linkage numbers them.
shared AS (
    SELECT DISTINCT a.den, b.den AS other
    FROM seen AS a JOIN seen AS b ON a.kind = b.kind AND a.identifier = b.identifier
),
reach (den, other) AS (
    SELECT den, den FROM dens
    UNION
    SELECT r.den, s.other FROM reach AS r JOIN shared AS s ON s.den = r.other
),
den_root AS MATERIALIZED (SELECT den, min(other) AS root FROM reach GROUP BY den),
den_group AS MATERIALIZED (
    SELECT d.den, 'G' || CAST(n.number AS VARCHAR) AS group_id
    FROM den_root AS d
    JOIN (
        SELECT r.root, row_number() OVER (ORDER BY min(f.t) NULLS LAST, r.root) AS number
        FROM den_root AS r LEFT JOIN first_calls AS f ON f.den = r.den
        GROUP BY r.root
    ) AS n ON n.root = d.root
),
located AS MATERIALIZED (
    SELECT s.identifier, s.kind, s.den, g.group_id
    FROM seen AS s JOIN den_group AS g ON g.den = s.den
),
group_phones AS (
    SELECT identifier, min(group_id) AS group_id, first(den ORDER BY group_id, den) AS den
    FROM located WHERE kind = 'phone' GROUP BY identifier
),
-- 3. The group's accounts: seized and named ones, then three layers of returned statements.
seed_accounts AS (
    SELECT identifier AS account, group_id, den FROM located WHERE kind = 'account'
    UNION ALL
    SELECT account, NULL, NULL FROM known_accounts
),
accounts0 AS MATERIALIZED (
    SELECT account,
           first(group_id ORDER BY group_id NULLS FIRST, den NULLS FIRST) AS group_id,
           first(den ORDER BY group_id NULLS FIRST, den NULLS FIRST) AS den
    FROM seed_accounts GROUP BY account
),
victim_accounts AS MATERIALIZED (
    SELECT victim_key, value AS account FROM victim_list WHERE kind = 'account'
    UNION
    SELECT v.victim_key, a.account
    FROM victim_list AS v JOIN accounts AS a ON a.holder_id = v.value
    WHERE v.kind = 'id' AND a.account IS NOT NULL
),
returned AS (
    SELECT DISTINCT account FROM transactions WHERE origin = 'bank' AND account IS NOT NULL
),
relayed AS MATERIALIZED (
    SELECT account, counterparty_account, t, source_file, source_sheet, source_row
    FROM transactions
    WHERE direction = 'out' AND origin = 'bank'
      AND counterparty_account IN (SELECT account FROM returned)
      AND counterparty_account NOT IN (SELECT account FROM victim_accounts)
),
accounts1 AS MATERIALIZED (
    SELECT * FROM accounts0
    UNION ALL
    SELECT r.counterparty_account,
           first(a.group_id ORDER BY r.t, r.source_file, r.source_sheet NULLS FIRST, r.source_row),
           first(a.den ORDER BY r.t, r.source_file, r.source_sheet NULLS FIRST, r.source_row)
    FROM relayed AS r JOIN accounts0 AS a ON a.account = r.account
    WHERE r.counterparty_account NOT IN (SELECT account FROM accounts0)
    GROUP BY r.counterparty_account
),
accounts2 AS MATERIALIZED (
    SELECT * FROM accounts1
    UNION ALL
    SELECT r.counterparty_account,
           first(a.group_id ORDER BY r.t, r.source_file, r.source_sheet NULLS FIRST, r.source_row),
           first(a.den ORDER BY r.t, r.source_file, r.source_sheet NULLS FIRST, r.source_row)
    FROM relayed AS r JOIN accounts1 AS a ON a.account = r.account
    WHERE r.counterparty_account NOT IN (SELECT account FROM accounts1)
    GROUP BY r.counterparty_account
),
group_accounts AS MATERIALIZED (
    SELECT * FROM accounts2
    UNION ALL
    SELECT r.counterparty_account,
           first(a.group_id ORDER BY r.t, r.source_file, r.source_sheet NULLS FIRST, r.source_row),
           first(a.den ORDER BY r.t, r.source_file, r.source_sheet NULLS FIRST, r.source_row)
    FROM relayed AS r JOIN accounts2 AS a ON a.account = r.account
    WHERE r.counterparty_account NOT IN (SELECT account FROM accounts2)
    GROUP BY r.counterparty_account
),
-- 4. Victims: the list, the accounts in their names, and people who answered a group call and
--    paid a group account, tied by an account record or a ledger row.
bridges AS MATERIALIZED (
    SELECT account, phone, holder_id AS id_number, holder_name AS name,
           source_file, source_sheet, source_row, 1 AS priority
    FROM accounts WHERE account IS NOT NULL AND phone IS NOT NULL
    UNION ALL
    SELECT counterparty_account, counterparty_phone, counterparty_id, counterparty_name,
           source_file, source_sheet, source_row, 2
    FROM transactions
    WHERE origin = 'seized' AND counterparty_account IS NOT NULL
      AND counterparty_phone IS NOT NULL
),
-- The calls that reached a phone of a listed victim or of a bridge: the dial lists' millions
-- of rows are read once for discovery and call links.
reached AS MATERIALIZED (
    SELECT c.*
    FROM calls AS c
    JOIN (SELECT value AS phone FROM victim_list WHERE kind = 'phone'
          UNION SELECT phone FROM bridges) AS p
      ON p.phone = CASE WHEN c.origin = 'seized' THEN c.callee ELSE c.own_number END
),
called AS (
    SELECT DISTINCT callee AS phone FROM reached
    WHERE origin = 'seized' AND den IS NOT NULL AND answered
      AND callee NOT IN (SELECT value FROM victim_list WHERE kind = 'phone')
      AND callee NOT IN (SELECT identifier FROM located WHERE kind = 'phone')
),
payers AS (
    SELECT DISTINCT t.counterparty_account AS account
    FROM transactions AS t JOIN group_accounts AS g ON g.account = t.account
    WHERE t.direction = 'in' AND t.counterparty_account IS NOT NULL
      AND t.counterparty_account IN (SELECT account FROM bridges)
      AND t.counterparty_account NOT IN (SELECT account FROM victim_accounts)
      AND t.counterparty_account NOT IN (SELECT account FROM group_accounts)
),
discovered AS MATERIALIZED (
    SELECT coalesce(id_number, phone) AS victim_key, account, phone, id_number, name
    FROM (
        SELECT b.*, row_number() OVER (
                   PARTITION BY b.account
                   ORDER BY b.priority, b.source_file, b.source_sheet NULLS FIRST,
                            b.source_row) AS rank_for_account
        FROM bridges AS b
        JOIN called AS c ON c.phone = b.phone
        JOIN payers AS p ON p.account = b.account
    ) AS ranked
    WHERE rank_for_account = 1
),
victim_ids AS (
    SELECT victim_key, kind, value FROM victim_list
    UNION SELECT victim_key, 'account', account FROM victim_accounts
    UNION SELECT victim_key, 'account', account FROM discovered
    UNION SELECT victim_key, 'phone', phone FROM discovered
    UNION SELECT victim_key, 'id', id_number FROM discovered WHERE id_number IS NOT NULL
    UNION SELECT victim_key, 'name', max(name) FROM discovered
          WHERE name IS NOT NULL GROUP BY victim_key
),
-- 5. Links: calls, chats, transfers and refunds, one per victim, kind and record.
found AS (
    SELECT v.victim_key, 'call' AS kind, c.t, 0 AS t_span, g.group_id, c.den, 1 AS strength,
           c.source_file AS file, c.source_sheet AS sheet, c.source_row AS row,
           CAST(NULL AS BIGINT) AS amount_fen, CAST(NULL AS VARCHAR) AS victim_account,
           CAST(NULL AS VARCHAR) AS group_account
    FROM reached AS c
    JOIN victim_ids AS v ON v.value = c.callee
    JOIN den_group AS g ON g.den = c.den
    WHERE v.kind = 'phone' AND c.origin = 'seized'
    UNION ALL
    SELECT v.victim_key, 'call', c.t, 0, p.group_id, p.den, 1,
           c.source_file, c.source_sheet, c.source_row, NULL, NULL, NULL
    FROM reached AS c
    JOIN victim_ids AS v ON v.value = c.own_number
    JOIN group_phones AS p ON p.identifier = c.other_number
    WHERE v.kind = 'phone' AND c.origin <> 'seized'
    UNION ALL
    SELECT v.victim_key, 'chat', m.t, 0, g.group_id, m.den,
           CASE WHEN v.kind = 'name' THEN 2 ELSE 1 END,
           m.source_file, m.source_sheet, m.source_row, NULL, NULL, NULL
    FROM messages AS m
    JOIN (body_tokens AS k JOIN victim_ids AS v ON v.value = k.token) ON k.body_id = m.body_id
    JOIN den_group AS g ON g.den = m.den
    WHERE m.origin = 'seized'
      AND ((v.kind IN ('id', 'phone', 'account') AND k.token_kind = 'digits')
           OR (v.kind = 'name' AND k.token_kind = 'name'))
    UNION ALL
    SELECT v.victim_key, CASE WHEN t.direction = 'in' THEN 'transfer' ELSE 'refund' END,
           t.t, coalesce(t.time_resolution_s, 0), g.group_id, g.den, 1,
           t.source_file, t.source_sheet, t.source_row, t.amount_fen,
           t.counterparty_account, t.account
    FROM transactions AS t
    JOIN victim_ids AS v ON v.value = t.counterparty_account
    JOIN group_accounts AS g ON g.account = t.account
    WHERE v.kind = 'account' AND t.direction IN ('in', 'out')
    UNION ALL
    SELECT v.victim_key, CASE WHEN t.direction = 'out' THEN 'transfer' ELSE 'refund' END,
           t.t, coalesce(t.time_resolution_s, 0), g.group_id, g.den, 1,
           t.source_file, t.source_sheet, t.source_row, t.amount_fen,
           t.account, t.counterparty_account
    FROM transactions AS t
    JOIN victim_ids AS v ON v.value = t.account
    JOIN group_accounts AS g ON g.account = t.counterparty_account
    WHERE v.kind = 'account' AND t.direction IN ('in', 'out')
),
links AS MATERIALIZED (
    SELECT victim_key, kind, file, sheet, row, min(t) AS t, min(t_span) AS t_span,
           min(group_id) AS group_id, min(den) AS den, min(strength) AS strength,
           min(amount_fen) AS amount_fen, min(victim_account) AS victim_account,
           min(group_account) AS group_account, row_number() OVER () AS link_id
    FROM found GROUP BY victim_key, kind, file, sheet, row
),
-- 6. Agreement in time between kinds; a name alone, unsupported, links no one.
evidence AS (SELECT * FROM links WHERE kind <> 'refund'),
agreeing AS (
    SELECT DISTINCT a.link_id
    FROM evidence AS a JOIN evidence AS b
      ON b.victim_key = a.victim_key AND b.kind <> a.kind
     AND coalesce(b.group_id, a.group_id, '') = coalesce(a.group_id, b.group_id, '')
     AND b.strength = 1
     AND (a.strength = 1 OR coalesce(b.den, a.den) = a.den)
     AND greatest(b.t - (a.t + a.t_span), a.t - (b.t + b.t_span), 0)
         <= CASE WHEN 'chat' IN (a.kind, b.kind)
                 THEN $chat_window_s ELSE $call_transfer_window_s END
),
checked AS MATERIALIZED (
    SELECT l.*, g.link_id IS NOT NULL AS agrees
    FROM links AS l LEFT JOIN agreeing AS g ON g.link_id = l.link_id
    WHERE l.strength = 1 OR g.link_id IS NOT NULL
),
-- 7. Each victim's group: most kinds of evidence, then most links.
usable AS (SELECT * FROM checked WHERE kind <> 'refund'),
chosen AS (
    SELECT victim_key, group_id FROM (
        SELECT victim_key, group_id, row_number() OVER (
                   PARTITION BY victim_key
                   ORDER BY count(DISTINCT kind) DESC, count(*) DESC, group_id) AS rank
        FROM usable WHERE group_id IS NOT NULL GROUP BY victim_key, group_id
    ) AS ranked
    WHERE rank = 1
),
exact AS (
    SELECT victim_key, min(CASE WHEN t_span = 0 THEN t END) AS first_exact_t
    FROM usable GROUP BY victim_key
),
verdicts AS MATERIALIZED (
    SELECT u.victim_key, c.group_id, count(DISTINCT u.kind) AS kinds,
           count(DISTINCT CASE WHEN u.agrees THEN u.kind END) AS agreeing_kinds,
           min(CASE WHEN u.t_span = 0 OR e.first_exact_t IS NULL
                         OR u.t + u.t_span <= e.first_exact_t THEN u.t END) AS first_t
    FROM usable AS u
    JOIN exact AS e ON e.victim_key = u.victim_key
    LEFT JOIN chosen AS c ON c.victim_key = u.victim_key
    WHERE u.group_id IS NULL OR u.group_id = c.group_id
    GROUP BY u.victim_key, c.group_id
),
-- 8. Losses: one transfer seen in several records counted once, as often as its fullest file
--    lists it; refunds paid before the seizure deducted.
records AS (
    SELECT l.victim_key, l.kind, l.victim_account, l.group_account, l.amount_fen, l.file,
           l.t, CAST(floor((l.t + $day_offset_s) / 86400.0) AS BIGINT) AS day
    FROM checked AS l JOIN verdicts AS v ON v.victim_key = l.victim_key
    WHERE l.kind IN ('transfer', 'refund')
      AND (l.group_id IS NULL OR l.group_id IS NOT DISTINCT FROM v.group_id)
),
per_file AS (
    SELECT victim_key, kind, victim_account, group_account, amount_fen, day, file,
           count(*) AS copies, max(t) AS t
    FROM records GROUP BY ALL
),
transfers AS (
    SELECT victim_key, kind, amount_fen, max(copies) AS times, max(t) AS t
    FROM per_file GROUP BY victim_key, kind, victim_account, group_account, amount_fen, day
),
losses AS (
    SELECT victim_key,
           sum(CASE WHEN kind = 'transfer' THEN amount_fen * times ELSE 0 END)
           - sum(CASE WHEN kind = 'refund' AND t < $refund_cutoff_s
                      THEN amount_fen * times ELSE 0 END) AS loss_fen,
           min(CASE WHEN kind = 'transfer' THEN t END) AS first_transfer_t
    FROM transfers GROUP BY victim_key
),
-- 9. What the gaps are phrased from: whether a victim's own call records and statements came.
own_records AS (
    SELECT DISTINCT own_number AS phone FROM reached
    WHERE origin <> 'seized' AND own_number IS NOT NULL
),
stated AS (
    SELECT DISTINCT account FROM transactions WHERE origin <> 'seized' AND account IS NOT NULL
),
facts AS (
    SELECT v.victim_key, bool_or(o.phone IS NOT NULL) AS has_call_records,
           bool_or(s.account IS NOT NULL) AS has_statement
    FROM victim_ids AS v
    LEFT JOIN own_records AS o ON v.kind = 'phone' AND o.phone = v.value
    LEFT JOIN stated AS s ON v.kind = 'account' AND s.account = v.value
    GROUP BY v.victim_key
),
-- 10. Leads: payers into the seized and named accounts whom no victim record explains.
leads AS (
    SELECT t.counterparty_account AS account, g.group_id, sum(t.amount_fen) AS amount_fen,
           min(t.t) AS first_t
    FROM transactions AS t JOIN accounts0 AS g ON g.account = t.account
    WHERE t.direction = 'in' AND t.counterparty_account IS NOT NULL
      AND t.counterparty_account NOT IN (SELECT value FROM victim_ids WHERE kind = 'account')
      AND t.counterparty_account NOT IN (SELECT account FROM group_accounts)
    GROUP BY t.counterparty_account, g.group_id
),
victim_keys AS (SELECT DISTINCT victim_key FROM victim_ids)
-- Every victim (verdict, group, loss, first contact, gap facts), then every lead.
SELECT 'victim' AS row_kind, k.victim_key AS key, v.group_id,
       CASE WHEN v.victim_key IS NULL THEN 'unlinked'
            WHEN v.agreeing_kinds >= 2 THEN 'corroborated' ELSE 'linked' END AS verdict,
       coalesce(l.loss_fen, 0) AS amount_fen,
       coalesce(least(v.first_t, l.first_transfer_t), v.first_t, l.first_transfer_t) AS first_t,
       f.has_call_records, f.has_statement
FROM victim_keys AS k
LEFT JOIN verdicts AS v ON v.victim_key = k.victim_key
LEFT JOIN losses AS l ON l.victim_key = k.victim_key
LEFT JOIN facts AS f ON f.victim_key = k.victim_key
UNION ALL
SELECT 'lead', account, group_id, NULL, amount_fen, first_t, NULL, NULL FROM leads
