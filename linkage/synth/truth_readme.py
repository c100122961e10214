"""The README written into every ground_truth folder: what each file and column means."""

from __future__ import annotations

__all__ = ["GROUP_ACCOUNTS", "README"]

README = """\
# Ground truth of a synthetic case

Written by `linkage.synth` beside the case folder it describes (`../case`). The library never
reads these files; tests and benchmarks compare its outputs with them. Every number here is
computed from the same simulated events the case's files were written from, by the rules in
docs/synthetic.md. Times are ISO 8601 in Beijing time (+08:00); amounts are integer fen.

## victims.csv: one row per simulated victim (reported or not)
- `victim_id`: 18-character resident ID; `name`, `phone`, `card` (their own account).
- `group_id`: the group that truly defrauded them; empty for victims of a group with no
  evidence in the case (scenario `outside`: must stay unlinked).
- `scenario`: `reported`, `unreported` (found only by collision), `weak_call`, `weak_chat`,
  `weak_transfer` (exactly one kind of evidence), `outside`.
- `reported`: on the police victim list (true/false).
- `evidence_kinds`: the kinds of evidence the files hold (`call`: a dial-list row to their
  phone; `chat`: a den chat message giving their ID number, phone or card, or their name when
  a call or transfer of theirs also exists; `transfer`: a payment into a designated account).
- `expected_verdict`: `corroborated` (two or more kinds), `linked` (one), `unlinked` (none).
  All of a victim's evidence lies within three days, so every kind agrees in time.
- `gross_fen`, `refund_fen` (返利 paid to them before their first payment), `loss_fen` (gross
  minus refunds); `paid_elsewhere_fen`: what an `outside` victim paid to accounts no group in
  the case holds (never a loss of these groups).
- `first_contact_at`: earliest call, chat or payment in the evidence; `last_transfer_at`: last
  payment; `den`: the den that worked them.

## defendants.csv: one row per suspect on the roster
- `person_id`, `name`, `group_id`, `role` (true role), `subrole` (trainer, card_supplier),
  `role_noted` (what the roster says: a few notes are wrong or empty on purpose).
- `periods`: each stay as `den:first..last` (calendar days in the den's zone, inclusive: from
  leaving China, or entering the den's country for members from Taiwan, to coming back or the
  seizure day); `period_start`, `period_end`: first and last day over all stays.
- `amount_fen`: losses attributable under the participation-period rule: the net amount (payment
  less the refunds answering it) of every payment by a linked victim of the group whose day, in
  the den's zone, falls inside one of the person's stays. Organisers: the group's total.
  Money mules: what the accounts they operate received from the group's victims, counted once
  as it enters their accounts (gross of refunds). Card suppliers: 0.
- `victim_count`: distinct victims behind `amount_fen`; `call_count`: dial-list rows on the
  person's extension (人次: every attempt, answered or not); `message_count`: den chat messages.
- `dens`: dens worked, in order.
- `provable_amount_fen`, `provable_victim_count`: what the case's own evidence can prove of
  `amount_fen`. The same for everyone but money mules: for them, only the victims' money that
  entered their accounts whose statements were returned, along a path of returned statements
  (money that passed an account whose bank never answered cannot be followed).

## transfers.csv: victims' payments, refunds and payments to outside groups
`serial`, `purpose` (`payment`, `refund`, `other_group`), `from_account`, `to_account`,
`amount_fen`, `at`, `answers` (for a refund: the payment it is deducted from),
`in_victim_statement` (the victim handed in their own statement).

## fund_flows.csv: every hop of every payment's money
`payment_serial` (the victim's payment), `serial`, `parent_serial` (the incoming transfer this
hop passes on), `hop` (1 = the payment), `from_account`, `to_account` (empty: cash
withdrawn), `to_layer` (1 designated, 2 and 3 mule layers), `amount_fen`, `at`, `kind`
(`payment`, `layer`, `cash_out`), `in_returned_statement` (false once the money has passed an
account whose statement is missing). Each account passes money on in the order it arrived, so
a FIFO trace over complete statements finds exactly these hops.

## destinations.csv: where each payment's money ends
`end` is `cash_out` (withdrawn from `account`) or `statement_missing` (`account` never
answered; the amount vanishes there for anyone reading the returns).

## leads.csv: payers into designated accounts no call or chat explains
Leads, not victims: `account`, `holder_name`, `holder_id`, `to_account`, `group_id`,
`amount_fen`, `at`.

## rejects.csv: input rows written to be rejected
`source_file`, `source_row` (line or sheet row as a person counts), `source_sheet`, `reason`
(the loader's reject reason), `why` (what was done to the row). A loader must reject exactly
these rows, no more and no fewer.

## parameters.json
The profile, seed and scale the case was generated with.
"""

GROUP_ACCOUNTS = """
## group_accounts.csv: the groups' cards (profiles that name them in chats or give them to mules)
`account`, `group_id`, `layer` (1 the collecting cards, 2 and 3 mule layers, 9 the card 返利
were paid from), the holder (`holder_id`, `holder_name`: the crew member operating a mule-layer
card where the profile puts it in their name), `returned` (whether its bank answered), and for
a collecting card the chats named, `designated_from` and `designated_until` (the first message
that named it and the first that stopped it; empty while in use at the raid, or when no
organiser was at a den to stop it).
"""
"""Appended to the README when the case keeps ``group_accounts.csv``."""
