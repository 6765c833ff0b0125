"""The `siksval` command line: parses options, calls the API, picks formatters, sets the exit code.

No pandas here: everything the CLI does is one `siksval.api` call away for a script.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from siksval import __version__
from siksval.errors import UserError

app = typer.Typer(
    name="siksval",
    help=(
        "Periksa ekspor DTKS / SIKS-NG / LKSA: skema, NIK/KK, wilayah, keluarga, data ganda, "
        "salah sasaran.  Check DTKS / SIKS-NG / LKSA exports: schema, NIK/KK, regions, "
        "households, duplicates, inclusion and exclusion errors.\n\n"
        "Contoh / examples:\n\n"
        "  siksval check dtks_2026_10.csv\n\n"
        "  siksval check dtks.xlsx --format json --output laporan.json --fail-on warning\n\n"
        "  siksval rules NIK007"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str, code: int = 2) -> None:
    err_console.print(f"siksval: {message}", markup=False)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"siksval {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """siksval — data-quality checks for Indonesia's social-welfare registry."""


# ---------------------------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------------------------


@app.command(
    help=(
        "Check one or more exports (CSV/TSV/pipe, XLSX, Parquet).\n\n"
        "Examples:\n\n"
        "  siksval check examples/dtks_contoh.csv\n\n"
        "  siksval check dtks.csv --format json --output hasil.json --format html --output hasil.html\n\n"
        "  siksval check anak.xlsx lksa.xlsx --against dtks.csv --as-of 2026-10-31\n\n"
        "Exit codes: 0 no finding at or above --fail-on; 1 there are; 2 the run could not be done."
    )
)
def check(
    paths: Annotated[list[Path], typer.Argument(help="Export file(s) to check.", show_default=False)],
    dataset: Annotated[str, typer.Option(help="dtks | lksa | lksa_anak | auto (from the headers).")] = "auto",
    against: Annotated[Path | None, typer.Option(help="A DTKS file for cross-file rules (LKS006).")] = None,
    select: Annotated[list[str] | None, typer.Option(help="Only these codes or prefixes (repeatable, or comma-separated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these codes or prefixes.")] = None,
    fail_on: Annotated[str | None, typer.Option(help="error | warning | info | never (default error).")] = None,
    format: Annotated[list[str] | None, typer.Option("--format", "-f", help="text | json | html | xlsx | csv | junit; repeatable.")] = None,
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help="Output path for each --format, in order ('-' = stdout).")] = None,
    lang: Annotated[str | None, typer.Option(help="id (default) or en; env SIKSVAL_LANG.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Reference date YYYY-MM-DD for ages and expiries (default today).")] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet name for xlsx (default: the first sheet).")] = None,
    unmask: Annotated[bool, typer.Option("--unmask", help="Show full NIK/KK and names.")] = False,
    mask: Annotated[bool, typer.Option("--mask", help="Mask personal data even where the format shows it (xlsx).")] = False,
    max_examples: Annotated[int | None, typer.Option(help="Example rows shown per rule in text/html.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No report on the terminal; exit code only.")] = False,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
    config: Annotated[Path | None, typer.Option(help="Path to siksval.toml (default: looked up from the current folder).")] = None,
) -> None:
    from siksval import api
    from siksval import config as config_mod
    from siksval.report import FORMATTERS

    try:
        cfg = config_mod.load(config)
        formats = format or ["text"]
        outputs = list(output or [])
        for f in formats:
            if f not in FORMATTERS:
                raise UserError(f"--format {f!r} is unknown; use one of {', '.join(FORMATTERS)}.")
        if len(outputs) > len(formats):
            raise UserError("More --output than --format given; give one --output per --format.")
        fail = fail_on or cfg.fail_on or "error"
        if fail not in ("error", "warning", "info", "never"):
            raise UserError(f"--fail-on {fail!r} is unknown; use error, warning, info or never.")
        progress = _progress_fn(no_progress)
        report = api.check(
            [str(p) for p in paths] if len(paths) > 1 else str(paths[0]),
            dataset=dataset if dataset != "auto" else (cfg.dataset or "auto"),
            as_of=as_of,
            config=cfg,
            against=str(against) if against else None,
            sheet=sheet,
            lang=lang,
            select=_split(select),
            ignore=_split(ignore),
            progress=progress,
        )
        if dataset == "auto" and not quiet:
            from siksval.report.i18n import t

            for s in report.sources:
                err_console.print(t("dataset_chosen", report.lang, dataset=f"{s.dataset} ({s.path})"), markup=False)
        examples = max_examples if max_examples is not None else (cfg.max_examples or 5)
        stem = paths[0].stem
        for i, fmt in enumerate(formats):
            target = outputs[i] if i < len(outputs) else None
            _emit(report, fmt, target, stem=stem, unmask=unmask, mask=mask, quiet=quiet,
                  max_examples=examples, fail_on=fail)
    except UserError as exc:
        _fail(str(exc))
    raise typer.Exit(report.exit_code(fail))


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [v.strip().upper() for item in values for v in item.split(",") if v.strip()]


def _emit(report: Any, fmt: str, target: Path | None, *, stem: str, unmask: bool, mask: bool,
          quiet: bool, max_examples: int, fail_on: str) -> None:
    from siksval.report import FORMATTERS, render
    from siksval.report.i18n import t

    formatter = FORMATTERS[fmt]
    masked = True if mask else (False if unmask else formatter.mask_default)
    opts = {"mask": masked, "max_examples": max_examples, "fail_on": fail_on}
    if target is None and not formatter.to_stdout:
        target = Path(f"{stem}_siksval{formatter.extension}")
    if target is None or str(target) == "-":
        if quiet and fmt == "text":
            return
        text = render(report, fmt, None, **opts)
        sys.stdout.write(text or "")
        sys.stdout.flush()
        return
    try:
        render(report, fmt, target, **opts)
    except OSError as exc:
        raise UserError(f"{target}: cannot write the report ({exc.strerror or exc}); check the folder and its permissions.") from None
    if not quiet:
        err_console.print(t("written", report.lang, path=str(target)), markup=False)


def _progress_fn(disabled: bool) -> Any:
    """A rule-by-rule status line on stderr, only on a terminal and never in CI."""
    if disabled or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    status = err_console.status("siksval …")
    status.start()
    import atexit

    atexit.register(status.stop)

    def update(step: str) -> None:
        status.update(f"siksval: {step}")

    return update


# ---------------------------------------------------------------------------------------------
# rules, schema, init
# ---------------------------------------------------------------------------------------------


@app.command(help="List the rule catalogue, or explain one rule.\n\nExamples:\n\n  siksval rules\n\n  siksval rules ELG004")
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code, e.g. NIK007.")] = None,
    lang: Annotated[str | None, typer.Option(help="id or en.")] = None,
) -> None:
    from rich.table import Table

    from siksval.report.i18n import current_lang, family_name
    from siksval.rules import catalogue

    language = current_lang(lang)
    cat = catalogue()
    out = Console(highlight=False, soft_wrap=False)
    if code:
        info = cat.get(code.strip().upper())
        if info is None:
            _fail(f"there is no rule {code!r}; `siksval rules` lists them all.")
        assert info is not None
        out.print(f"{info.code} {info.name} [{info.severity.label}] — {info.summary.get(language) or info.summary['id']}", markup=False)
        out.print(f"{family_name(info.family, language)} · level: {info.level} · datasets: {', '.join(info.datasets)}", markup=False)
        if info.columns:
            out.print(f"columns: {', '.join(info.columns)}", markup=False)
        if info.options:
            out.print("options: " + ", ".join(f"{k} = {v!r}" for k, v in info.options.items()), markup=False)
        out.print()
        out.print(info.doc, markup=False)
        return
    table = Table(box=None, show_header=True, pad_edge=False)
    for col in ("code", "severity", "name", "meaning"):
        table.add_column(col, overflow="fold")
    for info in cat.values():
        table.add_row(info.code, info.severity.label, info.name, info.summary.get(language) or info.summary["id"])
    out.print(table)


@app.command(help="Show the canonical columns of a dataset with their types, codes and header aliases.\n\nExample:\n\n  siksval schema dtks")
def schema(
    dataset: Annotated[str, typer.Argument(help="dtks | lksa | lksa_anak")] = "dtks",
    lang: Annotated[str | None, typer.Option(help="id or en.")] = None,
) -> None:
    from rich.table import Table

    from siksval.report.i18n import current_lang
    from siksval.schema import load_schema

    language = current_lang(lang)
    try:
        sc = load_schema(dataset)
    except UserError as exc:
        _fail(str(exc))
    table = Table(title=sc.title.get(language, sc.name), title_justify="left", show_lines=False)
    for col in ("column", "type", "required", "meaning", "aliases / codes"):
        table.add_column(col, overflow="fold")
    for name, spec in sc.columns.items():
        extra = ", ".join(spec.aliases)
        if spec.labels:
            extra += " | " + "; ".join(f"{c}={label}" for c, label in spec.labels.items())
        if spec.range:
            extra += f" | range {spec.range[0]}–{spec.range[1]}"
        table.add_row(name, spec.type, "yes" if spec.required else "", spec.meaning.get(language, ""), extra)
    Console(highlight=False).print(table)


@app.command(help="Write a commented siksval.toml with every default.\n\nExample:\n\n  siksval init")
def init(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write it.")] = Path("siksval.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    from siksval.initfile import default_config_text
    from siksval.report import atomic_writer

    if output.exists() and not force:
        _fail(f"{output} already exists; use --force to overwrite it.")
    with atomic_writer(output) as fh:
        fh.write(default_config_text())
    err_console.print(f"siksval: wrote {output}", markup=False)


@app.command(help=(
    "Write a realistic synthetic export with known defects (demo, tests, benchmarks).\n\n"
    "Examples:\n\n  siksval synth contoh.csv --rows 1000 --defects all --truth kebenaran.csv\n\n"
    "  siksval synth besar.parquet --rows 1000000 --seed 7"
))
def synth(
    out: Annotated[Path, typer.Argument(help="Output file (.csv, .xlsx, .parquet).")],
    dataset: Annotated[str, typer.Option(
        help="dtks | lksa | lksa_anak (LKSA: also writes <stem>_anak / <stem>_lksa and <stem>_dtks beside OUT)."
    )] = "dtks",
    rows: Annotated[int, typer.Option(help="Number of records (LKSA: number of children).")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same file).")] = 1,
    defects: Annotated[str, typer.Option(
        help="none | all | all=N | CODE=N,CODE=N… (N < 1 = rate of households); near=N adds "
             "near misses (twins, siblings born the same year)."
    )] = "none",
    style: Annotated[str, typer.Option(help="siksng (upper-case SIKS-NG headers, labels) | canonical.")] = "siksng",
    truth: Annotated[Path | None, typer.Option(help="Where to write the injected defects (CSV).")] = None,
    as_of: Annotated[str | None, typer.Option(help="Reference date YYYY-MM-DD.")] = None,
) -> None:
    try:
        from siksval.synth import write_synth
    except ModuleNotFoundError:
        _fail("the synthetic data generator is not installed in this build.")
    try:
        write_synth(out, dataset=dataset, rows=rows, seed=seed, defects=defects, style=style,
                    truth_path=truth, as_of=as_of)
    except UserError as exc:
        _fail(str(exc))
    err_console.print(f"siksval: wrote {out}", markup=False)


def main() -> None:
    """Console entry point: people get one sentence and exit 2, never a traceback."""
    try:
        app()
    except UserError as exc:
        err_console.print(f"siksval: {exc}", markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("siksval: interrupted.", markup=False)
        sys.exit(130)
    except Exception as exc:  # a bug: still one sentence, details on demand
        if os.environ.get("SIKSVAL_DEBUG"):
            raise
        err_console.print(
            f"siksval: internal error ({type(exc).__name__}: {exc}); "
            "run again with SIKSVAL_DEBUG=1 and report the output.",
            markup=False,
        )
        sys.exit(2)
