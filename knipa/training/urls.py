from django.urls import path

from knipa.training import plan_views, views

app_name = "training"
urlpatterns = [
    path("home/go-ahead/", views.confirm_go_ahead, name="go_ahead"),
    path("plan/", plan_views.plan_page, name="plan"),
    path("plan/choice/", plan_views.plan_choice, name="plan_choice"),
    path("plan/numbers/", plan_views.plan_numbers, name="plan_numbers"),
    path("plan/movements/", plan_views.plan_movements, name="plan_movements"),
    path("plan/self-check/", plan_views.self_check_done, name="self_check"),
    path("plan/satisfied/", plan_views.satisfied, name="satisfied"),
    path("train/", views.player, name="player"),
    path("history/", views.history, name="history"),
    path("history/<uuid:round_id>/", views.round_detail, name="round"),
    path("history/<uuid:round_id>/delete/", views.delete_round, name="delete_round"),
]
