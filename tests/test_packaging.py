"""environment.yml and pyproject.toml install the same dependencies."""

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent


def test_environment_yml_and_pyproject_dependencies_agree():
    """The conda environment is the whole kit: the core, PostgreSQL and Dask."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = set(project["dependencies"]) | set(extras["postgres"]) | set(extras["dask"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert set(pip) - {"-e ."} == wanted
    assert "python=3.11" in environment["dependencies"]


def test_dask_is_an_optional_extra():
    """``pip install cpkit`` brings no Dask; ``cpkit[dask]`` does, and ``make install``
    installs that extra so the Dask tests run."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.startswith(("dask", "distributed"))]
    assert project["optional-dependencies"]["dask"] == ["dask[distributed]>=2024.1"]
    make_install = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                        if "pip install" in line and "-e " in line)
    assert "dask" in make_install and "docs" in make_install


def test_dask_is_imported_only_where_used():
    """No cpkit module imports dask or distributed at module level: without the extra,
    everything but ``--scheduler`` works, and that says to ``pip install 'cpkit[dask]'``."""
    import ast

    offenders = []
    for module in (ROOT / "cpkit").rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only; imports inside functions are lazy
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in {"dask", "distributed"} for n in names):
                offenders.append(str(module.relative_to(ROOT)))
    assert not offenders
    assert "pip install 'cpkit[dask]'" in (ROOT / "cpkit/reports/batch.py").read_text()


def test_no_iri_grammar_is_compiled_where_a_form_or_a_report_starts():
    """A form's kernel imports Voila's ``wait_for_request``, a report validates its
    notebook: both import jsonschema, which from 4.24 brings rfc3987-syntax and its 3 s of
    grammar compiling per process.  The pin in pyproject.toml keeps it out."""
    import subprocess
    import sys

    probe = ("import sys, nbformat, voila.utils\n"
             "nbformat.validate(nbformat.v4.new_notebook())\n"
             "print(sorted(m for m in sys.modules\n"
             "             if m.split('.')[0] in ('rfc3987_syntax', 'lark')))")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert found == "[]"


USER_FACING = ("forms", "notebooks", "reports")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".ipynb_checkpoints" not in p.parts}


def test_top_level_folders_are_the_packaged_ones():
    """forms/, notebooks/, reports/ are what users open; cpkit runs the packaged copies."""
    from cpkit import resources

    for name in USER_FACING:
        top, packaged = _files(ROOT / name), _files(resources.path(name))
        assert packaged, f"cpkit/resources/{name} is empty"
        assert top == packaged, f"{name}/ and cpkit/resources/{name}/ differ"


def test_package_data_declared_for_every_resource():
    """Every file under cpkit/resources/ matches a package-data pattern (else a wheel lacks it)."""
    from fnmatch import fnmatch

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["cpkit"]
    package = ROOT / "cpkit"
    missing = [str(p.relative_to(package)) for p in (package / "resources").rglob("*")
               if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
               and not any(fnmatch(str(p.relative_to(package)), pat) for pat in patterns)]
    assert not missing


def test_nothing_reads_the_checkout_at_run_time():
    """No module finds files relative to the repository root or under tests/."""
    offenders = []
    for module in (ROOT / "cpkit").rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        for needle in ("parents[1]", "parents[2]", "parent.parent.parent", '"tests"',
                       "tests/fixtures", '"notebooks" /', '"forms" /'):
            if needle in text:
                offenders.append(f"{module.relative_to(ROOT)}: {needle}")
    assert not offenders


def test_test_file_names_are_unique():
    """Test folders are not packages: two test files of one name would shadow each other
    (pytest refuses the second one), so every name is used once."""
    from collections import Counter

    names = Counter(p.name for p in (ROOT / "tests").rglob("test_*.py"))
    assert [n for n, count in names.items() if count > 1] == []
