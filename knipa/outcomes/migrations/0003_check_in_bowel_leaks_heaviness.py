from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('outcomes', '0002_check_in_pain'),
    ]

    operations = [
        migrations.AddField(
            model_name='checkin',
            name='bowel_leaks',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'Never'), (1, 'Less than once a month'), (2, 'A few times a month'), (3, 'A few times a week'), (4, 'Every day')], null=True),
        ),
        migrations.AddField(
            model_name='checkin',
            name='heaviness',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'Never'), (1, 'Less than once a month'), (2, 'A few times a month'), (3, 'A few times a week'), (4, 'Every day')], null=True),
        ),
    ]
