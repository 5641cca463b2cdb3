"""The viewer: a Streamlit app over the same engine (``kcn-gis view``).

:mod:`.app` is the script Streamlit runs; :mod:`.views` holds one module per page (overview,
park, vacant land, officer desk, data, scenarios, map sheets); :mod:`.maps` and :mod:`.draw`
make the folium maps; :mod:`.launch` starts the server; :mod:`.script_runs` reads a page's
script runs from its websocket (for the browser tests and benchmark). Only this package
imports Streamlit.
"""
