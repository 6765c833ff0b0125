"""Clusters of matched records: connected components with a guard against chaining.

Connected components alone chain: A~B and B~C put A and C together even when A and C are
plainly different people (a common name linking two strangers through a third record). The
guard compares every pair *inside* each component of three or more records; a component with a
contradicting pair (probability below `contradiction`) is re-cut with a stricter threshold, and
what still contradicts is rebuilt greedily, strongest edge first, never merging two groups that
hold a contradicting pair.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["components", "guarded_clusters", "internal_pairs"]

ScoreFn = Callable[[np.ndarray, np.ndarray], np.ndarray]

STRICTER = (0.99, 0.999, 0.9999)


def components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Component label per record; records without an edge get -1."""
    if len(i) == 0:
        return np.full(n, -1, dtype=np.int64)
    g = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    sizes = np.bincount(labels)
    labels = labels.astype(np.int64)
    labels[sizes[labels] < 2] = -1
    return labels


def internal_pairs(labels: np.ndarray, max_size: int) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (i < j) inside clusters of 3 to `max_size` records."""
    idx = np.flatnonzero(labels >= 0)
    if len(idx) == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e
    lab = labels[idx]
    sizes = np.bincount(lab)
    keep = (sizes[lab] >= 3) & (sizes[lab] <= max_size)
    idx, lab = idx[keep], lab[keep]
    order = np.argsort(lab, kind="stable")
    idx, lab = idx[order], lab[order]
    out_i, out_j = [], []
    for d in range(1, max_size):
        same = lab[:-d] == lab[d:]
        if not same.any():
            break
        out_i.append(idx[:-d][same])
        out_j.append(idx[d:][same])
    if not out_i:
        e = np.zeros(0, dtype=np.int64)
        return e, e
    a, b = np.concatenate(out_i), np.concatenate(out_j)
    return np.minimum(a, b), np.maximum(a, b)


def _greedy(nodes: np.ndarray, ei: np.ndarray, ej: np.ndarray, ep: np.ndarray,
            bad: set[tuple[int, int]]) -> dict[int, int]:
    """Merge groups strongest edge first unless the merge joins a contradicting pair."""
    group = {int(x): int(x) for x in nodes}
    members = {int(x): {int(x)} for x in nodes}
    for k in np.argsort(-ep, kind="stable"):
        a, b = group[int(ei[k])], group[int(ej[k])]
        if a == b:
            continue
        if any((min(x, y), max(x, y)) in bad for x in members[a] for y in members[b]):
            continue
        for x in members[b]:
            group[x] = a
        members[a] |= members.pop(b)
    return group


def guarded_clusters(
    n: int,
    i: np.ndarray,
    j: np.ndarray,
    prob: np.ndarray,
    threshold: float,
    score_fn: ScoreFn,
    *,
    contradiction: float = 1e-5,
    max_size: int = 50,
) -> np.ndarray:
    """Cluster label per record (-1 = alone) from scored pairs, guarded against chaining."""
    keep = prob >= threshold
    i, j, prob = i[keep], j[keep], prob[keep]
    labels = components(n, i, j)
    for strict in (*STRICTER, None):
        ii, jj = internal_pairs(labels, max_size)
        if len(ii) == 0:
            break
        p = score_fn(ii, jj)
        bad = p < contradiction
        sizes = np.bincount(labels[labels >= 0])
        oversized = np.flatnonzero(sizes > max_size)
        if not bad.any() and not len(oversized):
            break
        culprits = np.union1d(np.unique(labels[ii[bad]]), oversized)
        in_culprit = np.isin(labels[i], culprits)
        if strict is None:
            # last resort: greedy, strongest edge first
            sel = in_culprit
            nodes = np.unique(np.concatenate([i[sel], j[sel]]))
            badset = {(int(a), int(b)) for a, b in zip(ii[bad], jj[bad], strict=True)}
            group = _greedy(nodes, i[sel], j[sel], prob[sel], badset)
            base = labels.max() + 1
            for x, g in group.items():
                labels[x] = base + g
            sizes = np.bincount(labels[labels >= 0])
            labels[(labels >= 0) & (sizes[np.maximum(labels, 0)] < 2)] = -1
            break
        # re-cut the culprits with a stricter threshold
        drop = in_culprit & (prob < strict)
        i, j, prob = i[~drop], j[~drop], prob[~drop]
        labels = components(n, i, j)
    # dense renumbering 0..k-1 in order of first record
    out = np.full(n, -1, dtype=np.int64)
    has = labels >= 0
    if has.any():
        _, first_pos = np.unique(labels[has], return_index=True)
        order = np.argsort(first_pos)
        remap = np.empty(len(first_pos), dtype=np.int64)
        remap[order] = np.arange(len(first_pos))
        uniq = np.unique(labels[has])
        out[has] = remap[np.searchsorted(uniq, labels[has])]
    return out
