from django.urls import include, path

from knipa.api import api

urlpatterns = [
    path("", include("knipa.content.urls")),
    path("", include("knipa.accounts.urls")),
    path("", include("knipa.training.urls")),
    path("", include("knipa.reminders.urls")),
    path("", include("knipa.outcomes.urls")),
    path("", include("knipa.today.urls")),
    path("", include("knipa.personal_data.urls")),
    path("", include("knipa.sharing.urls")),
    path("", include("knipa.guide.urls")),
    path("", include("knipa.clinicians.urls")),
    path("", include("knipa.clinic.urls")),
    path("api/", api.urls),
]

handler400 = "knipa.content.views.bad_request"
handler403 = "knipa.content.views.permission_denied"
handler404 = "knipa.content.views.page_not_found"
handler500 = "knipa.content.views.server_error"
