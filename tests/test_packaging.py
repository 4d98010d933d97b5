"""environment.yml and pyproject.toml install the same dependencies."""

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent


def test_environment_yml_and_pyproject_dependencies_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["postgres"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert set(pip) - {"-e ."} == wanted
    assert "python=3.11" in environment["dependencies"]
