"""The rich terminal report: header, summary per family and rule, examples, duplicate clusters
side by side, extra sections, skipped rules, verdict.

Readable in 100 columns; plain (no colour, ASCII boxes) when not a terminal or with NO_COLOR.
"""

from __future__ import annotations

import os
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from siksval.model import Report
from siksval.report import view
from siksval.report.i18n import t

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
VERDICT_STYLE = {"fail": "bold red", "pass": "bold green", "done": "bold"}
MAX_WIDTH = 100


def make_console(fh: IO[str], *, width: int | None = None, force_terminal: bool | None = None,
                 record: bool = False) -> Console:
    is_tty = bool(getattr(fh, "isatty", lambda: False)()) or bool(force_terminal)
    no_color = "NO_COLOR" in os.environ or not is_tty
    return Console(
        file=fh,
        width=width or (None if is_tty else MAX_WIDTH),
        no_color=no_color,
        force_terminal=force_terminal if force_terminal is not None else (is_tty or None),
        highlight=False,
        emoji=False,
        soft_wrap=False,
        record=record,
    )


def write_text(
    report: Report,
    fh: IO[str],
    *,
    mask: bool = True,
    max_examples: int = 5,
    fail_on: str | None = "error",
    width: int | None = None,
    console: Console | None = None,
    **_: Any,
) -> None:
    console = console or make_console(fh, width=width)
    print_report(console, report, mask=mask, max_examples=max_examples, fail_on=fail_on)


def print_report(console: Console, report: Report, *, mask: bool, max_examples: int,
                 fail_on: str | None) -> None:
    lang = report.lang
    plain = console.no_color or not console.is_terminal
    tbox = box.ASCII2 if plain else box.SIMPLE_HEAD
    width = min(console.width, MAX_WIDTH)

    console.print(Text(t("title", lang), style="bold underline"))
    for label, value in view.header_facts(report, lang):
        line = Text()
        line.append(f"{label}: ", style="bold")
        line.append(value)
        console.print(line)
    console.print()

    blocks = view.families(report, lang)
    if not blocks:
        console.print(t("no_findings", lang))
        console.print()
    else:
        console.print(Text(t("summary", lang), style="bold"))
        for block in blocks:
            _family_table(console, block, lang, tbox, width)
        _examples(console, report, mask=mask, max_examples=max_examples, lang=lang, tbox=tbox,
                  width=width)
    _clusters(console, report, mask=mask, max_examples=max_examples, lang=lang, tbox=tbox,
              width=width)
    for section in view.sections(report, mask=mask, lang=lang):
        _section(console, section, tbox, width)
    skipped = view.skipped(report, lang)
    if skipped:
        console.print(Text(t("skipped", lang), style="bold"))
        for code, reason in skipped:
            console.print(Text(f"  {code}: {reason}"))
        console.print()
    if mask:
        console.print(Text(t("masked_note", lang), style="dim"))
    status, sentence = view.verdict(report, fail_on, lang)
    console.print(Text(sentence, style=VERDICT_STYLE[status]))


def verdict(report: Report, fail_on: str | None, lang: str) -> str:
    """The verdict sentence (kept for callers of the earlier API)."""
    return view.verdict(report, fail_on, lang)[1]


def _family_table(console: Console, block: view.FamilyBlock, lang: str, tbox: Any,
                  width: int) -> None:
    table = Table(title=f"{block.name} ({block.family})", title_justify="left",
                  title_style="bold", box=tbox, width=width, show_edge=False)
    table.add_column(t("code", lang), no_wrap=True, width=7)
    table.add_column(t("severity", lang), no_wrap=True, width=10)
    table.add_column(t("count", lang), justify="right", no_wrap=True, width=8)
    table.add_column(t("share", lang), justify="right", no_wrap=True, width=15)
    table.add_column(t("meaning", lang), overflow="fold", ratio=1)
    for r in block.rules:
        table.add_row(r.code, Text(t(r.severity, lang), style=SEVERITY_STYLE.get(r.severity, "")),
                      f"{r.count:,}", r.share_text(), r.meaning)
    console.print(table)


def _examples(console: Console, report: Report, *, mask: bool, max_examples: int, lang: str,
              tbox: Any, width: int) -> None:
    shown = view.examples(report, mask=mask, max_examples=max_examples, lang=lang)
    if not shown:
        return
    counts = report.counts()
    console.print()
    console.print(Text(t("examples", lang), style="bold"))
    for code, recs in shown.items():
        info = report.rules.get(code)
        meaning = (info.summary.get(lang) or info.summary.get("id", "")) if info else ""
        table = Table(title=f"{code} {meaning}", title_justify="left", title_style="bold",
                      box=tbox, width=width, show_edge=False)
        if len(report.sources) > 1:  # `file.csv:12`: fold, never cut the record number
            table.add_column(t("row", lang), justify="right", overflow="fold", max_width=30)
        else:
            table.add_column(t("row", lang), justify="right", no_wrap=True, width=9)
        table.add_column(t("column", lang), no_wrap=True, max_width=18)
        table.add_column(t("value", lang), overflow="fold", max_width=20)
        table.add_column(t("message", lang), overflow="fold", ratio=1)
        for r in recs:
            table.add_row(r["where"], r["column"] or "",
                          "" if r["value"] is None else str(r["value"]), r["message"])
        console.print(table)
        rest = counts.get(code, 0) - len(recs)
        if rest > 0:
            console.print(Text(f"  {t('more_findings', lang, n=f'{rest:,}')}", style="dim"))
    console.print()


def _clusters(console: Console, report: Report, *, mask: bool, max_examples: int, lang: str,
              tbox: Any, width: int) -> None:
    """Each cluster as a table: one column per record, one row per field, then the evidence."""
    clusters = view.clusters(report, mask=mask)
    if not clusters:
        return
    limit = max(max_examples, 1) * 2
    console.print(Text(t("duplicates", lang), style="bold"))
    for c in clusters[:limit]:
        title = f"{t('cluster', lang)} {c.number}"
        if c.kind:
            title += f" · {c.kind}"
        if c.score is not None:
            title += f" · {t('score', lang).lower()} {c.score:.2f}"
        table = Table(title=title, title_justify="left", title_style="bold", box=tbox,
                      width=width, show_edge=False)
        table.add_column(t("field", lang), no_wrap=True)
        for rec in c.records[:4]:  # side by side: four records fit in 100 columns
            table.add_column(f"{t('row', lang)} {rec['row']}", overflow="fold", ratio=1)
        table.add_column(t("evidence", lang), overflow="fold", ratio=1)
        for name in view.DUP_FIELDS:
            values = [rec.get(name) for rec in c.records[:4]]
            evidence = c.evidence.get(name, "")
            if all(v is None for v in values) and not evidence:
                continue
            table.add_row(view.field_label(name, lang),
                          *("" if v is None else str(v) for v in values), evidence)
        for name, evidence in c.evidence.items():  # evidence on fields not shown above
            if name not in view.DUP_FIELDS:
                table.add_row(view.field_label(name, lang) if name else "",
                              *([""] * len(c.records[:4])), evidence)
        console.print(table)
    if len(clusters) > limit:
        console.print(Text(f"  {t('more_clusters', lang, n=f'{len(clusters) - limit:,}')}",
                           style="dim"))
    console.print()


def _section(console: Console, section: view.Section, tbox: Any, width: int) -> None:
    table = Table(title=section.title, title_justify="left", title_style="bold", box=tbox,
                  show_edge=False)
    for i, col in enumerate(section.columns):
        table.add_column(col, overflow="fold", justify="left" if i == 0 else "right")
    for row in section.rows:
        table.add_row(*("" if v is None else (f"{v:,}" if isinstance(v, int) else str(v))
                        for v in row))
    console.print(table)
    console.print()
