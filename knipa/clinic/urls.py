from django.urls import path

from knipa.clinic import views

app_name = "clinic"
urlpatterns = [
    path("clinic/", views.home, name="home"),
    # The share's id is the only thing in these addresses: nothing of the person's.
    path("clinic/people/<int:share_id>/", views.person, name="person"),
    path("clinic/people/<int:share_id>/summary/", views.summary, name="summary"),
    path("clinic/people/<int:share_id>/prescribe/", views.prescribe, name="prescribe"),
    path("clinic/people/<int:share_id>/stop/", views.stop, name="stop"),
    path("clinic/connect/", views.redeem, name="redeem"),
    path("clinic/connect/<str:code>/", views.redeem, name="redeem"),
    path("clinic/code/", views.make_code, name="make_code"),
    path("clinic/staff/", views.staff_page, name="staff"),
    path("clinic/staff/clinicians/<int:clinician_id>/<slug:action>/", views.staff_clinician_action,
         name="staff_clinician"),
]
