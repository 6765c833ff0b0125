"""Duplicate search of the dask engine: blocking keys shuffled across workers.

The pandas engine runs `linkage.find_duplicates` on the whole file. Here the records stay in
their household partitions, on the workers, as `Piece`s (the person columns and their matching
features, `features.prepare` being row by row). The same steps run as tasks:

1. **Flags and term frequencies.** Which keys and which model a list gets depends on what the
   whole list holds (any valid NIK, any birth date ...: `features.flags`): the client ORs the
   pieces' flags. The count of each name and mother's name (`score.tf_counts`) is summed on a
   worker into the whole file's `TermFrequencies`, which never comes to the client.
2. **Key entries, shuffled by key.** Each piece computes every blocking key of `blocking._keys`
   (the same code as the pandas engine; content hashes, identical in every process) as entries
   (key hash, key, tie-breaker, order = slot * N + global position) and cuts them into
   buckets by key hash; each bucket gathers its entries from every piece.
3. **Blocks.** Per bucket and key, `window_pairs` exactly as `block_pairs` does, with the
   neighbourhood window of the whole file: candidate pairs of global positions, cut into pair
   partitions by their first record.
4. **Comparison.** Per pair partition, the unique pairs; the records they mention are taken
   from the pieces and compared (`compare_pairs`).
5. **Model.** u from the random pairs of `engine.u_pairs(N)` (the same fixed-seed pairs of
   global positions, compared on a worker; their levels come to the client); a registry list
   gets the domain model, another list EM on the comparison patterns summed over the pair
   partitions.
6. **Scoring.** Per pair partition, `engine.judge` with the whole file's term frequencies;
   only the pairs that match or share a NIK (what `find_duplicates` keeps) come back.
7. **Clusters, on the client**: the kept pairs and the records they mention - a small subset
   of the file - give `guarded_clusters`, `build_clusters` and the DUP001-DUP003 findings and
   `duplicates` section, through the ordinary rules on a Dataset of those records.

The pieces' records are ordered inside a block as in the pandas engine (tie-breaker, then slot
of a multi-valued key, then record), so both engines find the same pairs, model and clusters.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import operator
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from siksval.linkage import blocking
from siksval.linkage.blocking import DEFAULT_WINDOW, BlockStats, entry_slots, key_windows
from siksval.linkage.cluster import guarded_clusters
from siksval.linkage.compare import Comparison, compare_pairs
from siksval.linkage.engine import (
    CONTRADICTION,
    LinkResult,
    fit_model,
    judge,
    rescorer,
    shown_pairs,
    u_pairs,
)
from siksval.linkage.features import Records, flags, prepare, with_flags
from siksval.linkage.score import (
    TermFrequencies,
    pattern_counts,
    tf_counts,
    tf_tables,
    tf_values,
)

__all__ = ["DupOutcome", "Piece", "make_piece", "search"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
#: Records per bucket of key entries and per pair partition (a task holds ~12 key entries
#: and ~2 candidate pairs per record, and the features of the records its pairs mention).
BUCKET_ROWS = 1_000_000


@dataclass
class Piece:
    """The person columns of one household partition, kept on a worker."""

    frame: pd.DataFrame  # typed columns duplicate search and the report context read
    numeric: pd.DataFrame  # numeric-cell flags (NIK decoding; the raw text no rule reads)
    row: np.ndarray  # 1-based record numbers in the whole file, ascending
    rec: Records  # matching features; flags of this piece only (`with_flags` for the file's)
    kepala: pd.Series | None = None  # name of the head of each record's household

    @property
    def pos(self) -> np.ndarray:
        """0-based positions in the whole file (the pandas engine's record indices)."""
        return self.row - 1


@dataclass
class DupOutcome:
    """What duplicate search gives the dask engine's report."""

    findings: list[pd.DataFrame]
    duplicates: list[dict[str, Any]]
    skipped: list[dict[str, str]]
    context: pd.DataFrame | None  # report context of the records the search concerns
    records_on_client: int = 0  # records brought to the client for clustering
    pairs_kept: int = 0
    stats: BlockStats | None = None
    u_records: int = 0  # records brought to the client for the random pairs (u)
    timings: dict[str, float] = dataclasses.field(default_factory=dict)  # wall s per step
    parts: int = 0  # buckets of key entries (= pair partitions)


def make_piece(ds: Any, columns: tuple[str, ...]) -> Piece:
    """The Piece of one checked partition (a Dataset of whole households)."""
    from siksval.rules.duplicates import nik_decoded, person_frame

    cols = [c for c in columns if c in ds.frame.columns]
    rec = prepare(person_frame(ds), nik_decoded(ds))
    kepala = None
    try:
        from siksval.context import _heads
    except ImportError:  # a build without record context
        _heads = None
    if _heads is not None:
        kepala = _heads(ds, np.arange(len(ds)))
    return Piece(
        frame=ds.frame[cols].reset_index(drop=True),
        numeric=ds.numeric_cells[[c for c in cols if c in ds.numeric_cells.columns]]
        .reset_index(drop=True),
        row=ds.row.to_numpy(dtype=np.int64),
        rec=rec,
        kepala=kepala,
    )


# ---------------------------------------------------------------------------------------------
# Records of several pieces
# ---------------------------------------------------------------------------------------------


def take(rec: Records, idx: np.ndarray) -> Records:
    """The records at positions `idx` (features are per record: the same as preparing them)."""
    kw: dict[str, Any] = {}
    for f in dataclasses.fields(Records):
        v = getattr(rec, f.name)
        if f.name == "n":
            v = len(idx)
        elif f.name == "cache":
            v = {}
        elif isinstance(v, pd.Series):
            v = v.iloc[idx].reset_index(drop=True)
        elif isinstance(v, np.ndarray):
            v = v[idx]
        elif isinstance(v, dict):
            v = dict(v)
        kw[f.name] = v
    return Records(**kw)


def concat(recs: list[Records]) -> Records:
    """The records of several pieces, one after the other."""
    kw: dict[str, Any] = {}
    for f in dataclasses.fields(Records):
        vals = [getattr(r, f.name) for r in recs]
        v = vals[0]
        if f.name == "n":
            v = sum(vals)
        elif f.name == "cache":
            v = {}
        elif isinstance(v, pd.Series):
            v = pd.concat(vals, ignore_index=True)
        elif isinstance(v, np.ndarray):
            v = np.concatenate(vals)
        elif isinstance(v, dict):
            v = dict(v)
        kw[f.name] = v
    return Records(**kw)


def _whole(rec: Records, whole: dict[str, bool]) -> Records:
    """`rec` (a shallow copy) as a piece of the whole file."""
    return with_flags(dataclasses.replace(rec, cache={}), whole)


def _hits(pos: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Positions (into `pos`, ascending) of the values that are in `wanted` (ascending)."""
    if not len(wanted) or not len(pos):
        return np.zeros(0, dtype=np.int64)
    k = np.searchsorted(wanted, pos)
    hit = wanted[np.minimum(k, len(wanted) - 1)] == pos
    return np.flatnonzero(hit)


def _gathered(takes: list[tuple[np.ndarray, Records]], whole: dict[str, bool]) -> tuple[np.ndarray, Records]:
    """The records taken from several pieces, in file order, as pieces of the whole file."""
    pos = np.concatenate([t[0] for t in takes])
    rec = concat([t[1] for t in takes])
    order = np.argsort(pos, kind="stable")
    return pos[order], with_flags(take(rec, order), whole)


# ---------------------------------------------------------------------------------------------
# Tasks (run on the workers)
# ---------------------------------------------------------------------------------------------


def _flags(piece: Piece) -> dict[str, bool]:
    return flags(piece.rec)


def _tf_counts(piece: Piece) -> dict[str, pd.Series]:
    return tf_counts(piece.rec)


def _tf_tables(*counts: dict[str, pd.Series]) -> TermFrequencies:
    return tf_tables(list(counts))


def _restrict(tables: TermFrequencies, values: dict[str, pd.Series]) -> TermFrequencies:
    return tables.restrict(values)


def _orderable(tie: np.ndarray | None, n: int) -> np.ndarray:
    """A tie-breaker as uint64 in the same order (signed integers shifted by 2**63)."""
    if tie is None:
        return np.zeros(n, dtype=np.uint64)
    t = np.asarray(tie)
    if t.dtype.kind == "u" or t.dtype.kind == "b":
        return t.astype(np.uint64)
    if t.dtype.kind == "i":
        return t.astype(np.int64).view(np.uint64) ^ np.uint64(1 << 63)
    raise TypeError(f"tie-breaker of dtype {t.dtype} cannot be shuffled")


def _key_names(piece: Piece, whole: dict[str, bool]) -> list[str]:
    rec = _whole(take(piece.rec, np.arange(min(piece.rec.n, 1))), whole)
    return list(blocking._keys(rec))


_ENTRY_COLUMNS = (("key", np.uint64), ("kid", np.int16), ("tie", np.uint64), ("order", np.int64))


def _entries(piece: Piece, whole: dict[str, bool], names: list[str], n_total: int,
             buckets: int) -> list[dict[str, np.ndarray]]:
    """Every valid key entry of the piece (key hash, key id, tie-breaker, order = slot * N +
    global position: the pandas engine's entry layout), cut into `buckets` by key hash."""
    rec = _whole(piece.rec, whole)
    pos = piece.pos
    keys = blocking._keys(rec)
    if list(keys) != names:  # a key that depends on more than the file's flags
        raise RuntimeError(f"blocking keys of a piece {list(keys)} differ from the file's {names}")
    out: list[dict[str, list[np.ndarray]]] = [
        {c: [] for c, _ in _ENTRY_COLUMNS} for _ in range(buckets)
    ]
    for name, spec in keys.items():
        key, valid, tie = spec[:3]
        ok = np.flatnonzero(np.asarray(valid, dtype=bool))
        if len(spec) == 4:  # multi-valued: entries back to records, slot by slot
            rows = np.asarray(spec[3], dtype=np.int64)
            order = entry_slots(rows)[ok] * np.int64(n_total) + pos[rows[ok]]
        else:
            order = pos[ok]
        cols = {
            "key": np.asarray(key, dtype=np.uint64)[ok],
            "kid": np.full(len(ok), names.index(name), dtype=np.int16),
            "tie": _orderable(tie, len(key))[ok],
            "order": order,
        }
        if buckets == 1:
            for c, v in cols.items():
                out[0][c].append(v)
            continue
        b = cols["key"] % np.uint64(buckets)
        for k in range(buckets):
            m = b == k
            for c, v in cols.items():
                out[k][c].append(v[m])
    return [{c: np.concatenate(o[c]) if o[c] else np.zeros(0, dtype=t) for c, t in _ENTRY_COLUMNS}
            for o in out]


def _pair_part(i: np.ndarray, parts: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        return ((i.astype(np.uint64) * _GOLDEN) >> np.uint64(33)) % np.uint64(parts)


def _block(names: list[str], windows: list[int], n_total: int, parts: int,
           *entries: dict[str, np.ndarray]) -> tuple[dict[str, int], dict[str, int], list[np.ndarray]]:
    """Candidate pairs of one bucket (as `block_pairs`): per-key pair counts, oversized
    records, and pair codes i * N + j cut into `parts` pair partitions."""
    e = {c: np.concatenate([x[c] for x in entries]) for c, _ in _ENTRY_COLUMNS}
    srt = np.lexsort((e["order"], e["kid"]))
    kid, key, tie, order = (e[c][srt] for c in ("kid", "key", "tie", "order"))
    del e
    pos = order % np.int64(n_total)
    stats: dict[str, int] = {}
    over: dict[str, int] = {}
    codes = []
    n = np.int64(n_total)
    bounds = np.flatnonzero(np.r_[True, kid[1:] != kid[:-1], True]) if len(kid) else np.zeros(1, np.int64)
    for a, b in itertools.pairwise(bounds):
        k = int(kid[a])
        i, j, oversized = blocking.window_pairs(
            key[a:b], np.ones(b - a, dtype=bool), windows[k], tie[a:b]
        )
        pa, pb = pos[a:b][i], pos[a:b][j]
        i, j = np.minimum(pa, pb), np.maximum(pa, pb)
        stats[names[k]] = len(i)
        if oversized:
            over[names[k]] = oversized
        codes.append(i * n + j)
    c = _unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    part = _pair_part(c // n, parts)
    return stats, over, [c[part == p] for p in range(parts)]


def _unique(codes: np.ndarray) -> np.ndarray:
    codes = np.sort(codes)
    if len(codes):
        codes = codes[np.r_[True, codes[1:] != codes[:-1]]]
    return codes


def _pairs(n_total: int, *codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = _unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    i, j = c // np.int64(n_total), c % np.int64(n_total)
    keep = i != j
    return i[keep], j[keep]


def _wanted(pairs: tuple[np.ndarray, np.ndarray], n_total: int) -> np.ndarray:
    """The records the pairs mention (ascending)."""
    i, j = pairs
    if n_total > 16 * (len(i) + 1_000_000):  # a mask of the whole file would be the larger
        return np.unique(np.concatenate(pairs))
    mask = np.zeros(n_total, dtype=bool)
    mask[i] = True
    mask[j] = True
    return np.flatnonzero(mask)


def _take_records(piece: Piece, wanted: np.ndarray) -> tuple[np.ndarray, Records]:
    idx = _hits(piece.pos, wanted)
    return piece.pos[idx], take(piece.rec, idx)


@dataclass
class _Compared:
    pos: np.ndarray
    rec: Records
    cmp: Comparison


def _compare(pairs: tuple[np.ndarray, np.ndarray], whole: dict[str, bool],
             *takes: tuple[np.ndarray, Records]) -> _Compared:
    pos, rec = _gathered(list(takes), whole)
    i, j = pairs
    li, lj = np.searchsorted(pos, i), np.searchsorted(pos, j)
    cmp = compare_pairs(rec, li, lj, workers=1, context=not whole["nik"])
    return _Compared(pos, rec, cmp)


def _levels(pairs: tuple[np.ndarray, np.ndarray], whole: dict[str, bool],
            *takes: tuple[np.ndarray, Records]) -> pd.DataFrame:
    return _compare(pairs, whole, *takes).cmp.levels


def _n_pairs(c: _Compared) -> int:
    return len(c.cmp)


def _patterns(c: _Compared) -> pd.DataFrame:
    return pattern_counts(c.cmp.levels)


def _score(c: _Compared, model: Any, tables: TermFrequencies, thr: float) -> pd.DataFrame:
    prob, person, same_nik, match = judge(model, c.rec, c.cmp, tables, thr)
    pairs = shown_pairs(c.rec, c.cmp, prob, person, same_nik, match, 1)
    # a list without NIKs keeps every pair in its LinkResult; the clusters read these only
    pairs = pairs[pairs["match"] | pairs["same_nik"]].reset_index(drop=True)
    pairs["i"] = c.pos[pairs["i"].to_numpy()]
    pairs["j"] = c.pos[pairs["j"].to_numpy()]
    return pairs


def _take_person(piece: Piece, wanted: np.ndarray) -> dict[str, Any]:
    idx = _hits(piece.pos, wanted)
    return {
        "row": piece.row[idx],
        "frame": piece.frame.iloc[idx],
        "numeric": piece.numeric.iloc[idx],
        "kepala": None if piece.kepala is None else piece.kepala.iloc[idx],
        "rec": take(piece.rec, idx),
    }


# ---------------------------------------------------------------------------------------------
# On the client
# ---------------------------------------------------------------------------------------------


def _submit_each(client: Any, fn: Any, futures: list[Any], *args: Any) -> list[Any]:
    return [client.submit(fn, f, *args, pure=False) for f in futures]


def _split(client: Any, future: Any, k: int) -> list[Any]:
    return [client.submit(operator.getitem, future, i, pure=False) for i in range(k)]


def search(
    client: Any,
    pieces: list[Any],
    *,
    n_total: int,
    dataset: str,
    as_of: Any,
    config: Any,
    source: Any,
    empty_columns: frozenset[str],
    skip: frozenset[str],
    window: int = DEFAULT_WINDOW,
) -> DupOutcome:
    """Duplicate search over the pieces (futures of `Piece`), DUP findings as the pandas
    engine gives them for the whole file of `n_total` records."""
    from siksval.dataset import Dataset
    from siksval.rules import run_rules
    from siksval.rules.duplicates import (
        build_clusters,
        duplicate_search,
        kk_issue_dates,
        person_frame,
        threshold_for,
    )

    thr = threshold_for(config)
    clock = _Clock()
    # buckets of key entries = pair partitions: one per worker, more for a big file
    workers = len(client.nthreads())
    nparts = max(workers, math.ceil(n_total / BUCKET_ROWS), 1)

    # 1. flags of the whole file; term frequencies summed on a worker
    whole: dict[str, bool] = {}
    for f in client.gather(_submit_each(client, _flags, pieces)):
        for k, v in f.items():
            whole[k] = whole.get(k, False) or v
    registry = bool(whole.get("nik", False))
    tables = client.submit(_tf_tables, *_submit_each(client, _tf_counts, pieces), pure=False)
    clock("flags")

    # 2. key entries, shuffled by key hash into buckets
    names = client.submit(_key_names, pieces[0], whole, pure=False).result()
    windows = key_windows(names, n_total, registry, window)
    entries = [_split(client, f, nparts)
               for f in _submit_each(client, _entries, pieces, whole, names, n_total, nparts)]
    # 3. blocks per bucket -> pair codes per pair partition
    blocks = [
        client.submit(_block, names, windows, n_total, nparts, *[e[b] for e in entries],
                      pure=False)
        for b in range(nparts)
    ]
    del entries
    block_stats = [client.submit(operator.itemgetter(0, 1), b, pure=False) for b in blocks]
    block_parts = [_split(client, client.submit(operator.itemgetter(2), b, pure=False), nparts)
                   for b in blocks]
    del blocks
    pairs = [client.submit(_pairs, n_total, *[bp[p] for bp in block_parts], pure=False)
             for p in range(nparts)]
    del block_parts
    # 4. comparison per pair partition, records taken from the pieces
    compared = []
    for p in pairs:
        wanted = client.submit(_wanted, p, n_total, pure=False)
        takes = _submit_each(client, _take_records, pieces, wanted)
        compared.append(client.submit(_compare, p, whole, *takes, pure=False))
    del pairs

    # 5. the model: u from the random pairs of the whole file (compared on a worker)
    ri, rj = u_pairs(n_total)
    wanted_u = np.unique(np.concatenate([ri, rj]))
    u_levels = client.submit(
        _levels, (ri, rj), whole, *_submit_each(client, _take_records, pieces, wanted_u),
        pure=False,
    ).result()
    clock("u sample")
    if registry:
        model = fit_model(u_levels.iloc[:0], u_levels, True, n_total)
    else:
        pats = pd.concat(client.gather(_submit_each(client, _patterns, compared)),
                         ignore_index=True)
        fields = [c for c in pats.columns if c != "count"]
        grouped = pattern_counts(pats[fields], pats["count"].to_numpy())
        model = fit_model(grouped[fields], u_levels, False, n_total,
                          counts=grouped["count"].to_numpy())

    # 6. scoring per pair partition: only the pairs that match or share a NIK come back
    if not registry:
        clock("model (EM on pattern counts)")
    kept_parts = client.gather(_submit_each(client, _score, compared, model, tables, thr))
    clock("entries, blocks, comparison, scoring")
    stats_parts = client.gather(block_stats)
    n_pairs = sum(client.gather(_submit_each(client, _n_pairs, compared)))
    del compared, block_stats
    kept = pd.concat(kept_parts, ignore_index=True).sort_values(["i", "j"], kind="stable")
    kept = kept.reset_index(drop=True)
    per_key: dict[str, int] = dict.fromkeys(names, 0)
    over: dict[str, int] = {}
    for s, o in stats_parts:
        for k, v in s.items():
            per_key[k] += v
        for k, v in o.items():
            over[k] = over.get(k, 0) + v
    stats = BlockStats(per_key, over, n_pairs)

    # 7. the records the kept pairs mention, clustered on the client
    wanted = np.unique(np.concatenate([kept["i"].to_numpy(np.int64), kept["j"].to_numpy(np.int64)]))
    got = list(client.gather(_submit_each(client, _take_person, pieces, wanted)))
    clock("records of the kept pairs")
    rows = np.concatenate([g["row"] for g in got])
    order = np.argsort(rows, kind="stable")
    rows = rows[order]

    def stacked(key: str) -> pd.DataFrame:
        return pd.concat([g[key] for g in got]).iloc[order].reset_index(drop=True)

    rec = with_flags(take(concat([g["rec"] for g in got]), order), whole)
    kepala = None if got[0]["kepala"] is None else stacked("kepala")
    tables_here = client.submit(_restrict, tables, tf_values(rec), pure=False).result()
    pos = rows - 1
    kept["i"] = np.searchsorted(pos, kept["i"].to_numpy())
    kept["j"] = np.searchsorted(pos, kept["j"].to_numpy())
    match = kept["match"].to_numpy(bool)
    cluster = guarded_clusters(
        rec.n, kept["i"].to_numpy()[match], kept["j"].to_numpy()[match],
        kept["probability"].to_numpy()[match], thr, rescorer(model, rec, tables_here, -1),
        contradiction=CONTRADICTION,
    )
    result = LinkResult(rec, kept, cluster, model, stats, thr)
    ds = Dataset(dataset, stacked("frame"), as_of=as_of, config=config,
                 numeric_cells=stacked("numeric"), source=source, row=pd.Series(rows))
    ds.__dict__["empty_columns"] = empty_columns
    ds._cache[duplicate_search] = build_clusters(result, person_frame(ds), rows,
                                                 kk_issue_dates(ds))
    found, skipped = run_rules(ds, config, skip=set(skip))
    duplicates = list(ds.report_sections.get("duplicates", []))
    context = _dup_context(ds, kepala)
    clock("clusters and findings on the client")
    return DupOutcome(found, duplicates, skipped, context, rec.n, len(kept), stats,
                      len(wanted_u), clock.laps, nparts)


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.t = time.perf_counter()

    def __call__(self, name: str) -> None:
        t = time.perf_counter()
        self.laps[name] = round(t - self.t, 3)
        self.t = t


def _dup_context(ds: Any, kepala: pd.Series | None) -> pd.DataFrame | None:
    """Report context of the searched records; the household head comes from the pieces
    (the Dataset here holds no whole household)."""
    try:
        from siksval.context import record_context
    except ImportError:
        return None
    if not len(ds):
        return None
    ctx = record_context(ds, ds.row.to_numpy(), fill_names=False)
    if kepala is not None and "kepala" in ctx.columns:
        k = kepala.astype(object)
        ctx["kepala"] = k.where(k.notna(), None).to_numpy()
    return ctx
