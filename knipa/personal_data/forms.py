"""The import form: a Knipa export file, read and checked before anything is written."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from knipa.personal_data.export import ImportRefused, read_export


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Your Knipa export (a .json file)"),
        help_text=_("At most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": _("Choose the file to import."),
                        "empty": _("The file is empty, so it is not a Knipa export.")},
    )

    def clean_file(self):
        try:
            self.data_in_file = read_export(self.cleaned_data["file"])
        except ImportRefused as refusal:
            raise forms.ValidationError(refusal.message) from None
        return self.cleaned_data["file"]
