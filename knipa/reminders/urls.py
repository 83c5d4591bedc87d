from django.urls import path

from knipa.reminders import views

app_name = "reminders"
urlpatterns = [
    path("reminders/", views.reminders_page, name="page"),
    path("reminders/schedule/", views.save_schedule, name="schedule"),
    path("reminders/email/", views.save_email, name="email"),
    path("reminders/pause/", views.set_paused, name="pause"),
    path("reminders/quiet/", views.add_quiet_day, name="quiet_add"),
    path("reminders/quiet/remove/", views.remove_quiet_day, name="quiet_remove"),
    path("reminders/upcoming/<int:occurrence_id>/snooze/", views.snooze_upcoming, name="snooze_upcoming"),
    path("reminders/snooze/", views.snooze_by_token, name="snooze_token"),
    path("reminders/calendar/", views.calendar_link, name="calendar_link"),
    path("reminders/knipa.ics", views.calendar_download, name="calendar_download"),
    path("reminders/devices/<int:subscription_id>/remove/", views.remove_subscription, name="remove_device"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("sw.js", views.service_worker, name="service_worker"),
]
