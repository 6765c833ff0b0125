"""The duplicate engine end to end: features -> blocking -> comparison -> model -> clusters.

`find_duplicates` serves `siksval check` (DUP001–DUP003) and `siksval dedupe`; `link_frames`
links the people of two frames (month-to-month diff).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from siksval.linkage.blocking import DEFAULT_WINDOW, BlockStats, block_pairs
from siksval.linkage.cluster import guarded_clusters
from siksval.linkage.compare import LEVEL_LABELS, Comparison, compare_pairs, context_evidence
from siksval.linkage.features import Records, prepare
from siksval.linkage.score import (
    CONTEXT_FIELDS,
    MatchModel,
    TermFrequencies,
    fit,
    prior_model,
    score,
    tf_counts,
    tf_tables,
)

__all__ = ["DEFAULT_THRESHOLD", "LinkResult", "evidence", "find_duplicates", "link_frames"]

#: Probability from which a pair is called the same person.
DEFAULT_THRESHOLD = 0.9
#: Records under one NIK are one person when their person evidence (names, birth date, sex,
#: mother) has a log2 Bayes factor above this, the NIK itself left aside.
PERSON_CUT = 0.0
#: Prior probability that a pair of a registry list of PRIOR_ROWS records is one person,
#: falling as n ** -PRIOR_EXPONENT for a list of n records. A list holds duplicates in
#: proportion to its records but look-alike strangers in proportion to its pairs, so a fixed
#: prior lets chance look-alikes grow with the list (5M synthetic rows: precision 0.945).
#: The exponent is calibrated, not derived: 1 (a random pair's prior; u comes from random
#: pairs) over-corrects small lists, whose candidates are pre-selected by blocking (50,000 rows:
#: precision 0.952 on one seed, twins reported). Measured with bench_dedupe_synth.py on
#: synthetic DTKS of 50,000 (7 seeds), 1,000,000 and 5,000,000 rows (bench/RESULTS.md).
REGISTRY_PRIOR = 3.2e-7
PRIOR_ROWS = 1_000_000
PRIOR_EXPONENT = 0.7
#: Random pairs compared to estimate u (how often non-matches agree by chance).
U_SAMPLE = 50_000
#: A cluster holding a pair below this probability is re-cut (cluster.guarded_clusters).
CONTRADICTION = 1e-5


@dataclass
class LinkResult:
    """Scored candidate pairs, clusters and the fitted model of one duplicate search."""

    records: Records
    pairs: pd.DataFrame  # i, j, probability, person, same_nik, match + level per field
    cluster: np.ndarray  # per record, -1 = not a duplicate
    model: MatchModel
    stats: BlockStats
    threshold: float


def _random_pairs(n: int, size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    if n < 2:
        e = np.zeros(0, dtype=np.int64)
        return e, e
    rng = np.random.default_rng(seed)
    a = rng.integers(0, n, size)
    b = rng.integers(0, n, size)
    ok = a != b
    return np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])


def u_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The random record pairs (fixed seed) whose comparison estimates u for a list of n."""
    return _random_pairs(n, min(U_SAMPLE, n * (n - 1) // 2))


def _fit(
    rec: Records, cmp: Comparison, workers: int, expected: float | None = None
) -> MatchModel:
    """The match model; `expected`: how many true matches the candidates hold (registry
    prior; default REGISTRY_PRIOR per pair)."""
    ri, rj = u_pairs(rec.n)
    rand = compare_pairs(rec, ri, rj, workers=workers, context=not _registry(rec))
    return fit_model(cmp.levels, rand.levels, _registry(rec), rec.n, expected)


def fit_model(
    levels: pd.DataFrame, u_levels: pd.DataFrame, registry: bool, n: int,
    expected: float | None = None, counts: np.ndarray | None = None,
) -> MatchModel:
    """The match model of a list of n records from the candidate pairs' levels and the random
    pairs' levels (a registry list reads only the candidates' columns and count); `counts`:
    `levels` holds distinct patterns seen this many times (`score.pattern_counts`)."""
    if registry:
        # A registry list (with NIKs). EM on its blocked pairs learns "strangers sharing a
        # birth date, a NIK prefix or a common name" as the match class (measured on synthetic
        # DTKS: precision < 0.05), so the domain model is used: m from what a duplicate looks
        # like, u from random pairs of this file, term frequencies of this file's names.
        # Household fields (KK, desa, address, birth place) are evidence only, not weight.
        # The desa alone is kept, with a bounded, never negative weight (REGION_MAX_BITS).
        fields = [f for f in levels.columns if f not in CONTEXT_FIELDS or f == "kode_wilayah"]
        if expected is None:
            lam = registry_prior(n)
        else:
            n_pairs = len(levels) if counts is None else int(np.sum(counts))
            lam = float(np.clip(expected / max(n_pairs, 1), REGISTRY_PRIOR, 0.5))
        return prior_model(fields, u_levels, lam)
    return fit(levels, u_levels, counts=counts)


def registry_prior(n: int) -> float:
    """Prior that two records of a registry list of n records are one person."""
    return float(min(REGISTRY_PRIOR * (PRIOR_ROWS / max(n, 2)) ** PRIOR_EXPONENT, 0.5))


def _registry(rec: Records) -> bool:
    """A registry list (with NIKs): the domain model, household text fields as evidence only."""
    return rec.some("nik")


def _pairs_frame(cmp: Comparison, prob: np.ndarray, person: np.ndarray) -> pd.DataFrame:
    out = pd.DataFrame({"i": cmp.i, "j": cmp.j, "probability": prob, "person": person})
    for f in cmp.levels.columns:
        out[f] = cmp.levels[f].to_numpy()
    if "nama" in cmp.sims.columns:
        out["nama_sim"] = cmp.sims["nama"].to_numpy()
    if "nama_ibu_kandung" in cmp.sims.columns:
        out["ibu_sim"] = cmp.sims["nama_ibu_kandung"].to_numpy()
    return out


def judge(
    model: MatchModel, rec: Records, cmp: Comparison, tables: TermFrequencies, thr: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(probability, person log-odds, same NIK, match) of compared pairs."""
    prob, _, person = score(model, rec, cmp, tables)
    same_nik = (cmp.levels["nik"].to_numpy() == 3) if "nik" in cmp.levels.columns else np.zeros(
        len(cmp), dtype=bool
    )
    # Under one NIK only the person's own evidence counts: the shared NIK proves nothing about
    # whether two records are one person (DUP001) or two (DUP002).
    match = (prob >= thr) & (~same_nik | (person > PERSON_CUT))
    return prob, person, same_nik, match


def rescorer(
    model: MatchModel, rec: Records, tables: TermFrequencies, workers: int
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The clusters' guard: the probability of any pair of records of `rec`."""
    registry = _registry(rec)

    def rescore(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        c = compare_pairs(rec, a, b, workers=workers, context=not registry)
        p, _, pers = score(model, rec, c, tables)
        sn = (c.levels["nik"].to_numpy() == 3) if "nik" in c.levels.columns else False
        return np.where(sn & (pers <= PERSON_CUT), 0.0, p)

    return rescore


def shown_pairs(
    rec: Records, cmp: Comparison, prob: np.ndarray, person: np.ndarray, same_nik: np.ndarray,
    match: np.ndarray, workers: int,
) -> pd.DataFrame:
    """The scored pairs a LinkResult keeps: of a registry list those that matched or share a
    NIK (DUP001/DUP002), with the household text evidence; of other lists all."""
    pairs = _pairs_frame(cmp, prob, person)
    pairs["same_nik"] = same_nik
    pairs["match"] = match
    if _registry(rec):
        pairs = pairs[match | same_nik].reset_index(drop=True)
        pairs = context_evidence(rec, pairs, workers)
    return pairs


def find_duplicates(
    frame: pd.DataFrame,
    *,
    threshold: float | None = None,
    nik_decoded: pd.DataFrame | None = None,
    window: int = DEFAULT_WINDOW,
    workers: int = -1,
    contradiction: float = CONTRADICTION,
) -> LinkResult:
    """Search duplicate people in one canonical frame (any subset of the role columns)."""
    thr = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    rec = prepare(frame, nik_decoded)
    i, j, stats = block_pairs(rec, window)
    registry = _registry(rec)
    cmp = compare_pairs(rec, i, j, workers=workers, context=not registry)
    model = _fit(rec, cmp, workers)
    tables = tf_tables([tf_counts(rec)])
    prob, person, same_nik, match = judge(model, rec, cmp, tables, thr)
    cluster = guarded_clusters(
        rec.n, cmp.i[match], cmp.j[match], prob[match], thr,
        rescorer(model, rec, tables, workers), contradiction=contradiction,
    )
    pairs = shown_pairs(rec, cmp, prob, person, same_nik, match, workers)
    return LinkResult(rec, pairs, cluster, model, stats, thr)


def evidence(row: pd.Series | dict) -> dict[str, object]:
    """The evidence of one scored pair: similarity for names, a label for the other fields."""
    out: dict[str, object] = {}
    for f, labels in LEVEL_LABELS.items():
        lev = row.get(f)
        if lev is None or pd.isna(lev) or int(lev) < 0:
            continue
        if f == "nama" and "nama_sim" in row and pd.notna(row["nama_sim"]):
            out[f] = round(float(row["nama_sim"]), 2)
        elif f == "nama_ibu_kandung" and "ibu_sim" in row and pd.notna(row["ibu_sim"]):
            out[f] = round(float(row["ibu_sim"]), 2)
        else:
            out[f] = labels[int(lev)]
    return out


def link_frames(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    threshold: float | None = None,
    window: int = DEFAULT_WINDOW,
    workers: int = -1,
) -> pd.DataFrame:
    """Link the people of two canonical frames.

    Columns used (any may be missing): nik, nama, tgl_lahir, jenis_kelamin, nama_ibu_kandung,
    no_kk, kode_wilayah (also tempat_lahir, alamat). Returns one row per linked pair with
    probability >= threshold (default 0.9): `left`, `right` (0-based positions), `probability`,
    `best` (the pair is the most probable one for both its records), one level label per field
    compared (`nama` as similarity 0..1, the others as text such as "exact", "1 digit differs"),
    sorted by left then descending probability.
    """
    thr = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    nl = len(left)
    both = pd.concat(
        [left.reset_index(drop=True), right.reset_index(drop=True)], ignore_index=True
    )
    rec = prepare(both)
    i, j, _ = block_pairs(rec, window)
    cross = (i < nl) & (j >= nl)
    i, j = i[cross], j[cross]
    registry = _registry(rec)
    cmp = compare_pairs(rec, i, j, workers=workers, context=not registry)
    # across two frames most people have their counterpart: expect min(left, right) links
    model = (
        _fit(rec, cmp, workers, expected=float(min(nl, len(right))))
        if len(cmp)
        else fit(cmp.levels)
    )
    prob, _, _ = score(model, rec, cmp)
    keep = prob >= thr
    pairs = _pairs_frame(cmp, prob, np.zeros(len(cmp)))[keep]
    if registry:
        pairs = context_evidence(rec, pairs, workers)
    out = pd.DataFrame(
        {
            "left": pairs["i"].to_numpy(dtype=np.int64),
            "right": pairs["j"].to_numpy(dtype=np.int64) - nl,
            "probability": pairs["probability"].to_numpy(),
        }
    )
    if len(out):
        best_l = out.groupby("left")["probability"].transform("max")
        best_r = out.groupby("right")["probability"].transform("max")
        out["best"] = (out["probability"] == best_l) & (out["probability"] == best_r)
    else:
        out["best"] = pd.Series(dtype=bool)
    for f, labels in LEVEL_LABELS.items():
        if f not in pairs.columns:
            continue
        lev = pairs[f].to_numpy()
        if f == "nama" and "nama_sim" in pairs.columns:
            out[f] = np.round(pairs["nama_sim"].to_numpy(dtype=float), 2)
            continue
        lab = np.array([*labels, None], dtype=object)
        out[f] = lab[np.where(lev >= 0, lev, len(labels))]
    return out.sort_values(["left", "probability"], ascending=[True, False]).reset_index(
        drop=True
    )
