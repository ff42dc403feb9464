"""The permission matrix, deny by default: every URL x user x method has a written-down answer.

The URL names come from the resolver itself, so a new URL without an entry in MATRIX fails
`test_every_named_url_outside_the_admin_has_an_entry_in_the_matrix` (and the matrix tests) by name.
The admin's hundreds of generated URLs are checked by rule on a representative set instead, plus a
check that every admin URL belongs to the admin site or a registered model.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib import admin as admin_site_module
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, include, path, reverse
from factories import make_article, make_review

from dossier.models import Archive, ArticleVersion, Job, JobFile, Outlet, Source

from annotations.models import Annotation, Export, Flag, Review, Ruling

from campaigns.models import Campaign, Conflict

from webhooks.models import Webhook

from api.models import Token

pytestmark = pytest.mark.django_db

USERS = ("anonymous", "reviewer", "other_reviewer", "editor", "admin", "outsider")
METHODS = ("GET", "POST")


# --- Walking the URL configuration -------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name", namespaces joined outermost first; None if the pattern has no name
    route: str  # the full pattern text, for messages

    @property
    def in_admin(self):
        return (self.name or "").startswith("admin:") or self.route.startswith("admin/")

    @property
    def in_api(self):
        """The API's operations have their own matrix (tests/api/test_permissions.py: tokens and scopes too)."""
        return (self.name or "").startswith("api:")


def walk(patterns, namespace=None, prefix=""):
    """Every URL pattern under `patterns`, recursively, with its namespaced name and full route."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(name, prefix + str(pattern.pattern))


def project_routes():
    return list(walk(get_resolver().url_patterns))


def coverage_problems(routes, table):
    """What keeps the table from covering `routes` outside the admin: messages naming each gap."""
    outside = [route for route in routes if not route.in_admin and not route.in_api]
    names = {route.name for route in outside if route.name}
    problems = [f"URL pattern {route.route!r} has no name, so the matrix cannot list it" for route in outside
                if route.name is None]
    problems += [f"URL {name!r} has no entry in the permission matrix" for name in sorted(names - set(table))]
    problems += [f"matrix entry {name!r} matches no URL" for name in sorted(set(table) - names)]
    return problems


# --- Expected outcomes -------------------------------------------------------------------------

@dataclass
class Redirect:
    to: str  # URL name
    args: Callable = lambda world: ()
    with_next: bool = False  # ?next=<the requested path>, as redirect_to_login adds

    def url(self, world, requested):
        url = reverse(self.to, args=self.args(world))
        return f"{url}?{urlencode({'next': requested}, safe='/')}" if self.with_next else url

    def __repr__(self):
        return f"302 to {self.to}" + (" ?next=" if self.with_next else "")


LOGIN = Redirect("login", with_next=True)  # LoginRequiredMiddleware
ADMIN_LOGIN = Redirect("admin:login", with_next=True)  # the admin site's own check for staff
TO_QUEUE = Redirect("annotations:queue")
TO_ARTICLES = Redirect("annotations:articles")


def each(*, anonymous, reviewer, other_reviewer, editor, admin, outsider):
    """One expected outcome per user: all six must be written down."""
    return dict(anonymous=anonymous, reviewer=reviewer, other_reviewer=other_reviewer, editor=editor, admin=admin,
                outsider=outsider)


def alike(outcome, anonymous=LOGIN):
    """The same outcome for every signed-in user (anonymous visitors get `anonymous`)."""
    return each(anonymous=anonymous, reviewer=outcome, other_reviewer=outcome, editor=outcome, admin=outcome,
                outsider=outcome)


def scores_only(outcome=200):
    """Pages that reveal reviewers' flags: editors and admins only."""
    return each(anonymous=LOGIN, reviewer=403, other_reviewer=403, editor=outcome, admin=outcome, outsider=403)


@dataclass
class Entry:
    GET: dict
    POST: dict
    kwargs: Callable = lambda world: {}
    data: Callable = lambda world: {}  # the POST body; empty unless said


ARTICLE = lambda world: {"pk": world.article.pk}  # noqa: E731
CAMPAIGN = lambda world: {"pk": world.campaign.pk}  # noqa: E731
TO_CAMPAIGN = Redirect("campaigns:detail", args=lambda world: [world.campaign.pk])

MATRIX = {
    # django.contrib.auth.urls' login and password change; the login page is open to everyone.
    "login": Entry(GET=alike(200, anonymous=200), POST=alike(200, anonymous=200)),  # empty form: errors shown
    "logout": Entry(GET=alike(405), POST=alike(Redirect("login"))),
    "password_change": Entry(GET=alike(200), POST=alike(200)),  # empty form: errors shown
    "password_change_done": Entry(GET=alike(200), POST=alike(405)),
    # dossier
    "dossier:home": Entry(
        GET=each(anonymous=LOGIN, reviewer=TO_QUEUE, other_reviewer=TO_QUEUE, editor=TO_ARTICLES, admin=TO_ARTICLES,
                 outsider=TO_ARTICLES),  # and the articles table refuses outsiders
        POST=alike(405),
    ),
    "dossier:article-detail": Entry(
        GET=each(anonymous=LOGIN, reviewer=200, other_reviewer=200, editor=200, admin=200, outsider=403),
        POST=each(anonymous=LOGIN, reviewer=405, other_reviewer=405, editor=405, admin=405, outsider=403),
        kwargs=ARTICLE,
    ),
    "dossier:article-version": Entry(
        GET=each(anonymous=LOGIN, reviewer=200, other_reviewer=200, editor=200, admin=200, outsider=403),
        POST=each(anonymous=LOGIN, reviewer=405, other_reviewer=405, editor=405, admin=405, outsider=403),
        kwargs=lambda world: {"pk": world.article.pk, "number": 1},
    ),
    "dossier:archive": Entry(
        GET=each(anonymous=LOGIN, reviewer=200, other_reviewer=200, editor=200, admin=200, outsider=403),
        POST=alike(405),
        kwargs=lambda world: {"pk": world.archive.pk},
    ),
    # A job's progress: for who started it (here the admin) and admins.
    "dossier:job": Entry(
        GET=each(anonymous=LOGIN, reviewer=403, other_reviewer=403, editor=403, admin=200, outsider=403),
        POST=each(anonymous=LOGIN, reviewer=405, other_reviewer=405, editor=405, admin=405, outsider=405),
        kwargs=lambda world: {"pk": world.job.pk},
    ),
    # annotations: scores for editors and admins
    "annotations:articles": Entry(
        GET=each(anonymous=LOGIN, reviewer=TO_QUEUE, other_reviewer=TO_QUEUE, editor=200, admin=200, outsider=403),
        POST=each(anonymous=LOGIN, reviewer=TO_QUEUE, other_reviewer=TO_QUEUE, editor=405, admin=405,
                  outsider=403),
    ),
    "annotations:summary": Entry(GET=scores_only(), POST=alike(405), kwargs=ARTICLE),
    "annotations:compare": Entry(GET=scores_only(), POST=alike(405), kwargs=ARTICLE),
    "annotations:outlets": Entry(GET=scores_only(), POST=scores_only(405)),  # role checked before the method
    "annotations:outlet": Entry(GET=scores_only(), POST=alike(405), kwargs=lambda world: {"pk": world.outlet.pk}),
    "annotations:authors": Entry(GET=scores_only(), POST=scores_only(405)),
    "annotations:author": Entry(GET=scores_only(), POST=alike(405), kwargs=lambda world: {"pk": world.author.pk}),
    # annotations: exports, for editors and admins (the table's own exports are the articles URL's)
    "annotations:report": Entry(GET=scores_only(), POST=alike(405), kwargs=ARTICLE),
    "annotations:report-json": Entry(GET=scores_only(), POST=alike(405), kwargs=ARTICLE),
    "annotations:article-annotations": Entry(GET=scores_only(), POST=alike(405), kwargs=ARTICLE),
    "annotations:annotation-collection": Entry(GET=scores_only(), POST=alike(405)),
    "annotations:annotation": Entry(
        GET=scores_only(), POST=alike(405),
        kwargs=lambda world: {"pk": Annotation.objects.filter(review__article=world.article).first().pk},
    ),
    # A big export's file: for the editor who started it only; another admin is told it does not exist.
    "annotations:export-file": Entry(
        GET=each(anonymous=LOGIN, reviewer=403, other_reviewer=403, editor=200, admin=404, outsider=403),
        POST=alike(405), kwargs=lambda world: {"pk": world.export_job.pk},
    ),
    # annotations: the audit trail, for editors and admins
    "annotations:history": Entry(GET=scores_only(), POST=alike(405), kwargs=ARTICLE),
    "annotations:restore": Entry(
        GET=alike(405),
        # A real deletion record (rita took a flag off before submitting): editors and admins restore it.
        POST=scores_only(Redirect("annotations:history", args=lambda world: [world.article.pk])),
        kwargs=lambda world: {"pk": world.article.pk, "history_id": world.removed_flag_record.history_id},
    ),
    # annotations: the reviewers' own work
    "annotations:queue": Entry(
        GET=each(anonymous=LOGIN, reviewer=200, other_reviewer=200, editor=403, admin=403, outsider=403),
        POST=each(anonymous=LOGIN, reviewer=405, other_reviewer=405, editor=403, admin=403, outsider=403),
    ),
    "annotations:next": Entry(  # both reviewers submitted the only article: back to the queue
        GET=each(anonymous=LOGIN, reviewer=TO_QUEUE, other_reviewer=TO_QUEUE, editor=403, admin=403, outsider=403),
        POST=alike(405),
    ),
    "annotations:workspace": Entry(
        GET=each(anonymous=LOGIN, reviewer=200, other_reviewer=200, editor=200, admin=200, outsider=403),
        POST=each(anonymous=LOGIN, reviewer=405, other_reviewer=405, editor=405, admin=405, outsider=405),
        kwargs=ARTICLE,
    ),
    "annotations:annotate": Entry(
        GET=alike(405),
        # A valid body (flag "q" on the first passage): each reviewer reaches their *own* review, which
        # is submitted, so 409; anyone else is refused before the body is read.
        POST=each(anonymous=LOGIN, reviewer=409, other_reviewer=409, editor=403, admin=403, outsider=403),
        kwargs=ARTICLE,
        data=lambda world: {"passage": world.passage.pk, "flag": world.flag.pk, "on": "1"},
    ),
    "annotations:submit": Entry(
        GET=alike(405),
        # An empty body (all submit needs): submitting one's own submitted review again changes nothing.
        POST=each(anonymous=LOGIN, reviewer=Redirect("annotations:workspace", args=lambda world: [world.article.pk]),
                  other_reviewer=Redirect("annotations:workspace", args=lambda world: [world.article.pk]),
                  editor=403, admin=403, outsider=403),
        kwargs=ARTICLE,
    ),
    "annotations:flag-styles": Entry(GET=alike(200), POST=alike(405)),
    # api: a user's own token page (an empty form shows its errors); revoking another's token, or none, is a 404.
    "tokens:list": Entry(GET=alike(200), POST=alike(200)),
    "tokens:revoke": Entry(GET=alike(405), POST=alike(404), kwargs=lambda world: {"pk": 999_999}),
    # campaigns: editors and admins plan and run them (reviewers meet them in their queue)
    "campaigns:list": Entry(GET=scores_only(), POST=alike(405)),
    "campaigns:create": Entry(GET=scores_only(), POST=scores_only()),  # empty form: errors shown
    # Rows from the articles table: no rows picked is said in words (a 400 for the empty POST).
    "campaigns:add-from-table": Entry(GET=scores_only(), POST=scores_only(400)),
    "campaigns:detail": Entry(GET=scores_only(), POST=alike(405), kwargs=CAMPAIGN),
    # Already open: nothing changes, and the editor is sent back to the campaign page.
    "campaigns:open": Entry(GET=alike(405), POST=scores_only(TO_CAMPAIGN), kwargs=CAMPAIGN),
    "campaigns:close": Entry(GET=alike(405), POST=scores_only(TO_CAMPAIGN), kwargs=CAMPAIGN),
    # Empty bodies: a message says what is missing.
    "campaigns:add-articles": Entry(GET=alike(405), POST=scores_only(TO_CAMPAIGN), kwargs=CAMPAIGN),
    "campaigns:add-reviewers": Entry(GET=alike(405), POST=scores_only(TO_CAMPAIGN), kwargs=CAMPAIGN),
    "campaigns:remove-reviewer": Entry(
        GET=alike(405), POST=scores_only(TO_CAMPAIGN),
        kwargs=lambda world: {"pk": world.campaign.pk, "reviewer_pk": world.users["reviewer"].pk},
    ),
    "campaigns:adjudication": Entry(GET=scores_only(), POST=alike(405), kwargs=CAMPAIGN),
    "campaigns:adjudicate": Entry(  # the first passage is disputed (sourced vs unsourced); an empty ruling: errors
        GET=scores_only(), POST=scores_only(),
        kwargs=lambda world: {"pk": world.campaign.pk, "passage_pk": world.passage.pk},
    ),
}



# --- Fixtures and helpers ----------------------------------------------------------------------

@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Six users per test with the real hasher cost seconds; no test here checks a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(reviewer, other_reviewer, editor, admin, outsider):
    """One article with an outlet and an author, reviewed and submitted by both reviewers."""
    article = make_article(title="Matrix article", body="First claim. Second claim.\n\nThird claim.",
                           outlet="Matrix Outlet", authors=["Mia Matrix"])
    passages = list(article.passages.all())
    flag = Flag.objects.get(shortcut="q")
    rita = make_review(article, reviewer, {0: "q", 1: "u"}, submit=False)
    rita.set_flag(passages[1], Flag.objects.get(shortcut="u"), False)  # leaves a deletion record to restore
    rita.submit()
    make_review(article, other_reviewer, {0: "u", 2: "o"})
    ArticleVersion.objects.create(article=article, number=1, title="Earlier", body="Old claim.",
                                  passages=[[0, 0, 0, 10]], content_hash="0" * 64, imported_at=article.imported_at)
    archive = Archive.objects.create(article=article, version=1, url="https://news.example/", status=200,
                                     content_type="text/html", fetched_at=article.imported_at, size=4,
                                     data=Archive.compress(b"<p>"))
    Source.objects.create(kind=Source.Kind.FEED, url="https://news.example/feed", outlet=article.outlet)
    # An open campaign over it (both reviewers assigned), a ruling on its disputed first passage, a conflict.
    campaign = Campaign.objects.plan("Matrix campaign", [article.pk], [reviewer, other_reviewer], seed=1)
    campaign.open()
    Ruling.objects.rule(passages[0], "sourced", "On record.", editor)
    Conflict.objects.create(reviewer=reviewer, outlet=Outlet.objects.create(name="Rival Outlet"))
    export_job = Job.objects.create(kind=Job.Kind.EXPORT, status=Job.Status.DONE, created_by=editor)
    JobFile.objects.create(job=export_job, name="dossier-articles.csv", data=b"ID\n")
    return SimpleNamespace(
        campaign=campaign,
        export_job=export_job,
        archive=archive, job=Job.objects.create(kind=Job.Kind.IMPORT, created_by=admin),
        article=article, outlet=article.outlet, author=article.authors.get(), passage=passages[0], flag=flag,
        removed_flag_record=Annotation.history.get(review_id=rita.pk, history_type="-"),
        users={"anonymous": None, "reviewer": reviewer, "other_reviewer": other_reviewer, "editor": editor,
               "admin": admin, "outsider": outsider},
    )


def client_for(user, **options):
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


def mismatch(response, expected, world, requested):
    """None if the response is the expected outcome, else what differed."""
    if isinstance(expected, Redirect):
        want = expected.url(world, requested)
        got = response.get("Location") if response.status_code in (301, 302) else None
        if response.status_code == 302 and got == want:
            return None
        return f"expected 302 to {want}, got {response.status_code}" + (f" to {got}" if got else "")
    if response.status_code == expected:
        return None
    return f"expected {expected}, got {response.status_code}"


def refused(expected):
    return expected in (400, 403, 405, 409) or expected in (LOGIN, ADMIN_LOGIN)


def reviews_state():
    """Every review with its status and flags: a refused request must leave this unchanged."""
    return {
        review.pk: (review.status, review.submitted_at,
                    sorted(review.annotations.values_list("passage_id", "flag_id", "note")))
        for review in Review.objects.all()
    }


def matrix_cases():
    return [(name, user, method) for name in MATRIX for user in USERS for method in METHODS]


# --- Coverage: the matrix lists every URL ------------------------------------------------------

def test_every_named_url_outside_the_admin_has_an_entry_in_the_matrix():
    problems = coverage_problems(project_routes(), MATRIX)
    assert not problems, "\n".join(problems)


def test_every_matrix_entry_writes_down_all_six_users_for_get_and_post():
    for name, entry in MATRIX.items():
        for method in METHODS:
            assert set(getattr(entry, method)) == set(USERS), (name, method)


def _view(request):
    return HttpResponse()


def test_the_coverage_check_names_new_urls_unnamed_urls_and_stale_entries_but_not_admin_ones():
    patterns = [
        path("admin/", include(([path("", _view, name="index"), path("anything/", _view)], "admin"))),
        path("", include(([path("old/", _view, name="old"),
                           path("deep/", include(([path("new/", _view, name="new")], "inner")))], "outer"))),
        path("top/", _view, name="top"),
        path("nameless/", _view),
    ]
    routes = list(walk(patterns))
    assert {route.name for route in routes} == {"admin:index", None, "outer:old", "outer:inner:new", "top"}
    assert Route("outer:inner:new", "deep/new/") in routes
    problems = coverage_problems(routes, {"outer:old": None, "top": None, "gone": None})
    assert problems == [
        "URL pattern 'nameless/' has no name, so the matrix cannot list it",
        "URL 'outer:inner:new' has no entry in the permission matrix",
        "matrix entry 'gone' matches no URL",
    ]
    assert coverage_problems(routes, {"outer:old": None, "outer:inner:new": None, "top": None}) == [
        "URL pattern 'nameless/' has no name, so the matrix cannot list it",
    ]


# --- The matrix --------------------------------------------------------------------------------

@pytest.mark.parametrize("user_key", USERS)
def test_each_user_gets_the_written_down_answer_from_every_url_and_method(user_key, world):
    """One request per URL name and method; all differences are reported together."""
    user = world.users[user_key]
    failures = coverage_problems(project_routes(), MATRIX)  # a URL without an entry fails here too
    for name, entry in MATRIX.items():
        try:
            url = reverse(name, kwargs=entry.kwargs(world))
        except NoReverseMatch as error:
            failures.append(f"{name}: cannot build its URL: {error}")
            continue
        for method in METHODS:
            expected = getattr(entry, method)[user_key]
            before = reviews_state()
            client = client_for(user)
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, entry.data(world))
            if problem := mismatch(response, expected, world, url):
                failures.append(f"{method} {url} ({name}) as {user_key}: {problem}")
            after = reviews_state()
            changed = {pk for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)}
            if refused(expected) and changed:
                failures.append(f"{method} {url} ({name}) as {user_key} was refused but changed reviews {changed}")
            if user_key in ("reviewer", "other_reviewer"):
                own = set(Review.objects.filter(reviewer=user).values_list("pk", flat=True))
                if changed - own:
                    failures.append(f"{method} {url} ({name}) as {user_key} changed someone else's review")
    assert not failures, "\n".join(failures)


def test_a_signed_in_reviewers_post_without_a_csrf_token_is_refused_everywhere(world):
    client = client_for(world.users["reviewer"], enforce_csrf_checks=True)
    for name, entry in MATRIX.items():
        url = reverse(name, kwargs=entry.kwargs(world))
        response = client.post(url, entry.data(world))
        assert response.status_code == 403, (name, response.status_code)
        assert b"This form has expired" in response.content, name  # templates/403_csrf.html
    # With the page's token the same client's submit goes through: the 403s above were CSRF's.
    page = client.get(reverse("annotations:workspace", args=[world.article.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(reverse("annotations:submit", args=[world.article.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("annotations:workspace", args=[world.article.pk])


# --- The admin: a rule on a representative set -------------------------------------------------

ADMIN_SITE_VIEWS = {  # the AdminSite's own URL names
    "index", "login", "logout", "password_change", "password_change_done", "autocomplete", "jsi18n",
    "view_on_site", "app_list",
}
GENERATED_SUFFIXES = ("changelist", "add", "history", "delete", "change", "simple_history")  # by ModelAdmin
# Hand-written admin views: each must appear in ADMIN_CASES with a decision.
CUSTOM_ADMIN_VIEWS = {"dossier_article_import", "dossier_source_poll", "auth_user_password_change",
                      "webhooks_webhook_test"}
ONLY_SUPERUSERS_APPS = {"axes"}  # the Admin role has no permissions on login attempts


def admin_url_names():
    return {route.name.removeprefix("admin:") for route in project_routes() if route.name and route.in_admin}


def registered_prefixes():
    return {f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin_site_module.site._registry}


def admin_url_owner(name):
    """The registered model an admin URL name belongs to, "site" for the AdminSite's own, else None."""
    if name in ADMIN_SITE_VIEWS:
        return "site"
    for prefix, model in registered_prefixes().items():
        if name in CUSTOM_ADMIN_VIEWS and name.startswith(prefix + "_"):
            return model
        if any(name == f"{prefix}_{suffix}" for suffix in GENERATED_SUFFIXES):
            return model
    return None


def test_every_admin_url_belongs_to_the_admin_site_or_a_registered_model():
    unknown = sorted(name for name in admin_url_names() if admin_url_owner(name) is None)
    assert not unknown, f"admin URLs with no owner or no entry in CUSTOM_ADMIN_VIEWS/ADMIN_CASES: {unknown}"
    assert admin_url_owner("index") == "site"
    assert admin_url_owner("dossier_article_import").__name__ == "Article"
    assert admin_url_owner("dossier_article_frobnicate") is None  # a new hand-written view needs an entry
    assert admin_url_owner("nothere_model_changelist") is None


@pytest.fixture
def admin_objects(world, admin):
    """One object of every registered model, for the URLs that take an object id."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    common = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "someone", "http_accept": "*/*",
              "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**common)
    AccessFailureLog.objects.create(**common)
    Export.objects.create(username="ed", via="web", kind="table", format="csv", rows=1)
    # Never reached: the matrix's requests are refused, or are GETs (the test button only sends on a POST).
    Webhook.objects.create(name="Matrix hook", url="https://hooks.example/", events=["review.submitted"])
    Token.objects.issue(admin, "admin objects", ["read"])
    objects = {}
    for prefix, model in registered_prefixes().items():
        objects[prefix] = model.objects.order_by("pk").first()
        assert objects[prefix] is not None, prefix
    objects["auth_user"] = admin
    objects["auth_group"] = Group.objects.get(name="Reviewer")
    for obj in objects.values():
        if hasattr(obj, "history") and not obj.history.exists():
            obj.save()  # the default flags predate their history table: give each object a record
    return objects


def admin_cases(objects):
    """(url name, args, the staff admin's expected GET status) for the representative set."""
    cases = [
        ("index", [], 200),
        ("password_change", [], 200),
        ("dossier_article_changelist", [], 200),
        ("dossier_article_import", [], 200),
        ("dossier_source_changelist", [], 200),
        ("dossier_source_poll", [], 200),
        ("dossier_article_add", [], 403),  # articles come in through the import page only
        ("annotations_review_changelist", [], 200),
        ("annotations_review_add", [], 403),  # reviews are made by reviewers, not in the admin
        ("annotations_flag_changelist", [], 200),
        ("annotations_export_changelist", [], 200),  # the export log: read only
        ("annotations_export_add", [], 403),
        ("auth_user_password_change", [objects["auth_user"].pk], 200),
        ("webhooks_webhook_changelist", [], 200),
        ("webhooks_webhook_change", [objects["webhooks_webhook"].pk], 200),
        ("webhooks_webhook_test", [objects["webhooks_webhook"].pk], 405),  # sends on a POST only
    ]
    for name in sorted(admin_url_names()):
        prefix = name.removesuffix("_simple_history").removesuffix("_history")
        if prefix == name:
            continue
        obj = objects[prefix]
        args = [obj.pk] if name.endswith("_history") and not name.endswith("_simple_history") else None
        if args is None:
            args = [obj.pk, obj.history.order_by("history_id").first().history_id]
        cases.append((name, args, 403 if obj._meta.app_label in ONLY_SUPERUSERS_APPS else 200))
    return cases


def test_the_representative_admin_set_has_every_history_url_and_every_custom_view(admin_objects):
    names = {name for name, _, _ in admin_cases(admin_objects)}
    history = {name for name in admin_url_names() if name.endswith("history")}
    assert history and history <= names
    assert CUSTOM_ADMIN_VIEWS <= names
    assert {"index", "dossier_article_changelist", "dossier_article_import", "annotations_review_changelist",
            "annotations_flag_changelist"} <= names


def test_only_the_staff_admin_gets_into_the_admin_and_everyone_else_is_sent_to_a_login(world, admin_objects):
    failures = []
    for name, args, staff_status in admin_cases(admin_objects):
        url = reverse(f"admin:{name}", args=args)
        for user_key in USERS:
            for method in METHODS:
                if user_key == "admin":
                    if method == "POST":
                        continue  # the staff admin's POSTs are the admin's own business, not an access decision
                    expected = staff_status
                elif user_key == "anonymous":
                    # LoginRequiredMiddleware answers first; Django gives the AdminSite's own views the
                    # admin login as their login_url, but not the ModelAdmins' views.
                    expected = ADMIN_LOGIN if name in ADMIN_SITE_VIEWS else LOGIN
                else:
                    expected = ADMIN_LOGIN  # signed in but not staff
                before = reviews_state()
                client = client_for(world.users[user_key])
                response = client.get(url) if method == "GET" else client.post(url, {})
                if problem := mismatch(response, expected, world, url):
                    failures.append(f"{method} {url} as {user_key}: {problem}")
                if before != reviews_state():
                    failures.append(f"{method} {url} as {user_key} changed reviews")
    assert not failures, "\n".join(failures)


def test_the_staff_admin_can_post_the_import_form_and_gets_it_back_with_errors_when_it_has_no_files(world):
    response = client_for(world.users["admin"]).post(reverse("admin:dossier_article_import"), {"language": "en"})
    assert response.status_code == 200
    assert "files" in response.context["form"].errors


def test_the_staff_admin_who_may_only_view_reviews_cannot_revert_one_through_its_history(world):
    review = Review.objects.get(article=world.article, reviewer=world.users["reviewer"])
    first = review.history.order_by("history_id").first()  # created, still in progress
    response = client_for(world.users["admin"]).post(
        reverse("admin:annotations_review_simple_history", args=[review.pk, first.history_id]), {})
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert response.status_code == 403


# --- No anonymous password reset ---------------------------------------------------------------

RESET_PATHS = ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/MQ/set-password/",
               "/accounts/reset/MQ/not-a-real-token/", "/accounts/reset/done/"]


@pytest.mark.parametrize("user_key", ["anonymous", "reviewer", "admin"])
def test_there_is_no_password_reset_flow_for_anyone(world, user_key):
    """No e-mail goes out from Dossier: admins set a forgotten password in the admin."""
    client = client_for(world.users[user_key])
    for url in RESET_PATHS:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"email": world.users["reviewer"].email or "rita@example.org"}).status_code == 404, url
    for name in ("password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, kwargs={"uidb64": "MQ", "token": "x"} if name == "password_reset_confirm" else None)
    for page in ("/accounts/login/", "/admin/login/"):
        assert "password_reset" not in Client().get(page).content.decode()


def test_no_template_links_to_a_password_reset_page():
    from pathlib import Path

    from django.conf import settings

    templates = [path for path in Path(settings.BASE_DIR, "templates").rglob("*.html")]
    assert templates
    assert [path for path in templates if "password_reset" in path.read_text(encoding="utf-8")] == []


# --- Deactivated users' sessions end, however they were deactivated ----------------------------

@pytest.mark.parametrize("how", ["update", "loaddata-like raw save"])
def test_a_user_deactivated_behind_the_admins_back_stays_logged_out_after_reactivation(world, how):
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    reviewer = world.users["reviewer"]
    client = client_for(reviewer)
    queue = reverse("annotations:queue")
    assert client.get(queue).status_code == 200

    if how == "update":
        User.objects.filter(pk=reviewer.pk).update(is_active=False)
    else:  # what loaddata does: a raw save, which the deactivation signal ignores
        reviewer.is_active = False
        reviewer.save_base(raw=True)
    assert Session.objects.count() == 1  # nothing ended it yet
    assert client.get(queue).status_code == 302  # anonymous now
    assert Session.objects.count() == 0  # and the session is gone

    User.objects.filter(pk=reviewer.pk).update(is_active=True)
    response = client.get(queue)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Huge ids in URLs --------------------------------------------------------------------------

CONVERTED = re.compile(r"<(?:(\w+):)?(\w+)>")
HUGE_ID = "9" * 25


def id_routes():
    """Every route outside the admin that takes a number: (name, route text)."""
    return [(route.name, route.route) for route in project_routes()
            if not route.in_admin and any(conv in ("int", "id") for conv, _ in CONVERTED.findall(route.route))]


def huge_id_cases():
    return [
        pytest.param(name, route, method, id=f"{method} {name}") for name, route in id_routes() for method in METHODS
    ]


def test_every_numbered_route_takes_its_number_through_the_bounded_converter():
    assert [route for _, route in id_routes() if "<int:" in route] == []


def test_huge_id_cases_cover_the_article_pages_and_restore():
    names = {name for name, _ in id_routes()}
    assert {"dossier:article-detail", "annotations:restore", "annotations:summary", "annotations:annotation"} <= names


@pytest.mark.parametrize(("name", "route", "method"), huge_id_cases())
def test_an_id_too_big_for_the_database_is_a_404_on_every_url(world, name, route, method):
    path_ = "/" + CONVERTED.sub(HUGE_ID, route)
    for user_key in ("editor", "reviewer", "admin"):
        client = client_for(world.users[user_key], raise_request_exception=False)
        response = client.get(path_) if method == "GET" else client.post(path_, {})
        assert response.status_code == 404, f"{method} {path_} as {user_key}: {response.status_code}"


def test_the_id_converter_takes_at_most_18_digits():
    from django.urls import Resolver404, resolve

    assert resolve(f"/articles/{'9' * 18}/").kwargs == {"pk": 999_999_999_999_999_999}
    assert 999_999_999_999_999_999 < 2**63 - 1
    for too_big in ("9" * 19, HUGE_ID, "-1", "1.0", "٣"):
        with pytest.raises(Resolver404):
            resolve(f"/articles/{too_big}/")
    assert reverse("dossier:article-detail", args=[7]) == "/articles/7/"


# --- The admin with staff reviewers and editors: blind review holds there too -------------------

TO_ADMIN_INDEX = Redirect("admin:index")  # the admin's "does not exist" answer for an object it will not show
STAFF = ("staff_reviewer", "staff_reviewer_with_view", "staff_editor", "admin")


@pytest.fixture
def staff_world(world, django_user_model):
    """Rita (a reviewer) given staff status; Rob's review in progress on a second article, with a note."""
    from django.contrib.auth.models import Permission

    reviewer, editor = world.users["reviewer"], world.users["editor"]
    django_user_model.objects.filter(pk__in=[reviewer.pk, editor.pk]).update(is_staff=True)
    nosy = django_user_model.objects.create_user("nora", password="x", is_staff=True)
    nosy.groups.add(Group.objects.get(name="Reviewer"))
    # As if a superuser granted viewing reviews to one reviewer: the admin still shows only her own.
    nosy.user_permissions.add(*Permission.objects.filter(codename__in=["view_review", "view_annotation"]))
    second = make_article(title="Second matrix article", body="A claim. Another claim.")
    draft = make_review(second, world.users["other_reviewer"], {0: "u"}, submit=False)
    draft.annotations.update(note="rob's private draft note")
    own = make_review(second, nosy, {1: "q"}, submit=False)
    world.users.update(staff_reviewer=django_user_model.objects.get(pk=reviewer.pk), staff_reviewer_with_view=nosy,
                       staff_editor=django_user_model.objects.get(pk=editor.pk))
    return SimpleNamespace(world=world, draft=draft, own={"staff_reviewer_with_view": own,
                                                         "staff_reviewer": Review.objects.get(reviewer=reviewer)})


def review_admin_cases(staff_world):
    """(label, url, {user: expected GET}, {user: expected POST}) for the Review and Annotation admin pages."""
    draft = staff_world.draft
    own = staff_world.own["staff_reviewer_with_view"]
    rita = staff_world.own["staff_reviewer"]
    history = lambda review: review.history.order_by("history_id").first().history_id  # noqa: E731
    all_see = lambda outcome: dict(staff_editor=outcome, admin=outcome)  # noqa: E731
    gone = dict.fromkeys(STAFF, 404)
    return [
        ("review list", reverse("admin:annotations_review_changelist"),
         dict(staff_reviewer=403, staff_reviewer_with_view=200, **all_see(200)),
         dict(staff_reviewer=403, staff_reviewer_with_view=200, **all_see(200))),  # POST without an action: the list
        ("someone else's draft review", reverse("admin:annotations_review_change", args=[draft.pk]),
         dict(staff_reviewer=403, staff_reviewer_with_view=TO_ADMIN_INDEX, **all_see(200)),
         dict(staff_reviewer=403, staff_reviewer_with_view=403, **all_see(403))),
        ("rita's submitted review", reverse("admin:annotations_review_change", args=[rita.pk]),
         dict(staff_reviewer=403, staff_reviewer_with_view=TO_ADMIN_INDEX, **all_see(200)),
         dict(staff_reviewer=403, staff_reviewer_with_view=403, **all_see(403))),
        ("nora's own review", reverse("admin:annotations_review_change", args=[own.pk]),
         dict(staff_reviewer=403, staff_reviewer_with_view=200, **all_see(200)),
         dict(staff_reviewer=403, staff_reviewer_with_view=403, **all_see(403))),
        ("someone else's review's history", reverse("admin:annotations_review_history", args=[draft.pk]),
         dict(staff_reviewer=404, staff_reviewer_with_view=404, **all_see(200)),
         dict(staff_reviewer=404, staff_reviewer_with_view=404, **all_see(200))),
        ("one's own review's history", reverse("admin:annotations_review_history", args=[own.pk]),
         dict(staff_reviewer=404, staff_reviewer_with_view=200, **all_see(200)),
         dict(staff_reviewer=404, staff_reviewer_with_view=200, **all_see(200))),
        ("someone else's review's past version",
         reverse("admin:annotations_review_simple_history", args=[draft.pk, history(draft)]),
         dict(staff_reviewer=404, staff_reviewer_with_view=404, **all_see(200)),
         dict(staff_reviewer=404, staff_reviewer_with_view=404, **all_see(403))),
        ("one's own review's past version",
         reverse("admin:annotations_review_simple_history", args=[own.pk, history(own)]),
         dict(staff_reviewer=404, staff_reviewer_with_view=200, **all_see(200)),
         dict(staff_reviewer=404, staff_reviewer_with_view=403, **all_see(403))),
        # Annotations have no admin of their own: they show, read only, inside their review.
        ("annotation list", "/admin/annotations/annotation/", gone, gone),
        ("an annotation", f"/admin/annotations/annotation/{draft.annotations.get().pk}/change/",
         gone, gone),
        ("an annotation's history", f"/admin/annotations/annotation/{draft.annotations.get().pk}/history/",
         gone, gone),
    ]


def audit_state():
    return (reviews_state(), Review.history.count(), Annotation.history.count())


def test_staff_reviewers_see_no_one_elses_review_in_the_admin_and_nobody_changes_one_there(staff_world):
    world = staff_world.world
    failures = []
    for label, url, expected_get, expected_post in review_admin_cases(staff_world):
        for user_key in STAFF:
            client = client_for(world.users[user_key])
            for method, expected in (("GET", expected_get[user_key]), ("POST", expected_post[user_key])):
                before = audit_state()
                if method == "GET":
                    response = client.get(url)
                else:  # what the change form would send, with the draft's note changed
                    response = client.post(url, {"status": "submitted", "annotations-TOTAL_FORMS": "0",
                                                 "annotations-INITIAL_FORMS": "0", "_save": "Save"})
                if problem := mismatch(response, expected, world, url):
                    failures.append(f"{method} {label} {url} as {user_key}: {problem}")
                if audit_state() != before:
                    failures.append(f"{method} {label} {url} as {user_key} changed a review or its history")
                if user_key.startswith("staff_reviewer") and b"private draft note" in response.content:
                    failures.append(f"{method} {label} {url} as {user_key} showed rob's draft note")
    assert not failures, "\n".join(failures)


def test_a_reviewer_who_may_view_reviews_in_the_admin_lists_only_her_own(staff_world):
    world = staff_world.world
    response = client_for(world.users["staff_reviewer_with_view"]).get(reverse("admin:annotations_review_changelist"))
    assert [review.pk for review in response.context["cl"].result_list] == [
        staff_world.own["staff_reviewer_with_view"].pk
    ]
    everything = client_for(world.users["staff_editor"]).get(reverse("admin:annotations_review_changelist"))
    assert everything.context["cl"].result_count == Review.objects.count() == 4


def test_roles_hold_only_the_model_permissions_their_work_needs():
    def held(role):
        return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}

    views = {"dossier.view_article", "dossier.view_passage", "dossier.view_outlet", "dossier.view_author",
             "annotations.view_flag"}
    assert held("Reviewer") == views
    assert held("Editor") == views | {"annotations.view_review", "annotations.view_annotation",
                                      "annotations.view_codebookversion"}
    admin_perms = held("Admin")
    assert {"dossier.import_article", "annotations.view_review", "annotations.view_export",
            "annotations.view_codebookversion"} <= admin_perms
    assert not {perm for perm in admin_perms if perm.endswith(("_review", "_annotation", "_export", "_codebookversion"))
                and not perm.split(".")[1].startswith("view_")}
