"""CSV: one row per finding (the JSON findings flattened), safe against formula injection."""

from __future__ import annotations

import csv
from typing import IO, Any

from siksval.model import Report
from siksval.report.records import finding_records

COLUMNS = ("code", "severity", "row", "rows", "column", "value", "message", "no_kk", "nik", "source")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a `'` to text a spreadsheet would run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(report: Report, fh: IO[str], *, mask: bool = True, **_: Any) -> None:
    writer = csv.writer(fh)
    # siksval diff: a last column with the records in OLD
    old = "old_rows" in report.findings_raw.columns
    writer.writerow((*COLUMNS, "old_rows") if old else COLUMNS)
    for r in finding_records(report, mask=mask):
        tail = [" ".join(str(x) for x in r.get("old_rows", []))] if old else []
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    r["code"],
                    r["severity"],
                    r["row"] if r["row"] is not None else "",
                    " ".join(str(x) for x in r["rows"]),
                    r["column"] or "",
                    "" if r["value"] is None else r["value"],
                    r["message"],
                    r["key"]["no_kk"] or "",
                    r["key"]["nik"] or "",
                    r.get("source") or "",
                    *tail,
                )
            ]
        )
