"""Formatters: each reads only the Report. Chosen from a registry, never by if/elif in the CLI."""

from __future__ import annotations

import importlib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from siksval.model import Report


@dataclass(frozen=True)
class Formatter:
    name: str
    module: str
    function: str
    extension: str
    binary: bool = False
    #: whether PII is masked unless the user says otherwise
    mask_default: bool = True
    #: whether the format can be written to a terminal (stdout)
    to_stdout: bool = True

    def load(self) -> Callable[..., None]:
        return getattr(importlib.import_module(self.module), self.function)


FORMATTERS: dict[str, Formatter] = {
    f.name: f
    for f in (
        Formatter("text", "siksval.report.text", "write_text", ".txt"),
        Formatter("json", "siksval.report.json", "write_json", ".json"),
        Formatter("csv", "siksval.report.csv", "write_csv", ".csv"),
        Formatter("html", "siksval.report.html", "write_html", ".html", to_stdout=False),
        Formatter(
            "xlsx", "siksval.report.xlsx", "write_xlsx", ".xlsx", binary=True,
            mask_default=False, to_stdout=False,
        ),
        Formatter("junit", "siksval.report.junit", "write_junit", ".xml"),
    )
}


def available() -> list[str]:
    """Names of the formats whose module is present."""
    out = []
    for name, f in FORMATTERS.items():
        try:
            importlib.import_module(f.module)
        except ModuleNotFoundError:
            continue
        out.append(name)
    return out


def render(report: Report, fmt: str, path: str | os.PathLike[str] | None = None, **opts: Any) -> str | None:
    """Write `report` as `fmt` to `path` atomically, or return the text when path is None."""
    formatter = FORMATTERS.get(fmt)
    if formatter is None:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATTERS)}")
    write = formatter.load()
    opts.setdefault("mask", formatter.mask_default)
    if path is None:
        if formatter.binary:
            raise ValueError(f"format {fmt} needs an output path")
        buf = io.StringIO()
        write(report, buf, **opts)
        return buf.getvalue()
    with atomic_writer(path, binary=formatter.binary) as fh:
        write(report, fh, **opts)
    return None


class atomic_writer:
    """Write to a temporary file beside `path`, rename over it only when complete.

    A crash or an error half-way leaves the previous file (or nothing), never half a report.
    """

    def __init__(self, path: str | os.PathLike[str], binary: bool = False) -> None:
        self.path = Path(path)
        self.binary = binary
        self._tmp: str | None = None
        self._fh: IO[Any] | None = None

    def __enter__(self) -> IO[Any]:
        folder = self.path.parent if str(self.path.parent) else Path(".")
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        if self.binary:
            self._fh = os.fdopen(fd, "wb")
        else:
            self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        return self._fh

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self._fh is not None and self._tmp is not None
        self._fh.close()
        if exc_type is None:
            os.chmod(self._tmp, _file_mode(self.path))
            os.replace(self._tmp, self.path)
        else:
            os.unlink(self._tmp)


def _file_mode(path: Path) -> int:
    """The mode a new file would get (mkstemp makes 0600): the existing file's, else 0666 less
    the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
