"""The match model: Fellegi–Sunter with m/u probabilities estimated by EM on the data itself,
term-frequency adjustment for common names, and the domain rules a generic tool lacks.

* EM runs over the *distinct* comparison patterns with their counts (a few thousand at most),
  so fitting costs milliseconds whatever the number of pairs.
* A name shared by many records (SITI, NUR, MUHAMMAD ...) agrees by chance more often: the
  weight of an exact name match is scaled by `sum(tf^2) / tf(name)` (clipped), so a rare name
  counts more than a common one.
* Domain rules (domain.md §1.1, §5.3): two records of one KK with the same birth date but
  different given names and different NIKs are twins or siblings, not duplicates; NIKs whose
  sex digits (day + 40 for women) disagree belong to different people.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from siksval.linkage.compare import LEVEL_LABELS, Comparison
from siksval.linkage.features import Records

__all__ = ["CONTEXT_FIELDS", "PERSON_FIELDS", "MatchModel", "TermFrequencies", "fit", "tf_counts",
           "tf_tables"]

#: Fields a whole household shares (KK, desa, address, birth place): in a list with NIKs they
#: take no part in the E-step (else EM learns "same household" instead of "same person");
#: their m and u are still estimated from the identity fields' posterior.
CONTEXT_FIELDS = ("no_kk", "kode_wilayah", "alamat", "tempat_lahir")

#: Fields that describe the person (not the paperwork): used to tell whether records under one
#: NIK are one person (DUP001) or several (DUP002).
PERSON_FIELDS = ("nama", "tgl_lahir", "jenis_kelamin", "nama_ibu_kandung", "tempat_lahir")

_EPS = 1e-6
#: Below this many candidate pairs EM is not run (tiny lists, test tables).
MIN_PAIRS_FOR_EM = 200
#: Prior of m (how often a true duplicate shows each level, lowest level first): what a
#: duplicate usually looks like. EM is maximum a posteriori with this prior worth PRIOR_PAIRS
#: pairs, so a file with few duplicates cannot turn the model upside down (EM on blocked
#: pairs otherwise likes to call "same birth date" the match class), while a file with
#: thousands of duplicates (FEBRL) is fitted by its data. Fields not listed: uniform.
PRIOR_M: dict[str, tuple[float, ...]] = {
    "nama": (0.002, 0.01, 0.1, 0.39, 0.5),
    "tgl_lahir": (0.001, 0.1, 0.02, 0.05, 0.829),
    "nik": (0.03, 0.1, 0.2, 0.67),
    "jenis_kelamin": (0.02, 0.98),
    "nama_ibu_kandung": (0.003, 0.08, 0.2, 0.717),
    "kode_wilayah": (0.3, 0.1, 0.1, 0.5),
}
#: Registry lists: the desa is evidence for a pair of at most REGION_MAX_BITS (a desa operator
#: registering a person twice keeps the desa), and another region is weak evidence against it,
#: at most REGION_MIN_BITS: people move, but most duplicates stay where they were registered.
REGION_MAX_BITS = 3.0
REGION_MIN_BITS = -2.0
PRIOR_PAIRS = 500.0
#: Fields whose level weights must not decrease towards the exact level.
MONOTONE_FIELDS = ("nama", "nama_ibu_kandung")
#: u (chance agreement of two strangers) for lists too small to estimate it from random pairs
#: (fewer than MIN_U_SAMPLE pairs): typical values of a kabupaten export.
DEFAULT_U: dict[str, tuple[float, ...]] = {
    "nama": (0.99, 0.008, 0.001, 0.0005, 0.0005),
    "tgl_lahir": (0.995, 0.0049, 1e-5, 1e-4, 5e-5),
    "nik": (0.9999, 5e-5, 2e-5, 1e-5),
    "jenis_kelamin": (0.5, 0.5),
    "nama_ibu_kandung": (0.98, 0.015, 0.003, 0.002),
    "kode_wilayah": (0.97, 0.02, 0.008, 0.002),
}
MIN_U_SAMPLE = 5000


@dataclass
class MatchModel:
    """m and u per field and level, the share of matches among candidates (lambda)."""

    m: dict[str, np.ndarray]
    u: dict[str, np.ndarray]
    lam: float
    iterations: int = 0
    tf_clip: float = 8.0
    history: list[float] = field(default_factory=list)

    def weights(self, name: str) -> np.ndarray:
        """log2 Bayes factor per level of a field."""
        w = np.log2(np.maximum(self.m[name], _EPS) / np.maximum(self.u[name], _EPS))
        if name == "nik" and len(w) > 1:
            # "same region, date part follows" repeats the birth date (counted by tgl_lahir) and serials
            # are handed out per (kecamatan, birth date): no evidence of its own
            w[1] = min(w[1], 0.0)
        if name in MONOTONE_FIELDS:
            # a near match never weighs more than an exact one: random strangers are rarely
            # "very close" without being equal, but a duplicate is not likelier to be so
            w = np.minimum.accumulate(w[::-1])[::-1]
        if name == "kode_wilayah":
            w = np.clip(w, REGION_MIN_BITS, REGION_MAX_BITS)
        return w

    def field_weights(self, levels: pd.DataFrame) -> pd.DataFrame:
        """log2 Bayes factor of each field for each pair (0 where a value is missing)."""
        out = {}
        for f in levels.columns:
            if f not in self.m:
                continue
            w = self.weights(f)
            lev = levels[f].to_numpy()
            out[f] = np.where(lev >= 0, w[np.maximum(lev, 0)], 0.0)
        return pd.DataFrame(out, index=levels.index)

    def describe(self) -> dict[str, dict[str, dict[str, float]]]:
        """m, u and weight per field level (for docs and debugging)."""
        return {
            f: {
                LEVEL_LABELS[f][k]: {
                    "m": round(float(self.m[f][k]), 4),
                    "u": round(float(self.u[f][k]), 6),
                    "w": round(float(self.weights(f)[k]), 2),
                }
                for k in range(len(self.m[f]))
            }
            for f in self.m
        }


def _prior(f: str) -> tuple[float, ...]:
    k = len(LEVEL_LABELS[f])
    return PRIOR_M.get(f, tuple([1.0 / k] * k))


def _initial(levels: pd.DataFrame, u_sample: pd.DataFrame | None) -> tuple[dict, dict]:
    m, u = {}, {}
    for f in levels.columns:
        k = len(LEVEL_LABELS[f])
        # m: mass on the best levels; u: from random pairs when available, else the reverse
        mi = np.asarray(_prior(f), dtype=float)
        m[f] = mi / mi.sum()
        if (u_sample is None or len(u_sample) < MIN_U_SAMPLE) and f in DEFAULT_U:
            ui = np.asarray(DEFAULT_U[f], dtype=float)
            u[f] = ui / ui.sum()
        elif u_sample is not None and f in u_sample.columns:
            lev = u_sample[f].to_numpy()
            cnt = np.bincount(lev[lev >= 0], minlength=k)[:k].astype(float) + 1.0
            u[f] = cnt / cnt.sum()
        else:
            ui = 0.05 ** np.arange(k, dtype=float)
            u[f] = ui / ui.sum()
    return m, u


def fit(
    levels: pd.DataFrame,
    u_sample: pd.DataFrame | None = None,
    *,
    max_iter: int = 60,
    tol: float = 1e-6,
    fix_u: tuple[str, ...] = (),
    context: tuple[str, ...] = (),
    seed: bool = False,
    counts: np.ndarray | None = None,
) -> MatchModel:
    """Estimate m, u and lambda by EM over the candidate pairs' comparison patterns.

    `u_sample`: comparison levels of random pairs, which are almost all non-matches; they give
    the starting u, and the final u of the fields in `fix_u`. `counts`: `levels` holds
    distinct patterns, each seen this many times (the pieces of a list count theirs apart).
    """
    fields = [f for f in levels.columns if f in LEVEL_LABELS]
    n_pairs = len(levels) if counts is None else int(np.sum(counts))
    if n_pairs < MIN_PAIRS_FOR_EM:
        # too few pairs to estimate anything: prior m (mass on the agreeing levels) and u from
        # random pairs when there are enough records, else the mirrored prior
        m, u = _initial(levels[fields], u_sample if u_sample is not None and len(u_sample) >= 200 else None)
        return MatchModel(m, u, 0.1)
    if n_pairs == 0:
        m, u = _initial(levels[fields], u_sample)
        return MatchModel(m, u, 0.0)
    grouped = pattern_counts(levels[fields], counts)
    counts = grouped["count"].to_numpy(dtype=float)
    lev = {f: grouped[f].to_numpy() for f in fields}
    m, u = _initial(levels[fields], u_sample)
    lam = 0.01
    hist: list[float] = []
    # Start from a rule-based guess of the match class (names very close and the birth date
    # or NIK nearly agreeing) rather than from m/u alone: EM on blocked pairs otherwise tends
    # to settle on "shares the blocking key" (same date, same household) as the match class.
    p0 = _seed_posterior(lev, len(counts)) if seed else None
    if p0 is not None:
        wm0, wu0 = p0 * counts, (1 - p0) * counts
        lam = float(np.clip(wm0.sum() / counts.sum(), 1e-4, 0.5))
        for f in fields:
            k = len(LEVEL_LABELS[f])
            ok = lev[f] >= 0
            cm = np.bincount(lev[f][ok], weights=wm0[ok], minlength=k)[:k] + 1e-3
            m[f] = cm / cm.sum()
            if f not in fix_u:
                cu = np.bincount(lev[f][ok], weights=wu0[ok], minlength=k)[:k] + 1e-3
                u[f] = cu / cu.sum()
    for _ in range(max_iter):
        lm = np.zeros(len(counts))
        lu = np.zeros(len(counts))
        for f in fields:
            if f in context:
                continue
            ok = lev[f] >= 0
            idx = np.maximum(lev[f], 0)
            lm += np.where(ok, np.log(np.maximum(m[f][idx], _EPS)), 0.0)
            lu += np.where(ok, np.log(np.maximum(u[f][idx], _EPS)), 0.0)
        a = np.log(lam) + lm
        b = np.log1p(-lam) + lu
        top = np.maximum(a, b)
        p = np.exp(a - top) / (np.exp(a - top) + np.exp(b - top))
        wm = p * counts
        wu = (1 - p) * counts
        new_lam = float(np.clip(wm.sum() / counts.sum(), 1e-6, 1 - 1e-6))
        for f in fields:
            k = len(LEVEL_LABELS[f])
            ok = lev[f] >= 0
            prior = PRIOR_PAIRS * np.asarray(_prior(f)) / sum(_prior(f))
            cm = np.bincount(lev[f][ok], weights=wm[ok], minlength=k)[:k] + prior
            m[f] = cm / cm.sum()
            if f not in fix_u:
                cu = np.bincount(lev[f][ok], weights=wu[ok], minlength=k)[:k] + 1e-3
                u[f] = cu / cu.sum()
        hist.append(new_lam)
        if abs(new_lam - lam) < tol:
            lam = new_lam
            break
        lam = new_lam
    return MatchModel(m, u, lam, len(hist), history=hist)


def pattern_counts(levels: pd.DataFrame, counts: np.ndarray | None = None) -> pd.DataFrame:
    """Distinct comparison patterns (int16 levels) with their `count`, in pattern order (so
    that the pieces of a list, counted apart and summed, give the same EM sums)."""
    pat = levels.astype(np.int16)
    if counts is None:
        grouped = pat.value_counts(sort=False)
    else:
        grouped = pat.assign(count=np.asarray(counts)).groupby(list(pat.columns))["count"].sum()
    return grouped.sort_index().reset_index(name="count")


def prior_model(
    fields: list[str], u_sample: pd.DataFrame | None, lam: float
) -> MatchModel:
    """The domain model: m from PRIOR_M (what a duplicate looks like), u from random pairs,
    lambda from the expected share of duplicates among the candidates."""
    m, u = _initial(pd.DataFrame(columns=fields), u_sample)
    return MatchModel(m, u, lam)


def _seed_posterior(lev: dict[str, np.ndarray], n: int) -> np.ndarray | None:
    """A rough first guess of P(match) per pattern from names plus date/NIK/address."""
    if "nama" not in lev:
        return None
    name = lev["nama"]
    top = len(LEVEL_LABELS["nama"]) - 1
    support = np.zeros(n, dtype=bool)
    if "tgl_lahir" in lev:
        support |= lev["tgl_lahir"] >= 1
    if "nik" in lev:
        support |= lev["nik"] >= 2
    if "alamat" in lev and "nik" not in lev:
        support |= lev["alamat"] >= 2
    guess = (name >= top - 1) & support
    if not guess.any():
        return None
    return np.where(guess, 0.95, 0.01)


@dataclass
class _Field:
    """Term frequencies of one field: the values (sorted), their code in the whole list's
    table, their count; counts per (province, value) as sorted keys province * width + code."""

    values: pd.Index
    code: np.ndarray
    count: np.ndarray
    total: int
    expected: float  # sum(tf^2) over the whole list
    width: int  # distinct values of the whole list
    local_keys: np.ndarray
    local_counts: np.ndarray
    sizes: np.ndarray  # records with a value per province code

    def restrict(self, values: pd.Series) -> _Field:
        keep = self.values.isin(values.dropna())
        code = self.code[keep]
        lk = np.isin(self.local_keys % max(self.width, 1), code)
        return dataclasses.replace(self, values=self.values[keep], code=code,
                                   count=self.count[keep], local_keys=self.local_keys[lk],
                                   local_counts=self.local_counts[lk])


@dataclass
class TermFrequencies:
    """How often each value of a field occurs in the whole list, in total and within each
    province (`tf_counts`, summed over the pieces of a list by `tf_tables`), the total and
    sum(tf^2). Restricted to a few values (`restrict`), it scores the pairs among those values
    exactly as the whole table."""

    fields: dict[str, _Field]

    def restrict(self, values: dict[str, pd.Series]) -> TermFrequencies:
        return TermFrequencies({f: t.restrict(values[f]) for f, t in self.fields.items()})


_TF_FIELDS = ("nama", "nama_ibu_kandung")
_PROVINCES = 200  # province codes: two digits, or 100 + one digit


def tf_values(rec: Records) -> dict[str, pd.Series]:
    """The values whose frequency weighs an agreement: the name without MUHAMMAD and spaces,
    and the mother's name."""
    core = rec.name.str.replace(r"^MUHAMMAD ", "", regex=True).str.replace(" ", "", regex=False)
    return {"nama": core, "nama_ibu_kandung": rec.mother}


def province(rec: Records) -> np.ndarray:
    """Province code per record (region code, else the NIK; both digits only), -1 unknown."""
    prov = rec.wil.str[:2].fillna(rec.nik.str[:2])
    codes, uniques = pd.factorize(prov, use_na_sentinel=True)
    # the few distinct codes in Python: "05" -> 5, "5" -> 105
    lookup = np.array([int(u) + (100 if len(u) == 1 else 0) if str(u).isdigit() else -1
                       for u in np.asarray(uniques, dtype=object)] + [-1], dtype=np.int64)
    out = lookup[codes]  # -1 (missing) picks the trailing -1
    return np.where(out < _PROVINCES, out, -1)


def tf_counts(rec: Records) -> dict[str, dict[str, Any]]:
    """Per field of `tf_values`: count per value, and per (province, value) (add the counts
    of several pieces with `tf_tables`)."""
    prov = province(rec)
    out: dict[str, dict[str, Any]] = {}
    for f, v in tf_values(rec).items():
        codes, uniques = pd.factorize(v, use_na_sentinel=True)
        ok = codes >= 0
        counts = np.bincount(codes[ok], minlength=len(uniques))
        both = ok & (prov >= 0)
        key, cnt = np.unique(prov[both] * np.int64(max(len(uniques), 1)) + codes[both],
                             return_counts=True)
        out[f] = {
            "values": pd.Index(uniques), "count": counts,
            "local_prov": key // max(len(uniques), 1), "local_value": key % max(len(uniques), 1),
            "local_count": cnt,
        }
    return out


def tf_tables(counts: list[dict[str, dict[str, Any]]]) -> TermFrequencies:
    """The term frequencies of a list from the `tf_counts` of its pieces."""
    out: dict[str, _Field] = {}
    for f in _TF_FIELDS:
        parts = [c[f] for c in counts if len(c[f]["values"])]
        if parts:
            each = pd.concat([pd.Series(p["count"], index=p["values"]) for p in parts])
            total_counts = each.groupby(level=0, sort=True).sum()
        else:
            total_counts = pd.Series([], dtype=np.int64)
        values = total_counts.index
        count = total_counts.to_numpy(dtype=np.int64)
        width = len(values)
        total = int(count.sum())
        tf = count.astype(np.float64) / max(total, 1)
        keys, cnts = [], []
        for p in parts:
            g = values.get_indexer(p["values"])  # piece code -> whole-list code
            keys.append(p["local_prov"] * np.int64(max(width, 1)) + g[p["local_value"]])
            cnts.append(p["local_count"])
        lk = np.concatenate(keys) if keys else np.zeros(0, np.int64)
        lc = np.concatenate(cnts) if cnts else np.zeros(0, np.int64)
        order = np.argsort(lk, kind="stable")
        lk, lc = lk[order], lc[order]
        if len(lk):
            starts = np.flatnonzero(np.r_[True, lk[1:] != lk[:-1]])
            lk, lc = lk[starts], np.add.reduceat(lc, starts)
        sizes = np.bincount(lk // max(width, 1), weights=lc, minlength=_PROVINCES).astype(np.int64)
        out[f] = _Field(values, np.arange(width, dtype=np.int64), count, total,
                        float((tf**2).sum()), width, lk.astype(np.int64), lc.astype(np.int64),
                        sizes)
    return TermFrequencies(out)


def _tf_field(
    values: pd.Series, group: np.ndarray | None, table: TermFrequencies, cmp: Comparison,
    field: str, clip: float, from_level: int | None = None,
) -> np.ndarray:
    """log2 factor sum(tf^2) / tf on the pairs whose `field` agrees at `from_level` or better
    (default: exactly), tf being the more common of the pair's two values.

    `group` (a province code per record, -1 unknown): for a pair within one group the tf is
    the name's frequency in that group. Names are regional (KOLO and NAHAK in NTT, WETIPO in
    Papua): rare in the country, common among the people a pair of one province is drawn
    from, and a chance agreement is judged against those people. sum(tf^2) stays the whole
    file's, the average the model's u was measured on.
    """
    out = np.zeros(len(cmp), dtype=np.float64)
    t_f = table.fields[field]
    if field not in cmp.levels.columns or len(cmp) == 0 or not len(t_f.values):
        return out
    top = len(LEVEL_LABELS[field]) - 1
    agree = cmp.levels[field].to_numpy() >= (top if from_level is None else from_level)
    if not agree.any():
        return out
    ia, ja = cmp.i[agree], cmp.j[agree]
    # each record's value's row in the table (-1: missing)
    at = _lookup(t_f.values, values)
    ok = (at[ia] >= 0) & (at[ja] >= 0)
    tf_rec = np.where(at >= 0, t_f.count[np.maximum(at, 0)] / max(t_f.total, 1), np.nan)
    t = np.fmax(tf_rec[ia], tf_rec[ja])
    if group is not None:
        local = _local_tf(t_f, np.where(at >= 0, t_f.code[np.maximum(at, 0)], -1), group,
                          ia, ja, ok)
        t = np.where(np.isnan(local), t, local)
    adj = np.zeros(len(ia))
    adj[ok] = np.log2(np.clip(t_f.expected / t[ok], 1 / clip, clip))
    out[agree] = adj
    return out


def _lookup(index: pd.Index, values: pd.Series) -> np.ndarray:
    """Position of each value in `index` (-1: missing), by arrow's hash lookup."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.index_in(pa.array(values, type=pa.large_string()),
                            value_set=pa.array(index, type=pa.large_string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return index.get_indexer(values)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _local_tf(
    t_f: _Field, code: np.ndarray, prov: np.ndarray, ia: np.ndarray, ja: np.ndarray,
    ok: np.ndarray,
) -> np.ndarray:
    """Per pair: the larger frequency of its two values within the pair's province; NaN for a
    pair across provinces or with a value or province unknown."""
    out = np.full(len(ia), np.nan)
    same = ok & (prov[ia] >= 0) & (prov[ia] == prov[ja])
    if not same.any():
        return out
    g = prov[ia[same]]
    width = np.int64(max(t_f.width, 1))
    size = t_f.sizes[g]

    def freq(idx: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(t_f.local_keys, g * width + code[idx])
        return t_f.local_counts[pos] / size

    out[same] = np.maximum(freq(ia[same]), freq(ja[same]))
    return out


def tf_adjustment(
    rec: Records, cmp: Comparison, clip: float = 20.0, tables: TermFrequencies | None = None
) -> np.ndarray:
    """log2 factors for exact name and mother's-name matches: a common name (SITI, NUR,
    MUHAMMAD ...) agrees by chance more often, a rare one is stronger evidence; frequencies
    are taken within the province of a pair from one province. `tables`: the whole list's
    frequencies (default: those of `rec`)."""
    if tables is None:
        tables = tf_tables([tf_counts(rec)])
    values = tf_values(rec)
    group = province(rec)
    out = _tf_field(values["nama"], group, tables, cmp, "nama", clip,
                    from_level=len(LEVEL_LABELS["nama"]) - 2)
    if "nama_ibu_kandung" in cmp.levels.columns:
        out += _tf_field(values["nama_ibu_kandung"], group, tables, cmp, "nama_ibu_kandung",
                         clip, from_level=2)
    return out


def domain_veto(rec: Records, cmp: Comparison) -> np.ndarray:
    """True for pairs the domain says are different people whatever the scores say."""
    i, j = cmp.i, cmp.j
    lev = cmp.levels
    # NIK sex digits disagree (day vs day + 40)
    sex_clash = (rec.nik_sex[i] != 0) & (rec.nik_sex[j] != 0) & (rec.nik_sex[i] != rec.nik_sex[j])
    veto = sex_clash
    if "no_kk" in lev.columns or "nama_ibu_kandung" in lev.columns:
        same_kk = (lev["no_kk"].to_numpy() == 1) if "no_kk" in lev.columns else False
        # one mother (close names) is family too: twins whose KK was split
        if "nama_ibu_kandung" in lev.columns:
            same_kk = same_kk | (lev["nama_ibu_kandung"].to_numpy() >= 2)
        same_date = lev["tgl_lahir"].to_numpy() >= 3
        given_differs = np.nan_to_num(cmp.given_sim, nan=1.0) < 0.85
        nik_lev = lev["nik"].to_numpy() if "nik" in lev.columns else np.full(len(i), -1)
        # twins get consecutive serials (…0002 / …0003): any NIK difference counts
        nik_differs = (nik_lev >= 0) & (nik_lev <= 2)
        # names equal once spaces are removed (`NUR HAYATI` / `NURHAYATI`) are one name, not
        # twins with different given names
        name_differs = lev["nama"].to_numpy() < len(LEVEL_LABELS["nama"]) - 1
        twins = same_kk & same_date & given_differs & name_differs & (nik_differs | (nik_lev < 0))
        veto = veto | twins
    return veto


def score(
    model: MatchModel, rec: Records, cmp: Comparison, tables: TermFrequencies | None = None
) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """(probability, per-field log2 weights, person log-odds) for every pair; `tables`: the
    term frequencies of the whole list (default: those of `rec`)."""
    w = model.field_weights(cmp.levels)
    tf = tf_adjustment(rec, cmp, model.tf_clip, tables)
    prior = np.log2(max(model.lam, 1e-9) / max(1 - model.lam, 1e-9))
    total = prior + w.sum(axis=1).to_numpy() + tf
    prob = 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))
    prob[domain_veto(rec, cmp)] = 0.0
    person_cols = [c for c in PERSON_FIELDS if c in w.columns]
    person = w[person_cols].sum(axis=1).to_numpy() + tf
    return prob, w, person
