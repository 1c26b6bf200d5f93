"""Command line: ``python -m pipelines build|status|check|ensure-store|import-flows|export``.

build          pull the sources into the store (cached, resumable, atomic); exit code 3 when
               it was built with gaps (see the summary), 1 on an error
status         what the store holds, per source and year
check          ask the configured services a few small questions and report what a build
               would find (tables, columns, layer names), without building
ensure-store   build the store only when it is empty; used by ``make app``. When the live
               services cannot be reached and a mirror exists at MIRROR_DIR, it builds from
               the mirror and says so.
import-flows   import origin-destination moves by income group from a CSV
export         export indicators (csv, xlsx, gpkg, geojson) for researchers
"""

from __future__ import annotations

import argparse
import sys
import traceback
import urllib.request
from pathlib import Path

from geodata import schema
from geodata.config import Settings, settings_from_env
from geodata.errors import GeodataError
from geodata.loopback import port_is_free
from pipelines import build as build_mod
from pipelines import mirror as mirror_mod
from pipelines.sources import NAMES, SOURCES


def parse_years(text: str) -> list[int]:
    """'2015-2024' or '2019' or '2015,2019' -> a sorted list of years."""
    years: set[int] = set()
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                first, last = (int(p) for p in part.split("-", 1))
                if first > last:
                    raise ValueError
                years.update(range(first, last + 1))
            elif part:
                years.add(int(part))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--years {text!r}: write a year, a range or a list, e.g. 2015-2024"
        ) from None
    if not years:
        raise argparse.ArgumentTypeError("--years is empty")
    return sorted(years)


def parse_only(text: str) -> tuple[str, ...]:
    names = tuple(p.strip() for p in text.split(",") if p.strip())
    unknown = [n for n in names if n not in SOURCES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"--only {text!r}: unknown source(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {','.join(NAMES)}"
        )
    return names


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    summary = build_mod.build(
        settings,
        years=args.years,
        only=args.only,
        force=args.force,
        strict=args.strict,
        replace=args.replace,
        harmonise_to=args.harmonise_to,
        harmonised=not args.no_harmonise,
    )
    print("\n".join(summary.lines()))
    return build_mod.EXIT_GAPS if summary.gaps else 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from geodata.catalogue import load_catalogue
    from geodata.config import load_region
    from pipelines.check import run_check

    report = run_check(settings, load_region(), args.years, load_catalogue(), settings.open_store())
    print("\n".join(report.lines))
    if report.problems:
        print(f"\n{len(report.problems)} problem(s) a build would meet:")
        print("\n".join(f"  - {p}" for p in report.problems))
        return build_mod.EXIT_GAPS
    print("\nNo problems found.")
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    table = build_mod.status(settings)
    target = settings.open_store()
    print(f"Store: {target.description}")
    for name, rows in target.row_counts().items():
        print(f"  {name:<18} {rows:>9,} rows")
    print()
    print(table.to_string(index=False) if not table.empty else "No sources recorded.")
    if not table.empty and table["test_data"].any():
        test = sorted(set(table.loc[table["test_data"], "source"]))
        print(
            f"\nTEST DATA: {', '.join(test)} came from a service that marks its data as test data "
            "(partly synthetic). Do not use these figures for analysis."
        )
    if not table.empty and table["gaps"].sum():
        print(
            f"\n{int(table['gaps'].sum())} gap(s) recorded; see `sources.note` and `indicator_sources.note`."
        )
    return 0


def live_reachable(settings: Settings, timeout: float = 5.0) -> bool:
    """Whether the CBS OData service answers (a quick check before a long build)."""
    try:
        with urllib.request.urlopen(
            f"{settings.cbs_odata_url}/ODataCatalog/Tables?$format=json&$top=1", timeout=timeout
        ):
            return True
    except OSError:
        return False


def _built(code: int) -> int:
    """`make app` goes on with a store that has gaps (the summary listed them)."""
    return 0 if code == build_mod.EXIT_GAPS else code


def cmd_ensure_store(args: argparse.Namespace, settings: Settings) -> int:
    target = settings.open_store()
    if target.has_data():
        print(
            f"Store {target.description} is present; not rebuilding (run `make build` to refresh)."
        )
        return 0
    if live_reachable(settings):
        print(
            f"Store {target.description} is empty; building it from {settings.cbs_odata_url} and the other services."
        )
        return _built(cmd_build(args, settings))
    if settings.uses_default_hosts and mirror_mod.mirror_available(settings.mirror_dir):
        print(
            f"The live services cannot be reached. Starting the local mirror in {settings.mirror_dir} "
            "and building the store from it.\nNOTE: the mirror holds TEST DATA (partly synthetic); "
            "do not use these figures for analysis. Rebuild with internet access for real data."
        )
        # The mirror's usual port when free: cached responses are keyed by URL, so a build that
        # is interrupted resumes from the cache on the next run.
        port = 8765 if port_is_free(8765) else None
        with mirror_mod.running_mirror(settings.mirror_dir, port=port) as mirror:
            print(f"Mirror listening on {mirror.url}")
            return _built(cmd_build(args, mirror.settings(settings)))
    print(
        f"Cannot build the store: {settings.cbs_odata_url} is unreachable and there is no mirror at "
        f"{settings.mirror_dir}.\nConnect to the internet, or set MIRROR_DIR to a local mirror, or point "
        "CBS_ODATA_URL, PDOK_URL and AMSTERDAM_API_URL at reachable services, then run `make app` again.",
        file=sys.stderr,
    )
    return 2


def cmd_import_flows(args: argparse.Namespace, settings: Settings) -> int:
    from geodata.config import load_region
    from pipelines import income_flows

    target = settings.open_store()
    rows = income_flows.run(args.file, target, load_region(), args.source)
    print(f"Imported {rows:,} rows into income_flows of {target.description}.")
    return 0


def parse_codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from geodata import export

    request = export.ExportRequest(
        indicators=tuple(i.strip() for i in args.indicators.split(",") if i.strip())
        if args.indicators
        else None,
        level=args.level,
        gemeenten=parse_codes(args.gemeenten) if args.gemeenten else None,
        years=tuple(args.years) if args.years else None,
        layout=args.layout,
        harmonised=args.harmonised,
    )
    path, rows = export.run(
        settings.open_store(), request, args.format, args.output, separator=args.separator
    )
    print(f"Wrote {rows:,} rows to {path}")
    return 0


def _add_build_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    for name, help_text in (
        ("build", "pull CBS, PDOK and Amsterdam data into the store"),
        ("ensure-store", "build the store only when it is empty (used by make app)"),
    ):
        p = sub.add_parser(name, help=help_text, parents=[common])
        p.add_argument(
            "--years",
            type=parse_years,
            default=None,
            help="e.g. 2015-2024 (default: every edition the services offer from the first "
            "year in geodata/region.toml)",
        )
        p.add_argument(
            "--only",
            type=parse_only,
            default=NAMES,
            help="comma-separated sources: "
            + "; ".join(f"{n} ({s.description})" for n, s in SOURCES.items()),
        )
        p.add_argument(
            "--force", action="store_true", help="refetch instead of using the response cache"
        )
        p.add_argument(
            "--strict",
            action="store_true",
            help="treat any gap (a missing column, an edition that cannot be fetched) "
            "as a failure that leaves the store untouched",
        )
        p.add_argument(
            "--harmonise-to",
            type=int,
            default=None,
            metavar="YEAR",
            help="the boundary year whose buurten every edition is harmonised to "
            "(default: the newest in the store)",
        )
        p.add_argument(
            "--no-harmonise",
            action="store_true",
            help="leave out the harmonised buurt series (crosswalk, harmonised values and "
            "their measured error): a faster build whose app offers no harmonised switch",
        )
        p.add_argument(
            "--replace",
            action="store_true",
            help="overwrite GEODATA_STORE even when it is not a store of this project "
            "(or is damaged) instead of refusing",
        )


def _add_export_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    exp = sub.add_parser(
        "export",
        help="export indicators with codes, names, years, units and sources",
        parents=[common],
    )
    exp.add_argument("--indicators", help="comma-separated ids (default: all)")
    exp.add_argument("--level", default="buurt", choices=list(schema.ALL_LEVELS))
    exp.add_argument("--gemeenten", help="comma-separated GM codes (default: the whole region)")
    exp.add_argument("--years", type=parse_years, help="e.g. 2015-2024 (default: all)")
    exp.add_argument("--layout", default="long", choices=["long", "wide"])
    exp.add_argument("--format", required=True, choices=["csv", "xlsx", "gpkg", "geojson"])
    exp.add_argument(
        "--harmonised",
        action="store_true",
        help="every edition on the buurten of the store's reference year, each value with its "
        "method, estimated share and error band (buurt level only)",
    )
    exp.add_argument(
        "--separator", default=";", choices=[";", ","], help="CSV only: ';' for Dutch Excel"
    )
    exp.add_argument("-o", "--output", required=True, type=Path, help="the file to write")


def make_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", help="show the full traceback of an error (for bug reports)"
    )
    parser = argparse.ArgumentParser(
        prog="python -m pipelines", description=__doc__.split("\n\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_build_parsers(sub, common)
    sub.add_parser("status", help="what the store holds, per source and year", parents=[common])
    chk = sub.add_parser(
        "check",
        parents=[common],
        help="ask the configured services what a build would find, without building",
    )
    chk.add_argument(
        "--years",
        type=parse_years,
        default=None,
        help="KWB editions and PDOK years (default: those the CBS catalog lists)",
    )
    _add_export_parser(sub, common)
    imp = sub.add_parser(
        "import-flows",
        parents=[common],
        help="import moves by income group from a CSV (see README)",
    )
    imp.add_argument(
        "file", type=Path, help="CSV: year,origin_code,destination_code,income_group,households"
    )
    imp.add_argument(
        "--source", required=True, help="who delivered the table, e.g. 'CBS maatwerk 2025/123'"
    )
    return parser


HANDLERS = {
    "build": cmd_build,
    "status": cmd_status,
    "check": cmd_check,
    "ensure-store": cmd_ensure_store,
    "import-flows": cmd_import_flows,
    "export": cmd_export,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command. Errors end in one clear message; ``--debug`` adds the traceback."""
    args = make_parser().parse_args(argv)
    try:
        return HANDLERS[args.command](args, settings_from_env())
    except GeodataError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "Interrupted. The existing store was left unchanged; rerun to resume from the cache.",
            file=sys.stderr,
        )
        return 130
    except Exception as exc:  # a bug: say so, and how to report it
        if args.debug:
            raise
        print(
            f"error: unexpected {type(exc).__name__}: {exc}. This is a bug; rerun with --debug "
            "for the traceback and report it. The existing store was left unchanged.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
