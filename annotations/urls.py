from django.urls import path

from dossier.models import Author, Outlet

from . import views

app_name = "annotations"

urlpatterns = [
    path("", views.CredibilityListView.as_view(), name="articles"),
    path("articles/<int:pk>/summary/", views.article_summary, name="summary"),
    path("articles/<int:pk>/compare/", views.compare, name="compare"),
    path("articles/<int:pk>/report/", views.report, name="report"),
    path("articles/<int:pk>/report.json", views.report, {"export_format": "json"}, name="report-json"),
    path("articles/<int:pk>/annotations.jsonld", views.article_annotations, name="article-annotations"),
    path("annotations.jsonld", views.annotation_collection, name="annotation-collection"),
    path("annotations/<int:pk>.jsonld", views.annotation, name="annotation"),
    path("articles/<int:pk>/history/", views.history, name="history"),
    path("articles/<int:pk>/history/<int:history_id>/restore/", views.restore, name="restore"),
    path("outlets/", views.RankingView.as_view(model=Outlet), name="outlets"),
    path("outlets/<int:pk>/", views.outlet_detail, name="outlet"),
    path("authors/", views.RankingView.as_view(model=Author), name="authors"),
    path("authors/<int:pk>/", views.author_detail, name="author"),
    path("review/", views.QueueView.as_view(), name="queue"),
    path("review/next/", views.next_article, name="next"),
    path("articles/<int:pk>/review/", views.workspace, name="workspace"),
    path("articles/<int:pk>/review/annotations/", views.annotate, name="annotate"),
    path("articles/<int:pk>/review/submit/", views.submit, name="submit"),
    path("flags.css", views.flag_styles, name="flag-styles"),
]
