"""Blocking, comparison, model and clusters of the duplicate engine on tiny frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from siksval.linkage import find_duplicates, link_frames
from siksval.linkage.blocking import block_pairs, window_pairs
from siksval.linkage.cluster import components
from siksval.linkage.compare import compare_pairs
from siksval.linkage.features import prepare


def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nik": ["3273011508950001", "3273021508950001", "3273015203900002",
                    "3273010101800003", "3273015203900004", "3273010202850005"],
            "nama": ["SITI NURHAYATI", "SITI NUR HAYATI", "RIZKI AMALIA", "BUDI SANTOSO",
                     "DEWI LESTARI", "AGUS SALIM"],
            "tgl_lahir": ["1995-08-15", "1995-08-15", "1990-03-12", "1980-01-01",
                          "1990-03-12", "1985-02-02"],
            "nama_ibu_kandung": ["AMINAH", "AMINAH", "SUMARNI", "WATI", "SUMARNI", "IJAH"],
            "no_kk": ["3273010101100001", "3273010101150002", "3273010101100003",
                      "3273010101100004", "3273010101100003", "3273010101100005"],
        }
    )


def test_window_pairs_exhaustive_in_small_blocks() -> None:
    key = np.array([1, 2, 1, 1, 3], dtype=np.uint64)
    i, j, over = window_pairs(key, np.ones(5, dtype=bool), 5)
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == {(0, 2), (0, 3), (2, 3)}
    assert over == 0


def test_blocking_finds_nik_keying_error_pair() -> None:
    i, j, _ = block_pairs(prepare(people()))
    assert (0, 1) in set(zip(i.tolist(), j.tolist(), strict=True))


def test_compare_levels() -> None:
    rec = prepare(people())
    c = compare_pairs(rec, np.array([0, 2]), np.array([1, 4]))
    assert c.levels["nik"].tolist()[0] == 2  # one digit differs
    assert c.levels["tgl_lahir"].tolist() == [4, 4]
    assert c.levels["nama"].tolist()[0] == 4  # NUR HAYATI = NURHAYATI


def test_twins_in_one_kk_are_not_duplicates() -> None:
    res = find_duplicates(people())
    assert res.cluster[0] == res.cluster[1] >= 0  # NIK keyed wrongly, NUR HAYATI joined
    assert res.cluster[2] == -1 and res.cluster[4] == -1  # twins RIZKI / DEWI, same KK


def test_components_labels_singletons_minus_one() -> None:
    lab = components(5, np.array([0, 1]), np.array([1, 2]))
    assert lab[0] == lab[1] == lab[2] and lab[3] == -1 and lab[4] == -1


def test_link_frames_positions_and_evidence() -> None:
    left = people()
    right = left.iloc[[3, 0]].reset_index(drop=True)
    right.loc[1, "nik"] = "3273031508950001"
    out = link_frames(left, right)
    best = out[out["best"]]
    assert set(zip(best["left"], best["right"], strict=True)) >= {(3, 0), (0, 1)}
    row = out[(out["left"] == 0) & (out["right"] == 1)].iloc[0]
    assert row["nik"] == "1 digit differs" and row["probability"] >= 0.9


def test_joined_name_under_a_new_nik_is_not_vetoed_as_twins() -> None:
    # `UMI KARTIKA` registered again as `UMIKARTIKA` in a new KK with a new NIK, same mother
    # and birth date: the given names `UMI` / `UMIKARTIKA` differ, but the names do not
    from siksval.linkage.score import domain_veto

    frame = people().iloc[[5, 3]].reset_index(drop=True)
    frame = pd.concat([frame, pd.DataFrame({
        "nik": ["3273014101900001", "3273014101900009"],
        "nama": ["UMI KARTIKA", "UMIKARTIKA"],
        "tgl_lahir": ["1990-01-01", "1990-01-01"],
        "nama_ibu_kandung": ["SALAMAH", "SALAMAH"],
        "no_kk": ["3273010101100007", "3273010101109001"],
    })], ignore_index=True)
    rec = prepare(frame)
    c = compare_pairs(rec, np.array([2]), np.array([3]))
    assert c.levels["nama"].tolist() == [4]
    assert not domain_veto(rec, c)[0]
    twins = compare_pairs(prepare(people()), np.array([2]), np.array([4]))
    assert domain_veto(prepare(people()), twins)[0]


def test_desa_weight_is_bounded_and_never_negative() -> None:
    from siksval.linkage.score import REGION_MAX_BITS, MatchModel

    m = {"kode_wilayah": np.array([0.3, 0.1, 0.1, 0.5])}
    u = {"kode_wilayah": np.array([0.9, 0.09, 0.0099, 0.0001])}
    w = MatchModel(m, u, 0.01).weights("kode_wilayah")
    assert w[0] == 0.0 and w[3] == REGION_MAX_BITS and (w >= 0).all()
