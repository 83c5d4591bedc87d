"""Static file storage: WhiteNoise's compressed, hashed files, with ES module imports rewritten.

The player is plain ES modules (`import ... from "./player/scheduler.js"`). Django's manifest
storage rewrites those import paths to the hashed names only when asked to, and without that the
modules would be served under their plain names with a short cache lifetime.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class KnipaStaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
