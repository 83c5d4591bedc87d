"""A random, single-use snooze token on each reminder, instead of a signed dict of its ids.

The column is added to the database without a default: a default would be computed once and
written to every existing row, which the unique constraint refuses. The model's default (a new random
token per row) lives in Python only, and the reminders still waiting get a token each here, so
their notifications keep the snooze button. Reminders already sent keep none: their old signed
tokens no longer work.
"""

from django.db import migrations, models

import knipa.reminders.models


def give_waiting_reminders_a_token(apps, schema_editor):
    Occurrence = apps.get_model("reminders", "Occurrence")
    waiting = list(Occurrence.objects.filter(status="pending", snooze_token__isnull=True).only("id"))
    for occurrence in waiting:
        occurrence.snooze_token = knipa.reminders.models.new_snooze_token()
    Occurrence.objects.bulk_update(waiting, ["snooze_token"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("reminders", "0004_no_separate_person_index"),
    ]

    operations = [
        # The database gets the column without a default (Django never keeps a default in the
        # database anyway); the model's state has the default, so new rows get a token each.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddField(
                    model_name="occurrence",
                    name="snooze_token",
                    field=models.CharField(blank=True, editable=False, max_length=40, null=True),
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="occurrence",
                    name="snooze_token",
                    field=models.CharField(blank=True, default=knipa.reminders.models.new_snooze_token,
                                           editable=False, max_length=40, null=True),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="occurrence",
            constraint=models.UniqueConstraint(fields=("snooze_token",), name="one_occurrence_per_snooze_token"),
        ),
        migrations.RunPython(give_waiting_reminders_a_token, migrations.RunPython.noop),
    ]
