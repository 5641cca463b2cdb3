"""The QGIS peer of the atlas benchmark: a QGIS print-layout atlas of the same parks.

Run by Debian's ``/usr/bin/python3`` (``python3-qgis`` belongs to that interpreter, not to the
one running the suite), headless (``QT_QPA_PLATFORM=offscreen``)::

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 benchmarks/qgis_atlas.py FILE.gpkg OUT.pdf [N] \
        [--plot-labels]

It opens the GeoPackage's layers with the styles stored in it (plots and parks by status,
zones by land use, wastewater plants, roads and rail, communes, rivers, the province
boundary), builds an A3 landscape print layout comparable to our park sheet (a map driven by
an atlas over the ``parks`` layer at the dossier's standard scales, its coordinate grid with
labels, an overview map of the province with the sheet's extent, a legend, a scale bar, a
title with the park's name) and exports the atlas of the first ``N`` parks by code (default
30, the suite's atlas case) as one PDF. That is the peer layout the issue measured; our
sheets also print plot codes, and ``--plot-labels`` makes QGIS label them too (QGIS's label
engine then roughly doubles its export time on the Bắc Ninh sample). It prints one JSON line: the
export's own wall time (``export_s``, what the suite compares with our ``write_atlas``, whose
data is read in the untimed setup too), the time to start QGIS and build the layout
(``setup_s``), the pages and the PDF size.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

START = time.perf_counter()

from qgis.core import (  # noqa: E402 - time QGIS's start-up too
    QgsApplication,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapGrid,
    QgsLayoutItemMapOverview,
    QgsLayoutItemPage,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProject,
    QgsScaleBarSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)

#: Drawn bottom to top, as our sheets draw them.
LAYERS = ("communes", "province_boundary", "rivers", "roads_rail", "parks", "zones", "plots",
          "wastewater_plants")
#: The dossier's scales, then the larger ones our sheets fit a big park to (layout.FIT_SCALES).
SCALES = (1_000, 2_000, 5_000, 10_000, 25_000, 50_000, 100_000, 200_000, 250_000, 500_000,
          1_000_000)
MM = QgsUnitTypes.LayoutMillimeters


def _place(item, x: float, y: float, w: float, h: float) -> None:  # noqa: ANN001
    item.attemptMove(QgsLayoutPoint(x, y, MM))
    item.attemptResize(QgsLayoutSize(w, h, MM))


def build_layout(project: QgsProject, layers: dict[str, QgsVectorLayer],
                 codes: list[str]) -> QgsPrintLayout:
    """A3 landscape: the atlas map on the left, a 108 mm panel on the right (as our sheet)."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize("A3", QgsLayoutItemPage.Landscape)
    parks = layers["parks"]

    atlas = layout.atlas()
    atlas.setCoverageLayer(parks)
    atlas.setEnabled(True)
    atlas.setFilterFeatures(True)
    atlas.setFilterExpression(
        '"park_code" IN (' + ", ".join("'" + c.replace("'", "''") + "'" for c in codes) + ")")
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"park_code"')

    # Predefined atlas scaling takes its scales from the layout's render context (the designer
    # fills it from the project's settings; a script must do it).
    layout.renderContext().setPredefinedScales([float(s) for s in SCALES])
    main = QgsLayoutItemMap(layout)
    layout.addLayoutItem(main)
    main.setCrs(parks.crs())
    main.setRect(0, 0, 20, 20)  # a map sized from nothing gets no extent (NaN height)
    main.setExtent(parks.extent())
    _place(main, 23, 18, 262, 263)
    main.setLayers([layers[n] for n in reversed(LAYERS) if n in layers])
    main.setKeepLayerSet(True)
    main.setFrameEnabled(True)
    main.setAtlasDriven(True)
    main.setAtlasScalingMode(QgsLayoutItemMap.Predefined)
    main.setAtlasMargin(0.06)
    grid = QgsLayoutItemMapGrid("grid", main)
    main.grids().addGrid(grid)
    grid.setUnits(QgsLayoutItemMapGrid.DynamicPageSizeBased)
    grid.setMinimumIntervalWidth(40)
    grid.setMaximumIntervalWidth(60)
    grid.setAnnotationEnabled(True)
    grid.setAnnotationPrecision(0)
    for side in (QgsLayoutItemMapGrid.Left, QgsLayoutItemMapGrid.Right,
                 QgsLayoutItemMapGrid.Top, QgsLayoutItemMapGrid.Bottom):
        grid.setAnnotationPosition(QgsLayoutItemMapGrid.OutsideMapFrame, side)

    overview_map = QgsLayoutItemMap(layout)
    layout.addLayoutItem(overview_map)
    overview_map.setCrs(parks.crs())
    extent = (layers["province_boundary"] if "province_boundary" in layers else parks).extent()
    overview_map.setRect(0, 0, 20, 20)
    overview_map.setExtent(extent)
    _place(overview_map, 303, 54, 104, 50)
    context = [layers[n] for n in ("parks", "province_boundary") if n in layers]
    overview_map.setLayers(context)
    overview_map.setKeepLayerSet(True)
    overview_map.setFrameEnabled(True)
    overview_map.zoomToExtent(extent)
    overview = QgsLayoutItemMapOverview("extent", overview_map)
    overview_map.overviews().addOverview(overview)
    overview.setLinkedMap(main)

    title = QgsLayoutItemLabel(layout)
    layout.addLayoutItem(title)
    title.setText('BẢN ĐỒ HIỆN TRẠNG SỬ DỤNG ĐẤT KHU CÔNG NGHIỆP\n'
                  '[% "name_vi" %] ([% "park_code" %])\n'
                  'Hệ tọa độ VN-2000, múi 3°\n[% format_date(now(), \'dd/MM/yyyy\') %]')
    title.setHAlign(4)  # Qt.AlignHCenter
    title.setFrameEnabled(True)
    _place(title, 303, 10, 104, 40)

    legend = QgsLayoutItemLegend(layout)
    layout.addLayoutItem(legend)
    legend.setTitle("Chú giải")
    legend.setLinkedMap(main)
    legend.setFrameEnabled(True)
    _place(legend, 303, 138, 104, 140)

    bar = QgsLayoutItemScaleBar(layout)
    layout.addLayoutItem(bar)
    bar.setStyle("Single Box")
    bar.setLinkedMap(main)
    bar.setNumberOfSegments(4)
    bar.setNumberOfSegmentsLeft(0)
    bar.setUnits(QgsUnitTypes.DistanceMeters)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(50)
    bar.setMaximumBarWidth(80)
    _place(bar, 303, 108, 104, 14)
    numeric = QgsLayoutItemScaleBar(layout)  # "1:5 000"
    layout.addLayoutItem(numeric)
    numeric.setStyle("Numeric")
    numeric.setLinkedMap(main)
    _place(numeric, 303, 124, 104, 10)
    return layout


def open_layers(project: QgsProject, source: Path, *, plot_labels: bool = False
                ) -> dict[str, QgsVectorLayer]:
    """The file's layers with their stored styles (plot codes labelled if asked)."""
    layers: dict[str, QgsVectorLayer] = {}
    for name in LAYERS:
        layer = QgsVectorLayer(f"{source}|layername={name}", name, "ogr")
        if layer.isValid():
            layers[name] = layer
    project.addMapLayers(list(layers.values()))
    plots = layers.get("plots")
    if plots is not None and plot_labels:
        settings = QgsPalLayerSettings()
        settings.fieldName = "plot_code"
        settings.enabled = True
        settings.placement = QgsPalLayerSettings.OverPoint
        text = QgsTextFormat()
        text.setSize(4.9)  # our sheets' plot codes: 0.7 x 7 pt on A3
        settings.setFormat(text)
        plots.setLabeling(QgsVectorLayerSimpleLabeling(settings))
        plots.setLabelsEnabled(True)
    return layers


def main(argv: list[str]) -> int:
    plot_labels = "--plot-labels" in argv
    argv = [a for a in argv if a != "--plot-labels"]
    source, target = Path(argv[0]), Path(argv[1])
    limit = int(argv[2]) if len(argv) > 2 else 30
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    layers = open_layers(project, source, plot_labels=plot_labels)
    if "parks" not in layers:
        print(f"{source}: no layer 'parks'", file=sys.stderr)
        return 2
    codes = sorted(str(f["park_code"]) for f in layers["parks"].getFeatures())[:limit]
    layout = build_layout(project, layers, codes)
    setup_s = time.perf_counter() - START
    start = time.perf_counter()
    result, error = QgsLayoutExporter.exportToPdf(layout.atlas(), str(target),
                                                  QgsLayoutExporter.PdfExportSettings())
    export_s = time.perf_counter() - start
    pages = layout.atlas().count()
    if result != QgsLayoutExporter.Success:
        print(f"QGIS atlas export failed ({result}): {error}", file=sys.stderr)
        return 1
    print(json.dumps({"export_s": export_s, "setup_s": setup_s, "pages": pages,
                      "pdf_mb": target.stat().st_size / 1e6}), flush=True)
    del layout, layers
    project.clear()
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
