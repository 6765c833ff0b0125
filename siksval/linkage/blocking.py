"""Candidate pairs: records that share a blocking key, found in O(n) memory.

Each key is a tuple of columns; records are sorted by (key, tie-breaker) and every record is
paired with the next `window` records while the key stays the same. A block no larger than
`window + 1` is thus compared exhaustively; an oversized block (a common name with a default
birth date) degrades into a sorted neighbourhood of width `window` instead of exploding
quadratically. Keys are unioned; a pair is kept once.

Default keys (domain.md §7.4, issue 5):

* exact NIK;
* the NIK with one group of digits masked (a keying error: one digit wrong or two neighbours
  swapped leaves one masked form intact);
* first / last name token with the birth date (default dates 01-07, 31-12, 01-01 also need the
  region, being weak evidence);
* the squashed name with the birth year, and with the region;
* birth date with the mother's name;
* given name with the birth month and day (a wrong year) and the region.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from siksval.linkage.features import Records

__all__ = ["BlockStats", "block_pairs", "candidate_pairs", "key_windows", "window_pairs"]

DEFAULT_WINDOW = 24
#: Window of the sorted-neighbourhood keys (a name alone, a date alone, a NIK with digits
#: masked): the records sorted next to each other by the tie-breaker are the likely pairs.
NEIGHBOUR_WINDOW = 5
REGISTRY_NEIGHBOUR_WINDOW = 2
#: Lists up to this many records compare each exhaustive key's blocks up to DEFAULT_WINDOW.
SCALE_ROWS = 1_000_000
MIN_EXHAUSTIVE_WINDOW = 6
#: Keys whose blocks are small and meaningful; the others are sorted neighbourhoods.
EXHAUSTIVE_KEYS = ("nik", "token+dob", "mother+dob", "given+mother+year", "alamat")

# Masks over NIK digit positions: the four aligned groups of 4 and three groups straddling
# their borders, so any single substitution or adjacent transposition keeps one form intact.
_NIK_MASKS = ((0, 4), (4, 8), (8, 12), (12, 16), (2, 6), (6, 10), (10, 14))


@dataclass
class BlockStats:
    """How many pairs each key contributed, and records in oversized blocks."""

    pairs: dict[str, int]
    oversized: dict[str, int]
    total: int


def _hash(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """uint64 hash per value and a validity mask (NA / empty / -1 are invalid).

    A content hash of the text (pandas' siphash of each distinct value): the same value gets
    the same key in any frame and any process, so the pieces of one list (the dask engine)
    build the keys and tie-breakers of the whole list."""
    if isinstance(values, pd.Series):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        valid = codes >= 0
        if len(uniques) == 0:
            return np.zeros(len(codes), dtype=np.uint64), valid
        uh = pd.util.hash_array(np.asarray(uniques, dtype=object), categorize=False)
        return np.where(valid, uh[np.maximum(codes, 0)], np.uint64(0)), valid
    arr = np.asarray(values)
    valid = arr >= 0
    return pd.util.hash_array(arr.astype(np.int64)), valid


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads small integer codes over 64 bits."""
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def key_codes(parts: Sequence[pd.Series | np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Combine several columns into one uint64 key (hash), valid where all parts are."""
    h = np.zeros(len(parts[0]), dtype=np.uint64)
    valid = np.ones(len(parts[0]), dtype=bool)
    for i, p in enumerate(parts):
        hp, vp = _hash(p)
        h = (h * np.uint64(1_000_003 + 2 * i)) ^ hp
        valid &= vp
    return h, valid


def window_pairs(
    key: np.ndarray, valid: np.ndarray, window: int, tie: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """(i, j, oversized) for records sharing `key`, each paired with up to `window` followers
    in (key, tie) order. `oversized` counts records in blocks larger than window + 1."""
    idx = np.flatnonzero(valid)
    if len(idx) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, 0
    k = key[idx]
    order = np.lexsort((tie[idx], k)) if tie is not None else np.argsort(k, kind="stable")
    sidx = idx[order]
    sk = k[order]
    out_i, out_j = [], []
    for d in range(1, window + 1):
        same = sk[:-d] == sk[d:]
        if not same.any():
            break
        out_i.append(sidx[:-d][same])
        out_j.append(sidx[d:][same])
    oversized = 0
    if len(sk) > window + 1:
        same = sk[: -(window + 1)] == sk[window + 1 :]
        if same.any():
            # records in a run longer than window + 1
            starts = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]])
            counts = np.diff(np.r_[starts, len(sk)])
            oversized = int(counts[counts > window + 1].sum())
    if not out_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, oversized
    i = np.concatenate(out_i).astype(np.int64)
    j = np.concatenate(out_j).astype(np.int64)
    return np.minimum(i, j), np.maximum(i, j), oversized


def alpha_tie(values: pd.Series) -> np.ndarray:
    """uint64 that sorts like the first 8 bytes of each text (missing = 0): a tie-breaker that
    puts alike names next to each other within a block, the same in any process."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(values.astype("string[pyarrow]").array)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    b = pc.binary_slice(arr.cast(pa.large_binary()), 0, 8)
    n = len(b)
    off = np.frombuffer(b.buffers()[1], dtype=np.int64)[b.offset : b.offset + n + 1]
    data = np.frombuffer(b.buffers()[2], dtype=np.uint8) if b.buffers()[2] else np.zeros(1, np.uint8)
    start, length = off[:-1], np.diff(off)
    out = np.zeros(n, dtype=np.uint64)
    for k in range(8):
        has = length > k
        byte = np.where(has, data[np.where(has, start + k, 0)], 0).astype(np.uint64)
        out = (out << np.uint64(8)) | byte
    return out


def _nik_masked(rec: Records, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    d = rec.nik_digits
    h = np.zeros(rec.n, dtype=np.uint64)
    for p in range(16):
        if a <= p < b:
            continue
        h = h * np.uint64(11) + d[:, p].astype(np.uint64)
    return h, rec.nik_ok


def _outer_tokens(rec: Records) -> pd.Series:
    """First and last token in alphabetical order: `NATHAN KHALENOR` = `KHALENOR NATHAN`."""
    a = rec.first.to_numpy(dtype=object, na_value="")
    b = rec.last.to_numpy(dtype=object, na_value="")
    lo = np.where(a <= b, a, b)
    hi = np.where(a <= b, b, a)
    out = pd.Series(lo + " " + hi, dtype="string[pyarrow]")
    return out.mask(rec.first.isna().to_numpy())


def _stack(
    tokens: list[pd.Series], part: np.ndarray, ok: np.ndarray, tie: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A multi-valued key: one entry per (record, token); `rows` maps entries to records."""
    n = len(ok)
    # one factorisation over all token columns: the same token gets the same code anywhere
    h, v = _hash(pd.concat(tokens, ignore_index=True))
    with np.errstate(over="ignore"):
        h = h ^ (np.tile(part, len(tokens)) * np.uint64(0x9E3779B97F4A7C15))
    rows = np.tile(np.arange(n, dtype=np.int64), len(tokens))
    return h, v & np.tile(ok, len(tokens)), np.tile(tie, len(tokens)), rows


def _keys(rec: Records) -> dict[str, tuple]:
    """name -> (key, valid, tie-breaker[, rows]) for every key the data supports."""
    keys: dict[str, tuple] = {}
    sq_h, _ = _hash(rec.squash)
    # within a block of an exhaustive key alike names sit next to each other, so that a block
    # larger than the window still pairs the likely duplicates
    sq_alpha = alpha_tie(rec.squash)
    registry = rec.some("nik")
    if registry:
        h, v = key_codes([rec.nik])
        keys["nik"] = (h, v, None)
        # with the given name's initial: serials 0001 are so common that a masked NIK alone
        # makes large blocks, and a keyed-wrong NIK still belongs to a person of that name
        ih, iv = key_codes([rec.given.str[:2]])
        for a, b in _NIK_MASKS:
            if registry and 4 < b and a < 12:
                # a keyed-wrong date part with the same recorded birth date is found by the
                # name-token + birth-date key already; these masks only cost pairs
                continue
            h, v = _nik_masked(rec, a, b)
            keys[f"nik~{a}:{b}"] = (h ^ (ih * np.uint64(0x2545F4914F6CDD1D)), v & iv, sq_h)
    has_date = rec.some("date")
    year = np.where(rec.ymd >= 0, rec.ymd // 10000, -1)
    monthday = np.where(rec.ymd >= 0, rec.ymd % 10000, -1)
    # weak default dates need the region to form a key (when there is a region)
    region = rec.wil.str[:6] if rec.some("region") else None
    if region is not None:
        rh, rv = _hash(region)
        dh = pd.util.hash_array(rec.ymd.astype(np.int64))
        date_key_h = np.where(rec.default_date & rv, dh ^ rh, dh)
    else:
        date_key_h = pd.util.hash_array(rec.ymd.astype(np.int64))
    date_valid = rec.ymd >= 0
    if has_date:
        # any name token (first, last, given) with the full date, the year, or month and day:
        # one key space for all tokens, so swapped given name / surname still meet
        stacked = [
            rec.first,
            rec.last.mask(rec.last == rec.first),
            rec.given.mask((rec.given == rec.first) | (rec.given == rec.last)),
        ]
        token_keys = [("token+dob", date_key_h, date_valid)]
        if not registry:
            # lists without NIKs (FEBRL-like) have worse dates and need wider keys
            token_keys += [
                ("token+year", pd.util.hash_array(year.astype(np.int64)), date_valid),
                ("token+monthday", pd.util.hash_array(monthday.astype(np.int64)), date_valid),
            ]
        for label, part, ok in token_keys:
            keys[label] = _stack(stacked, part, ok, sq_alpha)
        h, v = key_codes([rec.squash, year])
        keys["name+year"] = (h, v, monthday)
        if rec.some("mother"):
            mother_first = rec.mother.str.replace(r" .*$", "", regex=True)
            mh, mv = key_codes([mother_first])
            keys["mother+dob"] = (mh ^ (date_key_h * np.uint64(37)), mv & date_valid, sq_alpha)
            # the same person keeps the mother's name whatever the day or month typed: finds
            # birth date typos and day-month swaps under another NIK
            gh, gv = key_codes([rec.given, mother_first, year])
            keys["given+mother+year"] = (gh, gv, rec.ymd)
    if region is not None:
        h, v = key_codes([rec.squash, region])
        keys["name+region"] = (h, v, rec.ymd)
    # sorted neighbourhoods: the name alone (dates typed wrong), the date alone (names typed
    # wrong), each ordered by the other
    if not registry:
        h, v = key_codes([rec.squash])
        keys["name"] = (h, v, rec.ymd)
    if not registry:
        h, v = key_codes([_outer_tokens(rec)])
        keys["outer-tokens"] = (h, v, rec.ymd)
    if has_date and not registry:
        keys["dob"] = (pd.util.hash_array(rec.ymd.astype(np.int64)), date_valid, sq_h)
    if not registry:
        # lists without NIKs (FEBRL-like): one name token alone, ordered by the other
        h, v = key_codes([rec.last])
        keys["last"] = (h, v, _hash(rec.first)[0])
        h, v = key_codes([rec.first])
        keys["first"] = (h, v, _hash(rec.last)[0])
    if rec.some("alamat") and not registry:
        # an address is shared by a whole household: a key only for lists without NIKs
        h, v = key_codes([rec.alamat])
        keys["alamat"] = (h, v, sq_h)
    return keys


def exhaustive_window(n: int, window: int = DEFAULT_WINDOW) -> int:
    """Window of the exhaustive keys for a list of n records: `window` up to SCALE_ROWS
    records, narrower beyond, so that candidate pairs grow linearly with the list (a block
    of a common name with one birth date grows with the list; sorted by name, its likely
    duplicates stay neighbours)."""
    return int(np.clip(round(window * SCALE_ROWS / max(n, 1)), MIN_EXHAUSTIVE_WINDOW, window))


def neighbour_window(n: int, registry: bool, window: int = DEFAULT_WINDOW) -> int:
    """Window of the sorted-neighbourhood keys for a list of n records: small lists afford
    wide neighbourhoods, a million records keep NEIGHBOUR_WINDOW."""
    w = int(np.clip(1_000_000 // max(n, 1), NEIGHBOUR_WINDOW, window))
    if registry:
        # registry lists: the exhaustive keys carry recall, neighbourhoods only mop up (beyond
        # SCALE_ROWS records with the next record only: their pairs grow with the list)
        w = min(w, REGISTRY_NEIGHBOUR_WINDOW if n <= SCALE_ROWS else 1)
    return w


def key_windows(names: list[str], n: int, registry: bool, window: int = DEFAULT_WINDOW) -> list[int]:
    """The window of each key of a list of n records: exhaustive keys `exhaustive_window`,
    the others `neighbour_window` (the dask engine passes the whole file's n)."""
    exhaustive, neighbour = exhaustive_window(n, window), neighbour_window(n, registry, window)
    return [exhaustive if name in EXHAUSTIVE_KEYS else neighbour for name in names]


def entry_slots(rows: np.ndarray) -> np.ndarray:
    """For the entries of a multi-valued key (`rows`: the record of each entry): the
    how-many-th entry of its record each one is."""
    order = np.argsort(rows, kind="stable")
    sr = rows[order]
    starts = np.flatnonzero(np.r_[True, sr[1:] != sr[:-1]]) if len(sr) else np.zeros(0, np.int64)
    first = np.repeat(starts, np.diff(np.r_[starts, len(sr)]))
    out = np.empty(len(rows), dtype=np.int64)
    out[order] = np.arange(len(sr)) - first
    return out


def _slot_major(key, valid, tie, rows, n):
    """A multi-valued key's entries ordered slot by slot, each slot in record order (the
    order `_stack` lays them out in): within a block, equal tie-breakers keep this order, in
    one process and in the dask engine's shuffled entries alike."""
    rows = np.asarray(rows, dtype=np.int64)
    if n and len(rows) % n == 0 and (rows.reshape(-1, n) == np.arange(n)).all():
        return key, valid, tie, rows  # laid out slot by slot already
    order = entry_slots(rows) * np.int64(max(n, 1)) + rows
    if len(order) < 2 or bool((order[1:] > order[:-1]).all()):
        return key, valid, tie, rows
    srt = np.argsort(order, kind="stable")
    return key[srt], valid[srt], None if tie is None else tie[srt], rows[srt]


def block_pairs(rec: Records, window: int = DEFAULT_WINDOW) -> tuple[np.ndarray, np.ndarray, BlockStats]:
    """Union of the candidate pairs of every key: arrays i < j, sorted, unique.

    Within a block, records are ordered by the key's tie-breaker, then by entry position;
    a multi-valued key's entries are laid out slot by slot (`_stack`), each slot in record
    order - the dask engine (`dask_dedupe`) orders its shuffled entries the same way."""
    codes: list[np.ndarray] = []
    stats: dict[str, int] = {}
    over: dict[str, int] = {}
    n = np.int64(rec.n)
    keys = _keys(rec)
    windows = key_windows(list(keys), rec.n, rec.some("nik"), window)
    for (name, spec), w in zip(keys.items(), windows, strict=True):
        key, valid, tie = spec[:3]
        if len(spec) == 4:  # multi-valued key: entries in (slot, record) order
            key, valid, tie, rows = _slot_major(key, valid, tie, spec[3], rec.n)
        i, j, oversized = window_pairs(key, valid, w, tie)
        if len(spec) == 4:  # entries back to records
            a, b = rows[i], rows[j]
            i, j = np.minimum(a, b), np.maximum(a, b)
        stats[name] = len(i)
        if oversized:
            over[name] = oversized
        codes.append(i * n + j)
    if not codes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, BlockStats(stats, over, 0)
    # sort-based unique: numpy's hash-based np.unique is ~5x slower on tens of millions of ints
    all_codes = np.concatenate(codes)
    all_codes.sort()
    if len(all_codes):
        all_codes = all_codes[np.r_[True, all_codes[1:] != all_codes[:-1]]]
    i = all_codes // n
    j = all_codes % n
    keep = i != j
    return i[keep], j[keep], BlockStats(stats, over, int(keep.sum()))


def candidate_pairs(rec: Records, window: int = DEFAULT_WINDOW) -> pd.DataFrame:
    """Candidate pairs as a frame with columns i, j (0-based positions, i < j)."""
    i, j, _ = block_pairs(rec, window)
    return pd.DataFrame({"i": i, "j": j})
