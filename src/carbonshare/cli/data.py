"""`carbonshare data ...` commands: coverage, sources, country profiles, export,
World Bank refresh and the rebuild of the bundled data."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from carbonshare.errors import DataError

app = typer.Typer(
    help=(
        "Bundled country data: coverage (info), provenance (sources), a country profile "
        "(show), export, World Bank refresh and rebuild."
    ),
    no_args_is_help=True,
)

_SPARK = "▁▂▃▄▅▆▇█"


def _console():
    from rich.console import Console

    return Console()


def sparkline(values) -> str:
    """Unicode sparkline of a sequence (blank for missing values).

    Examples
    --------
    >>> sparkline([1, 2, 3, None, 8])
    '▁▂▃ █'
    """
    import math

    nums = [v for v in values if v is not None and not math.isnan(v)]
    if not nums:
        return ""
    lo, hi = min(nums), max(nums)
    span = hi - lo
    out = []
    for v in values:
        if v is None or math.isnan(v):
            out.append(" ")
        elif span == 0:
            out.append(_SPARK[3])
        else:
            out.append(_SPARK[min(7, int((v - lo) / span * 8))])
    return "".join(out)


def _fmt(value: float) -> str:
    import math

    if value is None or math.isnan(value):
        return "–"
    a = abs(value)
    for cut, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if a >= cut:
            return f"{value / cut:,.2f}{suffix}"
    if a >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


@app.command("info")
def info(
    years: Annotated[
        str | None,
        typer.Option(
            help="Years to show, e.g. '2016-2020' or '1990,2000,2020' (default: "
            "1990, 2000, 2016-2020, 2023)."
        ),
    ] = None,
    window: Annotated[
        str, typer.Option(help="Window for the Zhou et al. completeness line, e.g. 2016-2020.")
    ] = "2016-2020",
) -> None:
    """Coverage of the bundled panel: each series' first and last year, and the countries
    with a value per indicator and year."""
    from rich.table import Table

    from carbonshare.data import indicator_catalog, load_countries, load_panel
    from carbonshare.data.coverage import ZHOU_CORE, coverage_table, zhou_complete

    lo, hi = _parse_window(window, "--window")  # before printing anything
    panel = load_panel()
    all_years = sorted(set(panel.index.get_level_values("year")))
    shown = _parse_years(years, all_years) if years else _default_years(all_years)
    cov = coverage_table(panel, shown)
    cat = indicator_catalog()
    con = _console()
    from rich import box

    table = Table(
        title=f"Countries with a value ({len(load_countries())} countries in the table)",
        caption="Rows: panel columns; first/last: years with any value (units and sources: "
        "carbonshare data sources, docs/data.md)",
        box=box.SIMPLE_HEAD,
        padding=0,
        pad_edge=False,
        show_edge=False,
    )
    table.add_column("indicator", style="bold", no_wrap=True)
    table.add_column("first", justify="right", no_wrap=True)
    table.add_column("last", justify="right", no_wrap=True)
    for y in shown:
        table.add_column(str(y), justify="right", no_wrap=True)
    for name, row in cov.iterrows():
        first, last = cat.loc[name, "first_year"], cat.loc[name, "last_year"]
        table.add_row(str(name), str(first), str(last), *[str(v) for v in row])
    con.print(table)
    strict = int(zhou_complete(panel, window=(lo, hi), rule="all_years").sum())
    anyy = int(zhou_complete(panel, window=(lo, hi), rule="any_year").sum())
    con.print(
        f"Zhou et al. (2024) indicator set ({', '.join(ZHOU_CORE)}; carbon productivity = "
        f"gdp_usd / co2_t): "
        f"[bold]{strict}[/bold] countries have a value in every year {lo}-{hi}, "
        f"[bold]{anyy}[/bold] have at least one value per indicator in {lo}-{hi} "
        "(enough for a window mean)."
    )


def _default_years(all_years: list[int]) -> list[int]:
    wanted = [1990, 2000, 2016, 2017, 2018, 2019, 2020, 2023]
    return [y for y in wanted if y in all_years]


def _parse_window(text: str, option: str) -> tuple[int, int]:
    try:
        lo, hi = (int(x) for x in text.split("-"))
    except ValueError:
        raise DataError(f"{option} {text!r}: write it as FIRST-LAST, e.g. 2016-2020") from None
    if lo > hi:
        raise DataError(f"{option} {text!r}: the first year is after the last")
    return lo, hi


def _parse_years(text: str, all_years: list[int]) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = _parse_window(part, "--years")
            out.extend(range(lo, hi + 1))
        elif part.isdigit():
            out.append(int(part))
        else:
            raise DataError(f"--years {text!r}: use years like 2016-2020 or 1990,2000,2020")
    bad = [y for y in out if y not in all_years]
    if bad:
        raise DataError(f"--years: {bad} outside the panel ({all_years[0]}-{all_years[-1]})")
    return out


@app.command("sources")
def sources_cmd() -> None:
    """Provenance of the bundled data: source, repository, commit, vintage, licence, transformation."""
    from rich.table import Table

    from carbonshare.data import sources

    con = _console()
    con.print(
        "[bold]Sources of the bundled data[/bold] "
        "(raw notes: SOURCES.md, SOURCES_BLUE.md, SOURCES_MORE.md)"
    )
    for row in sources(blue=True).itertuples(index=False):
        table = Table(title=row.source, title_justify="left", show_header=False, expand=True)
        table.add_column("field", style="bold", no_wrap=True)
        table.add_column("value", overflow="fold", ratio=1)
        repo = f"{row.repository} : {row.path}" if row.path else row.repository
        for field, value in (
            ("used for", row.used_for),
            ("repository", repo),
            ("commit", row.commit or "–"),
            ("vintage", row.vintage),
            ("licence", row.licence),
            ("transformation", row.transformation),
        ):
            table.add_row(field, value)
        con.print(table)


@app.command("show")
def show(
    country: Annotated[
        str, typer.Argument(help="ISO3 code or country name, e.g. CHN or 'Viet Nam'.")
    ],
) -> None:
    """Profile of one country: metadata, latest values and a sparkline since 1990."""
    from rich.table import Table

    from carbonshare.data import indicator_catalog, load_countries, load_panel, to_iso3

    iso3 = to_iso3([country])[0]
    c = load_countries().loc[iso3]
    con = _console()
    meta = Table(title=f"{c['name']} ({iso3})", show_header=False)
    meta.add_column("field", style="bold")
    meta.add_column("value")
    lat, lon = c["capital_lat"], c["capital_lon"]
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    rows = [
        ("ISO2 / M49", f"{c['iso2'] or '–'} / {c['m49'] or '–'}"),
        ("continent", c["continent"]),
        ("UN region", f"{c['un_region']} / {c['un_subregion']}"),
        ("UN SDG region", c["sdg_region"]),
        ("World Bank", f"{c['wb_region']}, {c['income_group']} (FY2022)"),
        ("developed", "yes" if c["developed"] else "no"),
        ("coastal", "yes" if c["coastal"] else "no (landlocked)"),
        ("capital", f"{c['capital']} ({abs(lat):.2f}°{ns}, {abs(lon):.2f}°{ew})"),
    ]
    for k, v in rows:
        meta.add_row(k, str(v))
    con.print(meta)
    from carbonshare.data.coverage import country_note

    panel = load_panel().loc[iso3]
    empty = [c for c in panel.columns if panel[c].isna().all()]
    note = country_note(iso3)
    if note:
        con.print(f"[bold]Data note:[/bold] {note}.")
    if empty:
        con.print(f"[bold]No data at all[/bold] for {len(empty)} indicators: {', '.join(empty)}.")
    cat = indicator_catalog()
    first, last = int(panel.index.min()), int(panel.index.max())
    vals = Table(
        title=f"Indicators of {c['name']}",
        caption=f"trend: one bar per 2 years from {first} (blank = no data)",
    )
    vals.add_column("indicator (unit)", max_width=26)
    vals.add_column("latest", justify="right")
    vals.add_column("year", justify="right")
    vals.add_column("2016-20 mean", justify="right")
    vals.add_column(f"trend {first}-{last}", no_wrap=True)
    window = panel.loc[2016:2020]
    for name in panel.columns:
        s = panel[name].dropna()
        latest, year = (s.iloc[-1], str(s.index[-1])) if len(s) else (float("nan"), "–")
        vals.add_row(
            f"{name}\n[dim]{cat.loc[name, 'unit']}[/dim]",
            _fmt(latest),
            year,
            _fmt(window[name].mean()),
            sparkline(panel[name].tolist()[::2]),
        )
    con.print(vals)


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


class ExportTable(StrEnum):
    panel = "panel"
    countries = "countries"
    sources = "sources"
    indicators = "indicators"


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .csv, .parquet or .xlsx.")],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="File format (default: from the --out extension)."),
    ] = None,
    table: Annotated[
        ExportTable,
        typer.Option(help="Table to export (xlsx always writes all four as sheets)."),
    ] = ExportTable.panel,
    indicators: Annotated[
        str | None, typer.Option(help="Comma-separated panel columns (default: all).")
    ] = None,
) -> None:
    """Export the bundled data to CSV, Parquet or Excel."""
    from carbonshare.data import indicator_catalog, load_countries, load_panel, sources

    _check_output_file(out)
    fmt = _export_format(out, fmt)
    cols = [s.strip() for s in indicators.split(",")] if indicators else None
    if cols and fmt is not ExportFormat.xlsx and table is not ExportTable.panel:
        raise DataError(
            f"--indicators selects panel columns; it does not apply to --table {table.value} "
            "(drop --indicators or use --table panel)"
        )
    tables = {
        "panel": lambda: load_panel(cols).reset_index(),
        "countries": lambda: load_countries().reset_index(),
        "sources": sources,
        "indicators": lambda: indicator_catalog().reset_index(),
    }
    # write next to the target and rename when complete: no half-written file on Ctrl-C
    tmp = out.with_name(f".{out.name}.partial")
    try:
        if fmt is ExportFormat.xlsx:
            import pandas as pd

            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                for name, make in tables.items():
                    make().to_excel(writer, sheet_name=name, index=False)
        else:
            df = tables[table.value]()
            if fmt is ExportFormat.csv:
                df.to_csv(tmp, index=False)
            else:
                df.to_parquet(tmp, index=False)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    _console().print(f"wrote {out} ({fmt.value})")


_SUFFIX_FORMAT = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}


def _export_format(out: Path, fmt: ExportFormat | None) -> ExportFormat:
    """The format of ``--out`` from its extension; a ``--format`` that contradicts it is an error."""
    implied = _SUFFIX_FORMAT.get(out.suffix.lower())
    if fmt is None:
        if implied is None:
            raise DataError(
                f"--out {out}: cannot tell the format from {out.suffix or 'no extension'!r}; "
                "end the name in .csv, .parquet or .xlsx, or pass --format"
            )
        return ExportFormat(implied)
    if implied is not None and implied != fmt.value:
        raise DataError(
            f"--out {out} ends in {out.suffix} but --format is {fmt.value}; make them agree"
        )
    return fmt


def _check_output_file(out: Path) -> None:
    """One-line error before any work if ``out`` cannot be written as a file."""
    import tempfile

    if out.is_dir():
        raise DataError(f"--out {out} is a folder; give a file name such as {out}/panel.csv")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise DataError(f"--out {out} lies under {parent}, which is a file")
            break
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out.parent, prefix=f".{out.name}.probe"):
            pass
    except OSError as exc:
        raise DataError(
            f"--out {out} cannot be written ({exc.strerror or type(exc).__name__}); "
            "choose a place you can write"
        ) from None


@app.command("check")
def check_cmd(
    panel: Annotated[Path, typer.Argument(help="Your panel: CSV, TSV, Excel or Parquet.")],
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Excel sheet (default: the first).")
    ] = None,
    entities: Annotated[
        str, typer.Option(help="countries (resolved to ISO3), other (provinces, firms) or auto.")
    ] = "countries",
) -> None:
    """Read and validate your own panel as the studies do, and summarise it."""
    from carbonshare.data.userdata import read_user_panel

    if entities not in ("countries", "other", "auto"):
        raise DataError(f"--entities {entities!r}: use countries, other or auto")
    user = read_user_panel(panel, sheet=sheet, entities=entities)  # type: ignore[arg-type]
    df = user.panel
    ids = df.index.get_level_values(0)
    yrs = df.index.get_level_values(1)
    con = _console()
    con.print(
        f"{panel.name}: {ids.nunique()} {user.entities} x {yrs.nunique()} years "
        f"({yrs.min()}-{yrs.max()}), indicators {', '.join(map(str, df.columns))}; valid"
    )
    for spelled, iso3 in user.mapping.items():
        con.print(f"  {spelled!r} read as {iso3}")
    for note in user.notes:
        con.print(f"  {note}")


@app.command("refresh")
def refresh_cmd(
    indicators: Annotated[
        str | None,
        typer.Option(help="Comma-separated panel columns (default: every World Bank series)."),
    ] = None,
    years: Annotated[str | None, typer.Option(help="FIRST-LAST, default 1990-this year.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Cache folder (default: $CARBONSHARE_CACHE or the user cache)."),
    ] = None,
) -> None:
    """Download the World Bank series of the panel with wbgapi into the user cache.

    Needs network access and the worldbank extra: pip install "carbonshare\\[worldbank]".
    """
    from carbonshare.data.refresh import refresh

    cols = [s.strip() for s in indicators.split(",")] if indicators else None
    span = _parse_window(years, "--years") if years else None
    con = _console()
    with con.status("fetching from the World Bank API") as status:
        path = refresh(
            cols, years=span, out_dir=out, progress=lambda c: status.update(f"fetching {c}")
        )
    con.print(f"wrote {path}; load it with carbonshare.data.refresh.load_refreshed_panel()")


@app.command("build")
def build_cmd(
    raw: Annotated[Path, typer.Option(help="Raw data folder, e.g. ../shared/data/raw.")],
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: the package's bundled folder).")
    ] = None,
) -> None:
    """Rebuild the bundled data from the raw files (same as python -m carbonshare.data.build)."""
    from carbonshare.data.build import BUNDLED, build_all, write_all
    from carbonshare.data.build_blue import build_blue, write_blue

    built = build_all(raw)
    paths = write_all(built, out or BUNDLED)
    paths += write_blue(build_blue(raw, built["countries"]), out or BUNDLED)
    con = _console()
    for p in paths:
        con.print(f"wrote {p} ({p.stat().st_size:,} bytes)")
