"""The HTML report: one self-contained file, no network at all.

Inline CSS and JavaScript (allowed by hash in a strict Content-Security-Policy meta tag that
also forbids every fetch, font, frame and remote image), inline SVG charts, sortable and
filterable tables. Same content as the text report, plus the households to verify and charts
of findings per rule, per kecamatan and per desa. Rendered from a jinja2 template shipped in the
wheel (siksval/report/templates/report.html.j2).
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from typing import IO, Any

import jinja2
from markupsafe import Markup, escape

from siksval.model import Report
from siksval.report import view
from siksval.report.i18n import t

#: Households listed in the HTML (the XLSX worklist has them all).
MAX_WORKLIST = 1000
#: Places in the per-desa chart.
TOP_PLACES = 20
SEV_ORDER = ("error", "warning", "info")


def _asset(name: str) -> str:
    return resources.files("siksval.report").joinpath("templates", name).read_text("utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def bar_chart(items: list[tuple[str, list[tuple[int, str]]]], *, title: str, width: int = 560,
              label_width: int = 190) -> Markup:
    """A horizontal (stacked) bar chart as inline SVG: items are (label, [(value, class)])."""
    bar_h, gap, top = 14, 4, 4
    totals = [sum(v for v, _ in parts) for _, parts in items]
    biggest = max(totals, default=0) or 1
    plot = width - label_width - 60
    height = top * 2 + len(items) * (bar_h + gap)
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, ((label, parts), total) in enumerate(zip(items, totals, strict=True)):
        y = top + i * (bar_h + gap)
        short = label if len(label) <= 28 else label[:27] + "…"
        out.append(f'<text class="lbl" x="{label_width - 6}" y="{y + bar_h - 3}" '
                   f'text-anchor="end">{escape(short)}<title>{escape(label)}</title></text>')
        x = float(label_width)
        for value, cls in parts:
            if value <= 0:
                continue
            w = max(plot * value / biggest, 1.0)
            out.append(f'<rect class="{cls}" x="{x:.1f}" y="{y}" width="{w:.1f}" '
                       f'height="{bar_h}"><title>{escape(label)}: {value:,}</title></rect>')
            x += w
        out.append(f'<text class="num" x="{x + 5:.1f}" y="{y + bar_h - 3}">{total:,}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def context(report: Report, *, mask: bool, max_examples: int, fail_on: str | None
            ) -> dict[str, Any]:
    """Everything the template shows, computed from the Report."""
    lang = report.lang
    blocks = view.families(report, lang)
    status, sentence = view.verdict(report, fail_on, lang)
    examples = view.examples(report, mask=mask, max_examples=max_examples, lang=lang)
    counts = report.counts()
    work = view.worklist(report, mask=mask, lang=lang)
    per_kec = view.per_place(report, "kecamatan")
    per_desa = view.per_place(report, "desa", top=TOP_PLACES)

    def stacked(frame: Any) -> list[tuple[str, list[tuple[int, str]]]]:
        return [(str(r["place"]), [(int(r[s]), f"sev-{s}") for s in SEV_ORDER])
                for r in frame.to_dict("records")]

    charts = []
    rules = [(line.code, [(line.count, f"sev-{line.severity}")])
             for block in blocks for line in block.rules]
    if rules:
        charts.append(bar_chart(rules, title=t("per_rule_chart", lang), label_width=80))
    if len(per_kec):
        charts.append(bar_chart(stacked(per_kec), title=t("per_kecamatan_chart", lang)))
    if len(per_desa):
        charts.append(bar_chart(stacked(per_desa), title=t("per_desa_chart", lang)))
    chart_titles = [t("per_rule_chart", lang)] * bool(rules) + \
        [t("per_kecamatan_chart", lang)] * bool(len(per_kec)) + \
        [t("per_desa_chart", lang)] * bool(len(per_desa))
    more = {code: counts.get(code, 0) - len(recs) for code, recs in examples.items()}
    return {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "report": report,
        "facts": view.header_facts(report, lang),
        "status": status,
        "verdict": sentence,
        "mask": mask,
        "blocks": blocks,
        "examples": examples,
        "more": {k: v for k, v in more.items() if v > 0},
        "worklist": work.head(MAX_WORKLIST).to_dict("records"),
        "worklist_total": len(work),
        "multi": len(report.sources) > 1,
        "worklist_high": int((work["priority"] == 1).sum()) if len(work) else 0,
        "clusters": view.clusters(report, mask=mask),
        "dup_fields": view.DUP_FIELDS,
        "field_label": lambda name: view.field_label(name, lang),
        "sections": view.sections(report, mask=mask, lang=lang),
        "skipped": view.skipped(report, lang),
        "charts": list(zip(chart_titles, charts, strict=True)),
        "max_examples": max_examples,
        "severity": lambda sev: t(sev, lang) if sev in view.SEVERITY_RANK else sev,
        "rank": view.SEVERITY_RANK,
        "fmt": lambda v: f"{v:,}" if isinstance(v, int) else ("" if v is None else str(v)),
    }


def write_html(report: Report, fh: IO[str], *, mask: bool = True, max_examples: int = 5,
               fail_on: str | None = "error", **_: Any) -> None:
    css, js = _asset("report.css"), _asset("report.js")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("siksval.report", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    csp = ("default-src 'none'; "
           f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    page = env.get_template("report.html.j2")
    ctx = context(report, mask=mask, max_examples=max_examples, fail_on=fail_on)
    for chunk in page.generate(css=Markup(css), js=Markup(js), csp=Markup(csp), **ctx):
        fh.write(chunk)
