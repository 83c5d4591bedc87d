"""What Knipa keeps no longer than it needs: the reminder worker's hourly retention pass.

`sweep()` deletes, a batch at a time, each batch in its own short transaction (so no pass holds
SQLite's write lock for long, and several workers can share the work):

- sessions that have expired (what Django's `clearsessions` does; knipa.sessions);
- browser-only profiles nobody can open any more or nobody has used for KNIPA_ANONYMOUS_PROFILE_DAYS
  (knipa.accounts.retention, which says exactly which);
- failed logins that can no longer lock anyone out (after a day at least) and expired e-mail
  confirmation links (knipa.accounts.retention.forget_old_traces);
- reminders sent (or not) more than REMINDER_HISTORY_DAYS ago: the reminders page shows the
  latest ones, and older ones say nothing the person needs;
- whatever rooms above this one keep for a while, through the `retention_due` signal (an import
  cut off midway: knipa.personal_data.export.discard_interrupted).

A deleted account's sessions go with it at once (knipa.sessions), and a browser-only profile left
behind by logging into an account is deleted at that login; the pass catches the rest.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.dispatch import Signal

from knipa.accounts.retention import forget_abandoned, forget_old_traces
from knipa.reminders.models import Occurrence
from knipa.sessions.models import delete_expired

# Sent (with `now`) on every pass; a receiver deletes what its room no longer needs and returns how
# many things it deleted (a full batch asks for another pass at once).
retention_due = Signal()

SESSION_BATCH = 500
PROFILE_BATCH = 20
TRACE_BATCH = 500
REMINDER_HISTORY_DAYS = 90


def forget_old_reminders(now: datetime, limit: int) -> int:
    """Delete up to `limit` reminders that were due more than REMINDER_HISTORY_DAYS ago and are done
    with (sent, skipped, missed, failed or cancelled: a waiting one is never deleted)."""
    rows = Occurrence.objects.filter(due_at__lt=now - timedelta(days=REMINDER_HISTORY_DAYS)).exclude(
        status=Occurrence.Status.PENDING)
    ids = list(rows.order_by().values_list("pk", flat=True)[:limit])
    return Occurrence.objects.filter(pk__in=ids).delete()[0] if ids else 0


def sweep(now: datetime) -> tuple[int, bool]:
    """One pass: how many things were deleted, and whether a batch was full (more may be waiting)."""
    sessions = delete_expired(now, SESSION_BATCH)
    profiles = forget_abandoned(now, PROFILE_BATCH)
    traces = forget_old_traces(now, TRACE_BATCH)
    reminders = forget_old_reminders(now, TRACE_BATCH)
    others = [result for _receiver, result in retention_due.send(sender=None, now=now) if isinstance(result, int)]
    more = sessions >= SESSION_BATCH or profiles >= PROFILE_BATCH or traces >= TRACE_BATCH or reminders >= TRACE_BATCH
    return sessions + profiles + traces + reminders + sum(others), more
