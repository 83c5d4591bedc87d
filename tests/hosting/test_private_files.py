"""The data directory is the account running Knipa's alone (security review, issue 13, finding 10).

It holds people's health data (the SQLite database, with its -wal and -shm files while it is open)
and the secret key that signs their sessions. Whatever mode the directory and those files had, and
whatever the umask, Knipa leaves the directory 0700 and the files 0600.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

# Run in a fresh process, as a WSGI server would load Knipa (so without `knipa`'s own umask): write
# to the database and, while it is open (its -wal and -shm files exist), report every mode.
WRITE_AND_REPORT = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "knipa.settings"
import django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS written (x)")
    cursor.execute("INSERT INTO written VALUES (1)")
    directory = settings.DATA_DIR
    print(json.dumps({name: os.stat(directory / name).st_mode for name in [".", *os.listdir(directory)]}))
"""


def loose_umask() -> None:
    os.umask(0o022)  # the usual default: new files readable by everyone


def environment(data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("KNIPA_") and name != "DJANGO_SETTINGS_MODULE"}
    env["KNIPA_DATA_DIR"] = str(data_dir)
    return env


def modes(report: dict[str, int]) -> dict[str, str]:
    return {name: oct(stat.S_IMODE(mode)) for name, mode in report.items()}


def test_a_data_directory_left_readable_by_others_is_made_owner_only_with_every_file_in_it(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o755)
    (data_dir / "secret_key").write_text("an-old-installation-key-" + "k" * 40)
    database = sqlite3.connect(data_dir / "knipa.sqlite3")
    database.execute("CREATE TABLE kept (x)")
    database.commit()
    database.close()
    for name in ("secret_key", "knipa.sqlite3"):
        (data_dir / name).chmod(0o644)

    result = subprocess.run([sys.executable, "-c", WRITE_AND_REPORT], env=environment(data_dir),
                            capture_output=True, text=True, timeout=120, preexec_fn=loose_umask)
    assert result.returncode == 0, result.stderr
    found = modes(json.loads(result.stdout.strip().splitlines()[-1]))
    assert {"knipa.sqlite3-wal", "knipa.sqlite3-shm"} <= found.keys(), found  # open, in WAL mode
    assert found.pop(".") == "0o700"
    assert found == {name: "0o600" for name in found}, found


def test_knipa_prepare_makes_a_new_data_directory_owner_only(tmp_path):
    data_dir = tmp_path / "new" / "data"
    result = subprocess.run([sys.executable, "-m", "knipa", "prepare"], env=environment(data_dir),
                            capture_output=True, text=True, timeout=120, preexec_fn=loose_umask)
    assert result.returncode == 0, result.stderr
    assert oct(stat.S_IMODE(data_dir.stat().st_mode)) == "0o700"
    for name in ("knipa.sqlite3", "secret_key"):
        assert oct(stat.S_IMODE((data_dir / name).stat().st_mode)) == "0o600", name
