"""Sharing with a clinician: consents, codes, the access log and prescriptions (knipa.sharing.models)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0006_last_active'),
        ('clinicians', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Share',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scopes', models.JSONField(default=list)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True)),
                ('withdrawn_by', models.CharField(blank=True, choices=[('', 'Nobody'), ('person', 'You'), ('clinician', 'The clinician')], default='', max_length=16)),
                ('clinician', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='clinicians.clinician')),
                ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='accounts.profile')),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('withdrawn_at__isnull', True)), fields=('profile', 'clinician'), name='sharing_one_active_share_per_pair')],
            },
        ),
        migrations.CreateModel(
            name='ShareCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code_hash', models.CharField(max_length=64, unique=True)),
                ('direction', models.CharField(choices=[('from_person', 'From the person'), ('from_clinician', 'From the clinician')], max_length=16)),
                ('scopes', models.JSONField(blank=True, default=list)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('used_at', models.DateTimeField(blank=True, null=True)),
                ('clinician', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='share_codes', to='clinicians.clinician')),
                ('profile', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='share_codes', to='accounts.profile')),
            ],
        ),
        migrations.CreateModel(
            name='AccessLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('clinician_name', models.CharField(max_length=200)),
                ('clinic_name', models.CharField(max_length=200)),
                ('what', models.CharField(choices=[('share_started', 'Sharing started'), ('share_stopped', 'Sharing stopped'), ('follow_up_list', 'Saw you on their follow-up list'), ('person_page', 'Looked at your page'), ('rounds', 'Looked at your training rounds'), ('plan', 'Looked at your plan and its history'), ('check_ins', 'Looked at your check-ins and leak log'), ('diary', 'Looked at your bladder diary'), ('summary', 'Opened the printable summary'), ('prescription_made', 'Suggested new numbers for your plan'), ('prescription_withdrawn', 'Took back suggested numbers'), ('prescription_accepted', 'You accepted suggested numbers'), ('prescription_declined', 'You declined suggested numbers')], max_length=32)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('clinician', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='access_log', to='clinicians.clinician')),
                ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_log', to='accounts.profile')),
                ('share', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='access_log', to='sharing.share')),
            ],
            options={
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['profile', '-at'], name='sharing_log_profile_at')],
            },
        ),
        migrations.CreateModel(
            name='Prescription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('clinician_name', models.CharField(max_length=200)),
                ('clinic_name', models.CharField(blank=True, default='', max_length=200)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('parameters', models.JSONField(default=dict)),
                ('note', models.TextField(blank=True, default='')),
                ('mode', models.CharField(choices=[('fixed', 'Kept fixed'), ('starting_point', 'A new starting point')], max_length=16)),
                ('status', models.CharField(choices=[('pending', 'Waiting for your answer'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('withdrawn', 'Taken back')], default='pending', max_length=16)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('clinician', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='prescriptions', to='clinicians.clinician')),
                ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='prescriptions', to='accounts.profile')),
                ('share', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='prescriptions', to='sharing.share')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
    ]
