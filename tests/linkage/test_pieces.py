"""The duplicate engine on pieces of a list (what the dask engine relies on): blocking keys,
term frequencies and features of a piece are those of the same records in the whole list."""

from __future__ import annotations

import numpy as np
import pandas as pd

from siksval.dask_dedupe import concat, take
from siksval.linkage.blocking import _keys, _slot_major, entry_slots
from siksval.linkage.compare import compare_pairs
from siksval.linkage.features import flags, prepare, with_flags
from siksval.linkage.score import tf_adjustment, tf_counts, tf_tables
from siksval.synth import generate_dtks


def _frame() -> pd.DataFrame:
    f = generate_dtks(n_rows=600, seed=3, defects="DUP001=5,DUP003=5").frame
    return f[["nik", "nama", "tgl_lahir", "jenis_kelamin", "nama_ibu_kandung", "no_kk",
              "kode_wilayah"]]


def test_keys_of_a_piece_are_the_whole_lists_keys_of_its_records() -> None:
    frame = _frame()
    # a piece without any valid NIK: its keys must still be the whole list's
    part = frame.iloc[100:200].copy()
    part["nik"] = "12"
    full = frame.copy()
    full.iloc[100:200] = part
    whole = prepare(full)
    piece = with_flags(prepare(part), flags(whole))
    assert not prepare(part).some("nik") and piece.some("nik")
    kw, kp = _keys(whole), _keys(piece)
    assert list(kw) == list(kp)
    for name, spec in kw.items():
        sp = kp[name]
        if len(spec) == 3:
            sel = np.arange(100, 200)
            assert np.array_equal(spec[0][sel][sp[1]], sp[0][sp[1]]), name
            assert np.array_equal(spec[1][sel], sp[1]), name
            if spec[2] is not None:
                assert np.array_equal(spec[2][sel], sp[2]), name
        else:  # multi-valued: the same entries per record
            rows_w, rows_p = spec[3], sp[3]
            for r in (0, 50, 99):
                a = sorted(spec[0][(rows_w == 100 + r) & spec[1]].tolist())
                b = sorted(sp[0][(rows_p == r) & sp[1]].tolist())
                assert a == b, name


def test_term_frequencies_summed_over_pieces_score_as_the_whole() -> None:
    frame = _frame()
    rec = prepare(frame)
    a, b = take(rec, np.arange(0, 250)), take(rec, np.arange(250, rec.n))
    summed = tf_tables([tf_counts(a), tf_counts(b)])
    own = tf_tables([tf_counts(rec)])
    for f, t in own.fields.items():
        u = summed.fields[f]
        assert list(u.values) == list(t.values) and np.array_equal(u.count, t.count)
        assert u.total == t.total and u.expected == t.expected
        assert np.array_equal(u.local_keys, t.local_keys)
        assert np.array_equal(u.local_counts, t.local_counts) and np.array_equal(u.sizes, t.sizes)
    i = np.arange(0, rec.n - 1)
    j = i + 1
    joined = with_flags(concat([a, b]), flags(rec))
    cmp = compare_pairs(rec, i, j)
    adj = tf_adjustment(rec, cmp)
    assert np.array_equal(adj, tf_adjustment(joined, compare_pairs(joined, i, j), 20.0, summed))
    # restricted to the values of a few records, the table scores their pairs the same
    few = take(rec, np.arange(10))
    c10 = compare_pairs(few, np.arange(9), np.arange(1, 10))
    from siksval.linkage.score import tf_values

    assert np.array_equal(tf_adjustment(few, c10, 20.0, own.restrict(tf_values(few))),
                          tf_adjustment(few, c10, 20.0, own))


def test_multi_valued_entries_ordered_slot_by_slot() -> None:
    rows = np.array([2, 0, 1, 0, 2, 1, 1])
    assert entry_slots(rows).tolist() == [0, 0, 0, 1, 1, 1, 2]
    key = np.arange(7, dtype=np.uint64)
    k, _, _, r = _slot_major(key, np.ones(7, dtype=bool), None, rows, 3)
    assert r.tolist() == [0, 1, 2, 0, 1, 2, 1] and k.tolist() == [1, 2, 0, 3, 5, 4, 6]
