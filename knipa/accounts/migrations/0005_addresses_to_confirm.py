"""Addresses stored before confirmation existed become the account's address, unconfirmed.

Reminders used to go to `ReminderSettings.email` without anyone confirming it. That field is no
longer read (knipa.accounts.emails): the address is the user's `email`, and nothing is mailed until
its owner opens the link sent to it. A person with e-mail reminders on keeps the address they went
to; otherwise an address given when securing the profile stays, and a reminder address fills an
empty one. `Profile.confirmed_email` starts empty for everyone (0004), so all are unconfirmed, and
the reminders page asks to confirm.
"""

from django.conf import settings
from django.db import migrations


def move_reminder_addresses(apps, schema_editor):
    ReminderSettings = apps.get_model("reminders", "ReminderSettings")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for reminder_settings in ReminderSettings.objects.exclude(email="").select_related("profile").iterator():
        user = User.objects.filter(pk=reminder_settings.profile.user_id).first()
        if user is None or user.email == reminder_settings.email:
            continue
        if reminder_settings.by_email or not user.email:
            user.email = reminder_settings.email
            user.save(update_fields=["email"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_email_confirmation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # Only for reading the old field; it was there from the start.
        ("reminders", "0001_reminders"),
    ]

    operations = [
        migrations.RunPython(move_reminder_addresses, migrations.RunPython.noop),
    ]
