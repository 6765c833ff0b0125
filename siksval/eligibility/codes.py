"""Codes, program columns and labels shared by the eligibility modules."""

from __future__ import annotations

#: Program columns whose "yes" means aid (rules.md) and their display names.
PROGRAMS: dict[str, str] = {
    "pkh": "PKH",
    "bpnt": "BPNT",
    "pbi_jk": "PBI-JK",
    "bst": "BST",
    "blt_dd": "BLT-DD",
}
#: "any of these columns" for the registry: a rule needs at least one program column.
AID_ANY = "|".join(PROGRAMS)

ELG_CODES: tuple[str, ...] = tuple(f"ELG00{i}" for i in range(1, 9))
EXC_CODES: tuple[str, ...] = ("EXC001", "EXC002")
NIK_ERROR_CODES: tuple[str, ...] = tuple(f"NIK00{i}" for i in range(1, 7))
#: reasons whose sentence part names members, in sentence order
NAMED_CODES: tuple[str, ...] = ("ELG001", "ELG002", "ELG007", "ELG008")
