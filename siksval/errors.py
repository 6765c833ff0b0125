"""Errors meant for people: one clear sentence, exit code 2, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """The run could not be done because of the input or the options.

    The message is one sentence saying what is wrong, where, and what to do, in English
    (`str(err)`) and, when given, in Bahasa Indonesia (`id=`). The CLI prints it in the chosen
    language to stderr and exits with code 2.
    """

    exit_code = 2

    def __init__(self, message: str, *, id: str | None = None) -> None:
        super().__init__(message)
        self.message_en = message
        self.message_id = id

    def text(self, lang: str = "id") -> str:
        """The message in `lang` (Bahasa Indonesia by default, English when no translation)."""
        if lang == "id" and self.message_id:
            return self.message_id
        return self.message_en
