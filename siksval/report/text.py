"""The rich terminal report: header, summary per rule, examples, duplicates, skipped, verdict.

Readable in 100 columns; plain (no colour, no box art) when not a terminal or with NO_COLOR.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from siksval.model import Report, fail_threshold
from siksval.report.i18n import family_name, t
from siksval.report.records import finding_records

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def make_console(fh: IO[str], *, width: int | None = None, force_terminal: bool | None = None) -> Console:
    is_tty = bool(getattr(fh, "isatty", lambda: False)())
    no_color = "NO_COLOR" in os.environ or not is_tty
    return Console(
        file=fh,
        width=width or (None if is_tty else 100),
        no_color=no_color,
        force_terminal=force_terminal if force_terminal is not None else (is_tty or None),
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


def write_text(
    report: Report,
    fh: IO[str],
    *,
    mask: bool = True,
    max_examples: int = 5,
    fail_on: str | None = "error",
    width: int | None = None,
    **_: Any,
) -> None:
    lang = report.lang
    console = make_console(fh, width=width)
    plain = console.no_color
    tbox = box.ASCII if plain else box.SIMPLE_HEAVY

    console.print(Text(t("title", lang), style="bold"))
    for s in report.sources:
        console.print(f"{t('file', lang)}: {s.path} ({s.format}, {s.records:,} {t('records', lang).lower()})")
    console.print(f"{t('dataset', lang)}: {report.dataset}")
    if report.households is not None:
        console.print(f"{t('households', lang)}: {report.households:,}")
    console.print(f"{t('as_of', lang)}: {report.as_of}")
    if report.reference.get("wilayah"):
        console.print(f"{t('reference', lang)}: {report.reference['wilayah']}")
    unknown = [c for s in report.sources for c in s.columns_unknown]
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        console.print(f"{t('columns_unknown', lang)}: {shown}")
    console.print()
    if report.sections.get("changes"):
        _changes(console, report.sections["changes"], lang=lang, tbox=tbox,
                 max_examples=max_examples)

    summary = report.summary()
    if summary.empty:
        console.print(t("no_findings", lang))
    else:
        table = Table(title=t("summary", lang), box=tbox, title_justify="left", expand=False)
        table.add_column(t("code", lang), no_wrap=True)
        table.add_column(t("severity", lang), no_wrap=True)
        table.add_column(t("count", lang), justify="right")
        table.add_column(t("share", lang), justify="right")
        table.add_column(t("meaning", lang), overflow="fold")
        family = None
        for rec in summary.to_dict("records"):
            info = report.rules.get(rec["code"])
            fam = info.family if info else rec["code"][:3]
            if fam != family:
                family = fam
                table.add_row(Text(family_name(fam, lang), style="bold"), "", "", "", "")
            sev = rec["severity"]
            share = f"{rec['share']:.1%}"
            households = rec.get("households")
            if households is not None and not pd.isna(households):
                share += f" ({int(households):,} KK)"
            table.add_row(
                rec["code"],
                Text(t(sev, lang), style=SEVERITY_STYLE.get(sev, "")),
                f"{rec['count']:,}",
                share,
                (info.summary.get(lang) or info.summary.get("id")) if info else "",
            )
        console.print(table)
        _examples(console, report, mask=mask, max_examples=max_examples, lang=lang, tbox=tbox)

    if report.duplicates:
        _duplicates(console, report, mask=mask, max_examples=max_examples, lang=lang, tbox=tbox)
    if report.rules_skipped:
        console.print(Text(t("skipped", lang), style="bold"))
        for s in report.rules_skipped:
            reason = s.get("reason_id") if lang == "id" and s.get("reason_id") else s["reason"]
            console.print(f"  {s['code']}: {reason}")
        console.print()
    if mask:
        console.print(Text(t("masked_note", lang), style="dim"))
    console.print(verdict(report, fail_on, lang), style="bold")


def verdict(report: Report, fail_on: str | None, lang: str) -> str:
    counts = report.severity_counts()
    params = {"errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"]}
    threshold = fail_threshold(fail_on)
    if threshold is None:
        return t("verdict_never", lang, **params)
    n = sum(v for k, v in counts.items() if _level(k) >= threshold)
    key = "verdict_fail" if n else "verdict_pass"
    return t(key, lang, n=n, level=t(threshold.label, lang), **params)


def _level(name: str) -> int:
    return {"info": 1, "warning": 2, "error": 3}.get(name, 0)


def _examples(console: Console, report: Report, *, mask: bool, max_examples: int, lang: str, tbox: Any) -> None:
    if max_examples <= 0:
        return
    shown: dict[str, list[dict[str, Any]]] = {}
    counts = report.counts()
    for rec in finding_records(report, mask=mask):
        lst = shown.setdefault(rec["code"], [])
        if len(lst) < max_examples:
            lst.append(rec)
    console.print(Text(t("examples", lang), style="bold"))
    for code, recs in shown.items():
        table = Table(box=tbox, title=code, title_justify="left", show_edge=False)
        table.add_column(t("row", lang), justify="right", no_wrap=True)
        table.add_column(t("column", lang), no_wrap=True)
        table.add_column(t("value", lang), overflow="fold", max_width=24)
        table.add_column(t("message", lang), overflow="fold")
        for r in recs:
            rows = r["rows"]
            where = str(r["row"]) if r["row"] is not None else "-"
            if len(rows) > 1:
                where += f" (+{len(rows) - 1})"
            if r.get("source"):  # several input files: say which one the row number is in
                where = f"{Path(r['source']).name}:{where}"
            table.add_row(where, r["column"] or "", "" if r["value"] is None else str(r["value"]), r["message"])
        console.print(table)
        rest = counts.get(code, 0) - len(recs)
        if rest > 0:
            console.print(f"  {t('more_findings', lang, n=f'{rest:,}')}")
    console.print()


def _duplicates(console: Console, report: Report, *, mask: bool, max_examples: int, lang: str, tbox: Any) -> None:
    from siksval.report.json import duplicates as dup_records

    clusters = dup_records(report, mask=mask)
    table = Table(title=t("duplicates", lang), box=tbox, title_justify="left")
    table.add_column(t("cluster", lang), justify="right")
    table.add_column(t("row", lang))
    table.add_column(t("kind", lang))
    table.add_column(t("score", lang), justify="right")
    table.add_column(t("evidence", lang), overflow="fold")
    for c in clusters[: max(max_examples, 1) * 4]:
        evidence = c.get("evidence") or {}
        if isinstance(evidence, dict):
            ev = ", ".join(f"{k}: {v}" for k, v in evidence.items())
        else:
            ev = str(evidence)
        score = c.get("score")
        table.add_row(
            str(c.get("cluster", "")),
            ", ".join(str(r) for r in c.get("rows", [])),
            str(c.get("kind", "")),
            f"{score:.2f}" if isinstance(score, (int, float)) else "",
            ev,
        )
    console.print(table)
    if len(clusters) > max(max_examples, 1) * 4:
        console.print(f"  {t('more_findings', lang, n=len(clusters) - max(max_examples, 1) * 4)}")
    console.print()


def _changes(console: Console, changes: dict[str, Any], *, lang: str, tbox: Any,
             max_examples: int) -> None:
    """siksval diff: people and households added / removed / moved / changed, then per desa."""
    console.print(Text(t("changes_title", lang), style="bold"))
    console.print(f"{t('changes_old', lang)}: {changes.get('old', '')}")
    console.print(f"{t('changes_new', lang)}: {changes.get('new', '')}")
    kinds = ("added", "removed", "moved", "changed")
    table = Table(box=tbox, show_edge=False)
    table.add_column("")
    for k in kinds:
        table.add_column(t(f"changes_{k}", lang), justify="right")
    people, households = changes.get("people", {}), changes.get("households", {})
    table.add_row(t("changes_people", lang), *(f"{people.get(k, 0):,}" for k in kinds))
    table.add_row(t("changes_households", lang),
                  *(f"{households[k]:,}" if k in households else "-" for k in kinds))
    console.print(table)
    fields = {k: v for k, v in (changes.get("fields") or {}).items() if v}
    if fields:
        shown = ", ".join(f"{k} {v:,}" for k, v in fields.items())
        console.print(f"{t('changes_fields', lang)}: {shown}")
    desa = list(changes.get("per_desa") or [])
    if desa:
        limit = max(max_examples, 1) * 4

        def total(d: dict[str, Any]) -> int:
            return sum(d["people"].values()) + sum(d["households"].values())

        top = sorted(desa, key=lambda d: (-total(d), d.get("kode_wilayah") or ""))[:limit]
        console.print(Text(t("changes_per_desa", lang), style="bold"))
        for d in top:
            label = " ".join(x for x in (d.get("kode_wilayah"), d.get("desa")) if x) or "-"
            parts = []
            for group, keys in (("people", kinds), ("households", ("added", "removed", "changed"))):
                got = [f"{t(f'changes_{k}', lang)} {d[group][k]:,}" for k in keys if d[group][k]]
                if got:
                    parts.append(f"{t(f'changes_{group}_short', lang)} " + ", ".join(got))
            console.print(f"  {label}: " + "; ".join(parts), overflow="fold")
        if len(desa) > limit:
            console.print(f"  {t('changes_more_desa', lang, n=f'{len(desa) - limit:,}')}")
    elif not (sum(people.values()) + sum(households.values())):
        console.print(t("changes_none", lang))
    console.print()
