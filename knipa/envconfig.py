"""Small helpers that read Knipa's settings from environment variables.

They fail loudly on values they cannot understand: a typo in `KNIPA_DEBUG=ture` must stop the
server at start-up rather than silently run with a setting the host did not mean.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """An environment variable holds a value Knipa cannot use."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_address(name: str, default: str) -> str:
    """One IP address (written as Python writes it, so it compares equal to a peer's), "*", or ""."""
    raw = os.environ.get(name, default).strip()
    if raw in {"", "*"}:
        return raw
    try:
        return str(ipaddress.ip_address(raw.strip("[]")))
    except ValueError:
        raise ConfigError(f"{name} must be one IP address (such as 127.0.0.1) or *, not {raw!r}") from None


def default_data_dir() -> Path:
    # XDG: the data of a user-run service belongs under ~/.local/share, not in the source tree.
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "knipa"


def data_dir() -> Path:
    """The data directory, made owner-only (0700) whatever mode it had.

    It holds people's health data (the SQLite database) and the secret key that signs their
    sessions: no other account on the machine has any business reading it. mkdir's mode only
    applies to a directory it creates (and is reduced by the umask), so an existing one is
    tightened too.
    """
    raw = os.environ.get("KNIPA_DATA_DIR")
    path = Path(raw).expanduser() if raw else default_data_dir()
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.chmod(0o700)
    except OSError as exc:
        raise ConfigError(
            f"KNIPA_DATA_DIR {str(path)!r} cannot be created or made private to the account running Knipa: {exc}"
        ) from None
    return path.resolve()


def owner_only_file(path: Path) -> Path:
    """Make `path` a file only its owner may read and write (0600), creating it empty if missing.

    Used for the SQLite database before SQLite opens it: SQLite gives its -wal and -shm files the
    database file's own mode, so they are owner-only too, whatever the process's umask. Files
    left beside it by an older version (or another tool) are tightened as well.
    """
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                          path.with_name(path.name + "-journal")):
            if companion.exists():
                companion.chmod(0o600)
    except OSError as exc:
        raise ConfigError(f"{str(path)!r} cannot be created or made private: {exc}") from None
    return path


def secret_key(directory: Path) -> str:
    """Return the secret key, generating and storing it on first run.

    `KNIPA_SECRET_KEY` wins, for hosts with several app processes on several machines. Otherwise a
    key is created once in the data directory, readable only by its owner, so that sessions
    survive restarts and no two installations ever share a key.
    """
    explicit = os.environ.get("KNIPA_SECRET_KEY")
    if explicit:
        if len(explicit) < 32:
            raise ConfigError("KNIPA_SECRET_KEY must be at least 32 characters long")
        return explicit
    key_file = directory / "secret_key"
    try:
        key = key_file.read_text().strip()
    except FileNotFoundError:
        pass
    else:
        try:
            key_file.chmod(0o600)  # written by an older version, or copied in with a looser mode
        except OSError as exc:
            raise ConfigError(f"{str(key_file)!r} cannot be made private to the account running Knipa: {exc}") from None
        return key
    key = secrets.token_urlsafe(50)
    # O_EXCL: if two processes start at once, only one writes; the other reads the winner's key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
