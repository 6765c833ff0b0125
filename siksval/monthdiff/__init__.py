"""Month-to-month comparison of two DTKS exports (`siksval diff OLD NEW`, docs/diff.md).

* `matching`: people across the months (same NIK, then the duplicate engine);
* `households`: households (same KK, or the new KK holding most of a vanished KK's people);
* `engine.MonthDiff`: both matched once, the per-person and per-household changes and counts;
* `run.diff`: read, match, run the CHG rules (siksval/rules/changes.py), build the Report.
"""

from __future__ import annotations

from typing import Any


def diff(*args: Any, **kwargs: Any) -> Any:
    """See `siksval.monthdiff.run.diff`."""
    from siksval.monthdiff.run import diff as _diff

    return _diff(*args, **kwargs)
