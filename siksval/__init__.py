"""siksval: data-quality and verification toolkit for Indonesia's social-welfare registry.

    import siksval
    report = siksval.check("dtks.csv", as_of="2026-10-31")
    report.findings, report.summary(), report.to_json("hasil.json"), report.exit_code("error")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from siksval.errors import UserError

if TYPE_CHECKING:
    from siksval.model import Finding, Report, Severity

__all__ = [
    "Finding", "Report", "Severity", "UserError", "__version__", "check", "dedupe", "diff",
]

#: Loaded on first use (PEP 562) so that `siksval --version`, `--help` and errors about options
#: do not pay for importing pandas.
_LAZY = {"Finding": "siksval.model", "Report": "siksval.model", "Severity": "siksval.model"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'siksval' has no attribute {name!r}")


def check(*args: Any, **kwargs: Any) -> Report:
    """Check an export (path or DataFrame); see `siksval.api.check`."""
    from siksval.api import check as _check

    return _check(*args, **kwargs)


def dedupe(*args: Any, **kwargs: Any) -> Any:
    """Find duplicate people in any person list; see `siksval.api.dedupe`."""
    from siksval import api

    if not hasattr(api, "dedupe"):
        raise NotImplementedError("duplicate search is not part of this build yet")
    return api.dedupe(*args, **kwargs)


def diff(*args: Any, **kwargs: Any) -> Report:
    """Compare two monthly DTKS exports (OLD, NEW); see `siksval.monthdiff.run.diff`."""
    from siksval.monthdiff.run import diff as _diff

    return _diff(*args, **kwargs)
