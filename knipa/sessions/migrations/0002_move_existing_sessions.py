"""Existing sessions move from Django's table to Knipa's, with their user, so nobody is logged out.

A browser-only profile lives in its session alone: losing the sessions would lose those profiles.
Each session keeps its key, data and expiry; its user is read from its data (a session whose data
cannot be read, say made with another secret key, is moved without one, as Django would read it).
Moved in batches, and removed from the old table as they go.
"""

from django.db import migrations

BATCH = 500


def move_sessions(apps, schema_editor):
    from knipa.sessions.store import SessionStore, user_id_in

    old_sessions = apps.get_model("sessions", "Session")
    new_sessions = apps.get_model("knipa_sessions", "Session")
    users = apps.get_model("auth", "User")
    decoder = SessionStore()
    while True:
        batch = list(old_sessions.objects.order_by("session_key")[:BATCH])
        if not batch:
            return
        user_ids = {session.session_key: user_id_in(decoder.decode(session.session_data)) for session in batch}
        existing = set(users.objects.filter(pk__in={pk for pk in user_ids.values() if pk}).values_list("pk", flat=True))
        new_sessions.objects.bulk_create(
            [new_sessions(session_key=session.session_key, session_data=session.session_data,
                          expire_date=session.expire_date,
                          user_id=user_ids[session.session_key] if user_ids[session.session_key] in existing else None)
             for session in batch],
            ignore_conflicts=True,
        )
        old_sessions.objects.filter(session_key__in=[session.session_key for session in batch]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knipa_sessions", "0001_initial"),
        ("sessions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(move_sessions, migrations.RunPython.noop, elidable=True)]
