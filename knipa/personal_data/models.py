"""An import under way: the mark that makes a half-written import visible, and removable."""

from __future__ import annotations

from django.db import models

from knipa.accounts.models import Profile


class PendingImport(models.Model):
    """Written (in a short transaction) before an import's first batch and deleted in the same
    transaction that completes it (knipa.personal_data.export). While it exists, the person's rounds,
    check-ins, leaks and diary are an import being written; if it outlives STALE_AFTER, the import
    was cut off (the process died) and the worker's retention pass removes what it had written."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="pending_import")
    started_at = models.DateTimeField()
    # The account's own plan history before the import (its "plan began"), replaced at the end.
    kept_plan_changes = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Pending import {self.pk}"
