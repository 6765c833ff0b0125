"""`siksval diff OLD NEW`: read both exports, match them, run the CHG rules, build the Report.

    import siksval
    report = siksval.diff("dtks_2026_09.csv", "dtks_2026_10.csv", as_of="2026-10-31")
    report.sections["changes"]["people"]      # {"added": .., "removed": .., "moved": .., "changed": ..}
    report.findings                           # CHG001-CHG006, rows in NEW, old_rows in OLD
    report.month_diff.people                  # the matched people, one row each
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from siksval import __version__
from siksval.api import (
    Input,
    Progress,
    ProgressFn,
    _as_progress,
    _lang,
    _load,
    parse_as_of,
    region_edition,
    run_config,
)
from siksval.config import Config
from siksval.errors import UserError
from siksval.model import Report, empty_findings
from siksval.monthdiff.engine import MonthDiff
from siksval.rules import effective_info, load_rules, to_findings, unavailable_columns
from siksval.rules.changes import DIFF


@dataclass
class DiffReport(Report):
    """A Report of `siksval diff`: findings CHG001–CHG006 (rows in NEW, `old_rows` in OLD) and
    `sections["changes"]` with the counts; `month_diff` holds the matched tables."""

    month_diff: MonthDiff | None = None


def diff(
    old: Input,
    new: Input,
    *,
    dataset: str | None = None,
    as_of: str | dt.date | None = None,
    config: Config | str | os.PathLike[str] | dict[str, Any] | None = None,
    sheet: str | None = None,
    lang: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    progress: Progress | ProgressFn | None = None,
) -> DiffReport:
    """Compare two monthly DTKS exports (OLD = last month, NEW = this month).

    Returns a DiffReport: the changes (people and households added, removed, moved, changed;
    overall and per desa) in `sections["changes"]`, and the suspicious changes as findings of
    the CHG rules. `config`, `select`, `ignore`, `lang` work as in `check`.
    """
    cfg = run_config(config, select, ignore)
    reference = parse_as_of(as_of)
    chosen = dataset or cfg.dataset or "auto"
    bar = _as_progress(progress)
    # The datasets derive evidence (ELG indicators for CHG003) whatever rules are selected.
    evidence_cfg = replace(cfg, select=[])
    loaded = [
        _load(bar, data, dataset=chosen, as_of=reference, config=evidence_cfg, sheet=sheet,
              label=label)
        for data, label in ((old, "<OLD>"), (new, "<NEW>"))
    ]
    for li, which in zip(loaded, ("OLD", "NEW"), strict=True):
        if li.dataset.name != "dtks":
            raise UserError(
                f"{li.source.path}: siksval diff compares DTKS exports, but {which} looks like "
                f"{li.dataset.name!r}; give two DTKS files (or --dataset dtks).",
                id=f"{li.source.path}: siksval diff membandingkan ekspor DTKS, tetapi {which} "
                f"terbaca sebagai {li.dataset.name!r}; berikan dua berkas DTKS (atau --dataset dtks).",
            )
    old_ds, new_ds = loaded[0].dataset, loaded[1].dataset
    threshold = float(cfg.options_for("CHG004", {"min_probability": 0.85})["min_probability"])
    md = MonthDiff(old_ds, new_ds, threshold=threshold)

    registry = load_rules()
    codes = [c for c, r in registry.items() if DIFF in r.info.datasets and cfg.is_selected(c)]
    bar.rules(DIFF, len(codes), len(new_ds))
    frames, skipped, ran = [], [], []
    for code in codes:
        r = registry[code]
        info = r.info
        missing = sorted({m for ds in (old_ds, new_ds)
                          for part in unavailable_columns(ds, info.columns) for m in part})
        if missing:
            names = ", ".join(m.replace("|", " / ") for m in missing)
            skipped.append({"code": code, "reason": f"column {names} not present or empty in "
                            "OLD or NEW", "reason_id": f"kolom {names} tidak ada atau kosong di "
                            "OLD atau NEW"})
            continue
        bar.step(code)
        ran.append(code)
        result = r.fn(md, cfg.options_for(code, dict(info.options)))
        sev = cfg.severity_for(code, info.severity).label
        frame = to_findings(new_ds, info, result, sev)
        if frame is not None and not frame.empty:
            frame["old_rows"] = result["old_rows"].to_numpy()
            frames.append(frame)
    findings = pd.concat(frames, ignore_index=True) if frames else empty_findings()
    if not findings.empty:
        findings = findings.sort_values(["code", "row"], kind="stable").reset_index(drop=True)
    rules = {c: effective_info(registry[c].info, cfg) for c in registry}
    changes = {
        "old": loaded[0].source.path,
        "new": loaded[1].source.path,
        **md.counts(),
        "per_desa": md.per_desa(),
    }
    return DiffReport(
        dataset="dtks",
        as_of=reference.isoformat(),
        sources=[loaded[1].source, loaded[0].source],
        findings_raw=findings,
        rules=rules,
        rules_skipped=skipped,
        reference={"wilayah": region_edition()},
        lang=_lang(lang or cfg.lang),
        siksval_version=__version__,
        households=int(new_ds.hh_key.nunique()) if "no_kk" in new_ds.frame.columns else None,
        sections={"changes": changes},
        context=_context(new_ds, findings),
        rules_run=ran,
        month_diff=md,
    )


def _context(new_ds: Any, findings: pd.DataFrame) -> pd.DataFrame:
    """Report.context: the NEW records the findings mention (desa, address, head)."""
    from siksval.context import empty_context, record_context, rows_mentioned

    rows = rows_mentioned(findings)
    return record_context(new_ds, rows) if len(rows) else empty_context()
