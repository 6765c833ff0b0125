"""The worklist view built from a Report's ELG/EXC findings (formatters see only the Report)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from siksval.eligibility.codes import ELG_CODES, EXC_CODES

WORKLIST_COLUMNS: tuple[str, ...] = (
    "source", "no_kk", "row", "rows", "codes", "severity", "priority", "message", "programs",
    "names", "members", "desil", "daya_listrik", "wealth", "poverty_criteria",
)
_SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


def households_from_findings(findings: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """One row per household from the ELG/EXC findings of a Report (`report.findings_raw`),
    for the verification worklist: every ELG/EXC finding of a household carries the same
    household params, so the codes are gathered and the params read once.

    Columns (WORKLIST_COLUMNS): `source`, `no_kk` (as in the file; mask it when needed),
    `row` (first record, 1-based), `rows` (all member records), `codes` (sorted list),
    `severity` (the worst of the codes), `priority` (int, higher = verify first), `message` (the
    household sentence in `lang`, id or en), `programs`, `names` (members named in the
    sentence: mask with the names masker), `members` ({code: [rows]}), `desil`,
    `daya_listrik`, `wealth`, `poverty_criteria`. Sorted by priority (descending), then source
    and row.
    """
    codes = (*ELG_CODES, *EXC_CODES)
    if findings.empty:
        return pd.DataFrame(columns=list(WORKLIST_COLUMNS))
    sub = findings[findings["code"].isin(codes)]
    if sub.empty:
        return pd.DataFrame(columns=list(WORKLIST_COLUMNS))
    sub = sub.assign(
        _src=sub["source"].astype("string").fillna(""),
        _rank=sub["severity"].map(_SEVERITY_RANK).fillna(0).astype(int),
    ).sort_values(["_src", "row", "code"], kind="stable")
    grouped = sub.groupby(["_src", "row"], sort=False)
    first = grouped.head(1).reset_index(drop=True)
    code_lists = grouped["code"].agg(list).reset_index(drop=True)
    worst = grouped["_rank"].max().reset_index(drop=True)
    rank_to_sev = {v: k for k, v in _SEVERITY_RANK.items()}
    params = [p if isinstance(p, dict) else {} for p in first["params"]]

    def param(key: str, default: Any = None) -> list[Any]:
        return [p.get(key, default) for p in params]

    out = pd.DataFrame(
        {
            "source": first["source"].to_numpy(dtype=object),
            "no_kk": first["no_kk"].to_numpy(dtype=object),
            "row": first["row"].astype("int64").to_numpy(),
            "rows": first["rows"].to_numpy(dtype=object),
            "codes": code_lists.to_numpy(dtype=object),
            "severity": worst.map(rank_to_sev).to_numpy(dtype=object),
            "priority": [int(v or 0) for v in param("priority", 0)],
            "message": [(a or {}).get(lang) or (a or {}).get("id") for a in param("alasan")],
            "programs": param("programs", []),
            "names": param("names", []),
            "members": param("members", {}),
            "desil": param("desil"),
            "daya_listrik": param("daya_listrik"),
            "wealth": param("wealth", []),
            "poverty_criteria": param("poverty_criteria", []),
        }
    )
    order = out.assign(_src=out["source"].astype("string").fillna(""))
    order = order.sort_values(["priority", "_src", "row"], ascending=[False, True, True],
                              kind="stable")
    return out.loc[order.index].reset_index(drop=True)
