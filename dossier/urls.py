from django.contrib import admin
from django.urls import include, path

from . import views

article_patterns = [
    path("home/", views.home, name="home"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include((article_patterns, "dossier"))),
    path("", include("annotations.urls")),
]

# Every 500 is logged, even one from another error page (dossier.views.server_error).
handler500 = "dossier.views.server_error"
