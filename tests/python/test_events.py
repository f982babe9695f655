"""The event table as users read it: xarray (both engines), netCDF4, and aidflow_analysis.events.

The file comes from tests/io/write_event_fixture.cpp; expected values repeat the formula of
tests/support/event_fixture.hpp.
"""
import shutil

import h5py
import netCDF4
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import aidflow_analysis as aa

N = 2500
START = np.datetime64("2021-01-04")
KINDS = ["attack", "ministry_change", "aid_suspended"]
FACTIONS = ["taliban", "haqqani", "isis_k"]


def expected() -> pd.DataFrame:
    i = np.arange(N)
    executor = i % 4 - 1  # -1: no executor
    return pd.DataFrame(
        {
            "step": i // 50,
            "kind": pd.Categorical.from_codes(i % 3, KINDS),
            "executor": pd.Categorical.from_codes(executor, FACTIONS),
            "casualties": (i * 7) % 101,
            "severity": (i % 10) / 10.0,
            "time": START + (i // 50) * 7 * np.timedelta64(1, "D"),
        },
        index=pd.Index(i, name="event"),
    )


@pytest.fixture(scope="module")
def events_file(write_event_file):
    return write_event_file(str(N))


@pytest.fixture(scope="module")
def empty_file(write_event_file):
    return write_event_file("0")


@pytest.mark.parametrize("engine", ["h5netcdf", "netcdf4"])
def test_xarray_opens_the_event_group(events_file, engine):
    ds = xr.load_dataset(events_file, engine=engine, group="events")
    assert ds.sizes["event"] == N
    np.testing.assert_array_equal(ds["event"].values, np.arange(N))
    want = expected()
    # CF decoding: -1 is the fill value, so category codes come back as float with NaN for "none".
    np.testing.assert_array_equal(ds["executor"].values, want["executor"].cat.codes.replace(-1, np.nan))
    np.testing.assert_array_equal(ds["time"].values, want["time"].values)
    assert ds["casualties"].dtype == np.int64
    assert ds["executor"].attrs["flag_meanings"] == " ".join(FACTIONS)
    np.testing.assert_array_equal(ds["executor"].attrs["flag_values"], [0, 1, 2])
    assert ds["executor"].encoding["_FillValue"] == -1


def test_netcdf4_sees_an_unlimited_dimension_and_masks_none(events_file):
    with netCDF4.Dataset(events_file) as nc:
        group = nc["events"]
        assert group.dimensions["event"].isunlimited()
        assert len(group.dimensions["event"]) == N
        executor = group["executor"][:8]
        assert list(np.ma.getmaskarray(executor)) == [True, False, False, False] * 2
        assert list(executor.compressed()) == [0, 1, 2, 0, 1, 2]
        assert group["kind"].getncattr("_FillValue") == -1


@pytest.mark.parametrize("engine", ["h5netcdf", "netcdf4"])
def test_an_empty_table_opens_with_zero_events(empty_file, engine):
    ds = xr.load_dataset(empty_file, engine=engine, group="events")
    assert ds.sizes["event"] == 0
    assert set(ds.data_vars) == {"step", "kind", "executor", "casualties", "severity", "time"}


def test_events_frame_has_every_value_with_names_and_dates(events_file):
    got = aa.events(events_file)
    want = expected()
    pd.testing.assert_frame_equal(got, want)
    assert got["executor"].isna().sum() == N // 4
    assert got["step"].dtype == np.int64 and got["casualties"].dtype == np.int64


def test_events_from_a_run_match_events_from_the_path(events_file):
    run = aa.open_run(events_file)
    assert run.events.sizes["event"] == N
    pd.testing.assert_frame_equal(aa.events(run), aa.events(events_file))


def test_empty_table_gives_an_empty_frame_with_typed_columns(empty_file):
    got = aa.events(empty_file)
    assert len(got) == 0
    assert list(got.columns) == list(expected().columns)
    assert list(got["kind"].cat.categories) == KINDS
    assert got["time"].dtype.kind == "M"


def test_a_run_without_an_event_group_has_no_events(write_event_file):
    path = write_event_file("none")
    run = aa.open_run(path)
    assert run.events is None
    assert aa.events(run).empty and aa.events(path).empty


def test_events_refuses_an_unfinished_run(events_file, tmp_path):
    partial = tmp_path / "partial.h5"
    shutil.copy(events_file, partial)
    with h5py.File(partial, "r+") as f:
        f.attrs["status"] = "running"
    with pytest.raises(ValueError, match="not 'complete'"):
        aa.events(partial)


def test_a_code_outside_flag_values_is_an_error_not_a_silent_gap(events_file):
    run = aa.open_run(events_file)
    kind = run.events["kind"]
    bad = run.events.assign(kind=kind.copy(data=np.where(kind == 2, 7.0, kind)))
    with pytest.raises(ValueError, match=r"codes \[7.0\]"):
        aa.events(run.replace(events=bad))


def test_an_integer_column_made_float_by_a_fill_value_is_integer_again(events_file):
    # Our plain columns have no fill value, but a reader must not depend on it: xarray gives
    # float for any int64 variable with _FillValue, even when nothing is missing.
    run = aa.open_run(events_file)
    casualties = run.events["casualties"]
    as_float = casualties.astype(float)
    as_float.encoding = dict(casualties.encoding, dtype=np.dtype("int64"), _FillValue=-1)
    got = aa.events(run.replace(events=run.events.assign(casualties=as_float)))
    assert got["casualties"].dtype == np.int64
    pd.testing.assert_series_equal(got["casualties"], expected()["casualties"])
    with_gap = as_float.copy(data=np.where(np.arange(N) == 5, np.nan, as_float))
    with_gap.encoding = as_float.encoding
    got = aa.events(run.replace(events=run.events.assign(casualties=with_gap)))
    assert got["casualties"].dtype == np.float64 and got["casualties"].isna().sum() == 1
