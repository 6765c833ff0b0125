"""`siksval.dedupe`: duplicate people in any person list, with explicit field roles.

    import siksval
    res = siksval.dedupe("orang.csv", fields={"nama": ["NAMA_DEPAN", "NAMA_BELAKANG"],
                                               "tgl_lahir": "TGL"})
    res.clusters      # one row per clustered record: cluster, row (1-based), kind, score, keep
    res.duplicates    # the same list as the `duplicates` section of `siksval check`
    res.to_json("ganda.json"); res.to_csv("ganda.csv")

Roles (report.md): nik, nama, tgl_lahir, jenis_kelamin, nama_ibu_kandung, no_kk, kode_wilayah,
tempat_lahir, alamat. Several source columns for one role are joined with a space. Without
`fields`, roles come from the header aliases of the DTKS schema, as in `check`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from siksval import __version__
from siksval.errors import UserError
from siksval.io.columns import map_headers
from siksval.io.read import read_table
from siksval.linkage import DEFAULT_THRESHOLD, LinkResult, evidence, find_duplicates
from siksval.linkage.features import ROLES
from siksval.model import SourceInfo
from siksval.rules.duplicates import Clusters, build_clusters
from siksval.schema import load_schema

__all__ = ["DedupeResult", "dedupe", "parse_field_specs"]

FieldSpec = Mapping[str, str | Sequence[str]]


@dataclass
class DedupeResult:
    """Clusters of duplicate people found in one person list."""

    source: SourceInfo
    roles: dict[str, list[str]]
    threshold: float
    clusters: pd.DataFrame
    duplicates: list[dict[str, Any]]
    link: LinkResult = field(repr=False)

    @property
    def pairs(self) -> pd.DataFrame:
        """Scored pairs called the same person: row_a, row_b (1-based), probability, evidence
        levels per field."""
        p = self.link.pairs
        p = p[p["match"]]
        return p.assign(row_a=p["i"] + 1, row_b=p["j"] + 1).drop(columns=["i", "j"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "report_version": 1,
            "siksval_version": __version__,
            "source": self.source.to_dict(),
            "roles": self.roles,
            "threshold": self.threshold,
            "records": self.source.records,
            "clusters": len(self.duplicates),
            "duplicates": self.duplicates,
        }

    def to_json(self, path: str | os.PathLike[str] | None = None, *, indent: int = 2) -> str | None:
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=indent) + "\n"
        if path is None or str(path) == "-":
            return text
        Path(path).write_text(text, encoding="utf-8")
        return None

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """One line per clustered record: cluster, row, kind, score, keep, evidence (JSON)."""
        score = {e["cluster"]: e.get("score") for e in self.duplicates}
        ev = {e["cluster"]: json.dumps(e.get("evidence", {}), ensure_ascii=False)
              for e in self.duplicates}
        c = self.clusters
        out = pd.DataFrame(
            {
                "cluster": c["cluster"],
                "row": c["row"],
                "kind": c["kind"],
                "score": c["cluster"].map(score),
                "keep": c["row"] == c["keep"],
                "evidence": c["cluster"].map(ev),
            }
        )
        text = out.to_csv(index=False, lineterminator="\n")
        if path is None or str(path) == "-":
            return text
        Path(path).write_text(text, encoding="utf-8")
        return None


def parse_field_specs(specs: Sequence[str]) -> dict[str, list[str]]:
    """`ROLE=COL[,COL...]` strings (the CLI's --field) to a role -> columns mapping."""
    out: dict[str, list[str]] = {}
    for spec in specs:
        role, sep, cols = spec.partition("=")
        role = role.strip().lower()
        columns = [c.strip() for c in cols.split(",") if c.strip()]
        if not sep or not role or not columns:
            raise UserError(
                f"--field {spec!r} is not ROLE=COLUMN[,COLUMN]; e.g. --field nama=NAMA.",
                id=f"--field {spec!r} bukan PERAN=KOLOM[,KOLOM]; mis. --field nama=NAMA.",
            )
        out.setdefault(role, []).extend(columns)
    return out


def _roles_frame(
    frame: pd.DataFrame, fields: FieldSpec | None, where: str
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    headers = [str(c) for c in frame.columns]
    if not fields:
        schema = load_schema("dtks")
        mapping = map_headers(headers, "dtks", schema.aliases)
        roles = {canon: [header] for header, canon in mapping.mapped.items() if canon in ROLES}
    else:
        roles = {r: [c] if isinstance(c, str) else list(c) for r, c in fields.items()}
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise UserError(
            f"Unknown role {', '.join(unknown)}; use one of {', '.join(ROLES)}.",
            id=f"Peran {', '.join(unknown)} tidak dikenal; pakai salah satu dari "
            f"{', '.join(ROLES)}.",
        )
    missing = sorted({c for cols in roles.values() for c in cols} - set(headers))
    if missing:
        raise UserError(
            f"{where}: column {', '.join(missing)} not found; the columns are "
            f"{', '.join(headers[:20])}.",
            id=f"{where}: kolom {', '.join(missing)} tidak ada; kolom yang ada: "
            f"{', '.join(headers[:20])}.",
        )
    if "nama" not in roles:
        raise UserError(
            f"{where}: no name column; give one with --field nama=COLUMN.",
            id=f"{where}: tidak ada kolom nama; sebutkan dengan --field nama=KOLOM.",
        )
    data = {}
    for role, cols in roles.items():
        parts = [frame[c].astype("string").fillna("").str.strip() for c in cols]
        joined = parts[0]
        for p in parts[1:]:
            joined = joined.str.cat(p, sep=" ")
        joined = joined.str.strip().str.replace(r"\s+", " ", regex=True)
        data[role] = joined.mask(joined == "")
    return pd.DataFrame(data).reset_index(drop=True), roles


def dedupe(
    data: str | os.PathLike[str] | pd.DataFrame,
    *,
    fields: FieldSpec | None = None,
    threshold: float | None = None,
    sheet: str | None = None,
) -> DedupeResult:
    """Find duplicate people in a person list (path or DataFrame).

    fields: role -> source column(s), e.g. `{"nama": ["given_name", "surname"], "tgl_lahir":
    "date_of_birth"}`; None = recognise the columns from their headers. threshold: match
    probability from which two records are one person (0–1, default 0.9); lower finds more.
    """
    thr = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    if not 0.0 < thr < 1.0:
        raise UserError(
            f"--threshold {thr} is outside 0..1; use e.g. 0.9 (lower finds more, less surely).",
            id=f"--threshold {thr} di luar 0..1; pakai mis. 0.9 (lebih rendah: lebih banyak "
            "ditemukan, kurang pasti).",
        )
    if isinstance(data, pd.DataFrame):
        frame = data.reset_index(drop=True)
        source = SourceInfo(path="<DataFrame>", format="dataframe", records=len(frame))
    else:
        table = read_table(data, sheet=sheet)
        frame, source = table.frame, table.source
        source.records = len(frame)
    if len(frame) == 0:
        raise UserError(
            f"{source.path}: header only, no records; there is nothing to compare.",
            id=f"{source.path}: hanya judul kolom, tanpa rekaman; tidak ada yang dibandingkan.",
        )
    canon, roles = _roles_frame(frame, fields, source.path)
    result = find_duplicates(canon, threshold=thr)
    rows = np.arange(1, len(canon) + 1, dtype=np.int64)
    clusters: Clusters = build_clusters(result, canon, rows)
    table_out = clusters.table[["cluster", "row", "kind", "keep"]].copy()
    table_out["cluster"] = table_out["cluster"] + 1
    return DedupeResult(source, roles, thr, table_out, clusters.entries, result)


def pair_evidence(res: DedupeResult) -> list[dict[str, Any]]:
    """Evidence of every matched pair (for scripts)."""
    return [evidence(r) for _, r in res.link.pairs[res.link.pairs["match"]].iterrows()]
