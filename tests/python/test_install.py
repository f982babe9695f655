"""`cmake --install` puts each part where its user finds it: `aidflow` in P/bin, the scenario
library and docs in P/share/aidflow, and aidflow_analysis where Debian's /usr/bin/python3
imports it for that prefix; `scenarios/run_baseline.sh` ends with the installed command; and the
tests refuse a package that is not an up-to-date installed copy."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PACKAGE_SOURCE, REPO_ROOT

PYTHON = "/usr/bin/python3"  # Debian's: the one the install rules serve
VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"
SCRIPT = REPO_ROOT / "analysis" / "install_package.cmake"


def run(cmd, **kwargs):
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, f"{cmd} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def debian_sys_path(env=None):
    return run([PYTHON, "-c", "import sys; print('\\n'.join(sys.path))"], env=env,
               cwd="/").stdout.split()


def test_python_version_matches_debian():
    assert run([PYTHON, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).stdout.strip() == VERSION


def test_default_prefix_puts_everything_where_debian_looks(build_dir, tmp_path):
    """Installed under DESTDIR with the default prefix /usr/local, so nothing on this machine
    changes: the package lands in a directory Debian's python3 searches."""
    root = tmp_path / "root"
    run(["cmake", "--install", build_dir, "--prefix", "/usr/local"],
        env=dict(os.environ, DESTDIR=str(root)))
    local = root / "usr" / "local"
    assert os.access(local / "bin" / "aidflow", os.X_OK)
    assert run([local / "bin" / "aidflow", "--version"], cwd=tmp_path).stdout.startswith("aidflow ")
    share = local / "share" / "aidflow"
    for part in ("README.md", "docs/OUTPUT.md", "docs/SWEEPS.md", "scenarios/status_quo.yaml",
                 "scenarios/sweeps/robustness.yaml", "scenarios/run_baseline.sh"):
        assert (share / part).is_file(), part
    site = f"/usr/local/lib/python{VERSION}/dist-packages"
    installed = root / site.lstrip("/") / "aidflow_analysis"
    modules = [p.name for p in installed.glob("_engine*.so")]
    assert len(modules) == 1, "the compiled module (aidflow_analysis.run) is installed with it"
    assert {p.name for p in installed.iterdir()} - set(modules) == {
        p.name for p in PACKAGE_SOURCE.iterdir() if p.name != "__pycache__"}
    assert site in debian_sys_path(), "Debian's python3 would not find the package"


def test_user_prefix_is_debians_user_site(build_dir, tmp_path):
    """--prefix $HOME/.local: python3 imports the package from any directory, nothing set."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["HOME"] = str(home)
    run(["cmake", "--install", build_dir, "--prefix", home / ".local"], env=env)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = run([PYTHON, "-c", "import aidflow_analysis; print(aidflow_analysis.__file__)"],
                env=env, cwd=elsewhere).stdout.strip()
    assert Path(found) == home / ".local" / f"lib/python{VERSION}/site-packages/aidflow_analysis/__init__.py"
    assert run([home / ".local" / "bin" / "aidflow", "--version"], cwd=elsewhere).returncode == 0


@pytest.mark.parametrize("prefix, override, expected", [
    ("/usr", "", "usr/lib/python3/dist-packages"),
    ("/usr/local", "", f"usr/local/lib/python{VERSION}/dist-packages"),
    ("/opt/aidflow", "", f"opt/aidflow/lib/python{VERSION}/site-packages"),
    ("/opt/aidflow", "python", "opt/aidflow/python"),
    ("/opt/aidflow", "/srv/python", "srv/python"),
])
def test_package_directory_by_prefix_and_override(tmp_path, prefix, override, expected):
    """The install script alone (what `cmake --install` runs), with AIDFLOW_PYTHON_INSTALL_DIR
    as the cache variable passes it; an older copy is replaced whole."""
    root = tmp_path / "root"
    stale = root / expected / "aidflow_analysis" / "compare.py"
    stale.parent.mkdir(parents=True)
    stale.write_text("# a module since renamed\n")
    run(["cmake", f"-DCMAKE_INSTALL_PREFIX={prefix}", f"-DAIDFLOW_PACKAGE_SOURCE={PACKAGE_SOURCE}",
         f"-DAIDFLOW_PYTHON={PYTHON}", f"-DAIDFLOW_PYTHON_VERSION={VERSION}",
         f"-DAIDFLOW_PYTHON_INSTALL_DIR={override}", "-P", SCRIPT],
        env=dict(os.environ, DESTDIR=str(root)))
    package = root / expected / "aidflow_analysis"
    assert (package / "__init__.py").is_file() and (package / "py.typed").is_file()
    assert not stale.exists(), "a module left from an older install could still be imported"


def test_run_baseline_ends_with_the_installed_command(tmp_path):
    """The README's first command, installing into a private prefix instead of /usr/local."""
    prefix, out = tmp_path / "prefix", tmp_path / "out" / "baseline.h5"
    env = dict(os.environ, AIDFLOW_PREFIX=str(prefix), AIDFLOW_OUT=str(out))
    done = run(["bash", REPO_ROOT / "scenarios" / "run_baseline.sh", "--steps", "4",
                "--set", "run.households=500"], env=env, cwd=tmp_path)
    assert str(out) in done.stdout, done.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert run([prefix / "bin" / "aidflow", "--version"], cwd=elsewhere).stdout.startswith("aidflow ")
    site = prefix / f"lib/python{VERSION}/site-packages"
    opened = run([PYTHON, "-c", f"import aidflow_analysis as aa; print(aa.open_run({str(out)!r}).attrs['status'])"],
                 env=dict(os.environ, PYTHONPATH=str(site)), cwd=elsewhere)
    assert opened.stdout.strip() == "complete"


def collect_with(package_dir, tmp_path):
    """pytest started on this file with `package_dir` first on PYTHONPATH: the conftest's check."""
    env = dict(os.environ, PYTHONPATH=str(package_dir))
    return subprocess.run([PYTHON, "-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider",
                           str(Path(__file__))], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=300)


def test_the_tests_refuse_the_source_tree(tmp_path):
    done = collect_with(PACKAGE_SOURCE.parent, tmp_path)
    assert done.returncode != 0
    assert "imported from the source tree" in done.stderr + done.stdout


def test_the_tests_refuse_a_stale_installed_copy(tmp_path):
    import aidflow_analysis

    site = tmp_path / "site"
    shutil.copytree(Path(aidflow_analysis.__file__).parent, site / "aidflow_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    assert collect_with(site, tmp_path).returncode == 0, "an exact copy passes"
    with open(site / "aidflow_analysis" / "units.py", "a") as f:
        f.write("# edited after the install\n")
    (site / "aidflow_analysis" / "compare.py").write_text("# left by an older install\n")
    done = collect_with(site, tmp_path)
    assert done.returncode != 0
    message = done.stderr + done.stdout
    assert "is stale" in message and "differ: units.py" in message, message
    assert "not in the source: compare.py" in message, message
