"""Knipa's own settings, with the data directory moved to a fresh temporary folder.

The suite must not touch a real installation's secret key, database or static files. Nothing else
differs from production: the tests exercise the settings people actually run.
"""

import os
import tempfile

os.environ.setdefault("KNIPA_DATA_DIR", tempfile.mkdtemp(prefix="knipa-test-"))

from knipa.settings import *  # noqa: E402,F403
