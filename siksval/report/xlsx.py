"""The officer's verification worklist as an Excel workbook (xlsxwriter).

Sheets: `Ringkasan` (what the file is, how to use it, findings per rule, skipped rules, extra
sections), `Verifikasi` (one row per household to visit, by priority then desa, with empty
columns for the visit's result), one sheet per rule family (every finding with where the
household lives), and `Data ganda` (duplicate clusters, one row per record).

Every cell is written as text or a number explicitly (an identity number never becomes
3.27301E+15), and text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so no
spreadsheet runs it as a formula. Unmasked by default (it is the officer's working document) and
marked confidential; `--mask` masks it. Written row by row in xlsxwriter's constant-memory mode.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter

from siksval.model import Report
from siksval.report import view
from siksval.report.csv import neutralise
from siksval.report.i18n import family_name, t

#: Excel's row limit, less the header rows.
MAX_ROWS = 1_048_576 - 3
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
SEV_COLOUR = {"error": "#F8D7DA", "warning": "#FFF3CD", "info": "#D1ECF1"}


class _Book:
    """Formats and typed, injection-safe writes."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.wb = xlsxwriter.Workbook(fh, {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
        })
        add = self.wb.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.bold = add({"bold": True})
        self.head = add({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                         "text_wrap": True, "valign": "top", "border": 1})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.top = add({"valign": "top"})
        self.text = add({"num_format": "@", "valign": "top"})
        self.pct = add({"num_format": "0.0%", "valign": "top"})
        self.num = add({"num_format": "#,##0", "valign": "top"})
        self.confidential = add({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE",
                                 "text_wrap": True, "valign": "top"})
        self.fail = add({"bold": True, "font_color": "#9C0006"})
        self.ok = add({"bold": True, "font_color": "#006100"})
        self.entry = add({"bg_color": "#FFFFE0", "valign": "top", "text_wrap": True,
                          "border": 1, "border_color": "#BFBFBF"})
        self.sev = {s: add({"bg_color": c, "valign": "top"}) for s, c in SEV_COLOUR.items()}

    def cell(self, ws: Any, r: int, c: int, value: Any, fmt: Any = None) -> None:
        if value is None:
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(r, c, str(value), fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, fmt)
        else:
            ws.write_string(r, c, neutralise(str(value)), fmt)

    def text_cell(self, ws: Any, r: int, c: int, value: Any, fmt: Any = None) -> None:
        """Always text (identity numbers, codes, record lists)."""
        if value is None or value == "":
            ws.write_blank(r, c, None, fmt)
        else:
            ws.write_string(r, c, neutralise(str(value)), fmt)

    def header(self, ws: Any, r: int, names: Iterable[str], widths: Iterable[float]) -> None:
        for c, (name, width) in enumerate(zip(names, widths, strict=True)):
            ws.set_column(c, c, width)
            ws.write_string(r, c, name, self.head)


def write_xlsx(report: Report, fh: IO[bytes], *, mask: bool = False, fail_on: str | None = "error",
               **_: Any) -> None:
    lang = report.lang
    book = _Book(fh)
    wb = book.wb
    wb.set_properties({
        "title": t("title", lang),
        "subject": f"{report.dataset} {report.as_of}",
        "author": "siksval",
        "keywords": "" if mask else "RAHASIA, CONFIDENTIAL",
        "comments": t("masked_sheet" if mask else "confidential", lang),
        "category": "" if mask else "RAHASIA / CONFIDENTIAL",
    })
    work = view.worklist(report, mask=mask, lang=lang)
    _summary(book, report, work, mask=mask, lang=lang, fail_on=fail_on)
    _worklist(book, report, work, mask=mask, lang=lang)
    for fam, records in view.iter_family_findings(report, mask=mask, lang=lang):
        _family(book, report, fam, records, mask=mask, lang=lang)
    _duplicates(book, report, mask=mask, lang=lang)
    wb.close()


def _sheet(book: _Book, name: str, *, mask: bool, lang: str) -> Any:
    ws = book.wb.add_worksheet(name)
    marker = "" if mask else "&C&\"-,Bold\"&KFF0000" + t("confidential", lang).split(" — ")[0]
    ws.set_header(marker)
    ws.set_footer("&L&A&R&P / &N")
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    return ws


def _summary(book: _Book, report: Report, work: Any, *, mask: bool, lang: str,
             fail_on: str | None) -> None:
    ws = _sheet(book, t("sheet_summary", lang), mask=mask, lang=lang)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 3, 10)
    ws.set_column(4, 4, 14)
    ws.set_column(5, 5, 60)
    r = 0
    ws.write_string(r, 0, t("title", lang), book.title)
    r += 1
    ws.merge_range(r, 0, r, 5, t("masked_sheet" if mask else "confidential", lang),
                   book.confidential if not mask else book.wrap)
    ws.set_row(r, 32)
    r += 2
    for label, value in view.header_facts(report, lang):
        ws.write_string(r, 0, label, book.bold)
        book.cell(ws, r, 1, value)
        r += 1
    status, sentence = view.verdict(report, fail_on, lang)
    ws.write_string(r, 0, sentence, book.fail if status == "fail" else book.ok)
    r += 1
    if len(work):
        high = int((work["priority"] == 1).sum())
        ws.write_string(r, 0, t("next_steps", lang, n=f"{len(work):,}", high=f"{high:,}"),
                        book.bold)
        r += 1
    r += 1
    ws.write_string(r, 0, t("how_to_use", lang), book.bold)
    r += 1
    for step in t("how_to_use_steps", lang).split("|"):
        ws.merge_range(r, 0, r, 5, step, book.wrap)
        ws.set_row(r, 30)
        r += 1
    ws.merge_range(r, 0, r, 5, t("priority_help", lang), book.wrap)
    ws.set_row(r, 30)
    r += 2
    ws.write_string(r, 0, t("summary", lang), book.bold)
    r += 1
    heads = [t("family", lang), t("code", lang), t("severity", lang), t("count", lang),
             t("share", lang), t("meaning", lang)]
    for c, h in enumerate(heads):
        ws.write_string(r, c, h, book.head)
    r += 1
    blocks = view.families(report, lang)
    if not blocks:
        ws.write_string(r, 0, t("no_findings", lang))
        r += 1
    for block in blocks:
        for line in block.rules:
            ws.write_string(r, 0, f"{block.name} ({block.family})", book.top)
            ws.write_string(r, 1, line.code, book.top)
            ws.write_string(r, 2, t(line.severity, lang), book.sev.get(line.severity, book.top))
            ws.write_number(r, 3, line.count, book.num)
            ws.write_string(r, 4, line.share_text(), book.top)
            ws.write_string(r, 5, line.meaning, book.wrap)
            r += 1
    for section in view.sections(report, mask=mask, lang=lang):
        r += 1
        ws.write_string(r, 0, section.title, book.bold)
        r += 1
        for c, h in enumerate(section.columns):
            ws.write_string(r, c, h, book.head)
        r += 1
        for row in section.rows:
            for c, v in enumerate(row):
                book.cell(ws, r, c, v, book.top)
            r += 1
    skipped = view.skipped(report, lang)
    if skipped:
        r += 1
        ws.write_string(r, 0, t("skipped", lang), book.bold)
        r += 1
        for code, reason in skipped:
            ws.write_string(r, 0, code, book.top)
            ws.merge_range(r, 1, r, 5, reason, book.wrap)
            r += 1
    r += 1
    ws.write_string(r, 0, t("generated_by", lang, version=report.siksval_version))


def _worklist(book: _Book, report: Report, work: Any, *, mask: bool, lang: str) -> None:
    ws = _sheet(book, t("sheet_worklist", lang), mask=mask, lang=lang)
    heads = [t("priority", lang), t("kecamatan", lang), t("desa", lang), t("alamat", lang),
             t("no_kk", lang), t("kepala", lang), t("reasons", lang), t("codes", lang),
             t("rows", lang), t("result", lang), t("date_visited", lang),
             t("officer_note", lang)]
    widths = [11, 16, 18, 32, 19, 24, 70, 14, 12, 18, 12, 30]
    multi = len(report.sources) > 1
    if multi:  # record numbers are per file
        heads.insert(9, t("file", lang))
        widths.insert(9, 24)
    entry = range(10, 13) if multi else range(9, 12)
    book.header(ws, 0, heads, widths)
    for c in entry:  # the officer's columns: shaded through a column format, no cell written
        ws.set_column(c, c, widths[c], book.entry)
    ws.set_row(0, 30)
    n = min(len(work), MAX_ROWS)
    cols = {c: work[c].tolist() for c in work.columns}
    for i in range(n):
        r = i + 1
        book.text_cell(ws, r, 0, cols["level"][i], book.top)
        book.text_cell(ws, r, 1, cols["kecamatan"][i], book.top)
        book.text_cell(ws, r, 2, cols["desa"][i], book.top)
        book.text_cell(ws, r, 3, cols["alamat"][i], book.wrap)
        book.text_cell(ws, r, 4, cols["no_kk"][i], book.text)
        book.text_cell(ws, r, 5, cols["kepala"][i], book.top)
        book.text_cell(ws, r, 6, cols["reasons"][i], book.wrap)
        book.text_cell(ws, r, 7, cols["codes"][i], book.top)
        book.text_cell(ws, r, 8, cols["rows"][i], book.text)
        if multi:
            book.text_cell(ws, r, 9, cols["source"][i], book.top)
    last = max(n, 1)
    ws.autofilter(0, 0, last, len(heads) - 1)
    ws.freeze_panes(1, 0)
    if n:
        ws.data_validation(1, entry[0], n, entry[0], {
            "validate": "list", "source": t("result_options", lang).split(","),
            "ignore_blank": True, "error_type": "information",
        })
        ws.data_validation(1, entry[1], n, entry[1], {
            "validate": "date", "criteria": ">=", "value": dt.date(2000, 1, 1),
            "ignore_blank": True, "error_type": "information",
        })
    else:
        ws.write_string(1, 0, t("no_findings", lang))
    ws.repeat_rows(0)


def _family(book: _Book, report: Report, fam: str, records: Iterable[dict[str, Any]], *,
            mask: bool, lang: str) -> None:
    name = _sheet_name(f"{fam} {family_name(fam, lang)}")
    ws = _sheet(book, name, mask=mask, lang=lang)
    heads = [t("code", lang), t("severity", lang), t("row", lang), t("rows", lang),
             t("column", lang), t("value", lang), t("message", lang), t("kecamatan", lang),
             t("desa", lang), t("alamat", lang), t("no_kk", lang), t("kepala", lang),
             t("nik_of_row", lang), t("name_of_row", lang)]
    widths = [9, 11, 8, 12, 16, 20, 70, 16, 18, 30, 19, 24, 19, 24]
    multi = len(report.sources) > 1
    if multi:
        heads.append(t("file", lang))
        widths.append(24)
    book.header(ws, 0, heads, widths)
    r = 0
    total = 0
    for rec in records:
        total += 1
        if r >= MAX_ROWS:
            continue
        r += 1
        place = rec.get("place") or {}
        sev = rec["severity"]
        ws.write_string(r, 0, rec["code"], book.top)
        ws.write_string(r, 1, t(sev, lang) if sev in view.SEVERITY_RANK else sev,
                        book.sev.get(sev, book.top))
        book.cell(ws, r, 2, rec["row"], book.top)
        book.text_cell(ws, r, 3, " ".join(str(x) for x in rec["rows"]), book.text)
        book.text_cell(ws, r, 4, rec["column"], book.top)
        book.text_cell(ws, r, 5, rec["value"], book.text)
        book.text_cell(ws, r, 6, rec["message"], book.wrap)
        book.text_cell(ws, r, 7, place.get("kecamatan"), book.top)
        book.text_cell(ws, r, 8, place.get("desa"), book.top)
        book.text_cell(ws, r, 9, place.get("alamat"), book.top)
        book.text_cell(ws, r, 10, place.get("no_kk") or rec["key"]["no_kk"], book.text)
        book.text_cell(ws, r, 11, place.get("kepala"), book.top)
        book.text_cell(ws, r, 12, place.get("nik") or rec["key"]["nik"], book.text)
        book.text_cell(ws, r, 13, place.get("nama"), book.top)
        if multi:
            book.text_cell(ws, r, 14, rec.get("source"), book.top)
    ws.autofilter(0, 0, max(r, 1), len(heads) - 1)
    ws.freeze_panes(1, 0)
    if total > r:
        ws.write_string(r + 2, 0, t("sheet_truncated", lang, shown=f"{r:,}", n=f"{total:,}"),
                        book.fail)


def _sheet_name(text: str) -> str:
    """Excel's 31 characters: drop a parenthesis, then whole words, never cut a word."""
    name = _BAD_SHEET_CHARS.sub(" ", text)
    if len(name) > 31:
        name = re.sub(r"\s*\([^)]*\)", "", name)
    while len(name) > 31 and " " in name:
        name = name.rsplit(" ", 1)[0]
    return name[:31].strip()


def _duplicates(book: _Book, report: Report, *, mask: bool, lang: str) -> None:
    ws = _sheet(book, t("sheet_duplicates", lang), mask=mask, lang=lang)
    heads = [t("cluster", lang), t("kind", lang), t("score", lang), t("row", lang),
             *(view.field_label(f, lang) for f in view.DUP_FIELDS), t("evidence", lang)]
    widths = [10, 14, 8, 8, 19, 26, 13, 26, 19, 18, 50]
    book.header(ws, 0, heads, widths)
    clusters = view.clusters(report, mask=mask)
    r = 0
    for c in clusters:
        evidence = "; ".join(f"{view.field_label(k, lang)}: {v}" if k else v
                             for k, v in c.evidence.items())
        for i, rec in enumerate(c.records):
            if r >= MAX_ROWS:
                break
            r += 1
            book.cell(ws, r, 0, c.number if isinstance(c.number, int) else str(c.number),
                      book.top)
            book.text_cell(ws, r, 1, c.kind, book.top)
            if c.score is not None:
                ws.write_number(r, 2, c.score, book.top)
            ws.write_number(r, 3, rec["row"], book.top)
            for j, name in enumerate(view.DUP_FIELDS):
                book.text_cell(ws, r, 4 + j, rec.get(name), book.text)
            if i == 0:
                book.text_cell(ws, r, 4 + len(view.DUP_FIELDS), evidence, book.wrap)
    if not clusters:
        ws.write_string(1, 0, t("no_duplicates", lang))
    ws.autofilter(0, 0, max(r, 1), len(heads) - 1)
    ws.freeze_panes(1, 0)
