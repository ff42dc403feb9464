from django.shortcuts import redirect
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from .models import Article
from .roles import Role, has_role, require_a_role


class ArticleDetailView(DetailView):
    template_name = "dossier/article_detail.html"
    queryset = Article.objects.select_related("outlet").prefetch_related("authors")
    context_object_name = "article"

    def dispatch(self, request, *args, **kwargs):
        require_a_role(request.user)
        return super().dispatch(request, *args, **kwargs)


@require_GET
def home(request):
    """Where login lands: reviewers on their queue, everyone else on the articles."""
    if has_role(request.user, Role.REVIEWER):
        return redirect("annotations:queue")
    return redirect("annotations:articles")
