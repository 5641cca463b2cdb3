"""The two tables a province keeps its scenarios in, as a GeoPackage creates them.

The PostGIS store (:mod:`.store_pg`) derives its tables from the same definitions, so a
scenario copied between the two backends keeps every column.
"""

SCENARIOS_TABLE = "scenarios"
EDITS_TABLE = "scenario_edits"

#: ``CREATE TABLE`` statement and description of each table.
DDL: dict[str, tuple[str, str]] = {
    SCENARIOS_TABLE: (
        "CREATE TABLE IF NOT EXISTS scenarios (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
        "scenario_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, description TEXT, author TEXT, "
        "based_on TEXT, created TEXT NOT NULL, modified TEXT NOT NULL, "
        "version INTEGER NOT NULL)",
        "Planning-adjustment scenarios (kịch bản điều chỉnh quy hoạch)",
    ),
    EDITS_TABLE: (
        "CREATE TABLE IF NOT EXISTS scenario_edits (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
        "scenario_id TEXT NOT NULL, seq INTEGER NOT NULL, edit_id TEXT NOT NULL, "
        "operation TEXT NOT NULL, params TEXT NOT NULL, version INTEGER NOT NULL)",
        "Edits of each scenario, in order; parameters as JSON, geometries as WKB hex",
    ),
}
