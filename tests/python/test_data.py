"""The shipped tables in data/ agree with each other and with data/README.md: 34 provinces with
OCHA codes, districts that sum to their province, outlines for every province, dated targets
that each name a source."""
from __future__ import annotations

import csv
import json
import re
from datetime import date

import pytest

from conftest import REPO_ROOT

DATA = REPO_ROOT / "data"
POPULATION = ("total", "urban", "rural", "female", "male")


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def provinces():
    return {r["pcode"]: r for r in rows("provinces.csv")}


def test_provinces_are_the_34_with_ocha_codes(provinces):
    assert sorted(provinces) == [f"AF{i:02d}" for i in range(1, 35)]
    assert all(re.fullmatch(r"AF-[A-Z]{3}", r["iso_3166_2"]) for r in provinces.values())


def test_districts_sum_to_their_province_in_every_population_column(provinces):
    districts = rows("districts.csv")
    assert len(districts) == 421
    sums = {p: dict.fromkeys(POPULATION, 0) for p in provinces}
    for d in districts:
        assert d["province_pcode"] in provinces, d["cso_code_1398"]
        assert int(d["pop_total"]) == int(d["pop_female"]) + int(d["pop_male"]), d["cso_code_1398"]
        for column in POPULATION:
            sums[d["province_pcode"]][column] += int(d[f"pop_{column}"])
    for pcode, province in provinces.items():
        for column in POPULATION:
            assert sums[pcode][column] == int(province[f"pop_cso_1398_{column}"]), (pcode, column)
    assert sum(int(p["pop_cso_1398_total"]) for p in provinces.values()) == 30_725_560


def test_every_province_has_one_outline(provinces):
    outlines = json.loads((DATA / "provinces.geojson").read_text())
    codes = [f["properties"]["pcode"] for f in outlines["features"]]
    assert sorted(codes) == sorted(provinces)
    assert {f["geometry"]["type"] for f in outlines["features"]} == {"Polygon"}


def test_every_target_is_dated_and_names_a_source():
    targets = rows("targets.csv")
    assert len(targets) == 110
    for t in targets:
        assert date.fromisoformat(t["period_start"]) <= date.fromisoformat(t["period_end"]), t
        float(t["value"])
        assert t["unit"] and t["source"], t


def test_the_readme_states_the_row_counts():
    text = (DATA / "README.md").read_text()
    for name, count in (("provinces.csv", 34), ("districts.csv", 421), ("targets.csv", 110)):
        assert f"| `{name}` | {count} |" in text, name
