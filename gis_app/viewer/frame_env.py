"""Names of the environment variables the viewer reads (shared by the app and the launcher)."""

from __future__ import annotations

#: Province files or PostGIS URLs the sidebar offers, separated by ``os.pathsep`` (or newlines);
#: default: the shipped files.
FILES_ENV = "KCN_GIS_FILES"
#: Officer accounts file; default ``~/.config/kcn-gis/officers.toml``.
AUTH_ENV = "KCN_GIS_AUTH_FILE"
