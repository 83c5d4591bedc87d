"""Django's deployment checks pass with the production settings docs/hosting.md gives.

`knipa manage check --deploy` runs with docs/deploy/knipa.env (the data directory moved to a
temporary one): as written for a clinic, and with the region's lines switched on. Two checks are
silenced in knipa/settings.py, with the reason there and in docs/hosting.md (HSTS for subdomains
and preloading are the domain owner's promise to make, not Knipa's).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ENV_FILE = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "knipa.env"


def documented_settings(*, region: bool) -> dict[str, str]:
    settings = {}
    for line in ENV_FILE.read_text().splitlines():
        if region and line.startswith("#KNIPA_"):
            line = line[1:]
        if line.startswith("KNIPA_"):
            name, _, value = line.partition("=")
            settings[name] = value
    return settings


def deploy_check(tmp_path: Path, settings: dict[str, str]) -> subprocess.CompletedProcess:
    # Not the test process's own settings, nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE
    # (tests/e2e/conftest.py sets it in this process; production never has it).
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("KNIPA_") and name not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(settings, KNIPA_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run(
        [sys.executable, "-m", "knipa", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_the_documented_clinic_settings_pass_the_deployment_checks(tmp_path):
    settings = documented_settings(region=False)
    assert settings["KNIPA_BEHIND_HTTPS_PROXY"] == "true" and "KNIPA_DATABASE_URL" not in settings
    result = deploy_check(tmp_path, settings)
    assert result.returncode == 0 and "no issues" in result.stdout, result.stdout + result.stderr


def test_the_documented_region_settings_pass_the_deployment_checks(tmp_path):
    settings = documented_settings(region=True)
    assert settings["KNIPA_DATABASE_URL"].startswith("postgres://") and settings["KNIPA_SECRET_KEY"] == ""
    settings["KNIPA_SECRET_KEY"] = secrets.token_urlsafe(50)  # as the file says to make it
    result = deploy_check(tmp_path, settings)
    assert result.returncode == 0 and "no issues" in result.stdout, result.stdout + result.stderr


def test_without_the_proxy_settings_the_checks_do_complain(tmp_path):
    # So the two tests above can fail: these settings are what quiets the checks, nothing else.
    settings = documented_settings(region=False)
    del settings["KNIPA_BEHIND_HTTPS_PROXY"], settings["KNIPA_HTTPS_REDIRECT"]
    result = deploy_check(tmp_path, settings)
    assert result.returncode != 0
    for check in ("security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout, check
