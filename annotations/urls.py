from django.urls import path

from . import views

app_name = "annotations"

urlpatterns = [
    path("review/", views.QueueView.as_view(), name="queue"),
    path("review/next/", views.next_article, name="next"),
    path("articles/<int:pk>/review/", views.workspace, name="workspace"),
    path("articles/<int:pk>/review/annotations/", views.annotate, name="annotate"),
    path("articles/<int:pk>/review/submit/", views.submit, name="submit"),
    path("flags.css", views.flag_styles, name="flag-styles"),
]
