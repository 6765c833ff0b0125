"""The JSON report (shared/spec/report.md), written streaming: findings one by one."""

from __future__ import annotations

import json
from typing import IO, Any

from siksval.model import REPORT_VERSION, Report
from siksval.report.mask import mask_id, mask_name
from siksval.report.records import _jsonable, finding_records


def header(report: Report, *, mask: bool) -> dict[str, Any]:
    """Everything but the findings, in the contract's key order."""
    counts = report.counts()
    hh = report.household_counts()
    by_rule = {}
    for code in sorted(counts):
        info = report.rules.get(code)
        by_rule[code] = {
            "severity": info.severity.label if info else None,
            "count": int(counts[code]),
            "households": int(hh[code]) if info and info.level == "household" and code in hh else None,
        }
    summary: dict[str, Any] = dict(report.severity_counts())
    summary["by_rule"] = by_rule
    sources = [s.to_dict() for s in report.sources]
    out: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "siksval_version": report.siksval_version,
        "dataset": report.dataset,
        "as_of": report.as_of,
        "source": sources[0],
    }
    if len(sources) > 1:
        out["sources"] = sources
    out["reference"] = dict(report.reference)
    out["summary"] = summary
    out["rules_skipped"] = [
        {"code": s["code"], "reason": s["reason"]} for s in report.rules_skipped
    ]
    out["masked"] = mask
    out.update(report.extra)
    out.update(report.sections)
    return out


def duplicates(report: Report, *, mask: bool) -> list[dict[str, Any]]:
    out = []
    for cluster in report.duplicates:
        c = dict(cluster)
        if mask:
            for key in ("nik", "niks"):
                if key in c:
                    c[key] = [mask_id(v) for v in c[key]] if isinstance(c[key], list) else mask_id(c[key])
            for key in ("nama", "names"):
                if key in c:
                    c[key] = mask_name(c[key])
            if isinstance(c.get("records"), list):
                c["records"] = [_mask_record(r) for r in c["records"]]
        out.append(_jsonable(c))
    return out


def _mask_record(record: Any) -> Any:
    if not isinstance(record, dict):
        return record
    r = dict(record)
    for key in ("nik", "no_kk"):
        if key in r:
            r[key] = mask_id(r[key])
    for key in ("nama", "nama_ibu_kandung"):
        if key in r:
            r[key] = mask_name(r[key])
    return r


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the report (siksval/schemas/report.schema.json, in the wheel)."""
    from importlib import resources

    text = resources.files("siksval").joinpath("schemas", "report.schema.json").read_text("utf-8")
    return json.loads(text)


def write_json(report: Report, fh: IO[str], *, mask: bool = True, indent: int | None = 2, **_: Any) -> None:
    head = header(report, mask=mask)
    text = json.dumps(head, ensure_ascii=False, indent=indent)
    # Stream: write the header object without its closing brace, then the findings.
    fh.write(text[:-1].rstrip())
    sep = "\n" if indent else ""
    pad = " " * (indent or 0)
    fh.write(f",{sep}{pad}\"findings\": [")
    first = True
    for record in finding_records(report, mask=mask):
        # allow_nan=False: a NaN that slipped through must fail loudly, not write invalid JSON.
        line = json.dumps(record, ensure_ascii=False, allow_nan=False)
        fh.write(("" if first else ",") + sep + pad * 2 + line)
        first = False
    fh.write((sep + pad if not first else "") + "],")
    dup = json.dumps(duplicates(report, mask=mask), ensure_ascii=False)
    fh.write(f"{sep}{pad}\"duplicates\": {dup}{sep}}}{sep}")
