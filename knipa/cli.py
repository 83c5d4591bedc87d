"""The `knipa` command: serve the app, or run Django management commands.

`knipa serve` is what a small clinic runs: it migrates the database, prepares static files and
serves with Waitress, a production-grade pure-Python WSGI server, so the same command works on any
host with Python 3.11 and nothing else installed. It also runs the reminder dispatcher in a thread
beside the web server, so the embedded install needs no second process. A region instead runs
`knipa serve --no-worker` app processes and any number of `knipa worker` processes against one
PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import sys

from knipa.reminders import BATCH

DESCRIPTION = """\
Knipa, an open-source pelvic floor training coach.

Settings come from environment variables; the most used are:
  KNIPA_DATA_DIR        where the SQLite database, secret key and static files live
                        (default: ~/.local/share/knipa)
  KNIPA_DATABASE_URL    use PostgreSQL instead, e.g. postgres://user@host:5432/knipa
  KNIPA_ALLOWED_HOSTS   comma-separated host names the server answers to
                        (default: 127.0.0.1,localhost,[::1])
  KNIPA_DEBUG           true to show Django's debug pages (never in production)
See docs/configuration.md for all of them.
"""


SERVE_EPILOG = """\
Behind a reverse proxy that terminates TLS (nginx: docs/hosting.md):
  KNIPA_BEHIND_HTTPS_PROXY=true   the proxy serves HTTPS; cookies are Secure, HSTS is sent
  KNIPA_TRUSTED_PROXY             the proxy's address: only from it are X-Forwarded-For,
                                  -Proto, -Host and -Port believed; anyone else's are dropped
                                  (default: 127.0.0.1 behind an HTTPS proxy, otherwise none)
  KNIPA_TRUSTED_PROXY_COUNT       proxies in a row in front of Knipa (default: 1)
  KNIPA_HTTPS_REDIRECT=true       send plain-HTTP requests to https://
Request bodies over 8 MB are refused with 413 before Knipa reads them.
"""


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knipa.settings")
    import django

    django.setup()


def _prepare(*, verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("collectstatic", interactive=False, verbosity=verbosity)


# The headers a proxy sets that Waitress believes from the trusted proxy, and from no one else.
PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"}


def waitress_options(settings) -> dict:
    """Waitress's settings for the proxy in front and the size of request bodies.

    From the trusted proxy (KNIPA_TRUSTED_PROXY, 127.0.0.1 by default behind an HTTPS proxy),
    Waitress turns X-Forwarded-Proto into the request's scheme (so Django sees HTTPS: HSTS, Secure
    cookies, no redirect loop), X-Forwarded-Host and -Port into its host, and X-Forwarded-For into
    REMOTE_ADDR (the client's own address, for login throttling). From anyone else it drops those
    headers before Django sees them, so a client that reaches Waitress directly cannot claim to
    have come over HTTPS or from another address.
    """
    options = {
        "max_request_body_size": settings.SERVER_MAX_REQUEST_BODY_BYTES,
        "clear_untrusted_proxy_headers": True,
    }
    if settings.TRUSTED_PROXY:
        options.update(
            trusted_proxy=settings.TRUSTED_PROXY,
            trusted_proxy_count=settings.TRUSTED_PROXY_COUNT,
            trusted_proxy_headers=PROXY_HEADERS,
            # A warning (with the header names only) when another peer sends them: that is how a
            # wrong KNIPA_TRUSTED_PROXY shows itself.
            log_untrusted_proxy_headers=True,
        )
    return options


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    if not args.no_prepare:
        print("Knipa: preparing the database and static files ...", flush=True)
        _prepare()
    from waitress import serve

    from knipa.wsgi import application

    from django.conf import settings

    dispatcher = None
    if settings.RUN_WORKER_IN_SERVE and not args.no_worker:
        import threading

        from knipa.reminders.dispatcher import Dispatcher

        dispatcher = Dispatcher()
        threading.Thread(target=dispatcher.run, kwargs={"install_signal_handlers": False},
                         name="knipa-reminders", daemon=True).start()
    url_host = f"[{args.host}]" if ":" in args.host else args.host
    worker_note = " with the reminder worker" if dispatcher else ""
    print(f"Knipa is ready on http://{url_host}:{args.port}/{worker_note} (Ctrl+C stops it)", flush=True)
    if settings.TRUSTED_PROXY:
        peers = "every peer" if settings.TRUSTED_PROXY == "*" else f"{settings.TRUSTED_PROXY} only"
        print(f"Knipa trusts X-Forwarded-For, -Proto, -Host and -Port from {peers}", flush=True)
    try:
        # Waitress handles SIGINT/SIGTERM itself and closes its sockets cleanly.
        serve(application, host=args.host, port=args.port, threads=args.threads, ident="Knipa",
              **waitress_options(settings))
    finally:
        if dispatcher:
            dispatcher.stop()
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    from knipa.reminders.dispatcher import Dispatcher

    dispatcher = Dispatcher(name=args.name or None, batch=args.batch)
    print(f"Knipa reminder worker {dispatcher.name} started (SIGTERM or Ctrl+C stops it)", flush=True)
    dispatcher.run(poll_seconds=args.poll)
    print(f"Knipa reminder worker {dispatcher.name} stopped", flush=True)
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    _setup_django()
    _prepare(verbosity=1)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["knipa manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="knipa", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="migrate, prepare static files and serve Knipa",
        description="Migrate the database, prepare static files and serve Knipa with Waitress.",
        epilog=SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--threads", type=int, default=8, help="request threads (default: 8)")
    serve.add_argument(
        "--no-prepare",
        action="store_true",
        help="skip migrate and collectstatic (when a deploy step already ran `knipa prepare`)",
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="do not run the reminder worker in this process (run `knipa worker` separately)",
    )
    serve.set_defaults(func=cmd_serve)

    worker = commands.add_parser(
        "worker",
        help="send reminders: a long-running loop; run one or more beside `knipa serve --no-worker`",
        description="Plan and send reminders (Web Push, e-mail) until stopped with SIGTERM or Ctrl+C. "
        "Between sends it also reviews plans that time alone may change (a break in training) and, "
        "hourly, deletes what Knipa no longer keeps (docs/configuration.md, \"Retention\"). "
        "Several workers, on several machines, can share one PostgreSQL database; each "
        "reminder is sent once.",
    )
    worker.add_argument("--name", default="", help="a name for this worker in claims and logs (default: host:pid)")
    worker.add_argument("--batch", type=int, default=BATCH, help=f"occurrences claimed at a time (default: {BATCH})")
    worker.add_argument("--poll", type=float, default=1.0, help="seconds to wait when idle (default: 1.0)")
    worker.set_defaults(func=cmd_worker)

    prepare = commands.add_parser(
        "prepare",
        help="migrate the database and collect static files, then exit",
        description="Migrate the database and collect static files, then exit (for deploy scripts).",
    )
    prepare.set_defaults(func=cmd_prepare)

    manage = commands.add_parser(
        "manage",
        help="run a Django management command, e.g. `knipa manage createsuperuser`",
        description="Run any Django management command with Knipa's settings.",
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER, help="the command and its options")
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Whatever Knipa writes (the SQLite database and its -wal and -shm files, the secret key, static
    # files) is for the account running it alone: people's health data is in there.
    os.umask(0o077)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from knipa.envconfig import ConfigError

    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"knipa: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
