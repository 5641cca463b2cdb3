"""The throwaway server itself: reachable, PostGIS present, isolated per test."""

from __future__ import annotations


def test_cluster_has_postgis(pg_cluster, pg_db):
    with pg_cluster.connect(pg_db) as conn:
        version = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
        area = conn.execute("SELECT ST_Area('POLYGON((0 0,10 0,10 10,0 10,0 0))'::geometry)")
        assert area.fetchone()[0] == 100.0
    assert version.startswith("3.")
