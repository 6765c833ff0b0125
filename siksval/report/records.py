"""Findings as plain records (masked or not, message in the report's language).

Shared by the JSON, CSV and JUnit formatters so they cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pandas as pd

from siksval.model import Report
from siksval.report.mask import mask_id, mask_params, mask_value


def finding_records(
    report: Report, *, mask: bool, lang: str | None = None, frame: pd.DataFrame | None = None
) -> Iterator[dict[str, Any]]:
    """One dict per finding, in the JSON contract's shape, streamed in order.

    `frame`: a subset of `report.findings_raw` (e.g. the first examples per rule)."""
    lang = lang or report.lang
    frame = report.findings_raw if frame is None else frame
    if frame.empty:
        return
    cols = {c: frame[c].tolist() for c in frame.columns}
    for i in range(len(frame)):
        code = cols["code"][i]
        column = cols["column"][i]
        params = cols["params"][i]
        # pandas 3 infers a NaN-backed string dtype for these columns: NaN means "none".
        value = _none_if_missing(cols["value"][i])
        no_kk, nik = _none_if_missing(cols["no_kk"][i]), _none_if_missing(cols["nik"][i])
        if mask:
            params = mask_params(params, column)
            value = mask_value(column, value)
            no_kk, nik = mask_id(no_kk), mask_id(nik)
        info = report.rules.get(code)
        message = info.render(params, lang) if info else code
        row = cols["row"][i]
        record: dict[str, Any] = {
            "code": code,
            "severity": cols["severity"][i],
            "row": None if row is None or pd.isna(row) else int(row),
            "rows": [int(r) for r in (cols["rows"][i] or [])],
            "column": column,
            "value": _jsonable(value),
            "message": message,
            "key": {"no_kk": no_kk, "nik": nik},
        }
        if cols["source"][i] is not None and len(report.sources) > 1:
            record["source"] = cols["source"][i]
        extra = _structured(params)
        if extra:
            record["details"] = extra
        yield record


def _none_if_missing(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return value
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def _structured(params: Any) -> dict[str, Any] | None:
    """Structured parameters (e.g. ELG reasons) kept beside the rendered message."""
    if not params:
        return None
    return {k: _jsonable(v) for k, v in params.items()}


def _jsonable(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)
