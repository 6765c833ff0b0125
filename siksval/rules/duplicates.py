"""DUP rules (DUP001–DUP003): duplicate and conflicting identities.

All three read one duplicate search per run, ``ds.cached(duplicate_search)`` (the engine in
siksval.linkage, fed with the Dataset's decoded NIKs), and the clusters of DUP001/DUP003 are
added to the report's `duplicates` section. Duplicate search is the one check that looks across
households, so it runs on the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from siksval.idnum import kk_columns, nik_columns
from siksval.linkage import DEFAULT_THRESHOLD, LinkResult, evidence, find_duplicates
from siksval.linkage.features import ROLES
from siksval.rules import rule

DUP_DATASETS = ("dtks", "lksa_anak")
#: the engine's roles plus what the record-to-keep suggestion needs
PERSON_COLUMNS = (*ROLES, "padan_dukcapil")
#: Fields whose completeness makes a record the better one to keep.
_COMPLETENESS = ("nik", "nama", "tgl_lahir", "jenis_kelamin", "nama_ibu_kandung", "no_kk",
                 "kode_wilayah", "tempat_lahir", "alamat")
#: Clusters up to this size list the evidence of every linked pair.
MAX_PAIRS_LISTED = 10


@dataclass
class Clusters:
    """The outcome of a duplicate search in report terms."""

    result: LinkResult
    table: pd.DataFrame  # one row per clustered record: pos, cluster, kind, row, keep
    entries: list[dict[str, Any]]  # the `duplicates` section, one dict per cluster
    shared_nik: pd.DataFrame  # DUP002: pos, nik_group, people


def keep_order(
    frame: pd.DataFrame, positions: np.ndarray, kk_issue: pd.Series | None
) -> np.ndarray:
    """Preference per record (higher = keep): padan with Dukcapil, then most complete, then
    newest KK (domain.md §5.2, S94: keep the padan, complete record)."""
    sub = frame.iloc[positions]
    padan = (
        sub["padan_dukcapil"].fillna(False).astype(bool).to_numpy()
        if "padan_dukcapil" in sub.columns
        else np.zeros(len(sub), dtype=bool)
    )
    cols = [c for c in _COMPLETENESS if c in sub.columns]
    complete = sub[cols].notna().sum(axis=1).to_numpy() if cols else np.zeros(len(sub))
    newest = np.zeros(len(sub))
    if kk_issue is not None:
        d = kk_issue.iloc[positions]
        stamp = d.to_numpy(dtype="datetime64[s]").astype("int64").astype(float)
        newest = np.where(d.isna().to_numpy(), -np.inf, stamp)
    return np.lexsort((-positions, newest, complete, padan))


def threshold_for(config) -> float:
    """The match threshold of a run (option `threshold` of DUP003)."""
    opts = config.options_for("DUP003", {"threshold": DEFAULT_THRESHOLD})
    return float(opts.get("threshold", DEFAULT_THRESHOLD))


def _threshold(ds) -> float:
    return threshold_for(ds.config)


def person_frame(ds) -> pd.DataFrame:
    """The columns duplicate search reads, in record order."""
    return ds.frame[[c for c in PERSON_COLUMNS if c in ds.frame.columns]].reset_index(drop=True)


def nik_decoded(ds) -> pd.DataFrame | None:
    """The Dataset's NIK decoding, the engine's `nik_decoded` (None without a NIK column)."""
    return ds.cached(nik_columns) if "nik" in ds.frame.columns else None


def kk_issue_dates(ds) -> pd.Series | None:
    """When each record's KK was issued (the newest KK is the record to keep)."""
    if "no_kk" not in ds.frame.columns:
        return None
    return ds.cached(kk_columns)["issue_date"].reset_index(drop=True)


def duplicate_search(ds) -> Clusters:
    """The run's one duplicate search over the Dataset (use as ``ds.cached(duplicate_search)``).

    The dask engine searches its pieces apart (`siksval.dask_dedupe`) and puts the Clusters
    it builds into the cache of a Dataset of the records they concern."""
    frame = person_frame(ds)
    result = find_duplicates(frame, threshold=_threshold(ds), nik_decoded=nik_decoded(ds))
    return build_clusters(result, frame, ds.row.to_numpy(), kk_issue_dates(ds))


def build_clusters(
    result: LinkResult,
    frame: pd.DataFrame,
    rows: np.ndarray,
    kk_issue: pd.Series | None = None,
) -> Clusters:
    """Clusters, their kind, the record to keep and the `duplicates` entries."""
    rec = result.records
    label = result.cluster
    pos = np.flatnonzero(label >= 0)
    nik = rec.nik.to_numpy(dtype=object, na_value=None)
    table = pd.DataFrame({"pos": pos, "cluster": label[pos], "row": rows[pos]})
    if len(table):
        nik_codes, _ = pd.factorize(pd.Series(nik[pos], dtype=object), use_na_sentinel=True)
        table["nik_code"] = nik_codes
        g = table.groupby("cluster")["nik_code"]
        one_nik = (g.transform("nunique") == 1) & (g.transform("min") >= 0)
        table["kind"] = np.where(one_nik, "same-nik", "other-nik")
        # the record to keep: best preference within each cluster
        pref = np.empty(len(table), dtype=np.int64)
        pref[keep_order(frame, table["pos"].to_numpy(), kk_issue)] = np.arange(len(table))
        table["pref"] = pref
        best = table.loc[table.groupby("cluster")["pref"].idxmax(), ["cluster", "row"]]
        table = table.merge(best.rename(columns={"row": "keep"}), on="cluster", how="left")
        table = table.sort_values(["cluster", "row"]).reset_index(drop=True)
    else:
        table = table.assign(kind=pd.Series(dtype=object), keep=pd.Series(dtype="int64"))

    pairs = result.pairs
    in_cluster = pairs[pairs["match"]].copy()
    li, lj = label[in_cluster["i"].to_numpy()], label[in_cluster["j"].to_numpy()]
    in_cluster = in_cluster[(li == lj) & (li >= 0)]
    in_cluster["cluster"] = label[in_cluster["i"].to_numpy()]
    entries = _entries(table, in_cluster, rows)
    shared = _shared_nik(rec, label, pairs)
    return Clusters(result, table, entries, shared)


def _entries(table: pd.DataFrame, links: pd.DataFrame, rows: np.ndarray) -> list[dict[str, Any]]:
    if table.empty:
        return []
    members = table.groupby("cluster", sort=True)
    score = links.groupby("cluster")["probability"].min()
    best_link = links.loc[links.groupby("cluster")["probability"].idxmax()].set_index("cluster")
    by_cluster = dict(iter(links.groupby("cluster"))) if len(links) else {}
    out = []
    for k, grp in members:
        entry: dict[str, Any] = {
            "cluster": int(k) + 1,
            "rows": [int(r) for r in grp["row"]],
            "kind": str(grp["kind"].iloc[0]),
            "score": round(float(score.get(k, np.nan)), 4) if k in score.index else None,
            "keep": int(grp["keep"].iloc[0]),
        }
        if k in best_link.index:
            entry["evidence"] = evidence(best_link.loc[k])
        sub = by_cluster.get(k)
        if sub is not None and len(grp) > 2 and len(grp) <= MAX_PAIRS_LISTED:
            entry["pairs"] = [
                {
                    "rows": [int(rows[a]), int(rows[b])],
                    "score": round(float(p), 4),
                    "evidence": evidence(r),
                }
                for (_, r), a, b, p in zip(
                    sub.iterrows(), sub["i"], sub["j"], sub["probability"], strict=True
                )
            ]
        out.append(entry)
    return out


def _shared_nik(rec, label: np.ndarray, pairs: pd.DataFrame) -> pd.DataFrame:
    """Records whose NIK is shared by records that are not one person (DUP002)."""
    codes = pd.factorize(rec.nik, use_na_sentinel=True)[0]  # NA for NIKs not 16 digits
    valid = codes >= 0
    counts = np.bincount(codes[valid]) if valid.any() else np.zeros(0, dtype=np.int64)
    multi = valid & (counts[np.maximum(codes, 0)] >= 2 if len(counts) else False)
    pos = np.flatnonzero(multi)
    empty = pd.DataFrame({"pos": pd.Series(dtype="int64"), "group": pd.Series(dtype="int64"),
                          "people": pd.Series(dtype="int64")})
    if len(pos) == 0:
        return empty
    group = codes[pos]
    # a "person" under one NIK = a cluster, or a record in no cluster
    person = np.where(label[pos] >= 0, label[pos], -1 - pos)
    df = pd.DataFrame({"pos": pos, "group": group, "person": person})
    people = df.groupby("group")["person"].transform("nunique")
    df["people"] = people
    return df[people >= 2][["pos", "group", "people"]].reset_index(drop=True)


def _publish(ds, clusters: Clusters, kind: str) -> None:
    """Add the clusters of `kind` to the report's duplicates section (once per kind)."""
    done = ds.report_sections.setdefault("_dup_kinds", set())
    if kind in done:
        return
    done.add(kind)
    section = ds.report_sections.setdefault("duplicates", [])
    section.extend(e for e in clusters.entries if e["kind"] == kind)
    section.sort(key=lambda e: e["cluster"])


def _cluster_findings(ds, clusters: Clusters, kind: str) -> pd.DataFrame:
    t = clusters.table
    t = t[t["kind"] == kind]
    entries = {e["cluster"]: e for e in clusters.entries if e["kind"] == kind}
    if t.empty:
        return pd.DataFrame()
    _publish(ds, clusters, kind)
    grouped = t.groupby("cluster", sort=True)
    first = grouped["pos"].first().to_numpy()
    frame = ds.frame
    out = pd.DataFrame(
        {
            "row": grouped["row"].first().to_numpy(),
            "rows": [list(map(int, r)) for r in grouped["row"].agg(list)],
            "column": "nik",
            "value": frame["nik"].iloc[first].to_numpy(dtype=object, na_value=None)
            if "nik" in frame.columns else None,
            "no_kk": frame["no_kk"].iloc[first].to_numpy(dtype=object, na_value=None)
            if "no_kk" in frame.columns else None,
            "nik": frame["nik"].iloc[first].to_numpy(dtype=object, na_value=None)
            if "nik" in frame.columns else None,
        }
    )
    params = []
    for k in grouped.groups:
        e = entries.get(int(k) + 1, {})
        params.append({"n": len(e.get("rows", [])), "score": _pct(e.get("score")),
                       "cluster": int(k) + 1, "keep": e.get("keep")})
    out["params"] = params
    return out


def _pct(p: float | None) -> str:
    return "-" if p is None or p != p else f"{p:.2f}"


@rule(
    "DUP001",
    "person-repeated-same-nik",
    severity="warning",
    columns=("nik", "nama"),
    level="cluster",
    datasets=DUP_DATASETS,
    options={"threshold": DEFAULT_THRESHOLD},
    message={
        "id": "orang yang sama tercatat {n} kali dengan NIK yang sama (kelompok {cluster}, "
        "skor {score}); pertahankan baris {keep}",
        "en": "the same person is recorded {n} times under one NIK (cluster {cluster}, "
        "score {score}); keep record {keep}",
    },
    summary={"id": "orang yang sama tercatat ganda dengan NIK sama",
             "en": "same person repeated under one NIK"},
)
def person_repeated_same_nik(ds, opts):
    """What it does: finds records that share one NIK and whose names (allowing Indonesian
    spelling variants, titles and Muhammad forms) and birth dates say they are the same
    person; one finding per cluster, listing every record, with the record to keep (padan
    with Dukcapil, most complete, newest KK). The cluster appears in the `duplicates` section.

    Why it matters: BPKP found 41,985 KPM recorded twice with the same NIK and name, and BPK
    86,465 household members with duplicate NIKs in the 2020 DTKS (domain.md §3, S56, S57);
    Kemensos "put to sleep" 21 million duplicate records in 2021 (S53). A person counted
    twice can receive aid twice.

    Example: `3273011508950001 SITI AMINAH 1995-08-15` in KK A and `3273011508950001 SITTI
    AMINAH 1995-08-15` in KK B fire; the same NIK with a different name and birth date is
    DUP002 instead.

    How to fix: verify with the family which KK the person lives in, keep that record (the
    suggested one is padan and most complete) and remove the other through SIKS-NG.
    """
    return _cluster_findings(ds, ds.cached(duplicate_search), "same-nik")


@rule(
    "DUP002",
    "nik-shared-by-different-people",
    severity="error",
    columns=("nik", "nama"),
    level="cluster",
    datasets=DUP_DATASETS,
    message={
        "id": "NIK ini dipakai oleh {people} orang berbeda ({n} rekaman): nama dan tanggal "
        "lahirnya tidak cocok",
        "en": "this NIK is used by {people} different people ({n} records): their names and "
        "birth dates disagree",
    },
    summary={"id": "satu NIK dipakai orang berbeda", "en": "one NIK used by different people"},
)
def nik_shared_by_different_people(ds, opts):
    """What it does: groups records by NIK; when the records of one NIK do not all describe
    the same person (their names and birth dates disagree, judged without the NIK itself),
    reports the NIK once with all its records.

    Why it matters: a NIK belongs to exactly one person for life (domain.md §1.1, S1–S4). When
    two people share one, at least one of them carries a wrong NIK: aid may go to the wrong
    person and Dukcapil matching fails for the other. BPK counted 86,465 duplicate NIKs among
    DTKS members (S56, S57).

    Example: `3273011508950001 SITI AMINAH 1995-08-15` and `3273011508950001 BUDI SANTOSO
    1988-02-03` fire together; the same NIK with `SITTI AMINAH 1995-08-15` is DUP001.

    How to fix: check both people's KTP-el or KK and correct the NIK of the one it does not
    belong to.
    """
    c = ds.cached(duplicate_search)
    s = c.shared_nik
    if s.empty:
        return pd.DataFrame()
    rows = ds.row.to_numpy()
    s = s.assign(row=rows[s["pos"].to_numpy()]).sort_values(["group", "row"])
    grouped = s.groupby("group", sort=False)
    first = grouped["pos"].first().to_numpy()
    frame = ds.frame
    n = grouped.size().to_numpy()
    people = grouped["people"].first().to_numpy()
    out = pd.DataFrame(
        {
            "row": grouped["row"].first().to_numpy(),
            "rows": [list(map(int, r)) for r in grouped["row"].agg(list)],
            "column": "nik",
            "value": frame["nik"].iloc[first].to_numpy(dtype=object, na_value=None),
            "no_kk": frame["no_kk"].iloc[first].to_numpy(dtype=object, na_value=None)
            if "no_kk" in frame.columns else None,
            "nik": frame["nik"].iloc[first].to_numpy(dtype=object, na_value=None),
            "params": [{"n": int(a), "people": int(b)} for a, b in zip(n, people, strict=True)],
        }
    )
    return out.sort_values("row").reset_index(drop=True)


@rule(
    "DUP003",
    "person-repeated-other-nik",
    severity="warning",
    columns=("nama",),
    level="cluster",
    datasets=DUP_DATASETS,
    options={"threshold": DEFAULT_THRESHOLD},
    message={
        "id": "{n} rekaman dengan NIK berbeda sangat mungkin orang yang sama (kelompok "
        "{cluster}, skor {score}); pertahankan baris {keep}",
        "en": "{n} records with different NIKs are very probably the same person (cluster "
        "{cluster}, score {score}); keep record {keep}",
    },
    summary={"id": "orang yang sama dengan NIK berbeda",
             "en": "same person under different NIKs"},
)
def person_repeated_other_nik(ds, opts):
    """What it does: finds records with different (or missing) NIKs that are very probably
    the same person. Candidate pairs come from blocking keys (NIK with one keying error, name
    tokens with birth date or year, birth date with mother's name, name with region); each pair
    is compared field by field (name similarity after Indonesian name normalisation, birth date
    exact / day-month swap / one part, NIK digits, mother's name, KK, desa, sex) and scored by
    a Fellegi–Sunter model: for a registry list, m from what a duplicate looks like and u
    (chance agreement) from random pairs of the file itself; for a list without NIKs, m and u
    estimated by EM. Common names (SITI, NUR, MUHAMMAD) are weighted down by their frequency
    within the pair's province (names are regional). Another desa counts a little against a
    pair (people move, most duplicates do not). NIKs that differ in a region digit while each
    matches its own record's kecamatan are two regions, not a keying error. Twins and siblings
    (same KK and birth date, different given names and NIKs) and NIKs whose sex digits
    disagree are never matched. One
    finding per cluster, with its score; the evidence is in the `duplicates` section. Option
    `threshold` (0–1, default 0.9) trades precision for recall.

    Why it matters: the same person under two NIKs (several KTP-el recordings, a move without
    pindah-datang, a NIK keyed wrongly) is counted twice; Dukcapil found ~1.9 million people
    with double biometric records (domain.md §1.1, §5.3, S11–S13).

    Example: `3273011508950001 SITI NURHAYATI 1995-08-15, ibu AMINAH` and `3273011508950007
    SITI NUR HAYATI 1995-08-15, ibu AMINAH` fire (one NIK digit differs); twins `RIZKI` and
    `RAFI` born the same day in one KK do not.

    How to fix: check the person's KTP-el and KK, keep the record with the right NIK (the
    suggested one is padan and most complete) and remove the other.
    """
    return _cluster_findings(ds, ds.cached(duplicate_search), "other-nik")
