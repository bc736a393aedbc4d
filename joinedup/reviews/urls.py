from django.urls import path

from joinedup.reviews import health_views, views
from joinedup.reviews.survey import views as survey_views

app_name = "reviews"
urlpatterns = [
    path("", views.my_rounds, name="my_rounds"),
    path("partnerships/<slug:slug>/", views.partnership_rounds, name="partnership_rounds"),
    path("partnerships/<slug:slug>/new/", views.round_open, name="round_open"),
    path("<uuid:round_id>/", views.round_detail, name="round_detail"),
    path("<uuid:round_id>/close/", views.round_close, name="round_close"),
    path("<uuid:round_id>/reopen/", views.round_reopen, name="round_reopen"),
    path("<uuid:round_id>/health/", health_views.health_answer, name="health_answer"),
    path("<uuid:round_id>/health/results/", health_views.health_results, name="health_results"),
    path("<uuid:round_id>/survey/", survey_views.survey_answer, name="survey_answer"),
    path("<uuid:round_id>/survey/results/", survey_views.survey_results, name="survey_results"),
]
