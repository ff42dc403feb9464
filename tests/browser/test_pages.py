"""Every page in a real Chromium: usable at phone width, accessible (axe-core), legible on paper, right-to-left.

PAGES is the one list of pages, each with the user who sees it; the phone-width and axe tests both run over it.
"""
from dataclasses import dataclass

import pytest
from django.urls import reverse
from factories import make_article, make_review

from dossier.models import Author

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}

PERSIAN_TITLE = "گزارش امنیت مرزی ایران و پاکستان"
PERSIAN_BODY = (
    "وزارت امور خارجه ایران اعلام کرد که گفتگوها ادامه دارد. گزارش‌ها حاکی از افزایش تنش است.\n\n"
    "به گفته تحلیلگران، این وضعیت پایدار نیست. دولت هنوز واکنشی نشان نداده است."
)


@dataclass(frozen=True)
class Page:
    name: str
    user: str | None  # who logs in (the conftest cast: ada admin, ed editor, rita reviewer); None: nobody
    path: object  # corpus -> the page's path
    status: int = 200


# Editors' pages are opened by the admin, whose header holds the most links (the widest navigation).
PAGES = [
    Page("login", None, lambda corpus: reverse("login")),
    Page("queue", "rita", lambda corpus: reverse("annotations:queue")),
    Page("articles", "ada", lambda corpus: reverse("annotations:articles")),
    Page("outlets", "ed", lambda corpus: reverse("annotations:outlets")),
    Page("authors", "ed", lambda corpus: reverse("annotations:authors")),
    Page("outlet", "ed", lambda corpus: reverse("annotations:outlet", args=[corpus.article.outlet_id])),
    Page("author", "ed", lambda corpus: reverse("annotations:author", args=[corpus.author.pk])),
    Page("reading", "rita", lambda corpus: corpus.article.get_absolute_url()),
    Page("summary", "ada", lambda corpus: reverse("annotations:summary", args=[corpus.article.pk])),
    Page("compare", "ed", lambda corpus: reverse("annotations:compare", args=[corpus.article.pk])),
    Page("report", "ed", lambda corpus: reverse("annotations:report", args=[corpus.article.pk])),
    Page("history", "ed", lambda corpus: reverse("annotations:history", args=[corpus.article.pk])),
    Page("workspace", "rita", lambda corpus: reverse("annotations:workspace", args=[corpus.article.pk])),
    Page("persian summary", "ed", lambda corpus: reverse("annotations:summary", args=[corpus.persian.pk])),
    Page("persian compare", "ed", lambda corpus: reverse("annotations:compare", args=[corpus.persian.pk])),
    Page("not found", "ed", lambda corpus: "/articles/999999999/", status=404),
    Page("forbidden", "rita", lambda corpus: reverse("annotations:outlets"), status=403),
]


@dataclass(frozen=True)
class Corpus:
    article: object
    author: object
    persian: object


@pytest.fixture
def corpus(admin, editor, reviewer, other_reviewer):
    """An English article with a long title and a Persian one, each reviewed and submitted by two reviewers."""
    body = "\n\n".join(
        " ".join(f"Officials said claim {p}.{s} rests on a report published in the capital." for s in range(4))
        for p in range(3)
    )
    article = make_article(
        title="Iran, Pakistan and Turkey weigh a security pact after border clashes and talks in Ankara",
        body=body, outlet="The Daily Chronicle of Regional Security", authors=["Sergio Restelli"],
        url="https://example.com/a-very-long-address/that-goes-on/and-on/2026/12/01/security-pact-border-clashes",
    )
    # Every category on the bar, a disputed passage and notes: all the pills and legend entries.
    make_review(article, reviewer, {0: "u", 1: "q", 2: "o", 3: "b", 4: "v", 5: "u", 6: "s"})
    make_review(article, other_reviewer, {0: "u", 1: "q", 2: "o", 3: "b", 4: "q", 5: "a", 6: "l"})
    persian = make_article(title=PERSIAN_TITLE, body=PERSIAN_BODY, language="fa", outlet="خبرگزاری تسنیم",
                           authors=["علی رضایی"])
    make_review(persian, reviewer, {0: "q", 1: "u", 2: "v"})
    make_review(persian, other_reviewer, {0: "q", 1: "u", 2: "o"})
    return Corpus(article, Author.objects.get(name="Sergio Restelli"), persian)


def open_page(page, live_server, login, corpus, spec):
    if spec.user:
        login(page, live_server, spec.user)
    response = page.goto(live_server.url + spec.path(corpus))
    assert response.status == spec.status, spec.name
    page.wait_for_load_state("load")


def params(pages):
    return [pytest.param(spec, id=spec.name) for spec in pages]


# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", params(PAGES))
def test_at_phone_width_the_page_itself_never_scrolls_sideways(page, live_server, login, corpus, spec):
    page.set_viewport_size(PHONE)
    open_page(page, live_server, login, corpus, spec)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(el => el.getBoundingClientRect().right > 390.5 && !el.closest(".table-scroll"))
            .slice(0, 8).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""
    )
    assert width <= PHONE["width"], f"{spec.name} is {width}px wide; too wide: {wide}"


# --- accessibility --------------------------------------------------------------------------

BLOCKING = {"serious", "critical"}


@pytest.mark.parametrize("spec", params(PAGES))
def test_axe_finds_no_serious_or_critical_violation(page, live_server, login, corpus, spec):
    from axe_playwright_python.sync_playwright import Axe

    open_page(page, live_server, login, corpus, spec)
    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
            f"    {node['target']} {node.get('failureSummary', '').splitlines()[-1:]}" for node in v["nodes"][:10]
        )
        for v in violations
    )
    assert not violations, f"{spec.name}:\n{report}"
