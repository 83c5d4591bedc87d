"""Knipa's own settings, with the data directory moved to a fresh temporary folder.

The suite must not touch a real installation's secret key, database or static files. Only one
other thing differs from production, the password hasher (below): otherwise the tests exercise
the settings people actually run.
"""

import os
import tempfile

os.environ.setdefault("KNIPA_DATA_DIR", tempfile.mkdtemp(prefix="knipa-test-"))

from knipa.settings import *  # noqa: E402,F403

# Argon2 is slow on purpose (that is what makes stolen hashes expensive to crack), and every
# person a test makes or logs in, through the test client or the browser against the live server
# (same process, same settings), pays for it: with MD5 the tests outside the browser take half
# the time they took with Argon2.
# MD5 is fast and worthless as protection, which does not matter for throwaway test passwords.
# tests/test_settings_and_dependencies.py checks that production still hashes with Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
