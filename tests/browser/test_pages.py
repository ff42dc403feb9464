"""Every page in a real Chromium: usable at phone width, accessible (axe-core), legible on paper, right-to-left.

PAGES is the one list of pages, each with the user who sees it; the phone-width and axe tests both run over it.
"""
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from factories import make_article, make_review
from pypdf import PdfReader

from dossier.models import Author

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright").expect

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
    marks: object = ()  # pytest marks for this page's tests
    ready: str | None = None  # a page drawn by script: the selector that says it is drawn
    # axe rules a page is excused from, each for a defect in third-party markup it cannot change.
    excused: frozenset = frozenset()


# Editors' pages are opened by the admin, whose header holds the most links (the widest navigation).
PAGES = [
    Page("login", None, lambda corpus: reverse("login")),
    Page("queue", "rita", lambda corpus: reverse("annotations:queue")),
    # A page of one row after the newest article: First, Previous and Next links.
    Page("queue, a later page", "rita", lambda corpus: f"{reverse('annotations:queue')}?per_page=1&cursor={_second()}"),
    Page("articles", "ada", lambda corpus: reverse("annotations:articles")),
    Page("articles, an export done", "ada", lambda corpus: f"{reverse('annotations:articles')}?job={export_job().pk}"),
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
    Page("workspace in progress", "rita", lambda corpus: reverse("annotations:workspace", args=[corpus.draft.pk])),
    Page("workspace, editor", "ed", lambda corpus: reverse("annotations:workspace", args=[corpus.article.pk])),
    Page("persian summary", "ed", lambda corpus: reverse("annotations:summary", args=[corpus.persian.pk])),
    Page("persian compare", "ed", lambda corpus: reverse("annotations:compare", args=[corpus.persian.pk])),
    Page("persian report", "ed", lambda corpus: reverse("annotations:report", args=[corpus.persian.pk])),
    Page("persian reading", "rita", lambda corpus: corpus.persian.get_absolute_url()),
    Page("campaigns", "ada", lambda corpus: reverse("campaigns:list")),
    Page("plan a campaign", "ed", lambda corpus: reverse("campaigns:create")),
    Page("campaign", "ed", lambda corpus: corpus.campaign.get_absolute_url()),
    Page("disputed passages", "ed", lambda corpus: reverse("campaigns:adjudication", args=[corpus.campaign.pk])),
    Page("ruling", "ed", lambda corpus: reverse("campaigns:adjudicate", args=[corpus.campaign.pk, corpus.disputed])),
    Page("add to a campaign", "ed", lambda corpus: reverse("campaigns:add-from-table")
         + f"?scope=selected&filter=&article={corpus.article.pk}&article={corpus.persian.pk}"),
    Page("not found", "ed", lambda corpus: "/articles/999999999/", status=404),
    Page("forbidden", "rita", lambda corpus: reverse("annotations:outlets"), status=403),
    Page("api tokens", "rita", lambda corpus: reverse("tokens:list")),
    # Swagger UI's operation header is a button holding other controls (swagger-api/swagger-ui#9576, open
    # upstream); docs/api.md is the reference that needs no script.
    Page("api docs", "ed", lambda corpus: reverse("api:openapi-view"), ready=".opblock",
         excused=frozenset({"nested-interactive"})),
]


def _second():
    """The queue's cursor after its first row (the newest article), as its Next link of one row gives it."""
    from dossier import pagination
    from dossier.models import Article
    from dossier.tables import KeysetPaginator

    newest = Article.objects.order_by("-imported_at", "-id").first()
    return pagination.encode([["imported_at", True], ["id", True]], [newest.imported_at, newest.pk],
                             KeysetPaginator.SALT)


def export_job():
    """A big export of ada's, written and ready: the articles page shows its progress and its file."""
    from django.contrib.auth import get_user_model

    from dossier.models import Job, JobFile

    job = Job.objects.create(kind=Job.Kind.EXPORT, status=Job.Status.DONE, total=3, done=3,
                             created_by=get_user_model().objects.get(username="ada"),
                             summary="3 rows written to dossier-articles-2026-12-01.csv, ready to download.")
    JobFile.objects.create(job=job, name="dossier-articles-2026-12-01.csv", data=b"ID\n1\n2\n3\n")
    return job


@dataclass(frozen=True)
class Corpus:
    article: object
    author: object
    persian: object
    draft: object  # rita's review is in progress; rob has submitted
    campaign: object  # open, over the English and the Persian article, rita and rob assigned
    disputed: int  # a passage of the English article its reviewers dispute


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
    # Every category a reviewed article can have on the bar (disputed passages among them), and nine flag pills.
    make_review(article, reviewer, {0: "u", 1: "q", 2: "o", 3: "b", 4: "v", 5: "u", 6: "s"})
    make_review(article, other_reviewer, {0: "u", 1: "q", 2: "o", 3: "b", 4: "q", 5: "a", 6: "l"})
    persian = make_article(title=PERSIAN_TITLE, body=PERSIAN_BODY, language="fa", outlet="خبرگزاری تسنیم",
                           authors=["علی رضایی"])
    make_review(persian, reviewer, {0: "q", 1: "u", 2: "v"})
    make_review(persian, other_reviewer, {0: "q", 1: "u", 2: "o"})
    draft = make_article(title="گزارش دوم", body=PERSIAN_BODY + "\n\nA closing sentence in English.", language="fa")
    make_review(draft, other_reviewer, {0: "u", 1: "o"})
    make_review(draft, reviewer, {0: "q", 2: "vb"}, submit=False)  # her own pills, in flags' colours
    from campaigns.judgements import disputed, judgements
    from campaigns.models import Campaign

    campaign = Campaign.objects.plan("Border security desk", [article.pk, persian.pk], [reviewer, other_reviewer],
                                     seed=1, brief="Read **every** sentence; flag what you can check.")
    campaign.open()
    passage = next(passage for article_id, passage, _ in disputed(judgements([article.pk]), {}))
    return Corpus(article, Author.objects.get(name="Sergio Restelli"), persian, draft, campaign, passage)


def open_page(page, live_server, login, corpus, spec):
    if spec.user:
        login(page, live_server, spec.user)
    response = page.goto(live_server.url + spec.path(corpus))
    assert response.status == spec.status, spec.name
    page.wait_for_load_state("load")
    if spec.ready:
        page.locator(spec.ready).first.wait_for()


def params(pages):
    return [pytest.param(spec, id=spec.name, marks=spec.marks) for spec in pages]


# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", params(PAGES))
def test_at_phone_width_the_page_itself_never_scrolls_sideways(page, live_server, login, corpus, spec):
    page.set_viewport_size(PHONE)
    open_page(page, live_server, login, corpus, spec)
    if folder := os.environ.get("PAGE_SCREENSHOTS"):  # to look at them
        page.screenshot(path=Path(folder) / f"{spec.name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(el => el.getBoundingClientRect().right > 390.5 && !el.parentElement?.closest(".table-scroll"))
            .slice(0, 8).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""
    )
    assert width <= PHONE["width"], f"{spec.name} is {width}px wide; too wide: {wide}"
    # The headline (summary, report, profiles) is whole, not cut at the screen's edge.
    for headline in page.locator(".headline").all():
        assert headline.evaluate("el => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= 390")


# --- accessibility --------------------------------------------------------------------------

BLOCKING = {"serious", "critical"}
# WCAG 2.0 to 2.2, A and AA (2.2 adds target sizes), and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


@pytest.mark.parametrize("spec", params(PAGES))
def test_axe_finds_no_serious_or_critical_violation(page, live_server, login, corpus, spec):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install -e '.[test]'")

    open_page(page, live_server, login, corpus, spec)
    results = axe.Axe().run(page, options=AXE_OPTIONS)
    violations = [v for v in results.response["violations"] if v["impact"] in BLOCKING and v["id"] not in spec.excused]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
            f"    {node['target']} {node.get('failureSummary', '').splitlines()[-1:]}" for node in v["nodes"][:10]
        )
        for v in violations
    )
    assert not violations, f"{spec.name}:\n{report}"


# --- the header menu, the keyboard ----------------------------------------------------------


def test_on_a_phone_the_header_menu_opens_from_the_keyboard_and_is_always_open_on_a_wide_screen(
    page, live_server, login, corpus
):
    login(page, live_server, "ada")
    articles = page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles")
    expect(articles).to_be_visible()
    expect(page.locator(".site-menu > summary")).to_be_hidden()

    page.set_viewport_size(PHONE)
    expect(articles).to_be_hidden()
    page.locator(".site-menu > summary").focus()
    page.keyboard.press("Enter")
    expect(articles).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # open, it still fits
    articles.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("annotations:articles"))


def test_whatever_the_keyboard_reaches_shows_a_clear_focus_ring(page, live_server, login, corpus):
    login(page, live_server, "ed")
    page.goto(live_server.url + reverse("annotations:summary", args=[corpus.article.pk]))
    for _ in range(4):  # the skip link, the brand, the menu's links
        page.keyboard.press("Tab")
        ring = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                       return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"""
        )
        assert ring[0] == "solid" and ring[1] >= 2, ring


# --- numbers that read right ----------------------------------------------------------------


def test_the_headline_says_what_it_divides_and_links_to_the_method_on_the_page(page, live_server, login, corpus):
    login(page, live_server, "ed")
    for url in (
        reverse("annotations:summary", args=[corpus.article.pk]),
        reverse("annotations:report", args=[corpus.article.pk]),
        reverse("annotations:outlet", args=[corpus.article.outlet_id]),
    ):
        page.goto(live_server.url + url)
        formula = page.locator(".headline .headline-formula")
        assert "sourced ÷ (sourced + unsourced)" in formula.inner_text(), url
        formula.get_by_role("link", name="how it is computed").click()
        assert page.evaluate("location.hash") == "#method"
        expect(page.locator("#method")).to_be_in_viewport()


def test_every_segment_of_the_share_bar_has_a_label_or_a_legend_entry_with_its_value(page, live_server, login, corpus):
    login(page, live_server, "ed")
    page.goto(live_server.url + reverse("annotations:summary", args=[corpus.article.pk]))
    # Each segment's own tooltip ("Sourced: 8.3%") names its category and value.
    segments = page.locator(".share-bar rect.seg title").evaluate_all("titles => titles.map(t => t.textContent)")
    # Every category a reviewed article can have (method 2: none of it is "not reviewed"); some segments are too
    # narrow for a label of their own.
    assert len(segments) == 5
    legend = page.locator(".share-bar .legend").inner_text()
    for segment in segments:
        label, value = segment.split(": ")
        assert f"{label} {value}" in legend, (segment, legend)


@pytest.mark.parametrize("sort, state", [("title", "ascending"), ("-sourced_fact_share", "descending")])
def test_the_sorted_column_says_how_it_is_sorted_in_words_and_in_aria_sort(page, live_server, login, corpus,
                                                                           sort, state):
    login(page, live_server, "ed")
    page.goto(live_server.url + reverse("annotations:articles") + f"?sort={sort}")
    sorted_headers = page.locator("table.table th[aria-sort]")
    assert sorted_headers.count() == 1
    assert sorted_headers.get_attribute("aria-sort") == state
    assert f"sorted {state}" in sorted_headers.text_content()
    assert sorted_headers.locator("[aria-hidden=true]").inner_text() == ("▲" if state == "ascending" else "▼")
    name = "Title" if sort == "title" else "Sourced-fact share"
    assert sorted_headers.get_by_role("link").inner_text().startswith(name)


def test_a_wide_table_scrolls_in_its_own_box_which_the_keyboard_can_reach(page, live_server, login, corpus):
    page.set_viewport_size(PHONE)
    login(page, live_server, "ed")
    page.goto(live_server.url + reverse("annotations:articles"))
    box = page.get_by_role("region", name="Articles table")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the table is wider than the phone
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")


# --- print ----------------------------------------------------------------------------------


def pdf_text(pdf):
    """The text of a printed PDF, page by page, as pypdf extracts it."""
    return [sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages]


# Paper drops background colours (unless a rule keeps them), and a black-and-white printer turns every colour grey:
# on paper a flag pill must read by black text and a frame, a legend swatch by a frame around its kept fill. These
# are the styles Chromium prints with (page.pdf() uses the same print media).
PRINTED = """el => { const s = getComputedStyle(el);
    return {color: s.color, border: [s.borderTopStyle, parseFloat(s.borderTopWidth), s.borderTopColor],
            adjust: s.printColorAdjust, text: el.textContent.trim()}; }"""
BLACK = "rgb(0, 0, 0)"


def test_flags_and_legend_swatches_print_legibly_in_black_and_white(page, live_server, login, corpus):
    login(page, live_server, "ed")
    page.goto(live_server.url + reverse("annotations:report", args=[corpus.article.pk]))
    # Printed to a PDF, the flags used are words on the paper (read back from the PDF's own text).
    printed = " ".join(" ".join(pdf_text(page.pdf(format="A4"))).split())
    assert all(name in printed for name in ("Flags used", "Unsourced claim", "Vague attribution", "Loaded language"))
    page.emulate_media(media="print")  # the style sheet page.pdf() prints with
    pills = [pill.evaluate(PRINTED) for pill in page.locator(".mark.pill").all()]
    assert {pill["text"] for pill in pills} >= {"Unsourced claim", "Quotes named official or expert", "Opinion"}
    for pill in pills:
        assert pill["color"] == BLACK and pill["border"] == ["solid", 1, BLACK], pill

    page.goto(live_server.url + reverse("annotations:summary", args=[corpus.article.pk]))
    page.emulate_media(media="print")
    swatches = [swatch.evaluate(PRINTED) for swatch in page.locator(".legend .swatch").all()]
    assert len(swatches) == 6
    for swatch in swatches:
        assert swatch["border"] == ["solid", 1, BLACK] and swatch["adjust"] == "exact", swatch


# --- right to left --------------------------------------------------------------------------

DIRECTION = "el => [getComputedStyle(el).direction, getComputedStyle(el).textAlign]"
# Where the first and the last character of an element's text are drawn, left to right.
EDGES = """el => { const text = [...el.childNodes].find(n => n.nodeType === 3 && n.data.trim());
    const range = document.createRange(), at = i => { range.setStart(text, i); range.setEnd(text, i + 1);
        return range.getBoundingClientRect().left; };
    const first = text.data.search(/\\S/), last = text.data.trimEnd().length - 1;
    return [at(first), at(last)]; }"""


def test_persian_rows_align_right_and_their_position_labels_do_not_flip(page, live_server, login, corpus):
    login(page, live_server, "ed")
    page.goto(live_server.url + reverse("annotations:compare", args=[corpus.persian.pk]))
    sentence = page.locator("table.compare td.passage-text").first
    assert sentence.evaluate(DIRECTION) == ["rtl", "start"]  # start, in a right-to-left cell: the right edge
    label = sentence.locator(".position bdi")
    assert label.evaluate(DIRECTION)[0] == "ltr"
    first, last = label.evaluate(EDGES)
    assert first < last  # "¶1.1" reads from the pilcrow on the left, not "1.1¶"
    cell, text = sentence.bounding_box(), label.bounding_box()
    assert cell["x"] + cell["width"] - (text["x"] + text["width"]) < 12  # the label sits on the right, too

    page.goto(live_server.url + reverse("annotations:report", args=[corpus.persian.pk]))
    assert page.locator("table.passages td.passage-text").first.evaluate(DIRECTION) == ["rtl", "start"]
    first, last = page.locator("table.passages td.position").first.evaluate(EDGES)
    assert first < last


def test_persian_titles_quotes_and_underlines_take_the_right_side_and_clear_the_letters(
    page, live_server, login, corpus
):
    login(page, live_server, "ed")
    page.goto(live_server.url + corpus.persian.get_absolute_url())
    title = page.get_by_role("heading", level=1)
    assert title.get_attribute("dir") == "auto" and title.evaluate(DIRECTION)[0] == "rtl"

    page.goto(live_server.url + reverse("annotations:summary", args=[corpus.persian.pk]))
    quote = page.locator(".claims blockquote").first
    bar = quote.evaluate("el => [getComputedStyle(el).direction, getComputedStyle(el).borderRightWidth, "
                         "getComputedStyle(el).borderLeftWidth]")
    assert bar == ["rtl", "3px", "0px"]  # the quote bar on the side the sentence starts
    underlined = page.locator(".paragraph .consensus.cat-unsourced").first
    lines = underlined.evaluate("el => { const s = getComputedStyle(el); "
                                "return [s.textDecorationStyle, s.textUnderlinePosition, s.textDecorationSkipInk]; }")
    assert lines == ["wavy", "under", "auto"]  # below the descenders, broken where it would cross a letter


# Pages that show the Persian article, its outlet or its author, and who sees them.
PERSIAN_PAGES = [
    Page("articles", "ada", lambda corpus: reverse("annotations:articles")),
    Page("articles, an export done", "ada", lambda corpus: f"{reverse('annotations:articles')}?job={export_job().pk}"),
    Page("queue", "rita", lambda corpus: reverse("annotations:queue")),
    Page("outlets", "ed", lambda corpus: reverse("annotations:outlets")),
    Page("authors", "ed", lambda corpus: reverse("annotations:authors")),
    Page("outlet", "ed", lambda corpus: reverse("annotations:outlet", args=[corpus.persian.outlet_id])),
    Page("author", "ed", lambda corpus: reverse("annotations:author", args=[corpus.persian.authors.get().pk])),
    Page("reading", "rita", lambda corpus: corpus.persian.get_absolute_url()),
    Page("summary", "ed", lambda corpus: reverse("annotations:summary", args=[corpus.persian.pk])),
    Page("compare", "ed", lambda corpus: reverse("annotations:compare", args=[corpus.persian.pk])),
    Page("report", "ed", lambda corpus: reverse("annotations:report", args=[corpus.persian.pk])),
    Page("history", "ed", lambda corpus: reverse("annotations:history", args=[corpus.persian.pk])),
]
# Every element whose own text holds an Arabic-script letter, with its computed direction (it should be rtl).
ARABIC_SCRIPT_TEXT = r"""() => [...document.body.querySelectorAll("*")]
    .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && /[\u0600-\u06FF]/.test(n.data)))
    .map(el => [el.tagName.toLowerCase() + (el.className ? "." + el.className : ""), getComputedStyle(el).direction,
                el.textContent.trim().slice(0, 40)])"""


@pytest.mark.parametrize("spec", params(PERSIAN_PAGES))
def test_persian_text_reads_right_to_left_wherever_it_is_shown(page, live_server, login, corpus, spec):
    open_page(page, live_server, login, corpus, spec)
    shown = page.evaluate(ARABIC_SCRIPT_TEXT)
    assert shown, "the page shows no Persian text"
    assert [element for element in shown if element[1] != "rtl"] == []
