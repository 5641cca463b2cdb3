"""Names of the environment variables the viewer reads (shared by the app and the launcher)."""

from __future__ import annotations

#: Province files or PostGIS URLs the sidebar offers, separated by ``os.pathsep`` (or newlines);
#: default: the shipped files.
FILES_ENV = "KCN_GIS_FILES"
#: Officer accounts file; default ``~/.config/kcn-gis/officers.toml``.
AUTH_ENV = "KCN_GIS_AUTH_FILE"
#: Login audit file (JSON lines); default ``<officer file stem>-audit.log`` beside the officer file.
AUDIT_ENV = "KCN_GIS_AUDIT_FILE"
#: Minutes without activity after which an officer session ends (default 30).
IDLE_ENV = "KCN_GIS_IDLE_MINUTES"
