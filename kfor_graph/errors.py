"""Exceptions of kfor_graph. Each carries the exit code the CLI uses for it."""


class KforGraphError(Exception):
    """Base class of every error the package raises on purpose."""

    exit_code = 2


class InputError(KforGraphError):
    """Unreadable input or bad usage: a missing file, bad Turtle, an unknown query or format."""

    exit_code = 2


class QueryError(InputError):
    """A query that cannot be found, parsed or run, or a bad --param."""


class NotConformingError(KforGraphError):
    """The data does not conform to the shapes; `report` is the validation report."""

    exit_code = 1

    def __init__(self, report, message: str = "the data does not conform to the shapes"):
        super().__init__(message)
        self.report = report
