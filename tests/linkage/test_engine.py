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


def test_desa_weight_is_bounded_both_ways() -> None:
    from siksval.linkage.score import REGION_MAX_BITS, REGION_MIN_BITS, MatchModel

    m = {"kode_wilayah": np.array([0.3, 0.1, 0.1, 0.5])}
    u = {"kode_wilayah": np.array([0.9, 0.09, 0.0099, 0.0001])}
    w = MatchModel(m, u, 0.01).weights("kode_wilayah")
    # another desa: the model's own weak evidence against (log2 0.3/0.9), a moved person
    # must not be ruled out by it; the same desa: capped
    assert w[0] == np.log2(0.3 / 0.9) and REGION_MIN_BITS <= w[0] < 0
    assert w[3] == REGION_MAX_BITS
    rare_moves = {"kode_wilayah": np.array([0.05, 0.1, 0.1, 0.75])}
    far = MatchModel(rare_moves, {"kode_wilayah": np.array([0.9999, 0, 0, 0.0001])}, 0.01)
    assert far.weights("kode_wilayah")[0] == REGION_MIN_BITS


def test_near_name_match_never_outweighs_an_exact_one() -> None:
    from siksval.linkage.score import MatchModel

    m = {"nama": np.array([0.002, 0.01, 0.1, 0.39, 0.5])}
    u = {"nama": np.array([0.99, 0.008, 0.001, 0.00001, 0.0005])}
    w = MatchModel(m, u, 0.01).weights("nama")
    assert w[3] == w[4] and (np.diff(w) >= 0).all()


def test_nik_digit_explained_by_two_kecamatan_is_no_keying_error() -> None:
    frame = pd.DataFrame(
        {
            # 2102 03 / 2172 03: one region digit apart, each NIK the person's own kecamatan
            "nik": ["2102034210900001", "2172034210900001", "2102034210900001",
                    "2102034210900001"],
            "nama": ["ZURAIDAH NINGSIH", "ZUBAIDAH NINGSIH", "ZURAIDAH NINGSIH",
                     "ZURAIDAH NINGSIH"],
            "tgl_lahir": ["1990-10-02"] * 4,
            "kode_wilayah": ["2102031007", "2172031001", "2102031007", "2172031001"],
        }
    )
    # record 3 has the NIK of kecamatan 210203 but lives in 217203: a keyed-wrong NIK
    frame.loc[3, "nik"] = "2102034210900001"
    frame.loc[2, "nik"] = "2172034210900001"
    frame.loc[2, "kode_wilayah"] = "2102031007"
    rec = prepare(frame)
    cmp = compare_pairs(rec, np.array([0, 0]), np.array([1, 2]))
    assert cmp.levels["nik"].tolist() == [0, 2]


def test_mother_names_with_another_family_name_are_not_close() -> None:
    frame = pd.DataFrame(
        {
            "nama": ["KORNELIS LIEM"] * 4,
            "nama_ibu_kandung": ["AGUSTINA BENU", "AGUSTINA LEO", "AGUSTINA BENO", "AMINAH"],
        }
    )
    cmp = compare_pairs(prepare(frame), np.array([0, 0, 0]), np.array([1, 2, 3]))
    lev = cmp.levels["nama_ibu_kandung"].tolist()
    assert lev[0] <= 1  # another family name: at most "similar"
    assert lev[1] == 2  # a typo in it: "close"
    assert lev[2] == 0


def test_name_frequency_is_taken_within_the_province() -> None:
    from siksval.linkage.score import tf_adjustment

    # KOLO is rare in the file but common in province 53: a chance agreement there is likely
    n_ntt, n_other = 20, 180
    names = ["AGUSTINA KOLO"] * 6 + [f"NAMA{k} NTT" for k in range(n_ntt - 6)]
    names += ["AGUSTINA KOLO"] * 2 + [f"ORANG{k} LAIN" for k in range(n_other - 2)]
    wil = ["5318022002"] * n_ntt + ["3273012001"] * n_other
    rec = prepare(pd.DataFrame({"nama": names, "kode_wilayah": wil}))
    # pair inside province 53, pair inside province 32, pair across
    cmp = compare_pairs(rec, np.array([0, n_ntt, 0]), np.array([1, n_ntt + 1, n_ntt]))
    tf = tf_adjustment(rec, cmp)
    assert tf[0] < tf[1]  # 6 of 20 locally vs 2 of 180
    assert tf[2] > tf[0]  # across provinces the whole file's frequency (8 of 200) counts


def test_alpha_tie_sorts_like_the_text() -> None:
    from siksval.linkage.blocking import alpha_tie

    names = pd.Series(["SITINURHAYATI", "BUDI", None, "ZAINAL", "AB", "SITINURHAYATY", "A"],
                      dtype="string[pyarrow]")
    order = np.argsort(alpha_tie(names), kind="stable")
    assert names.iloc[order].tolist()[1:] == ["A", "AB", "BUDI", "SITINURHAYATI",
                                               "SITINURHAYATY", "ZAINAL"]
    # the same value gets the same tie in any slice (the dask engine's pieces)
    assert alpha_tie(names.iloc[3:4])[0] == alpha_tie(names)[3]


def test_exhaustive_window_narrows_beyond_a_million_records() -> None:
    from siksval.linkage.blocking import MIN_EXHAUSTIVE_WINDOW, exhaustive_window

    assert exhaustive_window(50_000) == exhaustive_window(1_000_000) == 24
    assert exhaustive_window(2_000_000) == 12
    assert exhaustive_window(50_000_000) == MIN_EXHAUSTIVE_WINDOW
