"""The dask engine finds exactly what the pandas engine finds (record numbers global, 1-based).

Runs against a `distributed.LocalCluster` on loopback (in-process workers, tcp so the CLI in a
subprocess can connect), on small synthetic exports cut into many pieces and partitions so that
households really travel through the shuffle.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("distributed")

from distributed import LocalCluster

import siksval
from siksval import dask_engine
from siksval.io import chunks
from siksval.synth import write_synth
from tests.conftest import run_cli

AS_OF = "2026-10-31"


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
        dashboard_address=None,
    ) as c:
        yield c


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch):
    # ~2,400 records become 4 pieces and 4 household partitions.
    monkeypatch.setattr(chunks, "ROWS_PER_PIECE", 700)
    monkeypatch.setattr(dask_engine, "PARTITION_ROWS", 700)


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    d = tmp_path_factory.mktemp("dask")
    path = d / "dtks.csv"
    write_synth(path, rows=2400, seed=11, defects="all=3", as_of=AS_OF)
    return path


def _norm(report) -> pd.DataFrame:
    f = report.findings_raw.copy()
    for c in ("rows", "params"):
        f[c] = f[c].map(repr)
    return f.astype(str).reset_index(drop=True)


def assert_same(a, b) -> None:
    assert len(a.findings_raw) > 0
    pd.testing.assert_frame_equal(_norm(a), _norm(b))
    assert a.rules_skipped == b.rules_skipped
    assert a.households == b.households
    assert a.duplicates == b.duplicates
    assert a.sources[0].to_dict() == b.sources[0].to_dict()
    assert a.rules_run == b.rules_run
    assert len(a.context) > 0
    pd.testing.assert_frame_equal(a.context, b.context)


def both(path, cluster, **kw):
    a = siksval.check(str(path), as_of=AS_OF, config={}, **kw)
    b = siksval.check(str(path), as_of=AS_OF, config={}, engine="dask",
                      scheduler=cluster.scheduler_address, **kw)
    return a, b


def test_csv_same_findings_as_pandas(export, cluster):
    a, b = both(export, cluster)
    assert_same(a, b)
    # Findings come from every part of the file, numbered in the whole file.
    assert b.findings_raw["row"].max() > 2000 and b.findings_raw["row"].min() < 500
    # Duplicate search ran across partitions: clusters and their findings are the same.
    assert {"DUP001", "DUP002", "DUP003"} <= set(b.findings_raw["code"])
    assert len(b.duplicates) >= 2


def test_parquet_same_findings_as_pandas(tmp_path, cluster):
    path = tmp_path / "dtks.parquet"
    write_synth(path, rows=2400, seed=12, defects="all=3", as_of=AS_OF)
    a, b = both(path, cluster)
    assert_same(a, b)
    assert b.sources[0].format == "parquet"


def test_partly_empty_columns_and_records_without_kk(export, tmp_path, cluster):
    """A column empty in some partitions only still runs everywhere; a column empty in the
    whole file skips its rules, as in the pandas engine; records without a KK stay apart."""
    frame = pd.read_csv(export, sep="|", dtype=str, keep_default_na=False)
    half = len(frame) // 2
    frame.loc[:half, "TANGGAL_LAHIR"] = ""  # empty in the first partitions only
    frame.loc[half:, "DESIL_KESEJAHTERAAN"] = ""  # empty in the last ones only
    frame["PUNYA_MOBIL"] = "-"  # a placeholder everywhere: empty for the rules
    frame.loc[10:14, "NOMOR_KK"] = ""
    frame.loc[20:23, "NOMOR_KK"] = "-"
    path = tmp_path / "holes.csv"
    frame.to_csv(path, sep="|", index=False)
    a, b = both(path, cluster)
    assert [s["code"] for s in a.rules_skipped] == ["ELG003"]
    assert {"DEM001", "ELG005"} <= set(b.findings_raw["code"])
    assert_same(a, b)


def test_missing_required_column_reported_once(export, tmp_path, cluster):
    frame = pd.read_csv(export, sep="|", dtype=str, keep_default_na=False)
    nik = "NOMOR_NIK"
    path = tmp_path / "no_nik.csv"
    frame.drop(columns=[nik]).to_csv(path, sep="|", index=False)
    a, b = both(path, cluster)
    assert_same(a, b)
    assert (b.findings_raw["code"] == "SCH001").sum() == 1


def test_cli_engine_dask_writes_same_json(export, tmp_path, cluster):
    out_a, out_b = tmp_path / "a.json", tmp_path / "b.json"
    ra = run_cli("check", str(export), "--as-of", AS_OF, "-f", "json", "-o", str(out_a), "-q")
    rb = run_cli("check", str(export), "--as-of", AS_OF, "-f", "json", "-o", str(out_b), "-q",
                 "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert ra.returncode == rb.returncode == 1, rb.stderr
    ja, jb = json.loads(out_a.read_text("utf-8")), json.loads(out_b.read_text("utf-8"))
    assert ja["findings"] == jb["findings"]
    assert ja["summary"] == jb["summary"]


def test_engine_errors_are_one_sentence(export, tmp_path):
    r = run_cli("check", str(export), "--engine", "spark", "-q")
    assert r.returncode == 2 and "--engine 'spark'" in r.stderr and "Traceback" not in r.stderr
    xlsx = tmp_path / "x.xlsx"
    write_synth(xlsx, rows=20, seed=1)
    r = run_cli("check", str(xlsx), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1", "-q")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run_cli("check", str(export), str(export), "--engine", "dask", "-q")
    assert r.returncode == 2 and "Traceback" not in r.stderr


DUP = ("DUP001", "DUP002", "DUP003")


def test_duplicate_search_shuffled_not_gathered(tmp_path, cluster, monkeypatch):
    """Duplicate search over 8 household partitions: the same DUP findings, clusters, pairs
    and block statistics as the pandas engine, while only the records of matching pairs (and
    of the random pairs that estimate u) reach the client."""
    from siksval import dask_dedupe
    from siksval.api import load_input
    from siksval.config import Config
    from siksval.rules.duplicates import duplicate_search

    monkeypatch.setattr(chunks, "ROWS_PER_PIECE", 500)
    monkeypatch.setattr(dask_engine, "PARTITION_ROWS", 400)
    monkeypatch.setattr(dask_dedupe, "BUCKET_ROWS", 500)
    path = tmp_path / "dups.csv"
    write_synth(path, rows=3000, seed=21, as_of=AS_OF,
                defects="DUP001=12,DUP002=8,DUP003=12,TWINS=6,SIBLINGS_SAME_YEAR=6")
    outcomes = []
    real = dask_dedupe.search

    def spy(*args, **kw):
        out = real(*args, **kw)
        outcomes.append(out)
        return out

    monkeypatch.setattr(dask_dedupe, "search", spy)
    a = siksval.check(str(path), as_of=AS_OF, config={}, select=list(DUP))
    b = siksval.check(str(path), as_of=AS_OF, config={}, select=list(DUP), engine="dask",
                      scheduler=cluster.scheduler_address)
    assert_same(a, b)
    assert set(DUP) <= set(b.findings_raw["code"]) and len(b.duplicates) >= 20

    (out,) = outcomes
    assert out.parts == 6  # key entries and pairs travelled between 6 buckets
    ds = load_input(str(path), dataset="dtks", as_of=dt.date.fromisoformat(AS_OF),
                    config=Config()).dataset
    ref = ds.cached(duplicate_search).result
    # The same candidate pairs, key by key, and the same kept pairs.
    assert out.stats == ref.stats and ref.stats.total > 500 and ref.stats.oversized
    assert out.pairs_kept == len(ref.pairs)
    # The client saw the records of the kept pairs only, not the file's 3,000.
    in_pairs = np.unique(ref.pairs[["i", "j"]].to_numpy())
    assert out.records_on_client == len(in_pairs) < 300
