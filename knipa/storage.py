"""Static file storage: WhiteNoise's compressed, hashed files, with ES module imports rewritten.

The player is plain ES modules (`import ... from "./player/scheduler.js"`). Django's manifest
storage rewrites those import paths to the hashed names only when asked to, and without that the
modules would be served under their plain names with a short cache lifetime.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig
from whitenoise.storage import CompressedManifestStaticFilesStorage


class KnipaStaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True


class KnipaStaticFilesConfig(StaticFilesConfig):
    """django.contrib.staticfiles, leaving out files Knipa never serves.

    django-ninja ships ReDoc beside Swagger UI (Knipa's /api/docs uses Swagger UI), 4 of the 12 MB
    collected; compressing it (gzip and Brotli, as WhiteNoise does for every file) and the source
    maps (settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS: only developer tools read them) took most
    of `collectstatic`'s 20 seconds, at every start and every test run.
    """

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "ninja/redoc*"]
