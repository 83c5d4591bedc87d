"""The bare view for bench/pages.py: Django at its cheapest, served by Waitress like Knipa.

One view that answers "hello" as text, with no middleware, no apps, no database and no templates,
so its requests per second are what Django and Waitress cost on this machine at this moment.
bench/pages.py divides each Knipa page's requests per second by this view's, measured in the
same run, which cancels most of the noise of a shared machine.

This file is its own settings module and URLconf. Run it the way `knipa serve` runs Knipa:
    .venv/bin/python bench/hello_app.py --port 8001 [--threads 8]
It prints "ready" once the socket is listening.
"""

from __future__ import annotations

import argparse
import os
import sys

from django.http import HttpResponse
from django.urls import path

# --- Settings (this module is DJANGO_SETTINGS_MODULE) -----------------------------------------
# DEBUG off as in production: with it on, Django keeps every query and slows down.
DEBUG = False
SECRET_KEY = "bench-hello-only-not-a-secret-" + "x" * 32
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True


def hello(request):
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


urlpatterns = [path("hello/", hello)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Serve the bare Django hello view with Waitress.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    # The same default as `knipa serve --threads`, so both servers have the same concurrency.
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    # Import under a stable module name, whether run as a script or with -m.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ["DJANGO_SETTINGS_MODULE"] = "hello_app"
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    application = get_wsgi_application()
    print("ready", flush=True)
    serve(application, host=args.host, port=args.port, threads=args.threads, ident="Knipa")
    return 0


if __name__ == "__main__":
    sys.exit(main())
