"""What the human-facing reports (text, HTML, XLSX) show, computed once from the Report.

Each formatter lays these views out in its own medium; none of them decides what to show, so
the terminal, the browser and the spreadsheet cannot disagree. Everything here reads only the
Report (findings, rules, context, duplicates, extra) and is generic: a Report from another
command (e.g. `siksval diff`, family CHG, with counts in `extra`) renders without special cases.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from siksval.model import Report, Severity, fail_threshold
from siksval.report.i18n import FAMILY_NAMES, MESSAGES, family_name, t
from siksval.report.mask import mask_id, mask_ids, mask_names, mask_text
from siksval.report.records import _jsonable, finding_records

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
#: Keys of Report.extra shown elsewhere (the header), not as generic sections.
HEADER_EXTRA = frozenset({"against"})


# -- header ------------------------------------------------------------------------------------
def header_facts(report: Report, lang: str) -> list[tuple[str, str]]:
    """(label, value) lines of the report header."""
    facts: list[tuple[str, str]] = []
    for s in report.sources:
        detail = f"{s.format}, {t('n_records', lang, n=f'{s.records:,}')}"
        if s.sheet:
            detail += f", sheet {s.sheet}"
        facts.append((t("file", lang), f"{s.path} ({detail})"))
    against = report.extra.get("against")
    if isinstance(against, Mapping) and against.get("path"):
        n = f"{int(against.get('records') or 0):,}"
        facts.append((t("against", lang), f"{against['path']} ({t('n_records', lang, n=n)})"))
    facts.append((t("dataset", lang), report.dataset))
    facts.append((t("records", lang), f"{report.records:,}"))
    if report.households is not None:
        facts.append((t("households", lang), f"{report.households:,}"))
    facts.append((t("as_of", lang), report.as_of))
    if report.reference.get("wilayah"):
        facts.append((t("reference", lang), report.reference["wilayah"]))
    unknown = [c for s in report.sources for c in s.columns_unknown]
    if unknown:
        facts.append((t("columns_unknown", lang),
                      ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")))
    return facts


def verdict(report: Report, fail_on: str | None, lang: str) -> tuple[str, str]:
    """(status, sentence): status is fail, pass or done (--fail-on never)."""
    counts = report.severity_counts()
    params = {"errors": f"{counts['error']:,}", "warnings": f"{counts['warning']:,}",
              "infos": f"{counts['info']:,}"}
    threshold = fail_threshold(fail_on)
    if threshold is None:
        return "done", t("verdict_never", lang, **params)
    n = sum(v for k, v in counts.items() if SEVERITY_RANK.get(k, 0) >= threshold)
    status = "fail" if n else "pass"
    return status, t(f"verdict_{status}", lang, n=f"{n:,}", level=t(threshold.label, lang),
                     **params)


# -- summary per family and rule ---------------------------------------------------------------
@dataclass
class RuleLine:
    code: str
    severity: str
    count: int
    share: float
    households: int | None
    meaning: str
    name: str

    def share_text(self) -> str:
        text = f"{self.share:.1%}"
        if self.households is not None:
            text += f" ({self.households:,} KK)"
        return text


@dataclass
class FamilyBlock:
    family: str
    name: str
    rules: list[RuleLine] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(r.count for r in self.rules)


def family_of(report: Report, code: str) -> str:
    info = report.rules.get(code)
    return info.family if info else "".join(ch for ch in code if ch.isalpha())


def families(report: Report, lang: str) -> list[FamilyBlock]:
    """Rules with findings, grouped by family (in code order)."""
    summary = report.summary()
    blocks: dict[str, FamilyBlock] = {}
    for rec in summary.to_dict("records"):
        code = rec["code"]
        info = report.rules.get(code)
        fam = family_of(report, code)
        block = blocks.setdefault(fam, FamilyBlock(fam, family_name(fam, lang)))
        hh = rec.get("households")
        block.rules.append(RuleLine(
            code=code,
            severity=str(rec["severity"]),
            count=int(rec["count"]),
            share=float(rec["share"]),
            households=None if hh is None or pd.isna(hh) else int(hh),
            meaning=(info.summary.get(lang) or info.summary.get("id", "")) if info else "",
            name=info.name if info else code,
        ))
    order = {fam: i for i, fam in enumerate(FAMILY_NAMES)}  # schema first, then identity, ...
    return [blocks[k] for k in sorted(blocks, key=lambda f: (order.get(f, len(order)), f))]


# -- examples ------------------------------------------------------------------------------------
def examples(report: Report, *, mask: bool, max_examples: int, lang: str
             ) -> dict[str, list[dict[str, Any]]]:
    """Up to `max_examples` findings per code (in report order), as records with the desa."""
    frame = report.findings_raw
    if frame.empty or max_examples <= 0:
        return {}
    head = frame.groupby("code", sort=False).head(max_examples)
    out: dict[str, list[dict[str, Any]]] = {}
    ctx = _context_lookup(report, mask=mask, frame=head)
    for rec in finding_records(report, mask=mask, lang=lang, frame=head):
        rec["where"] = where(rec, len(report.sources))
        place = ctx.get((rec.get("source") or _first_source(report), rec["row"]))
        rec["desa"] = place.get("desa") if place else None
        rec["nama"] = place.get("nama") if place else None
        out.setdefault(rec["code"], []).append(rec)
    return dict(sorted(out.items(), key=lambda kv: code_order(report, kv[0])))


def code_order(report: Report, code: str) -> tuple[int, str]:
    """Sort key: family in catalogue order (schema, identity, ..., eligibility), then code."""
    fams = list(FAMILY_NAMES)
    fam = family_of(report, code)
    return (fams.index(fam) if fam in fams else len(fams), code)


def where(rec: Mapping[str, Any], n_sources: int) -> str:
    """`124 (+2)`: the record number, and how many other records the finding concerns."""
    rows = rec.get("rows") or []
    text = str(rec["row"]) if rec.get("row") is not None else "-"
    if len(rows) > 1:
        text += f" (+{len(rows) - 1})"
    if rec.get("source") and n_sources > 1:
        text = f"{Path(rec['source']).name}:{text}"
    return text


# -- context (masked view) ---------------------------------------------------------------------
_ID_CTX = ("no_kk", "nik")
_NAME_CTX = ("nama", "kepala", "nama_ibu_kandung")


def context_frame(report: Report, *, mask: bool, rows: Any = None) -> pd.DataFrame:
    """Report.context (only the records `rows`, when given: pairs (source, row), or row numbers
    with a single input) with identity numbers and names masked when `mask`."""
    ctx = report.context
    if ctx is None or ctx.empty:
        from siksval.context import empty_context

        return empty_context()
    if rows is not None:
        ctx = ctx[_key_index(report, ctx).isin(list(rows))]
    if not mask:
        return ctx
    key = (id(ctx), len(ctx))
    cached = _MASKED.get(key)
    if cached is not None and cached[0] is ctx:
        return cached[1]
    out = ctx.copy()
    for c in _ID_CTX:
        out[c] = mask_ids(out[c])
    for c in _NAME_CTX:
        out[c] = mask_names(out[c])
    _MASKED.clear()  # one entry: the report being rendered
    _MASKED[key] = (ctx, out)
    return out


_MASKED: dict[tuple[int, int], tuple[pd.DataFrame, pd.DataFrame]] = {}


def _key_index(report: Report, ctx: pd.DataFrame) -> pd.Index:
    if len(report.sources) > 1:
        return pd.MultiIndex.from_arrays([ctx["source"], ctx["row"].astype("int64")])
    return pd.Index(ctx["row"].astype("int64"))


def _first_source(report: Report) -> str | None:
    return report.sources[0].path if report.sources else None


def _context_lookup(report: Report, *, mask: bool, frame: pd.DataFrame | None = None
                    ) -> dict[tuple[Any, Any], dict[str, Any]]:
    """{(source, row): context record} for the records of `frame` (default: every finding)."""
    wanted = None
    if frame is not None:
        r = frame["row"].dropna().astype("int64")
        wanted = (list(zip(frame.loc[r.index, "source"], r, strict=True))
                  if len(report.sources) > 1 else r.tolist())
    ctx = context_frame(report, mask=mask, rows=wanted)
    if ctx.empty:
        return {}
    single = len(report.sources) <= 1
    first = _first_source(report)
    keys = zip(ctx["source"] if not single else [first] * len(ctx), ctx["row"], strict=True)
    return dict(zip(keys, ctx.to_dict("records"), strict=True))


# -- duplicates side by side -------------------------------------------------------------------
DUP_FIELDS = ("nik", "nama", "tgl_lahir", "nama_ibu_kandung", "no_kk", "desa")


@dataclass
class Cluster:
    number: Any
    kind: str
    score: float | None
    rows: list[int]
    records: list[dict[str, Any]]  # one per row: the DUP_FIELDS
    evidence: dict[str, str]  # field -> evidence text
    keep: Any = None


def clusters(report: Report, *, mask: bool) -> list[Cluster]:
    """Report.duplicates with each record's fields side by side (whatever shape they carry)."""
    if not report.duplicates:
        return []
    from siksval.report.json import duplicates as dup_records

    first = _first_source(report)
    wanted = [(c.get("source") or first, int(r)) if len(report.sources) > 1 else int(r)
              for c in report.duplicates for r in (c.get("rows") or [])]
    ctx = _lookup_rows_dict(report, mask=mask, rows=wanted)
    out = []
    for c in dup_records(report, mask=mask):
        rows = [int(r) for r in c.get("rows") or []]
        given = c.get("records") if isinstance(c.get("records"), list) else None
        records = []
        for i, r in enumerate(rows):
            rec = dict(ctx.get((c.get("source") or first, r)) or {})
            if given and i < len(given) and isinstance(given[i], Mapping):
                rec.update({k: v for k, v in given[i].items() if v is not None})
            rec["row"] = r
            records.append(rec)
        evidence = c.get("evidence") or {}
        if not isinstance(evidence, Mapping):
            evidence = {"": evidence}
        score = c.get("score")
        out.append(Cluster(
            number=c.get("cluster", len(out) + 1),
            kind=str(c.get("kind") or ""),
            score=float(score) if isinstance(score, (int, float)) else None,
            rows=rows,
            records=records,
            evidence={str(k): mask_text(_evidence_text(v)) if mask else _evidence_text(v)
                      for k, v in evidence.items()},
            keep=c.get("keep"),
        ))
    return out


def _lookup_rows_dict(report: Report, *, mask: bool, rows: list[Any]
                      ) -> dict[tuple[Any, Any], dict[str, Any]]:
    ctx = context_frame(report, mask=mask, rows=rows)
    first = _first_source(report)
    single = len(report.sources) <= 1
    keys = zip(ctx["source"] if not single else [first] * len(ctx), ctx["row"], strict=True)
    return dict(zip(keys, ctx.to_dict("records"), strict=True))


def _evidence_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_evidence_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_evidence_text(v) for v in value)
    return str(value)


def field_label(name: str, lang: str) -> str:
    key = f"field_{name}"
    return t(key, lang) if key in MESSAGES else name


# -- skipped rules ------------------------------------------------------------------------------
def skipped(report: Report, lang: str) -> list[tuple[str, str]]:
    out = []
    for s in report.rules_skipped:
        reason = s.get("reason_id") if lang == "id" and s.get("reason_id") else s["reason"]
        out.append((s["code"], reason))
    return out


# -- generic extra sections ---------------------------------------------------------------------
@dataclass
class Section:
    """A table any Report may carry in `extra` (e.g. the counts of `siksval diff`)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]


def sections(report: Report, *, mask: bool, lang: str) -> list[Section]:
    """Report.extra as tables: a dict of scalars (key | value), a dict of dicts (a matrix, e.g.
    {"people": {"added": 3, ...}, "households": {...}}), or a list of dicts (e.g. per desa)."""
    out = []
    for key, value in report.extra.items():
        if key in HEADER_EXTRA:
            continue
        section = _as_section(key, value, lang)
        if section is None:
            continue
        if mask:
            section.rows = [[mask_text(v) if isinstance(v, str) else v for v in row]
                            for row in section.rows]
        out.append(section)
    return out


def _label(key: Any, lang: str) -> str:
    name = f"extra_{key}"
    return t(name, lang) if name in MESSAGES else str(key).replace("_", " ")


def _cell(value: Any) -> Any:
    value = _jsonable(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return value


def _as_section(key: str, value: Any, lang: str) -> Section | None:
    title = _label(key, lang)
    if isinstance(value, Mapping) and value:
        inner = list(value.values())
        if all(isinstance(v, Mapping) for v in inner):
            cols: list[str] = []
            for v in inner:
                cols.extend(k for k in v if k not in cols)
            rows = [[_label(k, lang), *(_cell(v.get(c)) for c in cols)] for k, v in value.items()]
            return Section(key, title, ["", *(_label(c, lang) for c in cols)], rows)
        return Section(key, title, [t("item", lang), t("value", lang)],
                       [[_label(k, lang), _cell(v)] for k, v in value.items()])
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        cols = []
        for v in value:
            cols.extend(k for k in v if k not in cols)
        return Section(key, title, [_label(c, lang) for c in cols],
                       [[_cell(v.get(c)) for c in cols] for v in value])
    return None


# -- findings per place --------------------------------------------------------------------------
def per_place(report: Report, level: str = "desa", top: int | None = None) -> pd.DataFrame:
    """Findings per kecamatan or desa (by the finding's first record): columns place, error,
    warning, info, total; most findings first."""
    cols = ["place", "error", "warning", "info", "total"]
    ctx = report.context
    f = report.findings_raw
    if ctx is None or ctx.empty or f.empty or level not in ctx.columns:
        return pd.DataFrame(columns=cols)
    key = ["row"] if len(report.sources) <= 1 else ["source", "row"]
    places = ctx[[*key, "kecamatan", "desa"]].copy()
    places["row"] = places["row"].astype("int64")
    sub = f[f["row"].notna()][[*key, "severity"]].astype({"row": "int64"})
    merged = sub.merge(places, on=key, how="left")
    if level == "desa":
        label = merged["desa"].fillna("?") + " (" + merged["kecamatan"].fillna("?") + ")"
    else:
        label = merged[level].fillna("?")
    merged = merged.assign(place=label.astype(str))
    table = pd.crosstab(merged["place"], merged["severity"])
    for sev in ("error", "warning", "info"):
        if sev not in table.columns:
            table[sev] = 0
    table = table[["error", "warning", "info"]]
    table["total"] = table.sum(axis=1)
    table = table.sort_values(["total", "error"], ascending=False).reset_index()
    table.columns = cols
    return table.head(top) if top else table


# -- the verification worklist -----------------------------------------------------------------
WORKLIST_COLUMNS = ("priority", "level", "kecamatan", "desa", "alamat", "no_kk", "kepala",
                    "reasons", "codes", "rows", "severity", "score", "source")


def worklist(report: Report, *, mask: bool, lang: str) -> pd.DataFrame:
    """One row per household to visit: every household (KK; a record without KK stands alone)
    with a finding on its records, the reasons in one sentence, and a priority.

    Score: the eligibility priority of the household (ELG/EXC evidence weights) plus 2 per
    distinct error rule and 1 per distinct warning rule. Priority 1 (visit first) from score 4
    (e.g. aid to a household with a deceased member or a civil servant), 2 from 2 (one error),
    else 3. Sorted by priority, then kecamatan, desa, address and score.
    """
    f = report.findings_raw
    if f.empty:
        return pd.DataFrame(columns=list(WORKLIST_COLUMNS))
    f = f[f["row"].notna()]
    if f.empty:
        return pd.DataFrame(columns=list(WORKLIST_COLUMNS))
    # Messages rendered like every output renders them (masked parameters when `mask`).
    msgs = pd.Series([r["message"] for r in finding_records(report, mask=mask, lang=lang, frame=f)],
                     index=f.index, dtype=object)
    src = f["source"].astype("string").fillna("")
    row = f["row"].astype("int64")
    kk = f["no_kk"].astype("string").str.strip()
    ctx = context_frame(report, mask=mask)
    first = _first_source(report)
    # The household of a row finding is that of its record (row findings carry no_kk too).
    hh = (src + "|" + kk).where(kk.notna() & (kk != ""), src + "|#" + row.astype(str))
    # Row findings are about one member: say who.
    names = _names_for(ctx, src, row, first, len(report.sources))
    info_level = f["code"].map({c: report.rules[c].level if c in report.rules else "row"
                                for c in f["code"].unique()})
    member = (info_level == "row") & names.notna()
    label = t("member_row", lang)
    prefix = (names.fillna("") + f" ({label} " + row.astype(str) + "): ").where(member, "")
    text = (prefix + msgs.astype(str)).astype(str)
    rank = f["severity"].map(SEVERITY_RANK).fillna(0).astype(int)
    elg = pd.Series([int(p.get("priority") or 0) if isinstance(p, dict) else 0
                     for p in f["params"]], index=f.index, dtype="int64")
    work = pd.DataFrame({"hh": hh.to_numpy(), "src": src.to_numpy(), "row": row.to_numpy(),
                         "code": f["code"].to_numpy(), "text": text.to_numpy(),
                         "rank": rank.to_numpy(), "elg": elg.to_numpy(),
                         "rows": f["rows"].to_numpy()})
    work = work.sort_values(["hh", "rank", "code", "row"], ascending=[True, False, True, True],
                            kind="stable").reset_index(drop=True)
    # Households are runs of equal `hh` now: aggregate by run boundaries (no pandas groupby
    # with Python lambdas, which costs seconds per 100,000 findings).
    keys = work["hh"].to_numpy(object)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    bounds = list(zip(starts.tolist(), np.r_[starts[1:], len(work)].tolist(), strict=True))
    texts, codes, row_lists = work["text"].tolist(), work["code"].tolist(), work["rows"].tolist()
    first_of_code = ~work.duplicated(["hh", "code"]).to_numpy()
    points = np.where(first_of_code, work["rank"].map({3: 2, 2: 1}).fillna(0).to_numpy(int), 0)
    per = pd.DataFrame({
        "hh": keys[starts],
        "src": work["src"].to_numpy(object)[starts],
        "first_row": np.minimum.reduceat(work["row"].to_numpy(), starts),
        "reasons": ["; ".join(dict.fromkeys(texts[a:b])) for a, b in bounds],
        "codes": [", ".join(sorted(set(codes[a:b]))) for a, b in bounds],
        "rows": [sorted({int(r) for rs in row_lists[a:b] for r in (rs if rs is not None else [])})
                 for a, b in bounds],
        "severity": pd.Series(np.maximum.reduceat(work["rank"].to_numpy(), starts)).map(
            {v: k for k, v in SEVERITY_RANK.items()}).to_numpy(object),
        "elg": np.maximum.reduceat(work["elg"].to_numpy(), starts),
        "points": np.add.reduceat(points, starts),
    })
    per["score"] = per["elg"] + per["points"]
    per["priority"] = np.select([per["score"] >= 4, per["score"] >= 2], [1, 2], 3)
    # Where the household lives, and its head: from the first record's context.
    place = _lookup_rows(ctx, per["src"], per["first_row"], first, len(report.sources))
    per = per.reset_index(drop=True)
    for c in ("kecamatan", "desa", "alamat", "no_kk", "kepala"):
        per[c] = place[c].to_numpy() if c in place else None
    kk_from_findings = per["hh"].str.split("|", n=1).str[1]
    kk_fill = kk_from_findings.where(~kk_from_findings.str.startswith("#")).to_numpy(object)
    if mask:
        kk_fill = np.array([mask_id(v) if isinstance(v, str) else None for v in kk_fill], object)
    per["no_kk"] = per["no_kk"].where(per["no_kk"].notna(), kk_fill)
    per["level"] = per["priority"].map({p: t(f"priority_{p}", lang) for p in (1, 2, 3)})
    per = per.sort_values(["priority", "kecamatan", "desa", "alamat", "score", "first_row"],
                          ascending=[True, True, True, True, False, True],
                          na_position="last", kind="stable").reset_index(drop=True)
    per["rows"] = per["rows"].map(lambda rs: ", ".join(str(r) for r in rs))
    per["source"] = per["src"]
    per = per[list(WORKLIST_COLUMNS)].astype(object)
    return per.where(per.notna(), None)


def _names_for(ctx: pd.DataFrame, src: pd.Series, row: pd.Series, first: str | None,
               n_sources: int) -> pd.Series:
    looked = _lookup_rows(ctx, src, row, first, n_sources)
    return pd.Series(looked["nama"].to_numpy() if "nama" in looked else None,
                     index=src.index, dtype=object)


def _lookup_rows(ctx: pd.DataFrame, src: pd.Series, row: pd.Series, first: str | None,
                 n_sources: int) -> pd.DataFrame:
    if ctx.empty:
        return pd.DataFrame(index=range(len(src)))
    c = ctx.assign(row=ctx["row"].astype("int64"))
    key = pd.DataFrame({"row": np.asarray(row, dtype="int64")})
    if n_sources > 1:
        key["source"] = np.asarray(src, dtype=object)
        on = ["source", "row"]
    else:
        c = c.drop(columns=["source"]).drop_duplicates("row")
        on = ["row"]
    return key.merge(c, on=on, how="left")


def iter_family_findings(report: Report, *, mask: bool, lang: str
                         ) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """(family, records with context) per family with findings, for the XLSX family sheets."""
    f = report.findings_raw
    if f.empty:
        return
    fams = f["code"].map({c: family_of(report, c) for c in f["code"].unique()})
    ctx = _context_lookup(report, mask=mask)
    first = _first_source(report)
    order = {fam: i for i, fam in enumerate(FAMILY_NAMES)}
    for fam in sorted(fams.unique(), key=lambda x: (order.get(x, len(order)), x)):
        sub = f[fams == fam]

        def records(sub: pd.DataFrame = sub) -> Iterator[dict[str, Any]]:
            for rec in finding_records(report, mask=mask, lang=lang, frame=sub):
                place = ctx.get((rec.get("source") or first, rec["row"])) or {}
                rec["place"] = place
                yield rec

        yield fam, records()


def severity_label(sev: str, lang: str) -> str:
    return t(sev, lang) if sev in ("error", "warning", "info") else sev


def severity_rank(sev: str) -> int:
    try:
        return int(Severity.parse(sev))
    except ValueError:
        return 0
