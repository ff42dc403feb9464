"""The three audiences and the one way views check them."""
import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from dossier.roles import RoleRequiredMixin

from annotations.access import (
    REVIEWERS,
    SCORE_READERS,
    can_annotate,
    can_see_every_review,
    reviewers_only,
    score_readers_only,
    workspace_readers_only,
)

pytestmark = pytest.mark.django_db


def _call(view, user):
    request = RequestFactory().get("/")
    request.user = user
    return view(request)


def _ok(request):
    return HttpResponse("ok")


@pytest.mark.parametrize("decorator, allowed", [
    (reviewers_only, {"rita"}),
    (score_readers_only, {"ed", "ada"}),
    (workspace_readers_only, {"rita", "ed", "ada"}),
])
def test_each_audience_lets_in_its_roles_only(decorator, allowed, admin, editor, reviewer, outsider):
    for user in (admin, editor, reviewer, outsider):
        if user.username in allowed:
            assert _call(decorator(_ok), user).content == b"ok"
        else:
            with pytest.raises(PermissionDenied):
                _call(decorator(_ok), user)


def test_the_mixin_checks_before_the_view_runs(reviewer, editor):
    class ScoresOnly(RoleRequiredMixin, View):
        roles, denied_message = SCORE_READERS, "no"

        def get(self, request):
            return HttpResponse("scores")

    assert _call(ScoresOnly.as_view(), editor).content == b"scores"
    with pytest.raises(PermissionDenied, match="no"):
        _call(ScoresOnly.as_view(), reviewer)


def test_blind_review_sees_everyone_only_as_editor_or_admin(admin, editor, reviewer):
    assert [can_see_every_review(user) for user in (admin, editor, reviewer)] == [True, True, False]
    assert can_annotate(reviewer) and not can_annotate(editor)
    assert REVIEWERS.isdisjoint(SCORE_READERS)
