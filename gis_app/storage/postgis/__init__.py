"""The PostGIS backend: the same layers as a GeoPackage, one schema per province.

- :mod:`.connect`: ``postgresql://...?province=KEY`` URLs (no database driver needed);
- :mod:`.schema`: the database schema, roles, grants and its version;
- :mod:`.tables`: reading and writing tables with the GeoPackage's field types;
- :mod:`.store`: reading, validating and writing a province's plan (the backend proper);
- :mod:`.indicators`: the park areas computed in SQL (the benchmark's floor).

Only :mod:`.connect` may be imported without psycopg installed.
"""
