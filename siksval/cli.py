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

try:  # typer >= 0.20 ships its own copy of click
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer depends on click itself
    from click.exceptions import UsageError  # type: ignore[no-redef]

from siksval import __version__
from siksval.errors import UserError
from siksval.memtune import keep_freed_memory

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


def _fail(message: str | UserError, code: int = 2, lang: str | None = None) -> None:
    text = message.text(_argv_lang(sys.argv[1:]) if lang is None else lang) if isinstance(
        message, UserError
    ) else message
    err_console.print(f"siksval: {text}", markup=False)
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


def _help(key: str) -> str:
    """Option help from the i18n catalogue, in the language of --lang / SIKSVAL_LANG (id)."""
    from siksval.report.i18n import current_lang, t

    argv = sys.argv[1:]
    given = [a.split("=", 1)[1] for a in argv if a.startswith("--lang=")] + [
        argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--lang"]
    return t(f"help_{key}", current_lang(given[-1] if given else None))



@app.command(help=_help("check"))
def check(
    paths: Annotated[list[Path], typer.Argument(help=_help("paths"), show_default=False)],
    dataset: Annotated[str, typer.Option(help=_help("dataset"))] = "auto",
    against: Annotated[Path | None, typer.Option(help=_help("against"))] = None,
    select: Annotated[list[str] | None, typer.Option(help=_help("select"))] = None,
    ignore: Annotated[list[str] | None, typer.Option(help=_help("ignore"))] = None,
    fail_on: Annotated[str | None, typer.Option(help=_help("fail_on"))] = None,
    format: Annotated[list[str] | None, typer.Option("--format", "-f", help=_help("format"))] = None,
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help=_help("output"))] = None,
    lang: Annotated[str | None, typer.Option(help=_help("lang"))] = None,
    as_of: Annotated[str | None, typer.Option(help=_help("as_of"))] = None,
    sheet: Annotated[str | None, typer.Option(help=_help("sheet"))] = None,
    unmask: Annotated[bool, typer.Option("--unmask", help=_help("unmask"))] = False,
    mask: Annotated[bool, typer.Option("--mask", help=_help("mask"))] = False,
    max_examples: Annotated[int | None, typer.Option(help=_help("max_examples"))] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_help("quiet"))] = False,
    no_progress: Annotated[bool, typer.Option("--no-progress", help=_help("no_progress"))] = False,
    config: Annotated[Path | None, typer.Option(help=_help("config"))] = None,
    max_rows: Annotated[int | None, typer.Option(help=_help("max_rows"))] = None,
    engine: Annotated[str, typer.Option(help=_help("engine"))] = "pandas",
    scheduler: Annotated[str | None, typer.Option(help=_help("scheduler"))] = None,
) -> None:
    from siksval import api
    from siksval import config as config_mod

    ui_lang = _argv_lang(["--lang", lang] if lang else [])
    progress = None
    try:
        cfg = config_mod.load(config)
        ui_lang = _argv_lang(["--lang", lang or cfg.lang or ""])
        formats, outputs, fail = _report_options(format, output, fail_on, max_examples, cfg)
        progress = None if (no_progress or quiet) else _progress_reporter(ui_lang)
        try:
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
                max_rows=max_rows,
                engine=engine,
                scheduler=scheduler,
            )
        finally:  # whatever happens, the bar must not stay drawn over the message
            if progress is not None:
                progress.close()
        if dataset == "auto" and not quiet:
            from siksval.report.i18n import t

            for s in report.sources:
                err_console.print(
                    t("dataset_chosen", report.lang, dataset=f"{s.dataset} ({s.path})"),
                    markup=False,
                )
        examples = max_examples if max_examples is not None else (cfg.max_examples or 5)
        stem = "stdin" if str(paths[0]) == "-" else paths[0].stem
        for i, fmt in enumerate(formats):
            target = outputs[i] if i < len(outputs) else None
            _emit(report, fmt, target, stem=stem, unmask=unmask, mask=mask, quiet=quiet,
                  max_examples=examples, fail_on=fail)
    except UserError as exc:
        _fail(exc, lang=ui_lang)
    raise typer.Exit(report.exit_code(fail))


# ---------------------------------------------------------------------------------------------
# diff
# ---------------------------------------------------------------------------------------------


@app.command(
    help=(
        "Compare two monthly DTKS exports: people and households added, removed, moved, "
        "changed (per desa), and suspicious changes (CHG001-CHG006).\n\n"
        "Examples:\n\n"
        "  siksval diff dtks_2026_09.csv dtks_2026_10.csv\n\n"
        "  siksval diff lama.xlsx baru.xlsx --format json --output perubahan.json --fail-on warning\n\n"
        "Exit codes: 0 no finding at or above --fail-on; 1 there are; 2 the run could not be done."
    )
)
def diff(
    old: Annotated[Path, typer.Argument(help="Last month's export (OLD).", show_default=False)],
    new: Annotated[Path, typer.Argument(help="This month's export (NEW).", show_default=False)],
    dataset: Annotated[str, typer.Option(help="dtks | auto (from the headers).")] = "auto",
    select: Annotated[list[str] | None, typer.Option(help="Only these codes or prefixes (repeatable, or comma-separated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these codes or prefixes.")] = None,
    fail_on: Annotated[str | None, typer.Option(help="error | warning | info | never (default error).")] = None,
    format: Annotated[list[str] | None, typer.Option("--format", "-f", help="text | json | html | xlsx | csv | junit; repeatable.")] = None,
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help="Output path for each --format, in order ('-' = stdout).")] = None,
    lang: Annotated[str | None, typer.Option(help="id (default) or en; env SIKSVAL_LANG.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Reference date YYYY-MM-DD of NEW (default today).")] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet name for xlsx (default: the first sheet).")] = None,
    unmask: Annotated[bool, typer.Option("--unmask", help="Show full NIK/KK and names.")] = False,
    mask: Annotated[bool, typer.Option("--mask", help="Mask personal data even where the format shows it (xlsx).")] = False,
    max_examples: Annotated[int | None, typer.Option(help="Example rows shown per rule in text/html.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No report on the terminal; exit code only.")] = False,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
    config: Annotated[Path | None, typer.Option(help="Path to siksval.toml (default: looked up from the current folder).")] = None,
) -> None:
    from siksval import config as config_mod
    from siksval.monthdiff.run import diff as run_diff

    ui_lang = _argv_lang(["--lang", lang] if lang else [])
    progress = None
    try:
        cfg = config_mod.load(config)
        ui_lang = _argv_lang(["--lang", lang or cfg.lang or ""])
        formats, outputs, fail = _report_options(format, output, fail_on, max_examples, cfg)
        progress = None if (no_progress or quiet) else _progress_reporter(ui_lang)
        try:
            report = run_diff(
                str(old), str(new),
                dataset=dataset if dataset != "auto" else (cfg.dataset or "auto"),
                as_of=as_of, config=cfg, sheet=sheet, lang=lang,
                select=_split(select), ignore=_split(ignore), progress=progress,
            )
        finally:
            if progress is not None:
                progress.close()
        examples = max_examples if max_examples is not None else (cfg.max_examples or 5)
        for i, fmt in enumerate(formats):
            target = outputs[i] if i < len(outputs) else None
            _emit(report, fmt, target, stem=f"{new.stem}_diff", unmask=unmask, mask=mask,
                  quiet=quiet, max_examples=examples, fail_on=fail)
    except UserError as exc:
        _fail(exc, lang=ui_lang)
    raise typer.Exit(report.exit_code(fail))


def _report_options(
    format: list[str] | None, output: list[Path] | None, fail_on: str | None,
    max_examples: int | None, cfg: Any,
) -> tuple[list[str], list[Path], str]:
    """Validate the report options shared by `check` and `diff`: formats, outputs, --fail-on."""
    formats = [f.strip().lower() for f in (format or ["text"])]
    outputs = list(output or [])
    _check_formats(formats, outputs)
    fail = (fail_on or cfg.fail_on or "error").strip().lower()
    if fail not in ("error", "warning", "info", "never"):
        raise UserError(
            f"--fail-on {fail!r} is unknown; use error, warning, info or never.",
            id=f"--fail-on {fail!r} tidak dikenal; gunakan error, warning, info atau never.",
        )
    if max_examples is not None and max_examples < 0:
        raise UserError(
            "--max-examples must be 0 or more.", id="--max-examples harus 0 atau lebih."
        )
    return formats, outputs, fail


def _check_formats(formats: list[str], outputs: list[Path]) -> None:
    from siksval.report import FORMATTERS, available

    present = available()
    for f in formats:
        if f not in FORMATTERS:
            raise UserError(
                f"--format {f!r} is unknown; use one of {', '.join(FORMATTERS)}.",
                id=f"--format {f!r} tidak dikenal; gunakan salah satu dari {', '.join(FORMATTERS)}.",
            )
        if f not in present:
            raise UserError(
                f"--format {f} is not available in this build; use one of {', '.join(present)}.",
                id=f"--format {f} belum tersedia di versi ini; gunakan {', '.join(present)}.",
            )
    if len(outputs) > len(formats):
        raise UserError(
            "More --output than --format given; give one --output per --format.",
            id="--output lebih banyak daripada --format; berikan satu --output per --format.",
        )
    stdout = [o for o in outputs if str(o) == "-"]
    if len(stdout) > 1 or (len(formats) > 1 and len(outputs) < len(formats) and stdout):
        raise UserError(
            "Only one report can go to stdout ('-'); give a file for the others.",
            id="Hanya satu laporan yang dapat ke stdout ('-'); berikan berkas untuk yang lain.",
        )


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
    if target is None and (not formatter.to_stdout or formatter.binary):
        target = Path(f"{stem}_siksval{formatter.extension}")
    if target is None or str(target) == "-":
        if formatter.binary:
            raise UserError(
                f"--format {fmt} cannot go to stdout; give --output FILE.",
                id=f"--format {fmt} tidak dapat ke stdout; berikan --output BERKAS.",
            )
        if quiet and fmt == "text":
            return
        # Straight to stdout: the JSON findings stream instead of being built in memory.
        formatter.load()(report, sys.stdout, **opts)
        sys.stdout.flush()
        return
    try:
        render(report, fmt, target, **opts)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UserError(
            f"{target}: cannot write the report ({reason}); check the folder and its permissions.",
            id=f"{target}: laporan tidak dapat ditulis ({reason}); periksa folder dan izinnya.",
        ) from None
    if not quiet:
        err_console.print(t("written", report.lang, path=str(target)), markup=False)


#: Progress is drawn only for inputs this large (report.md: "more than ~50,000 rows").
PROGRESS_MIN_RECORDS = 50_000
#: A file this large is read with a spinner: about 50,000 records of a typical export.
PROGRESS_MIN_BYTES = 8 * 1024 * 1024


class RichProgress:
    """A rich progress bar on stderr: a spinner while a large file is read, then one bar over
    the rules (named by family) for inputs above PROGRESS_MIN_RECORDS. Transient: it leaves
    nothing behind in the terminal's scrollback."""

    def __init__(self, lang: str, console: Console | None = None,
                 min_records: int = PROGRESS_MIN_RECORDS,
                 min_bytes: int = PROGRESS_MIN_BYTES) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.lang = lang
        self.min_records = min_records
        self.min_bytes = min_bytes
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console or err_console,
            transient=True,
        )
        self._started = False
        self._read_task: Any = None
        self._rule_task: Any = None
        self._steps = 0

    def _start(self) -> None:
        if not self._started:
            self.bar.start()
            self._started = True

    def reading(self, path: str, size: int) -> None:
        from siksval.report.i18n import t

        if size >= self.min_bytes:
            self._start()
            self._read_task = self.bar.add_task(t("progress_read", self.lang, path=path), total=None)

    def loaded(self, path: str, records: int) -> None:
        if self._read_task is not None:
            self.bar.remove_task(self._read_task)
            self._read_task = None

    def rules(self, dataset: str, total: int, records: int) -> None:
        from siksval.report.i18n import t

        self._finish_rules()
        if records > self.min_records and total > 0:
            self._start()
            self._rule_task = self.bar.add_task(t("progress_rules", self.lang), total=total)
            self._steps = 0

    def step(self, code: str) -> None:
        from siksval.report.i18n import family_name, t

        if self._rule_task is None:
            return
        if self._steps:  # the previous rule is done
            self.bar.advance(self._rule_task)
        self._steps += 1
        family = "".join(ch for ch in code if ch.isalpha())
        label = f"{t('progress_rules', self.lang)}: {family_name(family, self.lang)} ({code})"
        self.bar.update(self._rule_task, description=label)

    def _finish_rules(self) -> None:
        if self._rule_task is not None:
            self.bar.remove_task(self._rule_task)
            self._rule_task = None

    def close(self) -> None:
        self._finish_rules()
        if self._started:
            self.bar.stop()
            self._started = False


def progress_enabled(stream: Any = None) -> bool:
    """Progress only on a terminal, never in CI (the `CI` variable set)."""
    stream = stream or sys.stderr
    return not os.environ.get("CI") and bool(getattr(stream, "isatty", lambda: False)())


def _progress_reporter(lang: str) -> RichProgress | None:
    if not progress_enabled():
        return None
    return RichProgress(lang)


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
    out = _plain_console()
    if code:
        info = cat.get(code.strip().upper())
        if info is None:
            _fail(UserError(f"there is no rule {code!r}; `siksval rules` lists them all.",
                            id=f"tidak ada aturan {code!r}; `siksval rules` menampilkan semuanya."))
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
    heads = ("kode", "tingkat", "nama", "arti") if language == "id" else (
        "code", "severity", "name", "meaning")
    for col in heads:
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
        _fail(exc)
    words = _SCHEMA_WORDS[language]
    out = _plain_console()
    table = Table(title=sc.title.get(language, sc.name), title_justify="left", show_lines=True)
    table.add_column(words["column"], no_wrap=True)
    table.add_column(words["type"], no_wrap=True)
    table.add_column(words["required"], no_wrap=True)
    table.add_column(words["detail"], overflow="fold")
    for name, spec in sc.columns.items():
        detail = [spec.meaning.get(language, "")]
        if spec.aliases:
            detail.append(f"{words['aliases']}: " + ", ".join(spec.aliases))
        if spec.labels:
            detail.append(
                f"{words['codes']}: " + "; ".join(f"{c}={lbl}" for c, lbl in spec.labels.items())
            )
        if spec.range:
            lo, hi = spec.range
            low = ("> " if spec.range_open_low else "≥ ") + f"{lo:g}" if lo is not None else ""
            high = f"≤ {hi:g}" if hi is not None else ""
            detail.append(f"{words['range']}: " + ", ".join(x for x in (low, high) if x))
        table.add_row(name, spec.type, words["yes"] if spec.required else "", "\n".join(detail))
    out.print(table)


_SCHEMA_WORDS = {
    "id": {"column": "kolom", "type": "tipe", "required": "wajib", "detail": "arti / alias / kode",
           "aliases": "alias", "codes": "kode", "range": "rentang", "yes": "ya"},
    "en": {"column": "column", "type": "type", "required": "required",
           "detail": "meaning / aliases / codes", "aliases": "aliases", "codes": "codes",
           "range": "range", "yes": "yes"},
}


def _plain_console() -> Console:
    """stdout console: full colour on a terminal, 100 plain columns when piped or captured."""
    tty = sys.stdout.isatty()
    return Console(highlight=False, width=None if tty else 100, no_color=not tty or None)


@app.command(help="Write a commented siksval.toml with every default.\n\nExample:\n\n  siksval init")
def init(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write it.")] = Path("siksval.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    from siksval.initfile import default_config_text
    from siksval.report import atomic_writer

    if output.exists() and not force:
        _fail(UserError(f"{output} already exists; use --force to overwrite it.",
                        id=f"{output} sudah ada; gunakan --force untuk menimpanya."))
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
    next_month_of: Annotated[Path | None, typer.Option(
        "--next-month-of",
        help="Derive the next monthly export from this synthetic DTKS file (for siksval diff); "
             "--truth then receives the table of known changes (default <OUT stem>_perubahan.csv)."
    )] = None,
    changes: Annotated[int | None, typer.Option(
        help="With --next-month-of: changes of each kind (default about 0.5 % of households)."
    )] = None,
) -> None:
    try:
        from siksval.synth import write_synth
    except ModuleNotFoundError:
        _fail(UserError("the synthetic data generator is not part of this build yet.",
                        id="pembuat data sintetis belum ada di versi ini."))
    if next_month_of is not None:
        from siksval.synth import write_next_month

        try:
            if changes is not None and changes < 0:
                raise UserError("--changes must be 0 or more.", id="--changes harus 0 atau lebih.")
            m = write_next_month(next_month_of, out, truth, seed=seed, changes=changes,
                                 style=style, as_of=as_of)
        except UserError as exc:
            _fail(exc)
        err_console.print(f"siksval: wrote {out} ({len(m.changes)} changes)", markup=False)
        return
    try:
        res = write_synth(out, dataset=dataset, rows=rows, seed=seed, defects=defects,
                          style=style, truth_path=truth, as_of=as_of)
    except UserError as exc:
        _fail(exc)
    err_console.print(f"siksval: wrote {out}", markup=False)
    if res.skipped:  # the file was too small to hold every requested defect
        missing = ", ".join(f"{code}×{n}" for code, n in sorted(res.skipped.items()))
        msg = (f"tidak disisipkan (berkas terlalu kecil, tambah --rows): {missing}"
               if _argv_lang(sys.argv[1:]) == "id"
               else f"not injected (file too small, raise --rows): {missing}")
        err_console.print(f"siksval: {msg}", markup=False)


@app.command(help=(
    "Find duplicate people in any person list, with explicit field roles.\n\n"
    "Roles: nik, nama, tgl_lahir, jenis_kelamin, nama_ibu_kandung, no_kk, kode_wilayah, "
    "tempat_lahir, alamat. Several columns for one role are joined with a space. Without "
    "--field the columns are recognised from their headers as in `check`.\n\n"
    "Examples:\n\n  siksval dedupe dtks.csv --format json --output ganda.json\n\n"
    "  siksval dedupe febrl3.csv --field nama=given_name,surname --field tgl_lahir=date_of_birth "
    "--field alamat=street_number,address_1,address_2,suburb,postcode,state --format csv"
))
def dedupe(
    path: Annotated[Path, typer.Argument(help="The person list (.csv, .txt, .xlsx, .parquet).")],
    field: Annotated[list[str] | None, typer.Option(
        "--field", help="ROLE=COLUMN[,COLUMN…] (repeatable).")] = None,
    threshold: Annotated[float | None, typer.Option(
        help="Match probability 0–1 from which records are one person (default 0.9); lower "
             "finds more duplicates, less surely.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text | json | csv.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output path ('-' = stdout).")] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet name for xlsx.")] = None,
    lang: Annotated[str | None, typer.Option(help="id (default) or en.")] = None,
) -> None:
    from siksval.api_dedupe import dedupe as run_dedupe
    from siksval.api_dedupe import parse_field_specs

    fmt = format.strip().lower()
    if fmt not in ("text", "json", "csv"):
        raise UserError(f"--format {format!r} is not one of text, json, csv.",
                        id=f"--format {format!r} bukan salah satu dari text, json, csv.")
    fields = parse_field_specs(field) if field else None
    res = run_dedupe(path, fields=fields, threshold=threshold, sheet=sheet)
    language = (lang or os.environ.get("SIKSVAL_LANG") or "id").strip().lower()
    if fmt == "json":
        text = res.to_json()
    elif fmt == "csv":
        text = res.to_csv()
    else:
        text = _dedupe_text(res, language)
    if output is None or str(output) == "-":
        sys.stdout.write(text or "")
    else:
        output.write_text(text or "", encoding="utf-8")
        err_console.print(f"siksval: wrote {output}", markup=False)


def _dedupe_text(res: Any, lang: str) -> str:
    n = len(res.duplicates)
    recs = sum(len(e["rows"]) for e in res.duplicates)
    if lang == "en":
        head = (f"{res.source.path}: {res.source.records} records, {n} duplicate clusters "
                f"({recs} records), threshold {res.threshold}")
    else:
        head = (f"{res.source.path}: {res.source.records} rekaman, {n} kelompok data ganda "
                f"({recs} rekaman), ambang {res.threshold}")
    lines = [head]
    for e in res.duplicates[:50]:
        ev = ", ".join(f"{k}: {v}" for k, v in (e.get("evidence") or {}).items())
        rows = " ".join(str(r) for r in e["rows"])
        keep = "keep" if lang == "en" else "pertahankan"
        lines.append(f"  #{e['cluster']} [{rows}] {e['kind']} {e.get('score')} {keep} {e['keep']}: {ev}")
    if n > 50:
        lines.append("  …")
    return "\n".join(lines) + "\n"


def _argv_lang(argv: list[str]) -> str:
    """The language for messages printed before or without the API: --lang, env, else id."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    value = (lang or os.environ.get("SIKSVAL_LANG") or "id").strip().lower()
    return value if value in ("id", "en") else "id"


def _usage_sentence(exc: UsageError, lang: str) -> str:
    """Click's usage error as one sentence that says where to look."""
    command = exc.ctx.command_path if exc.ctx else "siksval"
    message = exc.format_message().strip().rstrip(".")
    if lang == "id":
        return f"{message}; lihat `{command} --help`."
    return f"{message}; see `{command} --help`."


def main(argv: list[str] | None = None) -> None:
    """Console entry point: people get one sentence and exit 2, never a traceback."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _argv_lang(args)
    keep_freed_memory()
    try:
        code = app(args=args, prog_name="siksval", standalone_mode=False)
    except UserError as exc:
        err_console.print(f"siksval: {exc.text(lang)}", markup=False)
        sys.exit(2)
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `siksval`: show the help
            print(exc.format_message())
            sys.exit(0)
        err_console.print(f"siksval: {_usage_sentence(exc, lang)}", markup=False)
        sys.exit(2)
    except BrokenPipeError:
        # `siksval check ... | head`: the reader left; stop quietly like other Unix tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except (KeyboardInterrupt, typer.Abort):
        err_console.print("siksval: dihentikan / interrupted.", markup=False)
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
    sys.exit(code if isinstance(code, int) else 0)
