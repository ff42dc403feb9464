from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

# <id:pk>: at most 18 digits, so a huge id is a 404, not a 500.
from . import (
    converters,  # noqa: F401
    views,
)

article_patterns = [
    path("home/", views.home, name="home"),
    path("articles/<id:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<id:pk>/versions/<id:number>/", views.ArticleVersionView.as_view(), name="article-version"),
    path("archives/<id:pk>/", views.archive, name="archive"),
    path("jobs/<id:pk>/", views.job, name="job"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    # django.contrib.auth.urls without its password-reset pages: there is no e-mail to send a link
    # with, and admins set forgotten passwords in the admin.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include((article_patterns, "dossier"))),
    path("api/tokens/", include("api.token_urls")),
    path("api/", include("api.urls")),
    path("", include("annotations.urls")),
    path("campaigns/", include("campaigns.urls")),
]

# Every 500 is logged, even one from another error page (dossier.views.server_error).
handler500 = "dossier.views.server_error"
