"""The package's public API: every name exported from the top level, documented, and no module
hidden behind a function of its name (`import aidflow_analysis.compare` once gave a function)."""
import importlib
import inspect
import pkgutil
import types

import aidflow_analysis as aa

PUBLIC = {"open_run", "open_runs", "open_sweep", "compare", "compare_table", "flow", "stock",
          "level", "plots", "events", "ledger", "AidflowError", "AidflowFileError",
          "FormatVersionError", "aid_outcomes", "diversion_table", "donor_faction_shares"}


def test_the_public_api_is_exported_from_the_top_level():
    assert PUBLIC <= set(aa.__all__)
    for name in aa.__all__:
        assert hasattr(aa, name), name


def test_every_public_name_has_a_docstring():
    for name in aa.__all__:
        value = getattr(aa, name)
        if callable(value) or isinstance(value, types.ModuleType):
            assert inspect.getdoc(value), f"{name} has no docstring"


def test_no_module_is_shadowed_by_a_name_of_the_package():
    for module in pkgutil.iter_modules(aa.__path__):
        imported = importlib.import_module(f"aidflow_analysis.{module.name}")
        assert isinstance(imported, types.ModuleType)
        attribute = getattr(aa, module.name, imported)
        assert attribute is imported, f"aidflow_analysis.{module.name} is a {type(attribute).__name__}"


def test_errors_form_one_family():
    assert issubclass(aa.AidflowFileError, aa.AidflowError)
    assert issubclass(aa.FormatVersionError, aa.AidflowFileError)
    assert issubclass(aa.ComparisonError, aa.AidflowError)
    assert issubclass(aa.AidflowFileError, ValueError), "callers catching ValueError keep working"
