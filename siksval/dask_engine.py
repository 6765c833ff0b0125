"""The dask engine: the same rules, run per household partition on a dask cluster.

    siksval check --engine dask [--scheduler tcp://host:8786] big.parquet

1. The input is cut into pieces (`io.chunks`: Parquet row groups; a CSV is converted to
   Parquet first, streaming). Each piece is read on a worker as text cells, with the global
   1-based record number of each record and its household key (`no_kk` cleaned like
   `Dataset.hh_key`).
2. The records are shuffled by household key (dask's disk-backed p2p shuffle on a distributed
   cluster), so every household lands whole in one partition.
3. Each partition is checked by the ordinary pandas code (`api.load_table` + `rules.run_rules`)
   with its own record numbers: every rule except duplicate search needs only the records of
   one household (DESIGN.md), so the findings are those of a single-process run.
4. The client gathers findings (not records), applies what only the whole file can tell
   (columns empty in the whole file, file-level findings once) and builds the same Report.

Duplicate search compares records across households; it runs separately, its blocking keys
shuffled across the workers (`siksval.dask_dedupe`).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import operator
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from siksval import __version__
from siksval.config import Config
from siksval.errors import UserError
from siksval.io import chunks
from siksval.model import Report, empty_findings
from siksval.rules import catalogue, effective_info, load_rules, run_rules, skip_reason

#: Records per household partition after the shuffle (memory per task ~ 0.6 GB per 250,000).
PARTITION_ROWS = 250_000
ROW, HH, NUM = "__row", "__hh", "__num__"
#: Columns `siksval.context.record_context` reads.
CONTEXT_SOURCE_COLUMNS = ("kode_wilayah", "kecamatan", "desa_kelurahan", "alamat", "dusun", "rt",
                          "rw", "no_kk", "nik", "nama", "tgl_lahir", "nama_ibu_kandung",
                          "hub_keluarga")
#: Datasets whose rules are all household-local (the engine's precondition).
SUPPORTED = ("dtks",)


@dataclass
class _Context:
    """What every partition task needs (pickled once per task)."""

    label: str
    dataset: str
    as_of: dt.date
    config: Config
    columns: list[str]
    skip: frozenset[str]
    person: tuple[str, ...] = ()  # typed columns a partition keeps for duplicate search (Piece)


@dataclass
class PartResult:
    findings: pd.DataFrame
    nonempty: frozenset[str]
    columns: tuple[str, ...]
    households: int
    skipped: list[dict[str, str]] = field(default_factory=list)
    context: pd.DataFrame | None = None  # record context of the rows its findings mention
    rows: int = 0  # records of the partition


def check(
    path: str,
    *,
    dataset: str,
    as_of: dt.date,
    config: Config,
    lang: str,
    scheduler: str | None = None,
    partition_rows: int | None = None,
    rows_per_piece: int | None = None,
    on_loaded: Callable[[int], None] | None = None,
    max_rows: int | None = None,
) -> Report:
    """Check one export on a dask cluster (`scheduler` address, or a local cluster with one
    single-threaded worker process per core)."""
    from siksval.api import _order_findings, region_edition, resolve_dataset

    try:
        import dask
        import dask.dataframe as dd
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise UserError(
            "--engine dask needs dask and distributed; install them with "
            "pip install 'siksval[dask]'.",
            id="--engine dask memerlukan dask dan distributed; pasang dengan "
            "pip install 'siksval[dask]'.",
        ) from None

    # The p2p shuffle logs its start and end as warnings: noise on a user's terminal.
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="siksval-dask-") as tmp:
        prepared = chunks.prepare(path, Path(tmp), rows_per_piece or chunks.ROWS_PER_PIECE)
        source = prepared.source
        chosen, mapping = resolve_dataset(prepared.columns, dataset, config, source.path)
        if chosen not in SUPPORTED:
            raise UserError(
                f"{source.path}: --engine dask checks DTKS exports only (this is {chosen}); "
                "use the default engine.",
                id=f"{source.path}: --engine dask hanya memeriksa ekspor DTKS (ini {chosen}); "
                "gunakan engine bawaan.",
            )
        if max_rows is not None:
            from siksval.io.guard import check_max_rows

            check_max_rows(source.path, source.records, max_rows)
        if on_loaded:
            on_loaded(source.records)
        kk_header = next((raw for raw, canon in mapping.mapped.items() if canon == "no_kk"), None)
        cluster_rules = frozenset(
            code for code, r in load_rules().items()
            if r.info.level == "cluster" and chosen in r.info.datasets
        )
        ctx = _Context(source.path, chosen, as_of, config, prepared.columns, cluster_rules,
                       _person_columns(cluster_rules, config))
        nparts = max(1, math.ceil(source.records / (partition_rows or PARTITION_ROWS)))

        cluster = None
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(
                n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                dashboard_address=":0",  # any free port: never clash with another cluster
            )
            client = Client(cluster)
        try:
            meta = _piece_frame(prepared.columns, None)
            load = functools.partial(
                _load_piece, label=source.path, kk=kk_header, drop=tuple(prepared.drop)
            )
            ddf = dd.from_map(load, prepared.pieces, meta=meta, enforce_metadata=False)
            if kk_header is not None and nparts > 1:
                ddf = ddf.shuffle(on=HH, npartitions=nparts)
            parts = ddf.to_delayed()
            tasks = [dask.delayed(_check_part)(part, ctx) for part in parts]
            results: list[tuple[int, PartResult]] = []
            # Each task gives its findings (to the client) and its person columns (a Piece,
            # which stays on the workers for duplicate search).
            both_futures = client.compute(tasks)
            futures = [client.submit(operator.getitem, f, 0, pure=False) for f in both_futures]
            piece_futures = [client.submit(operator.getitem, f, 1, pure=False)
                             for f in both_futures]
            del both_futures
            index = {f.key: i for i, f in enumerate(futures)}
            for fut in as_completed(futures):
                results.append((index[fut.key], fut.result()))
                fut.release()
            results.sort(key=lambda t: t[0])
            pieces = [f for (_, r), f in zip(results, piece_futures, strict=True) if r.rows]
            del piece_futures
            dup = _duplicate_findings(client, pieces, [r for _, r in results], ctx, source,
                                      chosen, config)
            del pieces
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    dup_frames, duplicates, dup_skipped = dup.findings, dup.duplicates, dup.skipped
    findings, skipped = _combine([r for _, r in results], chosen, config)
    frames = [findings, *dup_frames]
    findings = pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(
        not f.empty for f in frames) else empty_findings()
    skipped = _in_registry_order(_merge_skips(skipped, dup_skipped))
    source.dataset = chosen
    source.columns_mapped = dict(mapping.mapped)
    source.columns_unknown = list(mapping.unknown)
    if hasattr(source, "columns_duplicate"):
        source.columns_duplicate = dict(mapping.duplicates)
    rules = catalogue()
    effective = {code: effective_info(info, config) for code, info in rules.items()}
    findings = _order_findings(findings)
    extra: dict[str, Any] = {}
    if "context" in Report.__dataclass_fields__:
        extra["context"] = _context([r for _, r in results], findings, duplicates, dup.context)
    if "rules_run" in Report.__dataclass_fields__:
        skipped_codes = {s["code"] for s in skipped}
        extra["rules_run"] = [
            code for code, r in load_rules().items()
            if r.fn is not None and chosen in r.info.datasets and config.is_selected(code)
            and code not in skipped_codes
        ]
    return Report(
        dataset=chosen,
        as_of=as_of.isoformat(),
        sources=[source],
        findings_raw=findings,
        rules=effective,
        rules_skipped=skipped,
        duplicates=duplicates,
        reference={"wilayah": region_edition()},
        lang=lang,
        siksval_version=__version__,
        households=sum(r.households for _, r in results) if kk_header is not None else None,
        **extra,
    )


# ---------------------------------------------------------------------------------------------
# On the workers
# ---------------------------------------------------------------------------------------------


def _piece_frame(columns: list[str], raw: Any) -> pd.DataFrame:
    """The frame a piece travels as: text columns, numeric flags, record number, household."""
    from siksval.io.read import STRING

    if raw is None:
        data: dict[str, Any] = {c: pd.Series([], dtype=STRING) for c in columns}
        data.update({f"{NUM}{i}": pd.Series([], dtype=bool) for i in range(len(columns))})
        data[ROW] = pd.Series([], dtype="int64")
        data[HH] = pd.Series([], dtype=STRING)
        return pd.DataFrame(data)
    return raw


def _load_piece(piece: chunks.Piece, *, label: str, kk: str | None, drop: tuple[str, ...]) -> pd.DataFrame:
    from siksval.idnum import clean_id
    from siksval.io.read import STRING
    from siksval.schema import PLACEHOLDERS

    raw = chunks.read_piece(piece, label, drop)
    frame = raw.frame
    data: dict[str, Any] = {c: frame[c] for c in frame.columns}
    for i, c in enumerate(frame.columns):
        data[f"{NUM}{i}"] = raw.numeric_cells[c].to_numpy(dtype=bool)
    data[ROW] = chunks.offsets_to_rows(piece)
    if kk is not None:
        text = frame[kk]
        # The same key as Dataset.hh_key: placeholders ("-", "NULL") mean "no KK".
        placeholder = text.fillna("").str.strip().str.upper().isin(PLACEHOLDERS)
        key = clean_id(text.mask(placeholder))
        data[HH] = key.fillna("").astype(STRING)
    else:
        data[HH] = pd.Series("", index=frame.index, dtype=STRING)
    return pd.DataFrame(data, index=frame.index)


def _check_part(part: pd.DataFrame, ctx: _Context) -> tuple[PartResult, Any]:
    """Run the ordinary rules on one household partition (records in file order); also its
    `dask_dedupe.Piece` for duplicate search (None when no duplicate rule runs)."""
    from siksval.api import load_table
    from siksval.io.read import RawTable
    from siksval.model import SourceInfo

    if len(part) == 0:
        return PartResult(empty_findings(), frozenset(), (), 0), None
    part = part.sort_values(ROW, kind="stable")
    text_cols = [c for c in part.columns if c not in (ROW, HH) and not c.startswith(NUM)]
    frame = part[text_cols].reset_index(drop=True)
    numeric = pd.DataFrame(
        {c: part[f"{NUM}{ctx.columns.index(c)}"].to_numpy(dtype=bool) for c in text_cols},
        index=frame.index,
    )
    rows = pd.Series(part[ROW].to_numpy(dtype=np.int64))
    table = RawTable(frame, numeric, SourceInfo(path=ctx.label, format="parquet", records=len(frame)))
    del part
    ds = load_table(table, dataset=ctx.dataset, as_of=ctx.as_of, config=ctx.config, row=rows).dataset
    nonempty = frozenset(c for c in ds.frame.columns if ds.frame[c].notna().any())
    # Whether a column is empty is a fact about the whole file, known only on the client: run
    # every rule whose columns exist; the client drops those the whole file cannot support.
    ds.__dict__["empty_columns"] = frozenset()
    found, skipped = run_rules(ds, ctx.config, skip=set(ctx.skip))
    findings = pd.concat(found, ignore_index=True) if found else empty_findings()
    households = int(ds.hh_key.nunique()) if "no_kk" in ds.frame.columns else 0
    context = _local_context(ds, findings)
    piece = None
    if ctx.person:
        from siksval.dask_dedupe import make_piece

        piece = make_piece(ds, ctx.person)
    return PartResult(findings, nonempty, tuple(ds.frame.columns), households, skipped,
                      context, len(ds)), piece


def _local_context(ds: Any, findings: pd.DataFrame) -> pd.DataFrame | None:
    """Report.context for the records this partition's findings mention; desa/kecamatan names
    are filled from the codes on the client, for the whole report at once."""
    try:
        from siksval.context import record_context, rows_mentioned
    except ImportError:  # a build without record context
        return None
    rows = rows_mentioned(findings)
    return record_context(ds, rows, fill_names=False) if len(rows) else None


# ---------------------------------------------------------------------------------------------
# On the client
# ---------------------------------------------------------------------------------------------


class _Columns:
    """Just enough of a Dataset for `unavailable_columns`: the whole file's columns."""

    def __init__(self, columns: set[str], nonempty: set[str]) -> None:
        self.frame = pd.DataFrame(columns=sorted(columns))
        self._nonempty = nonempty

    def has(self, *columns: str) -> bool:
        return all(c in self._nonempty for c in columns)


def _combine(results: list[PartResult], dataset: str, config: Config) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """Findings of all partitions, minus what the whole file says cannot run."""
    from siksval.rules import unavailable_columns

    columns = set().union(*(r.columns for r in results))
    nonempty = set().union(*(r.nonempty for r in results))
    whole = _Columns(columns, nonempty)
    rules = load_rules()
    skipped: list[dict[str, str]] = []
    drop: set[str] = set()
    for code, r in rules.items():
        if r.fn is None or dataset not in r.info.datasets or not config.is_selected(code):
            continue
        missing, empty = unavailable_columns(whole, r.info.columns)  # type: ignore[arg-type]
        if missing or empty:
            drop.add(code)
            skipped.append(skip_reason(code, missing, empty))
    frames = []
    seen_file_level: set[str] = set()
    for r in results:
        f = r.findings
        if f.empty:
            continue
        f = f[~f["code"].isin(drop)]
        # File-level findings (a missing column) come from every partition alike: keep one copy.
        file_codes = {c for c in f["code"].unique() if rules[c].info.level == "file"}
        again = file_codes & seen_file_level
        if again:
            f = f[~f["code"].isin(again)]
        seen_file_level |= file_codes
        frames.append(f)
    for r in results:
        skipped = _merge_skips(skipped, [s for s in r.skipped if s["code"] not in drop])
    findings = pd.concat(frames, ignore_index=True) if frames else empty_findings()
    return findings, _in_registry_order(skipped)


def _context(results: list[PartResult], findings: pd.DataFrame,
             duplicates: list[dict[str, Any]], dup_context: pd.DataFrame | None) -> pd.DataFrame:
    """Report.context as the pandas engine builds it: every record the findings and clusters
    mention, in record order; desa/kecamatan names filled from the codes when the mentioned
    records give none."""
    from siksval.context import (
        CONTEXT_COLUMNS,
        empty_context,
        fill_region_names,
        rows_mentioned,
    )

    wanted = rows_mentioned(findings, duplicates)
    if not len(wanted):
        return empty_context()
    parts = [r.context for r in results if r.context is not None and len(r.context)]
    have = np.concatenate([p["row"].to_numpy(dtype=np.int64) for p in parts]) if parts else np.empty(0, np.int64)
    missing = np.setdiff1d(wanted, have)
    if len(missing) and dup_context is not None:  # records only duplicate clusters mention
        parts.append(dup_context[dup_context["row"].isin(missing)])
    if not parts:
        return empty_context()
    ctx = pd.concat(parts, ignore_index=True).drop_duplicates("row")
    ctx = ctx[ctx["row"].isin(wanted)].sort_values("row", kind="stable").reset_index(drop=True)
    text = {c: ctx[c].astype("string") for c in ("kode_wilayah", "kecamatan", "desa")}
    kecamatan, desa = fill_region_names(text["kode_wilayah"], text["kecamatan"], text["desa"])
    ctx["kecamatan"], ctx["desa"] = kecamatan.to_numpy(), desa.to_numpy()
    ctx = ctx[list(CONTEXT_COLUMNS)]
    return ctx.astype(object).where(ctx.notna(), None)


def _merge_skips(a: list[dict[str, str]], b: list[dict[str, str]]) -> list[dict[str, str]]:
    seen = {(s["code"], s["reason"]) for s in a}
    out = list(a)
    for s in b:
        if (s["code"], s["reason"]) not in seen:
            seen.add((s["code"], s["reason"]))
            out.append(s)
    return out


def _in_registry_order(skipped: list[dict[str, str]]) -> list[dict[str, str]]:
    order = {code: i for i, code in enumerate(load_rules())}
    return sorted(skipped, key=lambda s: order.get(s["code"], len(order)))


def _person_columns(cluster_rules: frozenset[str], config: Config) -> tuple[str, ...]:
    """The typed columns duplicate search reads: its rules' columns and the person columns
    their module declares (`PERSON_COLUMNS`), plus the household and identity keys."""
    rules = load_rules()
    cols: list[str] = ["nik", "no_kk"]
    for code in sorted(cluster_rules):
        r = rules[code]
        if r.fn is None or not config.is_selected(code):
            continue
        module = sys.modules.get(r.fn.__module__)
        for c in (*getattr(module, "PERSON_COLUMNS", ()), *r.info.columns):
            cols.extend(c.split("|"))
    if len(cols) == 2:
        return ()
    # The records of duplicate clusters need their report context (where to visit, who heads
    # the household), computed on the client from the same columns of those records.
    cols.extend(CONTEXT_SOURCE_COLUMNS)
    return tuple(dict.fromkeys(cols))


def _duplicate_findings(
    client: Any, pieces: list[Any], results: list[PartResult], ctx: _Context, source: Any,
    dataset: str, config: Config,
) -> Any:
    """Duplicate search (the cluster-level rules) over the whole file, its pieces staying on
    the workers (`siksval.dask_dedupe`): only the records of matching pairs come to the
    client."""
    from siksval.dask_dedupe import DupOutcome, search
    from siksval.rules import unavailable_columns

    none = DupOutcome([], [], [], None)
    if not ctx.person or not pieces:
        return none
    columns = set().union(*(r.columns for r in results))
    nonempty = set().union(*(r.nonempty for r in results))
    whole = _Columns(columns, nonempty)
    rules = load_rules()
    runnable = [
        code for code in ctx.skip
        if rules[code].fn is not None and dataset in rules[code].info.datasets
        and config.is_selected(code)
        and not any(unavailable_columns(whole, rules[code].info.columns))  # type: ignore[arg-type]
    ]
    if not runnable:  # _combine lists them as skipped
        return none
    return search(
        client, pieces, n_total=source.records, dataset=ctx.dataset, as_of=ctx.as_of,
        config=config, source=source, empty_columns=frozenset(columns - nonempty),
        skip=frozenset(load_rules()) - ctx.skip,
    )
