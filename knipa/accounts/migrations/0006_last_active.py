"""Profile.last_active_at: existing profiles get the moment of this migration (AddField's default is
evaluated once), so that no browser-only profile in use is taken for abandoned on the day it runs."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_addresses_to_confirm'),
    ]

    operations = [
        migrations.AddField(
            model_name='profile',
            name='last_active_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
    ]
