"""ScenarioStore on both backends: the same round trips, versions and refusals; PostGIS extras.

The GeoPackage behaviour is pinned by tests/scenarios/test_store.py; here the same contract
runs against a province schema on the throwaway server, plus what only a server has: several
processes creating the tables at once, the public role, and ``db pull`` of the tables.
"""

from __future__ import annotations

import multiprocessing

import pytest
import shapely

from gis_app.cli import main
from gis_app.errors import LayerError, ScenarioError
from gis_app.scenarios import ReclaimProjects, RezonePlots, Scenario, SplitPlot
from gis_app.scenarios.store import ScenarioStore, StaleScenarioError
from gis_app.settings import PROVINCES
from gis_app.storage import source
from gis_app.storage.postgis.store import init_database
from gis_app.testing import ORIGIN, tiny_plan

OX, OY = ORIGIN


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def src(request: pytest.FixtureRequest, tmp_path) -> str:
    """The tiny plan, without scenarios, in a GeoPackage or a PostGIS schema."""
    if request.param == "gpkg":
        path = str(tmp_path / "tiny.gpkg")
    else:
        path = request.getfixturevalue("pg_url")
        init_database(path)
    source.write_plan(path, tiny_plan())
    return path


def _scenario() -> Scenario:
    edits = (RezonePlots(id="e1", plot_codes=("A3",), land_use="service_admin"),
             SplitPlot(id="e2", plot_code="A3",
                       line=shapely.LineString([(OX + 125.123456789, OY - 1),
                                                (OX + 125.1, OY + 101)]),
                       new_codes=("A3a", "A3b")),
             ReclaimProjects(id="e3", project_ids=("T2",)))
    return Scenario.new("Mở rộng KCN", author="Nguyễn Văn A", description="dòng 1\ndòng 2",
                        scenario_id="mo-rong").replace(edits=edits)


def test_save_then_reopen_round_trips_exactly(src):
    saved = ScenarioStore(src).save(_scenario())
    assert saved.version == 1
    reopened = ScenarioStore(src).open("mo-rong")
    assert reopened == saved
    # The split line's coordinates survive bit for bit (WKB hex in the params).
    assert reopened.edits[1].line.coords[0] == saved.edits[1].line.coords[0]
    listed = ScenarioStore(src).list()
    assert listed[["scenario_id", "version", "n_edits"]].values.tolist() == [["mo-rong", 1, 3]]
    assert listed["author"].tolist() == ["Nguyễn Văn A"]


def test_a_stale_save_is_refused_and_nothing_is_written(src):
    store = ScenarioStore(src)
    store.save(_scenario())
    mine, theirs = store.open("mo-rong"), store.open("mo-rong")
    store.save(theirs.with_edit(ReclaimProjects(id="theirs", project_ids=("T1",))))
    with pytest.raises(StaleScenarioError, match=r"stored version 2, yours 1"):
        store.save(mine.with_edit(ReclaimProjects(id="mine", project_ids=("T1",))))
    stored = store.open("mo-rong")
    assert stored.version == 2
    assert [e.id for e in stored.edits] == ["e1", "e2", "e3", "theirs"]


def test_taken_id_based_on_and_delete_rules(src):
    store = ScenarioStore(src)
    store.save(_scenario())
    with pytest.raises(StaleScenarioError, match="already exists"):
        store.save(Scenario.new("Trùng", scenario_id="mo-rong"))
    with pytest.raises(ScenarioError, match="based on 'nowhere'"):
        store.save(Scenario.new("Mồ côi", scenario_id="orphan", based_on="nowhere"))
    store.save(Scenario.new("Con", scenario_id="child", based_on="mo-rong"))
    with pytest.raises(ScenarioError, match="child are based on it"):
        store.delete("mo-rong")
    with pytest.raises(StaleScenarioError, match="not deleted"):
        store.delete("child", version=7)
    store.delete("child", version=1)
    store.delete("mo-rong")
    assert store.ids() == []


def test_saving_leaves_the_baseline_layers_alone(src):
    ScenarioStore(src).save(_scenario())
    plan, want = source.read_plan(src), tiny_plan()
    for name, frame in want.layers().items():
        assert plan.layers()[name].drop(columns="geometry", errors="ignore").equals(
            frame.drop(columns="geometry", errors="ignore")), name


# -- PostGIS only ------------------------------------------------------------------------------
def _officer(url: str, index: int, barrier: object, results: object) -> None:
    """Save an own scenario (the first save creates the tables), then edit the shared one."""
    store = ScenarioStore(url)
    outcome: dict[str, object] = {"index": index}
    barrier.wait()  # type: ignore[attr-defined]
    try:
        store.save(Scenario.new(f"Cán bộ {index}", scenario_id=f"own-{index}"))
        outcome["own"] = "saved"
    except Exception as exc:  # reported to the parent, which fails the test
        outcome["own"] = f"{type(exc).__name__}: {exc}"
    barrier.wait()  # type: ignore[attr-defined]
    try:
        shared = store.open("own-0")
        barrier.wait()  # type: ignore[attr-defined]
        store.save(shared.with_edit(ReclaimProjects(id=f"by-{index}", project_ids=("T2",))))
        outcome["shared"] = "saved"
    except StaleScenarioError:
        outcome["shared"] = "stale"
    except Exception as exc:
        outcome["shared"] = f"{type(exc).__name__}: {exc}"
    results.put(outcome)  # type: ignore[attr-defined]


def test_concurrent_officers_on_postgis_lose_nothing(pg_url):
    officers = 5
    init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())  # no scenario tables yet: they race to create them
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(officers), ctx.Queue()
    procs = [ctx.Process(target=_officer, args=(pg_url, i, barrier, results))
             for i in range(officers)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert all(o["own"] == "saved" for o in outcomes), outcomes
    # Everyone opened own-0 at version 1: exactly one save wins, the others are refused.
    assert sorted(o["shared"] for o in outcomes) == ["saved"] + ["stale"] * (officers - 1)
    store = ScenarioStore(pg_url)
    assert sorted(store.ids()) == [f"own-{i}" for i in range(officers)]
    winner = next(o["index"] for o in outcomes if o["shared"] == "saved")
    stored = store.open("own-0")
    assert (stored.version, [e.id for e in stored.edits]) == (2, [f"by-{winner}"])


def test_public_role_cannot_read_scenarios(pg_cluster, pg_db, pg_url):
    init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    ScenarioStore(pg_url).save(_scenario())
    with pg_cluster.connect(pg_db) as conn:
        conn.execute("CREATE ROLE ana LOGIN IN ROLE kcn_public")
    public = pg_cluster.url(pg_db, user="ana", province="bac_ninh")
    assert source.read_plan(public).plots["plot_code"].tolist() == ["A1", "A2", "A3", "A4"]
    with pytest.raises(LayerError, match="permission denied"):
        ScenarioStore(public).list()


def test_scenarios_saved_on_postgis_come_back_in_a_pulled_file(pg_url, tmp_path):
    init_database(pg_url)
    source.write_plan(pg_url, tiny_plan())
    saved = ScenarioStore(pg_url).save(_scenario())
    pulled = tmp_path / "pulled.gpkg"
    assert main(["db", "pull", pg_url, str(pulled)]) == 0
    assert ScenarioStore(pulled).open("mo-rong") == saved
    # The file's own store keeps working on the pulled tables.
    again = ScenarioStore(pulled).save(saved.with_edit(ReclaimProjects(id="e4",
                                                                       project_ids=("T1",))))
    assert ScenarioStore(pulled).open("mo-rong").version == again.version == 2


@pytest.mark.parametrize("action", [["list"], ["show", "ninh-binh-2024"],
                                    ["compare", "ninh-binh-2024", "--level", "park"]])
def test_scenario_cli_prints_the_same_from_both_backends(action, pg_cluster, pg_db, capsys):
    path = PROVINCES["ninh_binh"].default_path
    url = pg_cluster.url(pg_db, province="ninh_binh")
    assert main(["db", "push", str(path), url]) == 0  # carries the worked example's tables
    capsys.readouterr()
    assert main(["scenario", action[0], str(path), *action[1:]]) == 0
    from_file = capsys.readouterr().out
    assert main(["scenario", action[0], url, *action[1:]]) == 0
    assert capsys.readouterr().out == from_file
    assert "ninh-binh-2024" in from_file  # a real listing, not an empty one


def test_scenario_export_from_a_url_matches_the_file(pg_cluster, pg_db, tmp_path, capsys):
    path = PROVINCES["ninh_binh"].default_path
    url = pg_cluster.url(pg_db, province="ninh_binh")
    assert main(["db", "push", str(path), url]) == 0
    outputs = {}
    for kind, src in (("gpkg", str(path)), ("postgis", url)):
        gpkg_out, report = tmp_path / f"{kind}.gpkg", tmp_path / f"{kind}.csv"
        assert main(["scenario", "export", src, "ninh-binh-2024", "--gpkg", str(gpkg_out),
                     "--report", str(report)]) == 0
        outputs[kind] = (gpkg_out, report)
    assert outputs["postgis"][1].read_text() == outputs["gpkg"][1].read_text()
    for name in ["plots", "parks", "scenario_changes", "scenario_info"]:
        got, want = (source.read_layer(outputs[k][0], name) for k in ("postgis", "gpkg"))
        assert got.equals(want), name
    info = {k: source.read_dataset_info(outputs[k][0]) for k in outputs}
    assert info["gpkg"].pop("scenario_source") == "ninh_binh.gpkg"
    assert info["postgis"].pop("scenario_source") == f"PostGIS {pg_db}/ninh_binh"
    assert info["postgis"] == info["gpkg"]
    assert len(source.read_layer(outputs["gpkg"][0], "scenario_changes")) > 0


def test_an_officer_saves_scenarios_after_db_init(pg_cluster, pg_db, pg_url):
    assert main(["db", "init", pg_url]) == 0  # as the owner: creates the scenario tables too
    source.write_plan(pg_url, tiny_plan())
    with pg_cluster.connect(pg_db) as conn:
        conn.execute("CREATE ROLE lan LOGIN IN ROLE kcn_officer")
    officer = pg_cluster.url(pg_db, user="lan", province="bac_ninh")
    store = ScenarioStore(officer)
    assert store.ids() == []
    saved = store.save(_scenario())
    with pytest.raises(StaleScenarioError):
        store.save(saved.replace(version=0))  # the id is taken
    assert ScenarioStore(pg_url).open("mo-rong") == saved
