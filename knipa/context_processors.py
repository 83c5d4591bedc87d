"""Values every template needs: the care advice line (spec V4) and the language switch."""

from django.conf import settings

NATIVE_NAMES = {"sv": "Svenska", "en": "English"}


def knipa(request):
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # Each language is offered in its own name, so a person who cannot read the current one
    # still recognises theirs.
    other = [(code, NATIVE_NAMES.get(code, code)) for code, _name in settings.LANGUAGES if code != current]
    return {
        "care_phone": settings.CARE_ADVICE_PHONE,
        "care_url": settings.CARE_ADVICE_URL,
        "care_name": settings.CARE_ADVICE_NAME,
        "other_languages": other,
    }
