"""Header normalisation and alias resolution onto canonical column names.

Matching ignores case, surrounding spaces and the difference between space, `_`, `.`, `-` and
`/` (so `No. KK`, `NO_KK` and `no kk` are one header). Unrecognised headers are kept as extra
columns and listed; nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from siksval.errors import UserError

_SEPARATORS = re.compile(r"[\s_.\-/]+")
_REPEAT_SUFFIX = re.compile(r"#\d+\s*$")


def normalize_header(header: str) -> str:
    """`No. KK` -> `NOKK`: upper case, separators and spaces removed."""
    # The reader suffixes repeated headers with `#2`; they normalise like the first.
    text = _REPEAT_SUFFIX.sub("", str(header).replace("\ufeff", ""))
    return _SEPARATORS.sub("", text.strip().upper())


@dataclass
class ColumnMapping:
    """How the headers of one file map onto a dataset's canonical columns."""

    dataset: str
    mapped: dict[str, str] = field(default_factory=dict)  # header -> canonical
    unknown: list[str] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)  # header -> canonical already taken

    @property
    def canonical(self) -> set[str]:
        return set(self.mapped.values())


def alias_index(
    columns: Mapping[str, list[str]], extra: Mapping[str, list[str]] | None = None
) -> dict[str, str]:
    """Normalised spelling -> canonical name, from the schema's aliases plus the user's."""
    index: dict[str, str] = {}
    for canonical, aliases in columns.items():
        for spelling in (canonical, *aliases):
            index.setdefault(normalize_header(spelling), canonical)
    for canonical, aliases in (extra or {}).items():
        if canonical not in columns:
            continue  # aliases for another dataset's column
        for spelling in aliases:
            index[normalize_header(spelling)] = canonical  # the user's word wins
    return index


def map_headers(
    headers: list[str],
    dataset: str,
    columns: Mapping[str, list[str]],
    extra_aliases: Mapping[str, list[str]] | None = None,
) -> ColumnMapping:
    """Map each header to a canonical column; the first header wins when two name the same."""
    index = alias_index(columns, extra_aliases)
    out = ColumnMapping(dataset)
    taken: set[str] = set()
    for header in headers:
        canonical = index.get(normalize_header(header))
        if canonical is None:
            out.unknown.append(header)
        elif canonical in taken:
            out.duplicates[header] = canonical
            out.unknown.append(header)
        else:
            out.mapped[header] = canonical
            taken.add(canonical)
    return out


def detect_dataset(
    headers: list[str],
    schemas: Mapping[str, tuple[Mapping[str, list[str]], list[str]]],
    extra_aliases: Mapping[str, list[str]] | None = None,
    path: str = "",
) -> str:
    """Pick the dataset whose required columns the headers cover best.

    `schemas` maps dataset -> (column aliases, required columns). Ties go to the dataset with
    more mapped columns, then to the order given.
    """
    best, best_score = None, (0.0, 0)
    for name, (columns, required) in schemas.items():
        mapping = map_headers(headers, name, columns, extra_aliases)
        found = len(set(required) & mapping.canonical)
        score = (found / max(len(required), 1), len(mapping.mapped))
        if score > best_score:
            best, best_score = name, score
    if best is None or best_score[0] < 0.5:
        raise UserError(
            f"{path or 'input'}: the headers match none of the datasets dtks, lksa, lksa_anak; "
            "check that the first row holds the column names, or give --dataset and add "
            "aliases in siksval.toml (see `siksval schema`).",
            id=f"{path or 'masukan'}: judul kolom tidak cocok dengan dataset dtks, lksa, maupun "
            "lksa_anak; pastikan baris pertama berisi nama kolom, atau berikan --dataset dan "
            "tambahkan alias di siksval.toml (lihat `siksval schema`).",
        )
    return best
