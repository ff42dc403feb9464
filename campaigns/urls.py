from django.urls import path

from dossier import converters  # noqa: F401  (<id:pk>: a huge id is a 404, not a 500)

from . import views

app_name = "campaigns"

urlpatterns = [
    # /campaigns/: editors and admins plan and run campaigns.
    path("", views.campaign_list, name="list"),
    path("new/", views.create, name="create"),
    # Rows picked in the articles table (or all it shows), into a draft or open campaign.
    path("add-articles/", views.add_from_table, name="add-from-table"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/open/", views.open_campaign, name="open"),
    path("<id:pk>/close/", views.close_campaign, name="close"),
    path("<id:pk>/articles/", views.add_articles, name="add-articles"),
    path("<id:pk>/reviewers/", views.add_reviewers, name="add-reviewers"),
    path("<id:pk>/reviewers/<id:reviewer_pk>/remove/", views.remove_reviewer, name="remove-reviewer"),
    # Adjudication: the disputed passages and one passage's ruling.
    path("<id:pk>/disputes/", views.adjudication, name="adjudication"),
    path("<id:pk>/disputes/<id:passage_pk>/", views.adjudicate, name="adjudicate"),
]
