"""Province maps: each view draws the 34 outlines coloured by the run's province outputs, labelled
with what, units, period and runs; replicates average; a synthetic country is refused by name."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.image import imread

from aidflow_analysis import AidflowError, ProvinceMapError, maps, open_run, report
from aidflow_analysis.data_files import data_candidates
from conftest import BASELINE

PROVINCES = 34
VIEWS = [("aid_delivered", None), ("aid_per_person", None), ("diverted", None),
         ("diverted", "haqqani"), ("influence", "isis_khorasan"), ("people_in_need", None),
         ("need_share", None), ("attacks", None), ("attacks", "isis_khorasan")]


@pytest.fixture(scope="module")
def two_seeds(replicates):
    """Two of the shared short status-quo replicates (conftest), seeds 1 and 2."""
    return [open_run(path) for path in replicates[0][:2]]


def provinces_of(fig):
    """The map's province patches (the collection maps.draw tags `provinces`)."""
    found = map_collections(fig)
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("indicator, faction", VIEWS)
def test_each_view_is_a_labelled_image_of_the_34_provinces(run, indicator, faction, tmp_path):
    fig = maps.province_map(run, indicator, start="2022-02-01", end="2022-09-30", faction=faction)
    patches = provinces_of(fig)
    assert len(patches.get_paths()) == PROVINCES
    colours = np.ma.getdata(patches.get_array()).astype(float)
    assert np.isfinite(colours).all()
    norm = patches.norm
    assert ((colours >= norm.vmin - 1e-9) & (colours <= norm.vmax + 1e-9)).all(), \
        "every province inside the colour bar's range"
    title = fig.axes[0].get_title()
    values = maps.province_values(run, indicator, "2022-02-01", "2022-09-30", faction)
    assert values.title in title and values.period in title and run.title in title
    assert values.period.startswith("2022-02-07") and "(34 weeks)" in values.period
    bar_label = fig.axes[1].get_ylabel()
    assert bar_label and bar_label in title, "the colour bar names the units the title gives"
    names = {t.get_text() for t in fig.axes[0].texts}
    assert {"Kabul", "Nangarhar", "Kandahar", "Hirat", "Paktya"} <= names
    png = tmp_path / "map.png"
    fig.savefig(png, dpi=60)
    pixels = imread(png)[..., :3]
    assert pixels.shape[0] > 200 and pixels.std() > 0.05, "a drawn image, not a blank one"


def test_values_are_the_province_outputs_over_the_period(run):
    ds = run.indicators
    weeks = (ds.time >= np.datetime64("2022-03-01")) & (ds.time <= np.datetime64("2022-06-30"))
    aid = maps.province_values(run, "aid_delivered", "2022-03-01", "2022-06-30").values
    expected = ds.province_aid_delivered.isel(time=weeks.values).sum("time").to_pandas() / 100
    pd.testing.assert_series_equal(aid, expected.astype(float), check_names=False)
    influence = maps.province_values(run, "influence", faction="haqqani").values
    pd.testing.assert_series_equal(
        influence, ds.province_influence.sel(faction="haqqani").mean("time").to_pandas(),
        check_names=False)
    share = maps.province_values(run, "need_share").values
    assert ((share > 0) & (share <= 1)).all()
    # All factions together: the province diversion, which is everything but ministry capture.
    diverted = maps.province_values(run, "diverted").values.sum()
    local = ds.diverted.drop_sel(mechanism="ministry_capture").sum() / 100
    assert diverted == pytest.approx(float(local), rel=1e-12)


def test_replicates_average_and_the_title_says_so(two_seeds):
    both = maps.province_values(two_seeds, "attacks", faction="isis_khorasan")
    one = [maps.province_values(r, "attacks", faction="isis_khorasan").values for r in two_seeds]
    pd.testing.assert_series_equal(both.values, (one[0] + one[1]) / 2, check_names=False)
    assert "mean of 2 replicates (seeds 1, 2)" in both.runs
    fig = maps.faction_maps(two_seeds, "diverted", ["haqqani", "isis_khorasan"])
    assert "mean of 2 replicates (seeds 1, 2)" in fig._suptitle.get_text()
    assert [len(c.get_paths()) for c in map_collections(fig)] == [PROVINCES] * 2


def map_collections(fig):
    """The province patches of every map of a figure (a grid has several)."""
    return [c for ax in fig.axes for c in ax.collections if c.get_gid() == "provinces"]


def test_difference_map_is_centred_on_zero(two_seeds):
    fig = maps.difference_map(two_seeds[:1], two_seeds[1:], "people_in_need")
    patches = provinces_of(fig)
    assert patches.norm.vcenter == 0 and patches.norm.vmin == -patches.norm.vmax
    assert "minus" in fig.axes[0].get_title()


def test_overview_has_one_map_per_indicator(run):
    fig = maps.overview(run)
    assert len(map_collections(fig)) == len(maps.OVERVIEW)


def test_north_is_up_and_east_is_right(run):
    shapes = maps.outlines()
    centre = {p: shapes[p].geometry.representative_point() for p in ("AF01", "AF27", "AF32", "AF15")}
    kabul, kandahar, herat, badakhshan = (centre[p] for p in ("AF01", "AF27", "AF32", "AF15"))
    assert kandahar.y < kabul.y < badakhshan.y and herat.x < kandahar.x < kabul.x
    assert set(shapes) == set(run.indicators.province.values)


def test_outlines_come_from_the_installed_data(run):
    import aidflow_analysis
    installed = Path(aidflow_analysis.__file__).resolve().parent
    found = maps.outlines_file()
    assert found in data_candidates("provinces.geojson")
    assert found.is_relative_to(installed.parents[3]), "the copy installed with the package"


@pytest.fixture(scope="module")
def synthetic(run_aidflow, tmp_path_factory):
    """A short run of the status quo on the seeded synthetic country (provinces P1, P2, ...)."""
    scenario = yaml.safe_load(BASELINE.read_text())
    scenario["name"] = "synthetic_country"
    scenario["geography"] = {"source": "synthetic", "baseline_need": 0.55}
    scenario.pop("returns")  # crossings are named by province code
    for faction in scenario["factions"]:
        faction.pop("influence_by_province", None)
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.yaml"
    path.write_text(yaml.safe_dump(scenario, width=10**6))
    return run_aidflow("synthetic", "--set", "run.households=500", scenario=str(path))


def test_a_synthetic_country_cannot_be_mapped_and_the_error_names_the_file(synthetic):
    with pytest.raises(ProvinceMapError, match=rf"^{synthetic}: provinces P1, P2, .* no outline "
                                               r"in \S*provinces\.geojson.*synthetic"):
        maps.province_map(synthetic, "aid_delivered")


def test_the_report_of_a_synthetic_country_says_why_it_has_no_maps(synthetic):
    page = report.build_report([synthetic], baseline="synthetic_country")
    assert f"No province maps: {synthetic}: provinces P1" in page
    assert "<h3>Diverted aid by faction</h3>" not in page


def test_a_run_without_province_outputs_names_what_is_missing(run):
    stripped = run.replace(indicators=run.indicators.drop_vars("province_attacks"))
    with pytest.raises(ProvinceMapError, match=rf"^{run.path}: no `province_attacks`"):
        maps.province_map(stripped, "attacks")


def test_a_period_without_weeks_is_refused(run):
    with pytest.raises(AidflowError, match="no week starts between 2030-01-01 and the end"):
        maps.province_values(run, "aid_delivered", start="2030-01-01")


def test_an_outline_file_without_codes_or_polygons_is_refused_with_the_feature(tmp_path):
    square = {"type": "Polygon", "coordinates": [[[66, 34], [67, 34], [67, 35], [66, 34]]]}
    no_code = tmp_path / "no_code.geojson"
    no_code.write_text(json.dumps({"features": [{"properties": {"name": "X"}, "geometry": square}]}))
    with pytest.raises(ProvinceMapError, match=r"no_code\.geojson: feature 0 has no `pcode`"):
        maps.outlines(no_code)
    no_shape = tmp_path / "no_shape.geojson"
    no_shape.write_text(json.dumps({"features": [{"properties": {"pcode": "AF01"}, "geometry": None}]}))
    with pytest.raises(ProvinceMapError, match=r"no_shape\.geojson: feature 0 \(AF01\): no polygon"):
        maps.outlines(no_shape)
