"""Edits of plot geometry: split a plot along a line, merge adjacent plots."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.ops import split

from ..settings import AREA_TOLERANCE_M2
from . import _frames as F
from ._working import WorkingPlan
from .model import Edit
from .params import GEOMETRY, PLOT, PLOTS, TEXT, TEXT_LIST, param


def _pieces(plot: shapely.Polygon | shapely.MultiPolygon, line: shapely.Geometry
            ) -> list[shapely.Geometry]:
    """The parts of ``plot`` on each side of ``line``, west to east then south to north."""
    parts = list(split(plot, line).geoms) if isinstance(plot, shapely.Polygon) else [
        p for poly in plot.geoms for p in split(poly, line).geoms]
    parts = [p for p in parts if p.area > AREA_TOLERANCE_M2]
    centroids = shapely.centroid(np.array(parts, dtype=object))
    order = np.lexsort((shapely.get_y(centroids), shapely.get_x(centroids)))
    return [parts[i] for i in order]


@dataclass(frozen=True, kw_only=True)
class SplitPlot(Edit):
    """Cut one plot in two or more along a line; pieces are named ``new_codes`` in order
    west to east (then south to north). Status, land use and tenant carry over to every piece.
    """

    plot_code: str = param(PLOT, "plots")
    line: shapely.Geometry = param(GEOMETRY, "kind_LineString", geometry="LineString")
    new_codes: tuple[str, ...] = param(TEXT_LIST, "new_codes")
    operation = "split_plot"

    def check(self, work: WorkingPlan) -> None:
        plot = F.require_codes(self, work.plots, "plot_code", [self.plot_code], "plots").iloc[0]
        if not isinstance(self.line, shapely.LineString | shapely.MultiLineString):
            raise self.fail(f"the cutting line must be a line, got {type(self.line).__name__}")
        pieces = _pieces(plot.geometry, self.line)
        if len(pieces) < 2:
            raise self.fail(f"the line does not cut plot {self.plot_code} in two",
                            [("plots", self.plot_code)])
        if len(pieces) != len(self.new_codes):
            raise self.fail(f"the line cuts plot {self.plot_code} into {len(pieces)} pieces "
                            f"but {len(self.new_codes)} new code(s) were given")
        # The plot being split may give its code to a piece; other plots may not.
        F.require_new(self, work.plots, "plot_code",
                      [c for c in self.new_codes if c != self.plot_code], "plots")

    def change(self, work: WorkingPlan) -> None:
        hit = work.plots.where("plot_code", [self.plot_code])
        row = work.plots.rows(hit)
        pieces = _pieces(row.geometry.iloc[0], self.line)
        new = row.loc[row.index.repeat(len(pieces))].copy()
        new["plot_code"] = list(self.new_codes)
        new = new.set_geometry(pieces, crs=work.crs)
        new["area_ha"] = F.plot_areas_ha(new.geometry.values)
        links = work.tenant_plots.where("plot_code", [self.plot_code])
        old_link = work.tenant_plots.rows(links)
        new_links = pd.DataFrame({
            "plot_code": list(self.new_codes) if len(old_link) else [],
            "project_id": [old_link["project_id"].iloc[0]] * len(self.new_codes)
            if len(old_link) else []})
        work.plots.drop(hit)
        work.plots.append(new)
        work.tenant_plots.drop(links)
        work.tenant_plots.append(new_links)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("plots", self.plot_code)} | {("plots", c) for c in self.new_codes}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("plots", self.plot_code, "geometry"): f"split by {self.id}"}


@dataclass(frozen=True, kw_only=True)
class MergePlots(Edit):
    """Join adjacent plots of one park with the same land use, status and tenant into one."""

    plot_codes: tuple[str, ...] = param(PLOTS, "plots")
    new_code: str = param(TEXT, "new_code")
    operation = "merge_plots"

    def check(self, work: WorkingPlan) -> None:
        chosen = F.require_codes(self, work.plots, "plot_code", self.plot_codes, "plots")
        if len(chosen) < 2:
            raise self.fail("at least two plots are needed to merge")
        features = [("plots", c) for c in self.plot_codes]
        for column in ("park_code", "land_use", "status"):
            if chosen[column].nunique() != 1:
                raise self.fail(f"plots differ in {column}: " + ", ".join(
                    f"{c}={v}" for c, v in zip(chosen["plot_code"], chosen[column], strict=True)),
                    features)
        links = work.tenant_plots
        projects = links.rows(links.where("plot_code", self.plot_codes))
        if projects["project_id"].nunique() > 1 or 0 < len(projects) < len(chosen):
            raise self.fail("plots of different tenants cannot be merged", features)
        merged = shapely.union_all(chosen.geometry.values)
        if not isinstance(merged, shapely.Polygon):
            raise self.fail(f"plots {', '.join(self.plot_codes)} are not adjacent "
                            "(their union is not one polygon)", features)
        # The merged plot may take the code of one of its parts; other plots may not.
        if self.new_code not in self.plot_codes:
            F.require_new(self, work.plots, "plot_code", [self.new_code], "plots")

    def change(self, work: WorkingPlan) -> None:
        hit = work.plots.where("plot_code", self.plot_codes)
        plots = work.plots.rows(hit)
        first = plots.iloc[[0]].copy()
        merged = shapely.union_all(plots.geometry.values)
        first["plot_code"] = self.new_code
        first = first.set_geometry([merged], crs=work.crs)
        first["area_ha"] = F.plot_areas_ha(first.geometry.values)
        first["ready_built_factory"] = bool(plots["ready_built_factory"].any())
        links = work.tenant_plots.where("plot_code", self.plot_codes)
        new_links = work.tenant_plots.rows(links).iloc[:1].assign(plot_code=self.new_code)
        work.plots.drop(hit)
        work.plots.append(first)
        work.tenant_plots.drop(links)
        work.tenant_plots.append(new_links)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("plots", c) for c in self.plot_codes} | {("plots", self.new_code)}

    def claims(self) -> dict[tuple[str, str, str], object]:
        return {("plots", c, "geometry"): f"merged by {self.id}" for c in self.plot_codes}
