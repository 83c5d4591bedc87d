"""What the test settings change stays safe in production, and every import is a declared need.

- The tests hash passwords with a fast hasher (knipa.settings_for_tests); production must still
  hash them with Argon2.
- Every third-party package Knipa's code imports is named in pyproject.toml's dependencies, and
  every one the tests import in the dependencies or the [test] extra: a package that only arrives
  as some other package's dependency can disappear with that package's next release.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from knipa import settings as production

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long enough Passw0rd for production"


@pytest.mark.django_db
def test_production_stores_passwords_as_argon2_hashes_though_the_tests_use_a_fast_hasher(settings):
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.PASSWORD_HASHERS != production.PASSWORD_HASHERS  # else the suite is slow again

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        get_user_model().objects.create_user(username="stored", password=PASSWORD)
        stored = get_user_model().objects.get(username="stored")
        assert stored.password.startswith("argon2$argon2id$")
        assert stored.check_password(PASSWORD)
        assert not stored.check_password(PASSWORD + "!")


# --- Dependencies -------------------------------------------------------------------------------


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def _requirement_names(requirements: list[str]) -> set[str]:
    # The distribution name is what a requirement starts with, before any extras, version or marker.
    return {_normalised(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line).group(1)) for line in requirements}


def _declared(*extras: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    return _requirement_names(requirements)


def _imported_top_level_names(folder: Path) -> dict[str, set[str]]:
    """Every top-level module name imported anywhere in `folder`'s Python files: {name: {files}}.

    Imports inside functions count too: a lazy import is still a dependency.
    """
    imported: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                imported.setdefault(name.partition(".")[0], set()).add(str(path.relative_to(ROOT)))
    return imported


def _undeclared(folder: Path, own_packages: set[str], declared: set[str]) -> list[str]:
    distributions = packages_distributions()
    problems = []
    for name, files in sorted(_imported_top_level_names(folder).items()):
        if name in sys.stdlib_module_names or name in own_packages:
            continue
        where = ", ".join(sorted(files)[:3])
        providers = {_normalised(dist) for dist in distributions.get(name, [])}
        if not providers:
            problems.append(f"{name} (imported in {where}) is not installed: which package provides it?")
        elif not providers & declared:
            problems.append(f"{name} (imported in {where}) comes from {', '.join(sorted(providers))}, not declared")
    return problems


def test_every_package_knipa_imports_is_a_declared_dependency():
    problems = _undeclared(ROOT / "knipa", {"knipa"}, _declared())
    assert not problems, "add to [project].dependencies in pyproject.toml, with why:\n" + "\n".join(problems)


def test_every_package_the_tests_import_is_declared_for_them():
    # `conftest` is pytest's name for the tests' own conftest.py files.
    problems = _undeclared(ROOT / "tests", {"knipa", "tests", "conftest"}, _declared("test"))
    assert not problems, "add to pyproject.toml's dependencies or [test] extra, with why:\n" + "\n".join(problems)


def test_the_dependency_check_sees_an_undeclared_import(tmp_path, monkeypatch):
    # Guards the check itself: a file importing an installed but undeclared package is reported,
    # and the standard library and Knipa's own modules are not.
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "module.py").write_text(
        "import json\nfrom knipa import settings\n\ndef later():\n    import pytest\n", encoding="utf-8"
    )
    problems = _undeclared(tmp_path / "code", {"knipa"}, {"django"})
    assert len(problems) == 1 and problems[0].startswith("pytest (imported in code/module.py)"), problems
