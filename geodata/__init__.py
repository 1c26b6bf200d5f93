"""The local geodata store: region and indicator configuration, and the GeoPackage store.

`pipelines` writes the store, `dashboard` reads it; both depend on this package and never on
each other.
"""
