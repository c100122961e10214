"""The ``linkage`` command: a thin shell over what a notebook would call.

Library errors become one line on stderr and exit status 1; anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from linkage import __version__
from linkage.engine import ENGINES
from linkage.errors import LinkageError, OutputError
from linkage.report.labels import LANGS
from linkage.schema import KINDS

if TYPE_CHECKING:
    from linkage.report.card import CardTables, EvidenceCard
    from linkage.report.mask import Masker

LANG_HELP = (
    "language of the workbook's headers and the report: zh (default: Chinese headers, as a "
    "court annex) or en (the tables' column names)"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except LinkageError as error:
        print(f"linkage: error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`: stop quietly, as Unix tools do
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stdout must stay open until exit)
        return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command and its help."""
    parser = argparse.ArgumentParser(
        prog="linkage",
        description="Link telecom-fraud victims to offenders from electronic evidence.",
    )
    parser.add_argument("--version", action="version", version=f"linkage {__version__}")
    commands = parser.add_subparsers(title="commands")

    init = commands.add_parser(
        "init",
        help="draft case.toml by sniffing a case folder",
        description="Sniff every file of CASE and write a draft CASE/case.toml naming each "
        "file's kind, format (and why) and origin, with TODOs where the bytes cannot tell.",
    )
    init.add_argument("case", type=Path, help="the case folder")
    init.add_argument("--force", action="store_true", help="overwrite an existing case.toml")
    init.add_argument(
        "--print", dest="show", action="store_true", help="print the draft instead of writing it"
    )
    init.set_defaults(handler=_init)

    inspect = commands.add_parser(
        "inspect",
        help="load a case and print per-source row counts",
        description="Load every source of CASE/case.toml and print rows read, kept and rejected "
        "per source; write manifest.json, rejects and coerced (CSV and Parquet) to OUT.",
    )
    inspect.add_argument("case", type=Path, help="the case folder (with case.toml)")
    inspect.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for manifest.json and rejects (default: OUT not written)",
    )
    inspect.set_defaults(handler=_inspect)

    load = commands.add_parser(
        "load",
        help="load a case once and save its canonical tables as partitioned Parquet",
        description="Load every source of CASE/case.toml and save the canonical tables under "
        "DIR/tables/NAME/origin=.../ (Hive-style Parquet that Spark, DuckDB and pyarrow read), "
        "with the rejects, case.toml and the per-source counts. `linkage run DIR` then runs "
        "without reading the sources again.",
    )
    load.add_argument("case", type=Path, help="the case folder (with case.toml)")
    load.add_argument("--to", type=Path, required=True, help="folder for the saved case")
    load.add_argument("--quiet", action="store_true", help="no progress bar")
    load.set_defaults(handler=_load)

    run = commands.add_parser(
        "run",
        help="load a case, corroborate every victim, attribute it to the defendants, write it all",
        description="Load every source of CASE/case.toml, corroborate every victim, give each "
        "defendant their group, role, participation periods and amount, and write victims, "
        "defendants, links and the other result tables (CSV and Parquet), rejects and "
        "manifest.json to OUT.",
    )
    run.add_argument(
        "case", type=Path, help="the case folder (with case.toml), or a folder `linkage load` saved"
    )
    run.add_argument("--out", type=Path, required=True, help="folder for the result tables")
    run.add_argument(
        "--engine",
        default="duckdb",
        choices=ENGINES,
        help="where the rules run: duckdb (embedded, default) or spark (a local Spark session; "
        "needs PySpark, installed by pip install -e '.[spark]' in a checkout, and Java 17+)",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bars")
    run.add_argument(
        "--no-report",
        dest="report",
        action="store_false",
        help="skip evidence.xlsx and report.html (a batch run of a very large case)",
    )
    run.add_argument(
        "--mask", action="store_true", help="mask ID numbers, phones and accounts in the reports"
    )
    run.add_argument("--lang", choices=LANGS, default="zh", help=LANG_HELP)
    run.set_defaults(handler=_run)

    report = commands.add_parser(
        "report",
        help="write the evidence workbook and the HTML report from a run's outputs",
        description="Read the result tables `linkage run` wrote to OUT and write "
        "OUT/evidence.xlsx (one sheet per table, frozen headers, formula-like text made inert) "
        "and OUT/report.html (a one-page summary with the figures); with --mask, "
        "evidence_masked.xlsx and report_masked.html.",
    )
    report.add_argument("out", type=Path, help="a folder `linkage run` wrote")
    report.add_argument("--mask", action="store_true", help="mask ID numbers, phones and accounts")
    report.add_argument("--lang", choices=LANGS, default="zh", help=LANG_HELP)
    report.set_defaults(handler=_report)

    card = commands.add_parser(
        "card",
        help="print one victim's evidence card from a run's outputs",
        description="Gather one victim's evidence from the tables `linkage run` wrote to OUT: "
        "identifiers, verdict and loss; every piece of evidence in time order with the rows of "
        "both sides and the time to the nearest piece of another kind; the payments and "
        "refunds; the defendants whose totals count the victim, and why; what is missing and "
        "the request that would close it.",
    )
    card.add_argument("out", type=Path, help="a folder `linkage run` wrote")
    card.add_argument("victim", help="the victim's victim_id, phone, or a name only one has")
    card.add_argument("--mask", action="store_true", help="mask ID numbers, phones and accounts")
    card.add_argument(
        "--figure", type=Path, metavar="PNG",
        help="also draw the victim's calls, messages and transfers on one time axis into PNG",
    )  # fmt: skip
    card.set_defaults(handler=_card)

    formats = commands.add_parser(
        "formats",
        help="list every export format linkage reads",
        description="List every known export format with its kind and signature.",
    )
    formats.add_argument("--kind", default=None, choices=KINDS, help="only formats of this kind")
    formats.set_defaults(handler=_formats)

    synth = commands.add_parser(
        "synth",
        help="generate a synthetic case with its ground truth",
        description="Simulate fraud groups, dens, staff, victims and money from SEED and write "
        "OUT/case (exports in the real formats, with case.toml) and OUT/ground_truth (what a "
        "correct analysis must find). The same seed, scale and profile give identical bytes.",
    )
    synth.add_argument("out", type=Path, help="folder to create")
    synth.add_argument("--seed", type=int, default=2016, help="random seed (default 2016)")
    synth.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiplies victims and accounts; noise grows with them (default 1: the sample)",
    )
    synth.add_argument(
        "--profile",
        default="guiding",
        choices=sorted(_profiles()),
        help="guiding (default): the sample's volumes; benchmark: realistic noise per victim; "
        "designated: the second world, group cards designated in the chats and held by mules",
    )
    synth.add_argument("--force", action="store_true", help="replace OUT if it exists")
    synth.set_defaults(handler=_synth)
    return parser


def _profiles() -> list[str]:
    from linkage.synth.generate import profile_names

    return profile_names()


def _init(args: argparse.Namespace) -> int:
    from linkage.load.draft import draft_case_toml
    from linkage.report.case_file import write_case_toml

    text = draft_case_toml(args.case)
    if args.show:
        print(text)
        return 0
    path = write_case_toml(args.case, text, force=args.force)
    print(f"wrote {path}: review every TODO, then run `linkage inspect {args.case}`")
    return 0


def _inspect(args: argparse.Namespace) -> int:
    from linkage.load.case import load_case
    from linkage.report.inspect import render_summary, write_inspection
    from linkage.report.out_folder import OutFolder

    if args.out is not None:
        OutFolder(args.out).check()  # a folder in the way is said before the case is read
    case = load_case(args.case)
    print(render_summary(case))
    if args.out is not None:
        manifest = write_inspection(case, args.out)
        print(f"wrote {manifest} and rejects, coerced (.csv/.parquet) beside it")
    return 0


def _load(args: argparse.Namespace) -> int:
    from linkage.load.case import load_case
    from linkage.load.saved import save_case, save_folder

    save_folder(args.to).check()  # a folder in the way is said before the case is read
    case = load_case(args.case, progress=not args.quiet)
    written = save_case(case, args.to)
    sizes = ", ".join(f"{name} {len(rows):,}" for name, rows in case.tables.items())
    print(f"saved {case.config.name} to {args.to}: {sizes}; rejects {len(case.rejects):,}")
    print(f"wrote {len(written)} files; run it with `linkage run {args.to} --out OUT`")
    return 0


def _run(args: argparse.Namespace) -> int:
    from linkage.pipeline import run
    from linkage.plot.style import find_cjk_font

    result = run(
        args.case, args.out, engine=args.engine, progress=not args.quiet, reports=args.report,
        mask=args.mask, lang=args.lang,
    )  # fmt: skip
    summary = result.findings.summary()
    print(summary.to_string(index=False) if len(summary) else "no victim linked to a group")
    print(f"{result.findings!r}"[1:-1])
    print(f"{result.attribution!r}"[1:-1])
    print(f"{result.flows!r}"[1:-1])
    defendants = result.attribution.defendants
    disagree = defendants[defendants["roster_agrees"].eq(False).fillna(False).astype(bool)]
    if len(disagree):
        notes = disagree["role_noted"].fillna("no note")
        shown = ", ".join(
            f"{name} ({note} -> {role})"
            for name, note, role in zip(disagree["name"], notes, disagree["role"], strict=True)
        )
        print(f"roster and behaviour disagree for {len(disagree)}: {shown}")
    gaps = result.attribution.gaps
    if len(gaps):
        counts = gaps["gap"].value_counts().sort_index()
        print("open in the attribution (attribution_gaps.csv): "
              + ", ".join(f"{gap} {n}" for gap, n in counts.items()))  # fmt: skip
    if result.requests is not None and len(result.requests.requests):
        asked = result.requests.requests
        verdicts = int((asked["priority"] == 1).sum())
        counts = asked["to"].value_counts().sort_index()
        print(f"further evidence to request (requests.csv): {len(asked)} ("
              + ", ".join(f"{to} {n}" for to, n in counts.items())
              + f"); {verdicts} could turn a verdict")  # fmt: skip
    print(f"wrote {len(result.written)} files to {args.out}")
    for warning in result.case.warnings:
        print(f"linkage: warning: {warning}", file=sys.stderr)
    unread = result.case.not_read
    if unread:
        shown = ", ".join(unread[:3]) + (f" and {len(unread) - 3} more" if len(unread) > 3 else "")
        print(f"linkage: note: {len(unread)} files in the case folder are not read (case.toml "
              f"names no source for them, manifest.json lists them as not_read): {shown}",
              file=sys.stderr)  # fmt: skip

    if find_cjk_font() is None:
        print(
            "linkage: note: no font with Chinese glyphs is installed, so names in figures/ show "
            "as boxes (pip install -e . installs one with linkage)",
            file=sys.stderr,
        )
    return 0


def _report(args: argparse.Namespace) -> int:
    if not (args.out / "victims.parquet").exists():
        print(f"linkage: error: {args.out} holds no outputs of `linkage run`", file=sys.stderr)
        return 1
    _write_reports(args.out, args.mask, args.lang)
    return 0


def _card(args: argparse.Namespace) -> int:
    from linkage.report.card import CardTables, evidence_card
    from linkage.report.workbook import output_masker

    tables = CardTables.read(args.out)
    card = evidence_card(args.out, args.victim, tables=tables)
    masker = output_masker(args.out) if args.mask else None
    print(masker.text(card.text()) if masker else card.text(), end="")
    if args.figure is not None:
        _card_figure(card, tables, args.figure, masker)
        print(f"wrote {args.figure}")
    return 0


def _card_figure(card: EvidenceCard, tables: CardTables, path: Path, masker: Masker | None) -> None:
    """The victim's links on one time axis, as ``linkage run``'s figures are written (the
    victim's ID number masked in the title with ``masker``)."""
    from matplotlib.figure import Figure

    from linkage.plot.timelines import victim_timeline
    from linkage.report.figures import METADATA

    figure = Figure(figsize=(11, 3.6))
    links = tables.links[tables.links["victim_id"] == card.victim_id]
    victim = dict(card.victim)
    if masker is not None:
        victim["victim_id"] = masker.text(str(victim["victim_id"]))
    victim_timeline(links, victim, tables.zone, ax=figure.subplots())
    try:
        figure.savefig(path, dpi=110, bbox_inches="tight", metadata=METADATA)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error


def _write_reports(folder: Path, mask: bool, lang: str) -> None:
    from linkage.report.outputs import add_reports

    workbook, page = add_reports(folder, mask=mask, lang=lang)
    print(f"wrote {workbook} and {page}, listed in {folder / 'manifest.json'}")


def _synth(args: argparse.Namespace) -> int:
    from linkage.synth import generate

    if args.scale <= 0:
        print("linkage: error: --scale must be positive", file=sys.stderr)
        return 2
    try:
        made = generate(
            args.out, seed=args.seed, scale=args.scale, profile=args.profile, force=args.force
        )
    except FileExistsError as error:
        print(f"linkage: error: {error}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {v:,}" for k, v in made.counts.items() if not k.startswith("role_"))
    print(f"wrote {made.case} and {made.ground_truth} in {made.seconds:.1f} s ({counts})")
    return 0


def _formats(args: argparse.Namespace) -> int:
    import linkage.load.readers  # noqa: F401
    from linkage.load.formats import formats_for

    print(f"{'format':24} {'kind':13} {'layout':10} description")
    print(f"{'':24} recognised by")
    for fmt in formats_for(args.kind):
        print(f"{fmt.name:24} {fmt.kind:13} {fmt.status:10} {fmt.title}")
        print(f"{'':24} {fmt.describe_signature().replace('``', '')}")
    print("layout: real = seen in real exports; proposed = no public spec, the layout linkage")
    print("writes for synthetic cases and reads (FORMATS.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
