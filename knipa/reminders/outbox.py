"""The outbox's rows as a queue: claiming, renewing and releasing them, and writing down what
became of them, cheaply, for every reminder a worker handles (the dispatcher decides and sends).

A send is about a millisecond of CPU. Waiting for the database once per reminder, as simple code
would, cost nearly half as much again (a round trip to another process, which has to wake up),
so the outcomes of several reminders go to the database together (`OutcomeWriter`), and the
statement itself is bound on the server and prepared once (`bound_cursor`).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from time import monotonic

from django.db import DatabaseError, connection, transaction
from django.db.models import Q

from knipa.accounts.pagecache import move_versions_on
from knipa.reminders.models import Occurrence

# At most this many outcomes wait to be written, and none longer than this. This bounds what a
# killed worker leaves in doubt: reminders it sent but had not yet written down (docs/reminders.md).
OUTCOMES_PER_WRITE = 10
OUTCOMES_WAIT_SECONDS = 1.0


def claim(worker: str, now: datetime, until: datetime, batch: int) -> list[int]:
    """Claim up to `batch` due occurrences for `worker` until `until`; their ids, oldest first.

    Rows another worker holds are skipped, never waited for (FOR UPDATE SKIP LOCKED). SQLite has
    no row locks; its transactions let one claimer in at a time."""
    if connection.vendor == "postgresql":
        return _claim_on_postgresql(worker, now, until, batch)
    with transaction.atomic():
        ids = list(
            Occurrence.objects.select_for_update(skip_locked=True)
            .filter(status=Occurrence.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at")
            .values_list("id", flat=True)[:batch]
        )
        if ids:
            Occurrence.objects.filter(id__in=ids).update(claimed_by=worker, claimed_until=until)
    return ids


def _claim_on_postgresql(worker: str, now: datetime, until: datetime, batch: int) -> list[int]:
    """The same claim in one statement, one round trip instead of four (BEGIN, SELECT, UPDATE,
    COMMIT): the locked SELECT runs once, inside ARRAY(), and the UPDATE returns what it took.
    It commits on its own, waiting for the disk: a claim is never written half-heartedly."""
    table = connection.ops.quote_name(Occurrence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET claimed_by = %s, claimed_until = %s"
            f" WHERE id = ANY(ARRAY(SELECT id FROM {table}"
            "  WHERE status = %s AND next_attempt_at <= %s AND (claimed_until IS NULL OR claimed_until < %s)"
            "  ORDER BY next_attempt_at LIMIT %s FOR UPDATE SKIP LOCKED))"
            " RETURNING id, next_attempt_at",
            [worker, until, Occurrence.Status.PENDING, now, now, batch])
        return [occurrence_id for occurrence_id, _due in sorted(cursor.fetchall(), key=lambda row: (row[1], row[0]))]


def renew(worker: str, ids: list[int], now: datetime, until: datetime) -> set[int]:
    """Extend `worker`'s lease to `until` on those of `ids` it still holds; returns those."""
    with transaction.atomic():
        held = set(Occurrence.objects.select_for_update()
                   .filter(id__in=ids, claimed_by=worker, claimed_until__gte=now)
                   .values_list("id", flat=True))
        Occurrence.objects.filter(id__in=held).update(claimed_until=until)
    return held


def release(worker: str, ids: list[int]) -> None:
    """Give back claimed rows at once (a worker stopping, a row that could not be handled)."""
    if ids:
        Occurrence.objects.filter(id__in=ids, claimed_by=worker).update(claimed_by="", claimed_until=None)


@contextmanager
def commits_without_waiting_for_the_disk():
    """On PostgreSQL, let this connection's commits return before they are flushed to disk.

    Writing down outcomes is a commit per write, and waiting for the disk at each (an fsync,
    milliseconds on many disks) took longer than the pushes in between. PostgreSQL still applies
    them in order and never half; a crash of the database server, not of a worker, can only
    forget the last fraction of a second of them (synchronous_commit = off). Every such loss
    leaves rows claimed but not done, which are sent again with the same Topic and tag when the
    lease ends: exactly what a killed worker leaves, and what the design already copes with.
    Nothing else is written in this block that could not be written again (no new VAPID key, no
    claim).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            pass  # a broken connection is closed and its session, with the setting, goes with it


def bound_cursor():
    """A database cursor for the statement run for every reminder.

    On PostgreSQL it sends the values apart from the SQL (server-side binding), so that psycopg
    prepares the statement after a few runs and PostgreSQL parses and plans it once per
    connection. Django's usual cursor quotes every value into the SQL text, which took longer
    than running the UPDATE. It is still Django's cursor wrapper: errors, logging and query
    counting (tests) behave as for any other query.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor = ServerBindingCursor(connection.connection)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


class OutcomeWriter:
    """Writes down what became of a worker's claimed occurrences, several in one round trip.

    Each outcome sets the row's status, attempts, next attempt, deliveries and sent time and ends
    the claim, and changes the row only while it is still claimed by this worker: a worker whose
    lease ran out must not undo another worker's claim. Outcomes wait in memory until ten are
    waiting or the oldest has waited a second, or until `flush()` (the worker calls it at the end
    of every batch, stopped or not, and before it renews a lease); then one
    `executemany` writes them all (psycopg sends the statements in one pipeline, one round trip,
    and they commit together).

    The price is the size of the doubt a killed worker leaves: up to ten reminders sent but not
    yet written down. They are sent again with the same push Topic and notification tag when
    the lease ends, so a browser still shows each once.
    """

    COLUMNS = ("status", "attempts", "next_attempt_at", "deliveries", "sent_at")

    def __init__(self, worker: str, per_write: int = OUTCOMES_PER_WRITE, wait_seconds: float = OUTCOMES_WAIT_SECONDS):
        self.worker = worker
        self.per_write = per_write
        self.wait_seconds = wait_seconds
        self._fields = [Occurrence._meta.get_field(name) for name in self.COLUMNS]
        self._sql: str | None = None
        self._waiting: list[list] = []
        self._people: set[int] = set()  # whose reminders the waiting outcomes belong to
        self._oldest = 0.0

    def add(self, occurrence: Occurrence, **changes) -> None:
        """Write down `changes` (of COLUMNS; the rest as read) for this occurrence, soon."""
        unknown = set(changes) - set(self.COLUMNS)
        if unknown:
            raise ValueError(f"not an outcome column: {sorted(unknown)}")
        params = [field.get_db_prep_save(changes[field.name] if field.name in changes
                                         else getattr(occurrence, field.attname), connection)
                  for field in self._fields]
        params += [occurrence.id, self.worker]
        if not self._waiting:
            self._oldest = monotonic()
        self._waiting.append(params)
        self._people.add(occurrence.profile_id)
        if len(self._waiting) >= self.per_write:
            self.flush()

    def overdue(self) -> bool:
        return bool(self._waiting) and monotonic() - self._oldest >= self.wait_seconds

    def flush(self) -> None:
        """Write every waiting outcome now, in one round trip."""
        waiting, self._waiting = self._waiting, []
        people, self._people = self._people, set()
        if waiting:
            with bound_cursor() as cursor:
                cursor.executemany(self.sql(), waiting)
            # Their reminders pages now show another outcome (one statement per write of outcomes).
            move_versions_on(people)

    def sql(self) -> str:
        if self._sql is None:
            quote = connection.ops.quote_name
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in self._fields)
            self._sql = (f"UPDATE {quote(Occurrence._meta.db_table)} SET {assignments}, {quote('claimed_by')} = '',"
                         f" {quote('claimed_until')} = NULL WHERE {quote('id')} = %s AND {quote('claimed_by')} = %s")
        return self._sql
