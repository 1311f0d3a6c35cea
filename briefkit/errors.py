"""The errors briefkit raises. Each message says what went wrong, where, and how to fix it.

The command line turns a BriefkitError into one line and an exit code; nothing else is shown.
"""
from __future__ import annotations

import difflib

LONGEST = 80  # characters of a user's value echoed in a message; the rest is cut


def did_you_mean(text: str, choices) -> str:
    """' (did you mean "x"?)' for the closest of `choices` to a mistyped `text`, or ""."""
    close = difflib.get_close_matches(text, [str(c) for c in choices], n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def shown(text, limit: int = LONGEST) -> str:
    """A value as an error line may echo it: control characters (escape sequences, newlines) as
    "?", and at most `limit` characters, so that a hostile or mistaken argument cannot garble the
    terminal or bury the message."""
    text = "".join(c if c.isprintable() else "?" for c in str(text))
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


class BriefkitError(Exception):
    """Base class: a problem the user can fix. `exit_code` is what the CLI returns."""

    exit_code = 1


class UsageError(BriefkitError):
    """Bad input on the command line or in the parameters: an unknown country, a bad value."""

    exit_code = 2


class UnknownCountry(UsageError):
    def __init__(self, text: str, suggestions: list[str]):
        self.text = text
        self.suggestions = suggestions
        hint = f" (did you mean {' or '.join(suggestions)}?)" if suggestions else (
            " (use an ISO 3166 code such as PAK or a name such as Pakistan)")
        super().__init__(f'Unknown country "{shown(text)}"{hint}')


class ParameterError(UsageError):
    """A notebook parameter that is missing, unknown or of the wrong type."""


class DataPackageError(BriefkitError):
    """The data package cannot be read, or a row it needs is missing or broken."""


class NoPackage(DataPackageError):
    """No data package where --data or BRIEFKIT_DATA points: the command as typed cannot run."""

    exit_code = 2


class NotebookError(BriefkitError):
    """A cell of the brief's notebook failed. The executed notebook was still written."""

    def __init__(self, message: str, notebook_path=None, cell_index=None, ename=None, evalue=None):
        self.notebook_path = notebook_path
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        super().__init__(message)


class ExportError(BriefkitError):
    """HTML or PDF export failed (a missing font, a broken template)."""


class OutputError(BriefkitError):
    """The output folder cannot be written."""
