"""The rule registry: `@rule` metadata beside small pure functions, and the runner.

A rule is `fn(ds, opts) -> Hits | pd.DataFrame`. Row rules return a boolean mask over the
records; household rules return a mask plus the engine groups the masked records by household
(`no_kk`) into one finding per household. Cluster, file and cross-file rules may return a ready
findings frame (columns row, rows, column, value, params, no_kk, nik).
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from siksval.model import FINDING_COLUMNS, RuleInfo, Severity, empty_findings

if TYPE_CHECKING:
    from siksval.config import Config
    from siksval.dataset import Dataset

LEVELS = ("row", "household", "file", "cluster")
ALL_DATASETS = ("dtks", "lksa", "lksa_anak")

#: Modules holding rules, imported once on first use of the registry.
RULE_MODULES: tuple[str, ...] = (
    "siksval.rules.schema_rules",
    "siksval.rules.nik",
    "siksval.rules.kk",
    "siksval.rules.demography",
    "siksval.rules.region",
    "siksval.rules.household",
    "siksval.rules.duplicates",
    "siksval.rules.eligibility",
    "siksval.rules.lksa",
    "siksval.rules.changes",
)


@dataclass
class Hits:
    """What a row or household rule found.

    mask: True on the records that fire (row rules) or that carry the evidence (household rules).
    column: the canonical column the finding is about (or one per record, e.g. the region-name
        column that mismatches, as a Series aligned to the frame).
    value: the offending value per record (default: the frame's `column`).
    params: message-template parameters per record, aligned to the frame's index.
    """

    mask: pd.Series
    column: str | pd.Series | None = None
    value: pd.Series | None = None
    params: pd.DataFrame | None = None


class Skip(Exception):
    """Raised by a rule that cannot run on this input, e.g. a cross-file rule whose other file
    is not part of the run. The runner lists the rule as skipped with the reason (en, id)."""

    def __init__(self, reason: str, reason_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_id = reason_id or reason


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    fn: Callable[..., Any] | None  # None for rules produced outside the registry (SCH)


_REGISTRY: dict[str, Rule] = {}
_loaded = False


def rule(
    code: str,
    name: str,
    *,
    severity: str,
    columns: Iterable[str] = (),
    level: str = "row",
    datasets: Iterable[str] = ("dtks",),
    options: dict[str, Any] | None = None,
    message: dict[str, str],
    summary: dict[str, str],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a rule. The function's docstring is the rule's user documentation."""
    if level not in LEVELS:
        raise ValueError(f"{code}: level must be one of {LEVELS}")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        register(
            RuleInfo(
                code=code,
                name=name,
                severity=Severity.parse(severity),
                family=family_of(code),
                level=level,
                columns=tuple(columns),
                datasets=tuple(datasets),
                options=dict(options or {}),
                doc=textwrap.dedent(inspect.getdoc(fn) or "").strip(),
                message=dict(message),
                summary=dict(summary),
            ),
            fn,
        )
        return fn

    return decorate


def register(info: RuleInfo, fn: Callable[..., Any] | None) -> None:
    if info.code in _REGISTRY and _REGISTRY[info.code].fn is not fn:
        raise ValueError(f"rule code {info.code} registered twice")
    _REGISTRY[info.code] = Rule(info, fn)


def family_of(code: str) -> str:
    return "".join(ch for ch in code if ch.isalpha())


def load_rules() -> dict[str, Rule]:
    """Import every rule module (missing ones are simply not there yet) and return the registry."""
    global _loaded
    if not _loaded:
        for mod in RULE_MODULES:
            try:
                importlib.import_module(mod)
            except ModuleNotFoundError as exc:
                if exc.name != mod:
                    raise
        _loaded = True
    return dict(sorted(_REGISTRY.items()))


def catalogue() -> dict[str, RuleInfo]:
    return {code: r.info for code, r in load_rules().items()}


def get(code: str) -> Rule | None:
    return load_rules().get(code.upper())


# ---------------------------------------------------------------------------------------------
# Running rules
# ---------------------------------------------------------------------------------------------


def effective_info(info: RuleInfo, config: Config) -> RuleInfo:
    """The rule's metadata with the user's severity override applied."""
    sev = config.severity_for(info.code, info.severity)
    if sev == info.severity:
        return info
    return RuleInfo(**{**info.__dict__, "severity": sev})


def run_rules(
    ds: Dataset,
    config: Config,
    *,
    skip: set[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[pd.DataFrame], list[dict[str, str]]]:
    """Run every selected rule that applies to the dataset.

    Returns the findings frames (one per rule with findings) and the skipped rules with a reason.
    """
    frames: list[pd.DataFrame] = []
    skipped: list[dict[str, str]] = []
    for code, r in load_rules().items():
        info = r.info
        if r.fn is None or ds.name not in info.datasets or (skip and code in skip):
            continue
        if not config.is_selected(code):
            continue
        missing, empty = unavailable_columns(ds, info.columns)
        if missing or empty:
            skipped.append(skip_reason(code, missing, empty))
            continue
        if progress:
            progress(code)
        opts = config.options_for(code, dict(info.options))
        try:
            result = r.fn(ds, opts)
        except Skip as exc:
            skipped.append({"code": code, "reason": exc.reason, "reason_id": exc.reason_id})
            continue
        sev = config.severity_for(code, info.severity).label
        frame = to_findings(ds, info, result, sev)
        if frame is not None and not frame.empty:
            frames.append(frame)
    return frames, skipped


def skip_reason(code: str, missing: list[str], empty: list[str]) -> dict[str, str]:
    """The rules_skipped entry of a rule that lacks columns (en + id)."""
    en = [f"column {_names(missing, ' or ')} not present"] if missing else []
    idn = [f"kolom {_names(missing, ' atau ')} tidak ada"] if missing else []
    if empty:
        en.append(f"column {_names(empty, ' or ')} is empty")
        idn.append(f"kolom {_names(empty, ' atau ')} kosong seluruhnya")
    return {"code": code, "reason": "; ".join(en), "reason_id": "; ".join(idn)}


def unavailable_columns(ds: Dataset, columns: Iterable[str]) -> tuple[list[str], list[str]]:
    """(missing, empty): the entries of a rule's `columns` the dataset lacks, or holds without
    a single value. An entry `a|b|c` means "at least one of these, with data" (e.g. the aid
    program flags of the ELG rules)."""
    missing: list[str] = []
    empty: list[str] = []
    for entry in columns:
        alternatives = entry.split("|")
        if any(ds.has(a) for a in alternatives):
            continue
        if any(a in ds.frame.columns for a in alternatives):
            empty.append(entry)
        else:
            missing.append(entry)
    return missing, empty


def _names(entries: list[str], word: str) -> str:
    return ", ".join(e.replace("|", word) for e in entries)


def to_findings(ds: Dataset, info: RuleInfo, result: Any, severity: str) -> pd.DataFrame | None:
    """Normalise a rule's result into the standard findings frame."""
    if result is None:
        return None
    if isinstance(result, pd.DataFrame):
        frame = result.copy()
    elif isinstance(result, Hits):
        frame = _hits_to_frame(ds, info, result)
    else:
        raise TypeError(f"{info.code}: a rule must return Hits or a DataFrame")
    if frame.empty:
        return None
    frame["code"] = info.code
    frame["severity"] = severity
    frame["source"] = ds.source_label
    for col in FINDING_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    return frame[list(FINDING_COLUMNS)]


def _hits_to_frame(ds: Dataset, info: RuleInfo, hits: Hits) -> pd.DataFrame:
    mask = hits.mask.fillna(False).astype(bool).to_numpy()
    if not mask.any():
        return empty_findings()
    idx = np.flatnonzero(mask)
    frame = ds.frame
    if hits.value is not None:
        values = _objects(hits.value.iloc[idx])
    elif isinstance(hits.column, str) and hits.column in frame.columns:
        values = _objects(frame[hits.column].iloc[idx])
    else:
        values = np.full(len(idx), None, dtype=object)
    params = _params_records(hits.params, idx)
    out = pd.DataFrame(
        {
            "row": ds.row.to_numpy()[idx],
            "column": _plain(_objects(hits.column.iloc[idx]))
            if isinstance(hits.column, pd.Series)
            else hits.column,
            "value": _plain(values),
            "no_kk": _key_values(ds, "no_kk", idx),
            "nik": _key_values(ds, "nik", idx),
            "params": params,
        }
    )
    if info.level == "household":
        codes = ds.hh_codes[idx]
        # A record without a KK is a household of its own (a unique negative id).
        out["_hh"] = np.where(codes >= 0, codes, -1 - np.arange(len(idx)))
        out = out.drop_duplicates("_hh", keep="first")
        members = ds.household_rows_by_id(out["_hh"].to_numpy())
        out["rows"] = [m if m else [int(r)] for m, r in zip(members, out["row"], strict=True)]
        out["row"] = [m[0] for m in out["rows"]]
        out = out.drop(columns="_hh")
    else:
        out["rows"] = [[int(r)] for r in out["row"]]
    return out.reset_index(drop=True)


def _params_records(params: pd.DataFrame | None, idx: np.ndarray) -> list[dict[str, Any] | None]:
    if params is None or params.empty:
        return [None] * len(idx)
    sub = params.iloc[idx]
    cols = list(sub.columns)
    arrays = [_plain(sub[c].to_numpy()) for c in cols]
    return [dict(zip(cols, vals, strict=True)) for vals in zip(*arrays, strict=True)]


def _key_values(ds: Dataset, column: str, idx: np.ndarray) -> np.ndarray:
    if column not in ds.frame.columns:
        return np.full(len(idx), None, dtype=object)
    # Only the firing records: converting a whole 1M-row text column costs ~0.1 s per call.
    return _plain(_objects(ds.frame[column].iloc[idx]))


def _objects(series: pd.Series) -> np.ndarray:
    """Values as Python objects; nullable integers stay integers (not floats with NaN)."""
    return series.to_numpy(dtype=object, na_value=None)


def _plain(values: np.ndarray) -> np.ndarray:
    """Object array of plain Python values with None for missing (JSON-ready)."""
    arr = np.asarray(values, dtype=object)
    missing = pd.isna(arr)
    if missing.any():
        arr = arr.copy()
        arr[missing] = None
    out = np.empty(len(arr), dtype=object)
    for i, v in enumerate(arr.tolist()):
        out[i] = _py(v)
    return out


def _py(v: Any) -> Any:
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, np.datetime64):
        return _py(pd.Timestamp(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, np.generic):
        return v.item()
    return v
