"""Units as a person reads them: dollars (never cents), whole people, percent.

Files keep money in integer cents so the ledger is exact (`CENTS`, docs/OUTPUT.md); everything a
person reads — tables, axis labels, report cells — goes through here, so money always shows as
dollars in a size chosen by magnitude ("USD millions"), counts of people as whole numbers and
shares as percent.
"""
from __future__ import annotations

import math
from typing import Iterable, Tuple, Union, overload

import numpy as np
import xarray as xr

from .file_format import MONEY_UNITS

CENTS = MONEY_UNITS  # the `units` attribute of money in a run file (file_format.json)
USD = "USD"
SHARE = "1"  # CF's unit of a dimensionless quantity: a share, shown as percent
COUNTS = ("people", "attacks")  # whole things: shown without decimals

# Sizes by which numbers are shown: (divisor, name), largest first.
_SIZES = ((1e12, "trillions"), (1e9, "billions"), (1e6, "millions"), (1e3, "thousands"))


@overload
def to_usd(data: xr.Dataset) -> xr.Dataset: ...
@overload
def to_usd(data: xr.DataArray) -> xr.DataArray: ...
def to_usd(data: Union[xr.Dataset, xr.DataArray]) -> Union[xr.Dataset, xr.DataArray]:
    """Every variable stored in integer cents as float dollars (units "USD"); others unchanged.

    The file keeps cents so the ledger is exact; dollars are only for reading. float64 is exact
    up to about 90 trillion dollars, far above any aid budget.
    """
    if isinstance(data, xr.DataArray):
        if data.attrs.get("units") != CENTS:
            return data
        return (data / 100).assign_attrs(data.attrs, units=USD)
    return data.assign({name: to_usd(var) for name, var in data.data_vars.items()})


def display_units(units: str) -> str:
    """The units a reader is shown for a file's `units` attribute (cents are shown as dollars)."""
    return USD if units == CENTS else units


def scale_for(values: Union[float, Iterable[float], np.ndarray], units: str) -> Tuple[float, str]:
    """(divisor, axis label) for showing `values` of `units`: "USD millions" for money in the
    millions, "thousand people" for people in the thousands, "%" for shares, else the units.

    Chosen by the largest magnitude among the finite values, so a whole axis shares one size.
    """
    if units == SHARE:
        return 0.01, "%"
    array = np.abs(np.asarray(values, dtype=float))
    finite = array[np.isfinite(array)]
    largest = float(finite.max()) if finite.size else 0.0
    for divisor, name in _SIZES:
        if largest >= divisor:
            return divisor, _scaled_label(name, units)
    return 1.0, units


def _scaled_label(size: str, units: str) -> str:
    if units == USD:
        return f"USD {size}"  # "USD millions", as budgets are written
    return f"{size[:-1]} {units}".strip() if units else size  # "thousand people"


def scale_label(divisor: float, units: str) -> str:
    """The axis label for `units` divided by `divisor` (1e6: "USD millions")."""
    if divisor == 1:
        return units
    for size, name in _SIZES:
        if math.isclose(divisor, size):
            return _scaled_label(name, units)
    return f"{units} / {divisor:g}"


def format_value(value: float, units: str, sign: bool = False) -> str:
    """One number for a person: "$3.48 billion", "12,345 people", "27.3%", "+$41.2 million".

    Money under a million shows whole dollars; counts show no decimals; shares show percent with
    one decimal (differences of shares in percentage points: pass `units="pp"`). A value that
    rounds to zero shows no sign ("0 people", never "-0 people").
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    text = _unsigned(abs(float(value)), units)
    if not any(c in "123456789" for c in text.split(" ")[0]):
        return text
    if value < 0:
        return f"-{text}"
    return f"+{text}" if sign else text


def _unsigned(size: float, units: str) -> str:
    """`format_value` of a magnitude, without its sign."""
    if units in (USD, CENTS):
        size = size / 100 if units == CENTS else size
        for divisor, name in _SIZES[:3]:
            if size >= divisor:
                return f"${size / divisor:,.2f} {name[:-1]}"
        return f"${size:,.0f}"
    if units == SHARE:
        return f"{size * 100:.1f}%"
    if units == "pp":
        return f"{size * 100:.1f} pp"
    if units == "%":
        return f"{size:.1f}%"
    if units in COUNTS:
        return f"{size:,.0f} {units}"
    return f"{size:,.4g} {units}".rstrip()
