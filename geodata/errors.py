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


class StoreCorruptError(StoreError):
    """The store is there but damaged (not a GeoPackage or database, truncated, malformed)."""


class StoreForeignError(StoreError):
    """The target holds something that is not a store of this project."""


class StoreLockedError(StoreError):
    """Another writer holds the store's lock longer than we may wait."""


class StoreWriteError(StoreError):
    """The store cannot be written (read-only folder, disk full, missing folder)."""
