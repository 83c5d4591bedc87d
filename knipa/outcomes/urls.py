from django.urls import path

from knipa.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("progress/", views.progress_page, name="progress"),
    path("check-in/", views.check_in, name="check_in"),
    path("help/", views.get_help, name="get_help"),
    path("leaks/", views.leaks, name="leaks"),
    path("leaks/<int:leak_id>/delete/", views.delete_leak, name="delete_leak"),
    path("diary/", views.diary, name="diary"),
    path("diary/<int:entry_id>/delete/", views.delete_diary_entry, name="delete_diary_entry"),
]
