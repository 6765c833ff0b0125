"""Comparison vectors for candidate pairs, vectorized with rapidfuzz `process.cpdist`.

Every field is turned into a small integer *level* per pair (higher = closer; -1 = a value is
missing on either side, which is no evidence either way) plus, for the evidence shown to a
user, the raw similarity. No Python loop runs per pair: string similarities go through
rapidfuzz's C++ `cpdist` over the paired arrays, everything else is numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from siksval.linkage.features import Records

__all__ = ["FIELDS", "LEVEL_LABELS", "Comparison", "compare_pairs"]

#: Field -> labels of its levels (index = level). The labels are the evidence vocabulary.
LEVEL_LABELS: dict[str, tuple[str, ...]] = {
    "nama": ("differs", "similar", "close", "very close", "same"),
    "tgl_lahir": ("differs", "one part differs", "day-month swapped", "same default date", "exact"),
    "nik": ("differs", "same region, date part follows", "1 digit differs", "same"),
    "jenis_kelamin": ("differs", "same"),
    "nama_ibu_kandung": ("differs", "similar", "close", "same"),
    "no_kk": ("differs", "same"),
    "kode_wilayah": ("differs", "same kabupaten", "same kecamatan", "same desa"),
    "tempat_lahir": ("differs", "similar", "same"),
    "alamat": ("differs", "similar", "close", "same"),
}
FIELDS = tuple(LEVEL_LABELS)
#: Treat a birth-date typo as a real difference when both NIKs encode their own record's date.
#: Off: a person registered twice at Dukcapil with a mistyped date gets a NIK for each date
#: (measured on synthetic data: on, 0 of 40 such duplicates were found).
CONFIRMED_DATES_DIFFER = False


@dataclass
class Comparison:
    """Levels (int8, -1 missing) and similarities (float32, NaN missing) per pair."""

    i: np.ndarray
    j: np.ndarray
    levels: pd.DataFrame
    sims: pd.DataFrame
    given_sim: np.ndarray  # similarity of the given names (twins rule)

    def __len__(self) -> int:
        return len(self.i)


@dataclass
class _Coded:
    """A text field as an integer code per record (-1 missing) and its distinct values."""

    codes: np.ndarray
    uniques: np.ndarray  # object array of the distinct values


def _coded(s: pd.Series) -> _Coded:
    # factorize the arrow strings: Python objects only for the distinct values
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return _Coded(np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object))


def _sim(
    col: _Coded,
    i: np.ndarray,
    j: np.ndarray,
    scorer,
    workers: int,
    scale: float = 1.0,
) -> np.ndarray:
    """Similarity in [0, 1] of values[i] vs values[j]; NaN where either is missing."""
    a, b = col.codes[i], col.codes[j]
    ok = (a >= 0) & (b >= 0)
    out = np.full(len(i), np.nan, dtype=np.float32)
    if ok.any():
        # Blocks repeat the same pairs of values (common names): score each distinct ordered
        # pair once (1M records: 12 M candidate pairs, ~3 M distinct name pairs). factorize
        # is a hash table, several times faster than np.unique's sort on tens of millions.
        width = np.int64(len(col.uniques))
        inverse, key = pd.factorize(a[ok] * width + b[ok])
        left, right = np.divmod(np.asarray(key, dtype=np.int64), width)
        res = process.cpdist(
            col.uniques[left].tolist(), col.uniques[right].tolist(), scorer=scorer,
            workers=workers, dtype=np.float32,
        )
        out[ok] = (np.asarray(res, dtype=np.float32) / scale)[inverse]
    return out


def _levels(sim: np.ndarray, cuts: tuple[float, ...], exact: np.ndarray | None) -> np.ndarray:
    """Similarity to levels: 0 below cuts[0], k for >= cuts[k-1], len(cuts)+1 for exact."""
    lev = np.zeros(len(sim), dtype=np.int8)
    for k, c in enumerate(cuts, start=1):
        lev[sim >= c] = k
    if exact is not None:
        lev[exact] = len(cuts) + 1
    lev[np.isnan(sim)] = -1
    return lev


def _date_levels(
    ymd: np.ndarray,
    default: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    nik_dates: np.ndarray | None = None,
) -> np.ndarray:
    full_a, full_b = ymd[i], ymd[j]
    lev = np.zeros(len(i), dtype=np.int8)
    equal = full_a == full_b
    lev[equal & default[i]] = 3
    lev[equal & ~default[i]] = 4
    # the typo levels only for the pairs whose dates differ (most candidates share the date)
    sub = np.flatnonzero(~equal & (full_a >= 0) & (full_b >= 0))
    a, b = full_a[sub], full_b[sub]
    ya, yb = a // 10000, b // 10000
    ma, mb = (a // 100) % 100, (b // 100) % 100
    da, db = a % 100, b % 100
    same = (ya == yb).astype(np.int8) + (ma == mb) + (da == db)
    # a year that differs counts as "one part" only when it looks like a typo: one digit
    # (1975/1957 is two) or one year apart; 1957 vs 1978 is another person
    ydiff = ya != yb
    one_digit = (
        (ya // 1000 != yb // 1000).astype(np.int8)
        + ((ya // 100) % 10 != (yb // 100) % 10)
        + ((ya // 10) % 10 != (yb // 10) % 10)
        + (ya % 10 != yb % 10)
    ) == 1
    year_typo = (np.abs(ya - yb) <= 1) | one_digit
    # a day or month typed wrong differs in one digit (19 / 09), not 27 / 05
    day_typo = (da // 10 == db // 10) | (da % 10 == db % 10)
    month_typo = (ma // 10 == mb // 10) | (ma % 10 == mb % 10)
    typo = np.where(ydiff, year_typo, np.where(ma != mb, month_typo, day_typo))
    sub_lev = np.zeros(len(sub), dtype=np.int8)
    sub_lev[(same == 2) & typo] = 1
    sub_lev[(ya == yb) & (ma == db) & (da == mb) & (ma != da)] = 2
    if nik_dates is not None and CONFIRMED_DATES_DIFFER:
        # Both NIKs carry their own record's birth date: the two dates were each confirmed by
        # Dukcapil's number, so they differ for real (domain.md §1.1) - not a typo.
        confirmed = nik_dates[i[sub]] & nik_dates[j[sub]]
        sub_lev[confirmed & ((sub_lev == 1) | (sub_lev == 2))] = 0
    lev[sub] = sub_lev
    lev[(full_a < 0) | (full_b < 0)] = -1
    return lev


def nik_confirms_date(rec: Records) -> np.ndarray:
    """True where the NIK's date part (day + 40 for women, DDMMYY) equals the recorded date."""
    d = rec.nik_digits.astype(np.int64)
    day = d[:, 6] * 10 + d[:, 7]
    day = np.where(day > 40, day - 40, day)
    month = d[:, 8] * 10 + d[:, 9]
    yy = d[:, 10] * 10 + d[:, 11]
    y = rec.ymd // 10000
    return (
        rec.nik_ok
        & (rec.ymd >= 0)
        & (day == rec.ymd % 100)
        & (month == (rec.ymd // 100) % 100)
        & (yy == y % 100)
    )


def nik_confirms_region(rec: Records) -> np.ndarray:
    """True where the NIK's region part (6 digits) equals the record's kecamatan code."""
    if rec.wil.isna().all():
        return np.zeros(rec.n, dtype=bool)
    return (rec.nik.str[:6] == rec.wil.str[:6]).fillna(False).to_numpy(bool) & rec.nik_ok


def _nibble_mask(first: int, stop: int) -> np.uint64:
    """Bits flagging the NIK digit positions first..stop-1 in `_packed_nik` (bit 0 of each
    position's nibble; position 0 is the most significant nibble)."""
    return np.uint64(sum(1 << (4 * (15 - k)) for k in range(first, stop)))


_ALL_DIGITS, _REGION, _DATE, _SERIAL = (
    _nibble_mask(0, 16), _nibble_mask(0, 6), _nibble_mask(6, 12), _nibble_mask(12, 16)
)


def _packed_nik(rec: Records) -> np.ndarray:
    """The 16 NIK digits of each record as the 16 nibbles of one uint64 (cached)."""
    key = ("nik_packed",)
    if key not in rec.cache:
        d = rec.nik_digits.astype(np.uint64)
        packed = np.zeros(rec.n, dtype=np.uint64)
        for k in range(16):
            packed |= d[:, k] << np.uint64(4 * (15 - k))
        rec.cache[key] = packed
    return rec.cache[key]


def _nik_levels(
    rec: Records, i: np.ndarray, j: np.ndarray, name_level: np.ndarray | None = None
) -> np.ndarray:
    ok = rec.nik_ok[i] & rec.nik_ok[j]
    lev = np.full(len(i), -1, dtype=np.int8)
    if not ok.any():
        return lev
    ii, jj = i[ok], j[ok]
    packed = _packed_nik(rec)
    pa, pb = packed[ii], packed[jj]
    # one flag bit per differing digit: a nibble of the XOR is non-zero
    x = pa ^ pb
    x |= x >> np.uint64(1)
    x |= x >> np.uint64(2)
    diff = x & _ALL_DIGITS
    ham = np.bitwise_count(diff)
    # adjacent transposition: exactly two neighbouring digits differ, crosswise equal
    transposed = np.zeros(len(ii), dtype=bool)
    two = np.flatnonzero(ham == 2)
    if len(two):
        d2 = diff[two]
        low = d2 & (~d2 + np.uint64(1))  # the lower flag bit
        shift = np.bitwise_count(low - np.uint64(1)).astype(np.uint64)
        adjacent = d2 == (low | (low << np.uint64(4)))
        a2, b2 = pa[two], pb[two]
        nib = np.uint64(0xF)
        a_lo, a_hi = (a2 >> shift) & nib, (a2 >> (shift + np.uint64(4))) & nib
        b_lo, b_hi = (b2 >> shift) & nib, (b2 >> (shift + np.uint64(4))) & nib
        transposed[two] = adjacent & (a_lo == b_hi) & (a_hi == b_lo)
    in_region = (diff & _REGION) != 0
    in_date = (diff & _DATE) != 0
    in_serial = (diff & _SERIAL) != 0
    sub = np.zeros(len(ii), dtype=np.int8)
    # same region part and a date part that follows each record's own birth date (the same
    # date, or a date typed differently at registration): the NIKs differ only as the dates do
    nik_dates = rec.cache.get(("nik_dates",))
    follows = ~in_date if nik_dates is None else ~in_date | (nik_dates[ii] & nik_dates[jj])
    sub[~in_region & follows] = 1
    # a keying error in the region/date part; in the serial it cannot be told apart from the
    # next person registered the same day in the same kecamatan (serials count up per day)
    one = ((ham == 1) | transposed) & ~in_serial
    # Region and date codes are dense: strangers born a day or a month apart, or in the
    # neighbouring kecamatan, also differ in one digit. It is a keying error only when the
    # names are alike and, for a digit of the date part, the recorded birth dates agree.
    same_dob = rec.ymd[ii] == rec.ymd[jj]
    alike = np.ones(len(ii), dtype=bool) if name_level is None else name_level[ok] >= 2
    # Likewise a region digit: when each NIK's region part is its own record's kecamatan, the
    # NIKs differ as the two kecamatan codes do (2102 03 / 2172 03), not by a slip of a key.
    regions = rec.cache.get(("nik_regions",))
    own_regions = np.zeros(len(ii), dtype=bool) if regions is None else regions[ii] & regions[jj]
    sub[one & alike & (~in_date | same_dob) & ~(in_region & own_regions)] = 2
    sub[ham == 0] = 3
    lev[ok] = sub
    return lev


def _codes(rec: Records, name: str, values: pd.Series) -> np.ndarray:
    """Integer code per record (-1 missing), cached on the Records: exact equality of pairs
    becomes an integer comparison."""
    key = ("codes", name)
    if key not in rec.cache:
        rec.cache[key] = pd.factorize(values, use_na_sentinel=True)[0]
    return rec.cache[key]


def _cached_coded(rec: Records, name: str, values) -> _Coded:
    """The field coded once per Records (fit, candidates and rescoring share it)."""
    key = ("coded", name)
    if key not in rec.cache:
        rec.cache[key] = _coded(values() if callable(values) else values)
    return rec.cache[key]


def _core(rec: Records) -> pd.Series:
    # MUHAMMAD says little (MUHAMMAD MAHMUD / MUHAMMAD RAHMAT): similarity without it
    return rec.name.str.replace(r"^MUHAMMAD ", "", regex=True).str.replace(
        " MUHAMMAD", "", regex=False
    )


def _last_token(names: pd.Series) -> pd.Series:
    return names.str.replace(r"^.* ", "", regex=True)


def _same(codes: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """1 same, 0 differs, -1 missing on either side."""
    a, b = codes[i], codes[j]
    return np.where((a < 0) | (b < 0), -1, a == b).astype(np.int8)


def compare_pairs(
    rec: Records, i: np.ndarray, j: np.ndarray, *, workers: int = 1, context: bool = True
) -> Comparison:
    """Compare records i[k] and j[k] for every k.

    context=False leaves out the free-text household fields (birth place, address), which
    carry no weight in the registry model; `context_evidence` adds them for the few pairs
    shown to a user.
    """
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    n = len(i)
    levels: dict[str, np.ndarray] = {}
    sims: dict[str, np.ndarray] = {}

    core = _cached_coded(rec, "core", lambda: _core(rec))
    core_squash = _cached_coded(
        rec, "core_squash", lambda: _core(rec).str.replace(" ", "", regex=False)
    )
    # Indel similarity on the squashed name (joined/split tokens) and on sorted tokens (order);
    # Jaro-Winkler would rate any two names sharing a first name as close.
    rs = _sim(core_squash, i, j, fuzz.ratio, workers, 100.0)
    ts = _sim(core, i, j, fuzz.token_sort_ratio, workers, 100.0)
    name_sim = np.fmax(rs, ts)
    exact = _same(_codes(rec, "squash", rec.squash), i, j) == 1
    sims["nama"] = name_sim
    levels["nama"] = _levels(name_sim, (0.75, 0.88, 0.95), exact)

    if ("nik_dates",) not in rec.cache:
        rec.cache[("nik_dates",)] = nik_confirms_date(rec)
    if ("nik_regions",) not in rec.cache:
        rec.cache[("nik_regions",)] = nik_confirms_region(rec)
    levels["tgl_lahir"] = _date_levels(
        rec.ymd, rec.default_date, i, j, rec.cache[("nik_dates",)]
    )
    # given names: only where a rule reads them (twins: same birth date; the "close name"
    # guard: name levels 1-2)
    nl = levels["nama"]
    need = ((nl >= 1) & (nl <= 2)) | (levels["tgl_lahir"] >= 3)
    given_sim = np.full(n, np.nan, dtype=np.float32)
    if need.any():
        given_sim[need] = _sim(_cached_coded(rec, "given", rec.given), i[need], j[need],
                               JaroWinkler.normalized_similarity, workers)
    # the given name carries a person's identity: INDAH ANGRAINI and NURLIAH ANGRAINI share
    # only a family name, so a merely "similar" or "close" full name counts as different
    nl[(nl >= 1) & (nl <= 2) & (np.nan_to_num(given_sim, nan=1.0) < 0.7)] = 0
    levels["nik"] = _nik_levels(rec, i, j, levels["nama"])

    sa, sb = rec.sex[i], rec.sex[j]
    levels["jenis_kelamin"] = np.where((sa == 0) | (sb == 0), -1, (sa == sb)).astype(np.int8)

    if rec.has("nama_ibu_kandung"):
        mother = _cached_coded(rec, "mother", rec.mother)
        ms = _sim(mother, i, j, JaroWinkler.normalized_similarity, workers)
        mex = _same(mother.codes, i, j) == 1
        sims["nama_ibu_kandung"] = ms
        levels["nama_ibu_kandung"] = _levels(ms, (0.8, 0.92), mex)
        # Jaro-Winkler rewards a shared prefix: AGUSTINA BENU and AGUSTINA LEO are two women
        # with one given name. Names of two or more tokens whose last tokens are not alike
        # (a typo keeps them alike, another family name does not) are at most "similar".
        if ("mother_multi",) not in rec.cache:
            rec.cache[("mother_multi",)] = (
                rec.mother.str.contains(" ", regex=False).fillna(False).to_numpy(bool)
            )
        two = rec.cache[("mother_multi",)]
        multi = np.flatnonzero(two[i] & two[j] & (levels["nama_ibu_kandung"] == 2))
        if len(multi):
            last = _cached_coded(rec, "mother_last", lambda: _last_token(rec.mother))
            ls = _sim(last, i[multi], j[multi], JaroWinkler.normalized_similarity, workers)
            levels["nama_ibu_kandung"][multi[ls < 0.8]] = 1
    if rec.has("no_kk"):
        levels["no_kk"] = _same(_codes(rec, "kk", rec.kk), i, j)
    if rec.has("kode_wilayah"):
        lev = _same(_codes(rec, "wil4", rec.wil.str[:4]), i, j)
        six = _same(_codes(rec, "wil6", rec.wil.str[:6]), i, j)
        full = _same(_codes(rec, "wil", rec.wil), i, j)
        lev = np.where(six == 1, 2, lev)
        lev = np.where(full == 1, 3, lev).astype(np.int8)
        levels["kode_wilayah"] = lev
    if context:
        _context_levels(rec, i, j, levels, sims, workers)

    return Comparison(
        i=i,
        j=j,
        levels=pd.DataFrame(levels),
        sims=pd.DataFrame(sims),
        given_sim=given_sim,
    )


def _context_levels(
    rec: Records, i: np.ndarray, j: np.ndarray, levels: dict, sims: dict, workers: int
) -> None:
    if rec.has("tempat_lahir"):
        ps = _sim(_cached_coded(rec, "tempat", rec.tempat), i, j,
                  JaroWinkler.normalized_similarity, workers)
        sims["tempat_lahir"] = ps
        levels["tempat_lahir"] = _levels(ps, (0.8,), ps >= 0.97)
    if rec.has("alamat"):
        asim = _sim(_cached_coded(rec, "alamat", rec.alamat), i, j, fuzz.token_set_ratio,
                    workers, 100.0)
        sims["alamat"] = asim
        levels["alamat"] = _levels(asim, (0.6, 0.85), asim >= 0.999)


def context_evidence(rec: Records, pairs: pd.DataFrame, workers: int = 1) -> pd.DataFrame:
    """Add the household free-text levels (birth place, address) to a few scored pairs."""
    levels: dict[str, np.ndarray] = {}
    sims: dict[str, np.ndarray] = {}
    _context_levels(rec, pairs["i"].to_numpy(), pairs["j"].to_numpy(), levels, sims, workers)
    out = pairs.copy()
    for f, v in levels.items():
        out[f] = v
    return out
