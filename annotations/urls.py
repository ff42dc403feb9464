from django.urls import include, path

from dossier import converters  # noqa: F401  (<id:pk>: a huge id is a 404, not a 500)
from dossier.models import Author, Outlet

from .views import audit, credibility, exports, review

app_name = "annotations"

# /articles/<pk>/: one article's pages, by audience.
article_urls = [
    # Reviewers (editors and admins read the workspace too).
    path("review/", review.workspace, name="workspace"),
    path("review/annotations/", review.annotate, name="annotate"),
    path("review/submit/", review.submit, name="submit"),
    # Editors: scores and downloads.
    path("summary/", credibility.article_summary, name="summary"),
    path("compare/", credibility.compare, name="compare"),
    path("report/", exports.report, name="report"),
    path("report.json", exports.report, {"export_format": "json"}, name="report-json"),
    path("annotations.jsonld", exports.article_annotations, name="article-annotations"),
    # Editors: the audit trail.
    path("history/", audit.history, name="history"),
    path("history/<id:history_id>/restore/", audit.restore, name="restore"),
]

urlpatterns = [
    # /: the articles table (editors; reviewers are sent to their queue); ?_export= downloads it.
    path("", credibility.CredibilityListView.as_view(), name="articles"),
    path("articles/<id:pk>/", include(article_urls)),
    # /outlets/, /authors/: rankings and profiles.
    path("outlets/", credibility.RankingView.as_view(model=Outlet), name="outlets"),
    path("outlets/<id:pk>/", credibility.profile, {"model": Outlet}, name="outlet"),
    path("authors/", credibility.RankingView.as_view(model=Author), name="authors"),
    path("authors/<id:pk>/", credibility.profile, {"model": Author}, name="author"),
    # /review/: the reviewer's queue.
    path("review/", review.QueueView.as_view(), name="queue"),
    path("review/next/", review.next_article, name="next"),
    # Web Annotation documents, for machines.
    path("annotations.jsonld", exports.annotation_collection, name="annotation-collection"),
    path("annotations/<id:pk>.jsonld", exports.annotation, name="annotation"),
    path("flags.css", review.flag_styles, name="flag-styles"),
    # A big export's file, written by a background job, for whoever started it.
    path("exports/<id:pk>/file/", exports.export_file, name="export-file"),
]
