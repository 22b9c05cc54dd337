"""Errors a user can act on. The CLI prints each as one line on stderr, never a traceback."""
from __future__ import annotations


class TrackerError(Exception):
    """A problem the user can fix: the message says what went wrong and what to do."""


class DatabaseError(TrackerError):
    """The database could not be named, opened or written."""


class NotFound(TrackerError):
    """An id or name that is not in the database."""


class BadInput(TrackerError):
    """A malformed value: a date, a status, a deadline kind ..."""


class BadOption(BadInput):
    """A value given on the command line that the option does not take (a date that is no date,
    a status that does not exist): a usage error, exit status 2."""
