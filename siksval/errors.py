"""Errors meant for people: one clear sentence, exit code 2, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """The run could not be done because of the input or the options.

    The message is one sentence saying what is wrong, where, and what to do. The CLI prints
    it to stderr and exits with code 2.
    """

    exit_code = 2
