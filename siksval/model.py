"""The one data model every part of siksval agrees on: severities, rule metadata, the report.

This module imports nothing from siksval. Findings stay a long-format DataFrame (one row per
finding) until a formatter needs records; messages are rendered late, in the chosen language,
from each rule's template and the finding's parameters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import pandas as pd

#: Columns of the findings DataFrame, in this order.
FINDING_COLUMNS: tuple[str, ...] = (
    "code",
    "severity",
    "row",
    "rows",
    "column",
    "value",
    "no_kk",
    "nik",
    "source",
    "params",
)

REPORT_VERSION = 1


class Severity(IntEnum):
    """How bad a finding is. `error`: the value is wrong; `warning`: very likely wrong or
    ineligible, verify in the field; `info`: worth knowing."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r}; use one of error, warning, info"
            ) from None


def fail_threshold(fail_on: str | Severity | None) -> Severity | None:
    """`--fail-on` value to the lowest severity that fails a run (None = never fail)."""
    if fail_on is None or (isinstance(fail_on, str) and fail_on.strip().lower() == "never"):
        return None
    return Severity.parse(fail_on)


@dataclass(frozen=True)
class RuleInfo:
    """Everything known about a rule except its implementation."""

    code: str
    name: str
    severity: Severity
    family: str
    level: str  # row | household | file | cluster
    columns: tuple[str, ...]
    datasets: tuple[str, ...]
    options: Mapping[str, Any]
    doc: str
    message: Mapping[str, str]
    summary: Mapping[str, str]

    def render(self, params: Mapping[str, Any] | None, lang: str) -> str:
        """The finding's message in `lang` (falls back to Bahasa Indonesia). A finding whose
        params name a `variant` uses the rule's `"<lang>:<variant>"` template when it has one."""
        variant = params.get("variant") if params else None
        template = (
            (self.message.get(f"{lang}:{variant}") if variant else None)
            or self.message.get(lang) or self.message.get("id") or self.code
        )
        if not params:
            return template
        try:
            return template.format_map(_Missing(params))
        except (ValueError, IndexError):
            # A template with a stray brace must not cost the user the whole report.
            return template


class _Missing(dict):
    """format_map helper: unknown placeholders stay visible instead of raising."""

    def __init__(self, params: Mapping[str, Any]):
        super().__init__(params)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class SourceInfo:
    """Facts about one input file, as remembered by the reader."""

    path: str
    format: str
    records: int
    sha256: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    dataset: str | None = None
    columns_mapped: dict[str, str] = field(default_factory=dict)
    columns_unknown: list[str] = field(default_factory=list)
    #: unknown headers that repeat a mapped column: header -> canonical (not in the JSON)
    columns_duplicate: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "format": self.format,
            "delimiter": self.delimiter,
            "encoding": self.encoding,
            "records": self.records,
            "sha256": self.sha256,
            "columns_mapped": dict(self.columns_mapped),
            "columns_unknown": list(self.columns_unknown),
        }
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.dataset is not None:
            out["dataset"] = self.dataset
        return out


def empty_findings() -> pd.DataFrame:
    """A findings frame with the standard columns and no rows."""
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in FINDING_COLUMNS}).astype(
        {"row": "int64"}
    )


@dataclass
class Report:
    """The result of a run. Formatters read only this.

    `findings_raw` holds the findings without rendered messages; `findings` adds the `message`
    column in the report's language. Counts are never capped; formatters cap examples.
    """

    dataset: str
    as_of: str
    sources: list[SourceInfo]
    findings_raw: pd.DataFrame
    rules: Mapping[str, RuleInfo]
    rules_skipped: list[dict[str, str]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    reference: dict[str, str] = field(default_factory=dict)
    lang: str = "id"
    siksval_version: str = "0"
    households: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: (report) the records that findings and clusters mention, with where they live and who
    #: heads their household (siksval.context.CONTEXT_COLUMNS); unmasked, not part of the JSON.
    context: pd.DataFrame | None = None
    #: (report) codes of the rules that ran (selected, applicable, not skipped), for JUnit;
    #: None when unknown (then every rule with findings or skipped counts as run).
    rules_run: list[str] | None = None
    _rendered: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    # -- views ---------------------------------------------------------------------------
    @property
    def source(self) -> SourceInfo:
        return self.sources[0]

    @property
    def records(self) -> int:
        return sum(s.records for s in self.sources)

    def findings_in(self, lang: str | None = None) -> pd.DataFrame:
        """Findings with a `message` column rendered in `lang` (default: the report's)."""
        lang = lang or self.lang
        cached = self._rendered.get(lang)
        if cached is not None:
            return cached
        frame = self.findings_raw.copy()
        frame["message"] = [
            self.rules[code].render(params, lang) if code in self.rules else str(code)
            for code, params in zip(frame["code"], frame["params"], strict=True)
        ]
        self._rendered[lang] = frame
        return frame

    @property
    def findings(self) -> pd.DataFrame:
        """Findings as a DataFrame: code, severity, row, rows, column, value, message, no_kk, nik."""
        return self.findings_in(self.lang)

    def counts(self) -> dict[str, int]:
        """Number of findings per code (only codes with findings)."""
        if self.findings_raw.empty:
            return {}
        return self.findings_raw["code"].value_counts().to_dict()

    def household_counts(self) -> dict[str, int]:
        """Distinct households (no_kk) per code, for shares by household."""
        f = self.findings_raw
        if f.empty:
            return {}
        with_kk = f[f["no_kk"].notna()]
        return with_kk.groupby("code")["no_kk"].nunique().to_dict()

    def summary(self) -> pd.DataFrame:
        """Per rule with findings: severity, count, share of rows, households concerned."""
        counts = self.counts()
        hh = self.household_counts()
        rows = []
        total = max(self.records, 1)
        for code, n in counts.items():
            info = self.rules.get(code)
            rows.append(
                {
                    "code": code,
                    "severity": self.findings_raw.loc[
                        self.findings_raw["code"] == code, "severity"
                    ].iloc[0],
                    "count": int(n),
                    "share": n / total,
                    "households": hh.get(code) if info and info.level == "household" else None,
                    "name": info.name if info else code,
                }
            )
        frame = pd.DataFrame(
            rows, columns=["code", "severity", "count", "share", "households", "name"]
        ).astype({"households": "Int64"})
        if frame.empty:
            return frame
        # Grouped by rule family (the code's letters), then by code.
        return frame.sort_values("code").reset_index(drop=True)

    def severity_counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        if not self.findings_raw.empty:
            for sev, n in self.findings_raw["severity"].value_counts().items():
                out[str(sev)] = int(n)
        return out

    def exit_code(self, fail_on: str | Severity | None = "error") -> int:
        """0 when no finding reaches `fail_on`, else 1 (2 is for runs that could not be done)."""
        threshold = fail_threshold(fail_on)
        if threshold is None or self.findings_raw.empty:
            return 0
        worst = self.findings_raw["severity"].map(lambda s: Severity.parse(s)).max()
        return 1 if worst >= threshold else 0

    # -- output shortcuts (formatters live in siksval.report) -----------------------------
    def to_json(self, path: str | None = None, *, mask: bool = True, indent: int = 2) -> str | None:
        """The JSON report (report.md contract). Returns the text when no path is given."""
        return self._format("json", path, mask=mask, indent=indent)

    def to_html(self, path: str, *, mask: bool = True) -> None:
        self._format("html", path, mask=mask)

    def to_excel(self, path: str, *, mask: bool = False) -> None:
        self._format("xlsx", path, mask=mask)

    def to_csv(self, path: str | None = None, *, mask: bool = True) -> str | None:
        return self._format("csv", path, mask=mask)

    def _format(self, fmt: str, path: str | None, **options: Any) -> str | None:
        # Imported here because model must not depend on the rest of siksval at import time.
        from siksval.report import render

        return render(self, fmt, path, **options)

    def to_dict(self, *, mask: bool = True) -> dict[str, Any]:
        return json.loads(self.to_json(mask=mask))  # type: ignore[arg-type]


FormatterFn = Callable[..., str | None]


@dataclass(frozen=True)
class Finding:
    """One finding as a record (the findings DataFrame holds many of these as rows)."""

    code: str
    severity: str
    row: int | None
    rows: list[int]
    column: str | None
    value: Any
    message: str
    no_kk: str | None = None
    nik: str | None = None
    source: str | None = None
