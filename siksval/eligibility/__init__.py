"""Eligibility evidence per household: who receives aid although the data says they should not
(inclusion errors, ELG001–ELG008) and who is poor but receives nothing (exclusion errors,
EXC001–EXC002).

Everything is derived once per run and per policy (`household_reasons(ds)` is cached on the
Dataset) and shared by the ELG/EXC rules and by the XLSX worklist: each household appears once
with a flag per rule, the reasons as one sentence in Bahasa Indonesia and English, the members
concerned and a priority score for sorting the verification worklist.

Thresholds live in `Policy` (config `[policy]` in siksval.toml or `[tool.siksval.policy]`); each
default cites its source in domain.md (S-numbers) and in the rule docstrings.

All computations are vectorized over whole columns; occupation labels are matched on the
distinct values of `pekerjaan`, not per record.
"""

from __future__ import annotations

from siksval.eligibility.codes import (
    AID_ANY,
    ELG_CODES,
    EXC_CODES,
    NAMED_CODES,
    NIK_ERROR_CODES,
    PROGRAMS,
)
from siksval.eligibility.evidence import (
    EMPLOYEE_LABELS,
    classify_occupation,
    deceased_mask,
    employee_category,
    nik_error_mask,
)
from siksval.eligibility.household import HOUSEHOLD_COLUMNS, WEIGHTS, household_reasons
from siksval.eligibility.policy import (
    CRITERIA_LABELS,
    DEFAULT_POLICY,
    WEALTH_LABELS,
    Policy,
    policy_for,
    policy_options,
)
from siksval.eligibility.worklist import WORKLIST_COLUMNS, households_from_findings

__all__ = [
    "AID_ANY",
    "CRITERIA_LABELS",
    "DEFAULT_POLICY",
    "ELG_CODES",
    "EMPLOYEE_LABELS",
    "EXC_CODES",
    "HOUSEHOLD_COLUMNS",
    "NAMED_CODES",
    "NIK_ERROR_CODES",
    "PROGRAMS",
    "WEALTH_LABELS",
    "WEIGHTS",
    "WORKLIST_COLUMNS",
    "Policy",
    "classify_occupation",
    "deceased_mask",
    "employee_category",
    "household_reasons",
    "households_from_findings",
    "nik_error_mask",
    "policy_for",
    "policy_options",
]
