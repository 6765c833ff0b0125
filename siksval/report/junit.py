"""JUnit XML for CI: one test case per rule that ran, failed when it has findings at or above
`--fail-on`; rules that could not run are skipped test cases with the reason.

Rules excluded by --select/--ignore did not run and are not listed. Messages are masked like the
other outputs unless --unmask.
"""

from __future__ import annotations

import re
from typing import IO, Any
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

from siksval.model import Report, fail_threshold
from siksval.report import view
from siksval.report.i18n import t
from siksval.report.records import finding_records

#: Characters XML 1.0 forbids (a hostile export may hold them); replaced by U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    return _escape(_NOT_XML.sub("\ufffd", text))


def quoteattr(text: str) -> str:
    return _quoteattr(_NOT_XML.sub("\ufffd", text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


#: Findings listed in a failure's body per rule (the full list is in the JSON/CSV report).
MAX_LINES = 200


def write_junit(report: Report, fh: IO[str], *, mask: bool = True, fail_on: str | None = "error",
                **_: Any) -> None:
    lang = report.lang
    threshold = fail_threshold(fail_on)
    counts = report.counts()
    skipped = dict(view.skipped(report, lang))
    ran = list(report.rules_run) if report.rules_run is not None else []
    codes = sorted({*ran, *counts, *skipped}, key=lambda c: view.code_order(report, c))
    f = report.findings_raw
    worst = (
        f.assign(_r=f["severity"].map(view.SEVERITY_RANK)).groupby("code")["_r"].max().to_dict()
        if not f.empty else {}
    )
    failing = {c for c, r in worst.items()
               if threshold is not None and r >= int(threshold) and c in codes}
    lines = _lines(report, failing, mask=mask, lang=lang)
    name = "siksval " + report.dataset
    source = ", ".join(s.path for s in report.sources)
    n_skip = sum(1 for c in codes if c in skipped and c not in counts)
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    fh.write(f'<testsuites name="siksval" tests="{len(codes)}" failures="{len(failing)}" '
             f'errors="0" skipped="{n_skip}">\n')
    fh.write(f'  <testsuite name={quoteattr(name)} tests="{len(codes)}" '
             f'failures="{len(failing)}" errors="0" skipped="{n_skip}">\n')
    fh.write("    <properties>\n")
    for key, value in (("source", source), ("dataset", report.dataset), ("as_of", report.as_of),
                       ("records", str(report.records)), ("fail_on", str(fail_on)),
                       ("siksval_version", report.siksval_version),
                       ("reference", report.reference.get("wilayah", ""))):
        fh.write(f"      <property name={quoteattr(key)} value={quoteattr(value)}/>\n")
    fh.write("    </properties>\n")
    for code in codes:
        info = report.rules.get(code)
        fam = view.family_of(report, code)
        title = f"{code} {info.summary.get(lang) or info.summary.get('id', '')}" if info else code
        head = f'    <testcase classname={quoteattr("siksval." + fam)} name={quoteattr(title)}'
        n = counts.get(code, 0)
        if code in failing:
            sev = info.severity.label if info else "error"
            msg = t("junit_findings", lang, n=f"{n:,}", severity=t(sev, lang))
            body = "\n".join(lines.get(code, []))
            if n > len(lines.get(code, [])):
                body += "\n" + t("more_findings", lang, n=f"{n - len(lines.get(code, [])):,}")
            fh.write(f"{head}>\n      <failure message={quoteattr(msg)} type={quoteattr(sev)}>"
                     f"{escape(body)}</failure>\n    </testcase>\n")
        elif n:
            level = t(threshold.label, lang) if threshold is not None else "never"
            out = t("junit_below", lang, n=f"{n:,}", level=level)
            fh.write(f"{head}>\n      <system-out>{escape(out)}</system-out>\n    </testcase>\n")
        elif code in skipped:
            fh.write(f"{head}>\n      <skipped message={quoteattr(skipped[code])}/>\n"
                     "    </testcase>\n")
        else:
            fh.write(f"{head}/>\n")
    fh.write("  </testsuite>\n</testsuites>\n")


def _lines(report: Report, codes: set[str], *, mask: bool, lang: str) -> dict[str, list[str]]:
    """`baris 12 nik=3273**********01: NIK harus 16 digit…`, up to MAX_LINES per code."""
    f = report.findings_raw
    if f.empty or not codes:
        return {}
    head = f[f["code"].isin(codes)].groupby("code", sort=False).head(MAX_LINES)
    out: dict[str, list[str]] = {}
    row_word = t("row", lang).lower()
    for rec in finding_records(report, mask=mask, lang=lang, frame=head):
        where = view.where(rec, len(report.sources))
        col = f" {rec['column']}" if rec["column"] else ""
        value = f"={rec['value']}" if rec["value"] is not None and rec["column"] else ""
        out.setdefault(rec["code"], []).append(f"{row_word} {where}{col}{value}: {rec['message']}")
    return out
