"""Settings come from the environment with safe defaults, and bad values stop start-up loudly."""

import os
import stat
import subprocess
import sys

import pytest

from knipa.envconfig import ConfigError, env_bool, env_int, env_list, secret_key


def test_a_secret_key_is_generated_on_first_run_kept_private_and_reused(tmp_path):
    first = secret_key(tmp_path)
    assert len(first) >= 50
    assert secret_key(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_two_installations_never_share_a_secret_key(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert secret_key(tmp_path / "a") != secret_key(tmp_path / "b")


def test_an_explicit_secret_key_must_be_long(monkeypatch, tmp_path):
    monkeypatch.setenv("KNIPA_SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        secret_key(tmp_path)


def test_a_misspelt_boolean_is_an_error_not_a_silent_default(monkeypatch):
    monkeypatch.setenv("KNIPA_DEBUG", "ture")
    with pytest.raises(ConfigError, match="KNIPA_DEBUG"):
        env_bool("KNIPA_DEBUG", False)
    monkeypatch.setenv("KNIPA_DEBUG", "Yes")
    assert env_bool("KNIPA_DEBUG", False) is True


def test_numbers_and_lists_are_parsed_and_checked(monkeypatch):
    monkeypatch.setenv("KNIPA_X", "abc")
    with pytest.raises(ConfigError):
        env_int("KNIPA_X", 1)
    monkeypatch.setenv("KNIPA_X", "0")
    with pytest.raises(ConfigError):
        env_int("KNIPA_X", 1, minimum=1)
    monkeypatch.setenv("KNIPA_HOSTS", " a.example , b.example ,")
    assert env_list("KNIPA_HOSTS", []) == ["a.example", "b.example"]


def test_debug_is_off_by_default(settings):
    # Argon2 for passwords: tests/test_settings_and_dependencies.py (the tests hash faster).
    assert settings.DEBUG is False


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses PostgreSQL (KNIPA_DATABASE_URL)")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def _knipa(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "knipa", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_the_command_line_explains_itself():
    result = _knipa("--help")
    assert result.returncode == 0
    for word in ["serve", "prepare", "manage", "KNIPA_DATA_DIR", "KNIPA_DATABASE_URL"]:
        assert word in result.stdout
    serve = _knipa("serve", "--help")
    assert "--host" in serve.stdout and "--port" in serve.stdout


def test_a_bad_setting_stops_the_command_with_a_clear_message(tmp_path):
    result = _knipa("prepare", env={"KNIPA_DATA_DIR": str(tmp_path), "KNIPA_DEBUG": "perhaps"})
    assert result.returncode == 2
    assert "KNIPA_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_prepare_creates_the_database_and_static_files_in_the_data_directory(tmp_path):
    env = {"KNIPA_DATA_DIR": str(tmp_path)}
    env_without_db = {key: value for key, value in os.environ.items() if key != "KNIPA_DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "knipa", "prepare"],
        capture_output=True, text=True, env={**env_without_db, **env}, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "knipa.sqlite3").exists()
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert (tmp_path / "secret_key").exists()
