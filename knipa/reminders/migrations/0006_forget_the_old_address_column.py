"""ReminderSettings.email is no longer read: the address is the account's, confirmed by its owner
(knipa.accounts.emails; accounts.0005 moved each address there). Empty the old copies, so that an
address is not kept twice, and once without a purpose."""

from django.db import migrations


def forget(apps, schema_editor):
    apps.get_model("reminders", "ReminderSettings").objects.exclude(email="").update(email="")


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0005_snooze_token"),
        ("accounts", "0005_addresses_to_confirm"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
