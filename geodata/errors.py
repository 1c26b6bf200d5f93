"""Exceptions shared by the store, the pipelines and the dashboard.

Every message names the offending value, the cause and the fix, so that a user who sees only
the message knows what to do next.
"""


class GeodataError(Exception):
    """Base class for all errors this project raises on purpose."""


class ConfigError(GeodataError):
    """A configuration file or environment variable is invalid."""


class StoreError(GeodataError):
    """The GeoPackage store is missing, corrupt or does not have the expected schema."""


class StoreMissingError(StoreError):
    """The store file does not exist or holds no data yet."""
