"""Pipeline exceptions. Each message names the value, the cause and the fix."""

from __future__ import annotations

from geodata.errors import GeodataError

RESUME_HINT = (
    "Responses fetched so far are cached; rerun `python -m pipelines build` to resume where it stopped. "
    "The existing store was left unchanged."
)


class PipelineError(GeodataError):
    """Base class for errors while pulling or normalising source data."""


class FetchError(PipelineError):
    """A URL could not be fetched after all retries."""

    def __init__(self, url: str, attempts: int, cause: Exception | None) -> None:
        self.url = url
        self.attempts = attempts
        self.cause = cause
        super().__init__(
            f"Could not fetch {url} after {attempts} attempts: {cause}. "
            "Check that the service (or the mirror) is running and reachable, and that the "
            f"base URL is right (CBS_ODATA_URL, PDOK_URL, AMSTERDAM_API_URL). {RESUME_HINT}"
        )


class ServiceError(PipelineError):
    """The service answered with an HTTP error that retrying will not fix (4xx)."""

    def __init__(self, url: str, status: int, text: str) -> None:
        self.url = url
        self.status = status
        self.text = text
        super().__init__(
            f"{url} answered HTTP {status}: {text or '(empty body)'}. "
            "The request asks for something the service does not have; check the table id, "
            "column key or layer name in the message."
        )


class UnknownTableError(PipelineError):
    """A CBS table id is not in the catalog or does not exist."""


class SchemaError(PipelineError):
    """A response lacks a column or field we rely on, or its unit changed."""


class UnknownRegionError(PipelineError):
    """A region code is absent from a source, or a source returned a code we cannot place."""


class QueryTooLongError(PipelineError):
    """A planned request would exceed the CBS query-string limit (a bug in the planning)."""


class BuildGapsError(PipelineError):
    """`--strict`: the build had gaps, so nothing was written."""


class NotPublishedError(PipelineError):
    """A service does not (yet) publish what was asked: a PDOK year without a service. The
    build records it as a gap whose fix is to wait, not to change anything."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


class ApiKeyError(PipelineError):
    """Amsterdam's API refused the request for want of a (valid) ``AMSTERDAM_API_KEY``."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix
