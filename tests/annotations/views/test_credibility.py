"""The editors' articles table: scores, filters, sorting, paging and their query cost."""
import json

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_article, make_review

from dossier.ingest import import_file

pytestmark = pytest.mark.django_db
LIST = reverse("annotations:articles")


def test_article_list_shows_articles_with_outlet_and_authors(client, editor):
    make_article(title="Border talks", outlet="Example Times", authors=["Jane Doe"])
    client.force_login(editor)
    response = client.get(LIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Border talks" in content and "Example Times" in content and "Jane Doe" in content


def test_article_list_filters_by_title_and_language(client, editor):
    make_article(title="Border talks", language="en")
    make_article(title="Sınır görüşmeleri", language="tr")
    client.force_login(editor)

    by_title = client.get(LIST, {"q": "BORDER"}).content.decode()
    by_language = client.get(LIST, {"language": "en"}).content.decode()

    assert "Sınır görüşmeleri" in client.get(LIST, {"q": "görüş"}).content.decode()
    assert "Border talks" in by_title and "Sınır" not in by_title
    assert "Border talks" in by_language and "Sınır" not in by_language


def test_article_list_has_a_helpful_empty_state(client, editor):
    client.force_login(editor)
    assert "No articles match" in client.get(LIST).content.decode()


def test_article_list_costs_the_same_queries_for_any_page_size(
    client, editor, reviewer, django_assert_num_queries
):
    client.force_login(editor)
    for n in range(30):
        article = make_article(body=f"Text number {n}.", authors=[f"Author {n}"], outlet=f"Outlet {n}")
        make_review(article, reviewer, {0: "u"})
    # session, user, roles, count (bounded), the page's rows, authors prefetch, the filter's flags
    for per_page in (1, 10, 30):
        with django_assert_num_queries(7):
            response = client.get(LIST, {"per_page": per_page, "sort": "-sourced_fact_share"})
        assert len(response.context["table"].page.object_list) == per_page


def test_markup_in_titles_and_text_is_shown_as_text(client, editor):
    article = make_article(title="<script>alert(1)</script>", body="<img src=x onerror=alert(2)> Hello.")
    client.force_login(editor)
    for url in (LIST, reverse("annotations:summary", args=[article.pk])):
        content = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "<img src=x" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.parametrize(("per_page", "rows"), [("-1", 1), ("0", 50), ("100000", 100), ("abc", 50)])
def test_per_page_from_the_url_stays_within_bounds(client, editor, per_page, rows):
    records = "\n".join(json.dumps({"title": f"T{n}", "body": f"Body {n}."}) for n in range(120))
    import_file("many.jsonl", records.encode())
    client.force_login(editor)
    response = client.get(LIST, {"per_page": per_page})
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == rows


def test_paging_through_one_import_shows_every_article_once(client, editor):
    records = "\n".join(
        json.dumps({"title": f"Same time {n}", "body": f"Body {n}.", "language": "en"}) for n in range(120)
    )
    import_file("many.jsonl", records.encode())  # one imported_at for all
    client.force_login(editor)
    for sort in ("", "language", "-imported_at"):
        seen, cursor = [], None
        for _ in (1, 2, 3):
            table = client.get(LIST, {"sort": sort, **({"cursor": cursor} if cursor else {})}).context["table"]
            seen += [row.record.pk for row in table.page.object_list]
            cursor = table.page.next_cursor
        assert len(seen) == len(set(seen)) == 120 and cursor is None


def test_sorting_cannot_reach_into_related_fields(client, editor):
    make_article()
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"sort": "imported_by__password"})
    assert response.status_code == 200
    assert not any("password" in q["sql"] and "dossier_article" in q["sql"] for q in queries.captured_queries)


# --- Scores, filters and access --------------------------------------------------------------

# Passages of 12, 13 and 10 characters.
BODY = "Tanks moved. Analysts say.\n\nIt is bad."


@pytest.fixture
def scored(reviewer, other_reviewer):
    """Three articles: one sourced-heavy with two reviewers, one all unsourced, one not started."""
    good = make_article(title="Well sourced", body=BODY, outlet="Good Times", authors=["Ann Writer"],
                        published="2024-05-01")
    make_review(good, reviewer, {0: "q", 1: "q", 2: "o"})
    make_review(good, other_reviewer, {0: "q", 1: "v", 2: "o"})
    bad = make_article(title="Badly sourced", body="Claim one. Claim two is longer.", outlet="Bad Times",
                       authors=["Bob Writer"], published="2023-01-01")
    make_review(bad, reviewer, {0: "u", 1: "u"})
    fresh = make_article(title="Not started", body="Nothing yet.")
    return good, bad, fresh


def titles(response):
    return [row.record.title for row in response.context["table"].page.object_list]


def test_reviewers_are_sent_to_their_queue_and_people_without_a_role_are_refused(client, reviewer, outsider):
    client.force_login(reviewer)
    assert client.get(LIST)["Location"] == reverse("annotations:queue")
    client.force_login(outsider)
    assert client.get(LIST).status_code == 403
    client.logout()
    assert client.get(LIST)["Location"].startswith(reverse("login"))


def test_table_shows_each_articles_stored_scores(client, editor, scored):
    client.force_login(editor)
    content = client.get(LIST).content.decode()
    # Well sourced: P1 sourced (12), P2 disputed (13), P3 opinion (10): 12 / 12 = 100% of facts.
    assert "100.0%" in content and "28.6%" in content  # opinion 10 / 35
    assert "Not started" in content and "Reviewed" in content


def test_sorting_by_a_score_puts_articles_without_one_last_either_way(client, editor, scored):
    client.force_login(editor)
    assert titles(client.get(LIST, {"sort": "-sourced_fact_share"})) == ["Well sourced", "Badly sourced", "Not started"]
    assert titles(client.get(LIST, {"sort": "sourced_fact_share"})) == ["Badly sourced", "Well sourced", "Not started"]


def test_sorting_by_status_goes_not_started_in_review_reviewed(client, editor, reviewer, scored):
    make_review(make_article(title="In review", body="Started."), reviewer, {}, submit=False)
    client.force_login(editor)
    # Reviewed articles then sort by their number of reviewers: one, then two.
    expected = ["Not started", "In review", "Badly sourced", "Well sourced"]
    assert titles(client.get(LIST, {"sort": "status"})) == expected
    assert titles(client.get(LIST, {"sort": "-status"})) == expected[::-1]


@pytest.mark.parametrize("query, expected", [
    ({"sourced_fact_share_min": "50"}, ["Well sourced"]),
    ({"sourced_fact_share_max": "50"}, ["Badly sourced"]),
    ({"unsourced_share_min": "90", "unsourced_share_max": "100"}, ["Badly sourced"]),
    ({"opinion_share_min": "20"}, ["Well sourced"]),
    ({"status": "not_started"}, ["Not started"]),
    ({"status": "reviewed"}, ["Badly sourced", "Well sourced"]),
    ({"flag": "vague"}, ["Well sourced"]),
    ({"author": "bob"}, ["Badly sourced"]),
    ({"published_after": "2024-01-01"}, ["Well sourced"]),
    ({"published_before": "2023-12-31"}, ["Badly sourced"]),
    ({"outlet": "good ti"}, ["Well sourced"]),
])
def test_filters_narrow_the_table(client, editor, scored, query, expected):
    from annotations.models import Flag

    if query.get("flag") == "vague":
        query = {"flag": Flag.objects.get(shortcut="v").pk}
    client.force_login(editor)
    assert sorted(titles(client.get(LIST, {**query, "sort": "title"}))) == expected


def test_a_flag_only_in_a_review_in_progress_is_not_present(client, editor, reviewer, scored):
    from annotations.models import Flag

    _, _, fresh = scored
    make_review(fresh, reviewer, {0: "l"}, submit=False)
    client.force_login(editor)
    assert titles(client.get(LIST, {"flag": Flag.objects.get(shortcut="l").pk})) == []
    assert titles(client.get(LIST, {"status": "in_review"})) == ["Not started"]


def test_bad_filter_values_are_reported_not_crashed(client, editor, scored):
    client.force_login(editor)
    response = client.get(LIST, {"sourced_fact_share_min": "abc", "published_after": "yesterday", "status": "x"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a number." in content and "Enter a valid date." in content
    assert titles(response) == []


def test_filter_and_sort_state_live_in_the_url(client, editor, scored):
    client.force_login(editor)
    content = client.get(LIST, {"status": "reviewed", "sort": "-opinion_share"}).content.decode()
    assert 'name="sort" value="-opinion_share"' in content
    assert "status=reviewed" in content  # the sort links keep the filter


# --- Article summary and reviewer comparison -------------------------------------------------

def summary_url(article):
    return reverse("annotations:summary", args=[article.pk])


def compare_url(article):
    return reverse("annotations:compare", args=[article.pk])


def test_summary_shows_headline_bar_reviewers_claims_flag_counts_and_shaded_text(client, editor, scored):
    good, bad, _ = scored
    client.force_login(editor)
    content = client.get(summary_url(good)).content.decode()
    assert '<span class="headline-figure">100.0%</span>' in content
    assert "<svg" in content and "Sourced 34%" in content  # 12 of 35 characters, labelled in the bar
    assert "Disputed <strong>37.1%</strong>" in content  # the legend: readable without colour
    assert "rita" in content and "rob" in content
    assert content.count('class="consensus cat-sourced" id=') == 1
    assert content.count('class="consensus cat-disputed" id=') == 1
    assert "No passage’s consensus is unsourced." in content
    # Quotes named official or expert: 3 uses (2 by rita, 1 by rob).
    assert '>Quotes named official or expert</span></td><td>Sourced</td><td class="number">3</td>' in content

    content = client.get(summary_url(bad)).content.decode()
    assert '<span class="headline-figure">0.0%</span>' in content
    assert content.count("<blockquote") == 2  # both claims quoted, in reading order
    assert content.index("Claim one.") < content.index("Claim two is longer.")
    assert "needs two submitted reviews" in content


def test_summary_of_an_article_nobody_reviewed_says_so(client, editor, scored):
    client.force_login(editor)
    content = client.get(summary_url(scored[2])).content.decode()
    assert "No review of this article has been submitted yet" in content
    assert "Not reviewed <strong>100.0%</strong>" in content


def test_summary_and_comparison_cost_the_same_queries_however_long_the_article(
    client, editor, reviewer, other_reviewer, django_assert_num_queries
):
    short = make_article(body="One.")
    long = make_article(body=" ".join(f"Sentence {n}." for n in range(150)))
    for article in (short, long):
        make_review(article, reviewer, {0: "u"})
        make_review(article, other_reviewer, {0: "q"})
    client.force_login(editor)
    # session, user, roles, article+outlet, authors, passages, reviews+reviewers, annotations+flags,
    # orphaned flags (issue 18), rulings
    for article in (short, long):
        with django_assert_num_queries(10):
            assert client.get(summary_url(article)).status_code == 200
        with django_assert_num_queries(8):
            assert client.get(compare_url(article)).status_code == 200


def test_comparison_puts_reviewers_side_by_side_and_marks_disagreements(client, editor, scored):
    good = scored[0]
    client.force_login(editor)
    content = client.get(compare_url(good)).content.decode()
    assert content.count('class="disagree"') == 1  # passage 2: sourced vs unsourced
    assert "1 of 3 passages" in content
    only = client.get(compare_url(good), {"show": "disagreements"}).content.decode()
    assert only.count("<tr id=") == 1 and "Analysts say." in only and "Tanks moved." not in only


def test_scores_are_for_editors_and_admins_only(client, reviewer, outsider, admin, scored):
    good = scored[0]
    urls = [summary_url(good), compare_url(good), reverse("annotations:outlets"), reverse("annotations:authors"),
            reverse("annotations:outlet", args=[good.outlet_id]),
            reverse("annotations:author", args=[good.authors.get().pk])]
    for user in (reviewer, outsider):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403] * len(urls)
    client.force_login(admin)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    assert client.post(urls[0]).status_code == 405


def test_notes_and_names_are_escaped_on_score_pages(client, editor, reviewer):
    from annotations.models import Flag, Review

    article = make_article(title="<b>Bold</b>", body="A claim.", authors=["<i>Ivy</i>"])
    review = Review.objects.create(article=article, reviewer=reviewer)
    review.set_flag(article.passages.get(), Flag.objects.get(shortcut="u"), True, note="<script>x()</script>")
    review.submit()
    client.force_login(editor)
    for url in (
        summary_url(article), compare_url(article), reverse("annotations:author", args=[article.authors.get().pk])
    ):
        content = client.get(url).content.decode()
        assert "<script>x()" not in content and "<b>Bold" not in content and "<i>Ivy" not in content


# --- Outlets and authors ----------------------------------------------------------------------

def sentences(*lengths):
    """A body of sentences of exactly these lengths in characters ("Word word wor.")."""
    return " ".join(("Word " + "word " * length)[: length - 2] + "x." for length in lengths)


def test_outlet_page_reproduces_the_methodologys_worked_outlet(client, editor, reviewer, other_reviewer):
    from dossier.models import Outlet

    from annotations import totals

    # The methodology's article (Ana = reviewer, Ben = other_reviewer) and a 400-character one.
    first = make_article(body=sentences(120, 80, 200, 50, 150), outlet="Worked")
    make_review(first, reviewer, {0: "q", 1: "v", 2: "o", 3: "b"})
    make_review(first, other_reviewer, {0: "a", 1: "u", 2: "u"})
    second = make_article(body=sentences(300, 100), outlet="Worked")
    make_review(second, reviewer, {0: "c", 1: "o"})
    assert [p.end - p.start for p in first.passages.all()] == [120, 80, 200, 50, 150]

    outlet = totals.of(Outlet, Outlet.objects.get(name="Worked").pk)
    assert outlet.sourced_fact_share == 0.84 and outlet.opinion_share == 0.1
    client.force_login(editor)
    content = client.get(reverse("annotations:outlet", args=[outlet.pk])).content.decode()
    assert '<span class="headline-figure">84.0%</span>' in content and "Opinion <strong>10.0%</strong>" in content


def test_outlets_are_ranked_from_five_reviewed_articles_and_the_others_listed_apart(client, editor, reviewer, scored):
    another = make_article(title="Also good", body="Opinion only here.", outlet="Good Times")
    make_review(another, reviewer, {0: "o"})
    client.force_login(editor)
    response = client.get(reverse("annotations:outlets"))
    ranked = [row.record.name for row in response.context["table"].page.object_list]
    apart = [(row.record.name, row.record.reviewed_count) for row in response.context["too_few"].page.object_list]
    assert ranked == [] and apart == [("Good Times", 2), ("Bad Times", 1)]
    assert "Too few reviewed" in response.content.decode()
    for n in range(3):
        make_review(make_article(title=f"More {n}", body=f"Sourced claim {n}.", outlet="Good Times"), reviewer,
                    {0: "q"})
    response = client.get(reverse("annotations:outlets"))
    rows = [
        (row.record.name, row.record.reviewed_count, row.record.sourced_fact_share)
        for row in response.context["table"].page.object_list
    ]
    assert rows == [("Good Times", 5, 1.0)]
    assert [row.record.name for row in response.context["too_few"].page.object_list] == ["Bad Times"]


def test_an_outlets_shares_add_up_characters_over_its_reviewed_articles(client, editor, reviewer, scored):
    another = make_article(title="Also good", body="Opinion only here.", outlet="Good Times")
    make_review(another, reviewer, {0: "o"})
    client.force_login(editor)
    content = client.get(reverse("annotations:outlet", args=[another.outlet_id])).content.decode()
    # Opinion: 10 of 35 characters in one article plus 18 of 18 in the other = 28 of 53.
    assert "Opinion <strong>52.8%</strong>" in content
    assert "2 of 2 reviewed" in content and "too few reviewed to rank" in content


def test_an_outlets_pooled_sourcing_alpha_and_intervals_resample_its_articles(client, editor, reviewer, other_reviewer):
    from dossier.models import Outlet

    from annotations import totals
    from annotations.aggregates import pooled_sourcing_alpha

    # The methodology's pooled example: six sourcing passages in each of two articles.
    for number, (first, second) in enumerate((("qqvvqq", "qqvvvq"), ("qvvqvq", "qvvqvq"))):
        article = make_article(body=sentences(*[30 + number] * 6), outlet="Pooled")
        make_review(article, reviewer, dict(enumerate(first)))
        make_review(article, other_reviewer, dict(enumerate(second)))
    outlet = totals.of(Outlet, Outlet.objects.get(name="Pooled").pk)
    assert outlet.sourcing_units == 12
    assert pooled_sourcing_alpha(outlet).value == pytest.approx(240 / 286)
    client.force_login(editor)
    response = client.get(reverse("annotations:outlet", args=[outlet.pk]))
    low, high = response.context["uncertainty"].sourced_fact_share
    assert low <= outlet.sourced_fact_share <= high
    assert "α sourcing, pooled</dt><dd>0.84" in response.content.decode()


def test_ranking_pages_cost_the_same_queries_for_any_number_of_rows(client, editor, django_assert_num_queries):
    client.force_login(editor)
    make_article(outlet="Only one", authors=["Only author"])
    for name in ("outlets", "authors"):
        # session, user, roles; each table's keyset page (the rankings show no count)
        with django_assert_num_queries(5):
            client.get(reverse(f"annotations:{name}"))
    for n in range(20):
        make_article(body=f"Text {n}.", outlet=f"Outlet {n}", authors=[f"Author {n}"])
    for name in ("outlets", "authors"):
        with django_assert_num_queries(5):
            client.get(reverse(f"annotations:{name}"))


def test_author_page_aggregates_their_articles_and_shows_the_spread(client, editor, reviewer, scored):
    good, bad, _ = scored
    third = make_article(title="Third", body="Sourced words.", authors=["Ann Writer"])
    make_review(third, reviewer, {0: "u"})
    client.force_login(editor)
    author = good.authors.get()
    response = client.get(reverse("annotations:author", args=[author.pk]))
    content = response.content.decode()
    distribution = response.context["distribution"]
    assert [band.count for band in distribution.bands] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    # 12 sourced of 12 + 14 unsourced characters.
    assert '<span class="headline-figure">46.2%</span>' in content
    assert "Quotes named official or expert" in content and "Third" in content and "Well sourced" in content


def test_profile_pages_cost_the_same_queries_for_any_number_of_articles(
    client, editor, reviewer, django_assert_num_queries
):
    from dossier.models import Outlet

    def count_for(n):
        for _ in range(n):
            article = make_article(outlet="Same", authors=["Same Author"])
            make_review(article, reviewer, {0: "u", 1: "q"})
        outlet = Outlet.objects.get(name="Same")
        client.get(reverse("annotations:outlet", args=[outlet.pk]))  # resamples the intervals the submits left stale
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("annotations:outlet", args=[outlet.pk]))
        return len(queries)

    client.force_login(editor)
    # session, user, roles, outlet, its stored totals (with its intervals), the most used flags' names, count,
    # the page's rows, authors prefetch
    assert count_for(1) == count_for(30) == 9


# --- Scale: bounded pages, index-served score sorts ----------------------------------------------

def test_past_the_count_limit_the_count_says_so_and_the_pages_still_reach_every_row(
    client, editor, reviewer, monkeypatch
):
    from dossier.tables import KeysetPaginator

    monkeypatch.setattr(KeysetPaginator, "COUNT_LIMIT", 4)
    for n in range(6):
        make_review(make_article(title=f"Article {n}", body=f"Claim {n}."), reviewer, {0: "q" if n % 2 else "u"})
    client.force_login(editor)
    response = client.get(LIST, {"per_page": 4})
    table = response.context["table"]
    assert table.paginator.capped and table.paginator.count == 4
    assert "4+ articles" in response.content.decode() and response.context["background_export"]
    following = client.get(LIST, {"per_page": 4, "cursor": table.page.next_cursor})
    assert len(titles(response)) + len(titles(following)) == 6
    assert following.context["table"].page.next_cursor is None
    # The export is not bounded: it holds every row.
    export = client.get(LIST, {"_export": "json"})
    assert len(json.loads(b"".join(export.streaming_content))) == 6


def test_an_outlets_articles_count_up_to_the_limit_and_say_so(client, editor, monkeypatch):
    from dossier.models import Outlet
    from dossier.tables import KeysetPaginator

    monkeypatch.setattr(KeysetPaginator, "COUNT_LIMIT", 4)
    for n in range(6):
        make_article(title=f"Wire story {n}", outlet="The Wire")
    client.force_login(editor)
    page = client.get(reverse("annotations:outlet", args=[Outlet.objects.get(name="The Wire").pk])).content.decode()
    assert "4+ articles" in page


def test_a_count_within_the_bound_is_exact(client, editor, scored):
    client.force_login(editor)
    response = client.get(LIST)
    assert not response.context["table"].paginator.capped
    assert "3 articles" in response.content.decode()


@pytest.mark.parametrize("sort", ["-sourced_fact_share", "sourced_fact_share", "-agreement", "opinion_share",
                                  "-fact_coverage", "alpha_reliable"])
def test_score_sorts_break_ties_on_the_article_with_or_without_a_status_filter(client, editor, reviewer, sort):
    # Equal scores everywhere: the order is then the articles' ids, in the sort's direction.
    articles = [make_article(title=f"Tie {n}", body=f"Claim {n}. Claim {n}.") for n in range(5)]
    for article in articles[:4]:
        make_review(article, reviewer, {0: "q", 1: "u"})
    client.force_login(editor)
    descending = sort.startswith("-")
    scored = sorted((a.pk for a in articles[:4]), reverse=descending)
    # One reviewer each: alpha is undefined for every article, which then ties on the article alone.
    unscored = sort.lstrip("-") in ("agreement", "alpha_reliable")
    every = sorted((a.pk for a in articles), reverse=descending) if unscored else [*scored, articles[4].pk]
    for query, expected in (({"status": "reviewed"}, scored), ({}, every)):
        table = client.get(LIST, {**query, "sort": sort}).context["table"]
        assert [row.record.pk for row in table.page.object_list] == expected, query


@pytest.mark.parametrize("query", [
    "status=reviewed&sort=-sourced_fact_share",
    "status=reviewed&sort=sourced_fact_share",
    "sourced_fact_share_min=10&sort=-sourced_fact_share",
    "unsourced_share_max=90&sort=agreement",
    "status=reviewed&sort=-fact_coverage",
    "fact_coverage_min=10&sort=fact_coverage",
    "alpha_reliable=no&sort=-alpha_reliable",
    "status=reviewed&sort=-ruled_sourced_fact_share",
    "sourced_fact_share_min=10&sort=ruled_sourced_fact_share",
])
def test_a_filtered_score_sort_walks_the_summary_index_and_sorts_nothing(editor, reviewer, query):
    from annotations import columns
    from annotations.filters import filtered_articles
    from annotations.models.scores import INDEX_NAMES

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL picks its plan by the table's statistics: at a test's size it sorts a few rows")
    make_review(make_article(body="Claim. Claim."), reviewer, {0: "q"})
    score = query.rsplit("=", 1)[1].lstrip("-")
    query = QueryDict(query)
    queryset = columns.sort(filtered_articles(query), query.getlist("sort"))[:50]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    # Read in index order and stopped after the page: no sort of every matching row.
    assert INDEX_NAMES.get(score, f"summary_{score}_idx") in plan and "TEMP B-TREE" not in plan


def test_an_outlet_page_reads_its_newest_articles_in_index_order_and_sorts_nothing(editor):
    from annotations.models import ScoredArticle

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL picks its plan by the table's statistics: at a test's size it sorts a few rows")
    outlet = make_article(title="One", body="Claim.", outlet="Big Outlet").outlet
    queryset = ScoredArticle.objects.filter(outlet_id=outlet.pk).for_table().order_by("-imported_at", "-id")[:26]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    # Without the (outlet, imported_at, id) index every article of the outlet was sorted for a page.
    assert "article_outlet_imported_idx" in plan and "TEMP B-TREE" not in plan


def test_each_row_has_a_cell_under_each_header(client, editor, scored):
    from dossier.models import Outlet

    client.force_login(editor)
    outlet = Outlet.objects.get(name="Good Times")
    for url in (LIST, reverse("annotations:outlet", args=[outlet.pk])):
        page = client.get(url).content.decode()
        table = page[page.rindex("<table"):page.rindex("</table>")]  # the articles table comes last
        headers = table.count("<th ")
        rows = table.split("<tbody>")[1].split("</tr>")[:-1]
        assert rows and all(row.count("<td") == headers for row in rows), url


def test_the_outlet_filter_matches_part_of_a_name_in_latin_or_arabic_script(client, editor):
    make_article(title="Istanbul", body="One.", outlet="Cumhuriyet Gazetesi")
    make_article(title="Tehran", body="Two.", outlet="روزنامه اعتماد")
    client.force_login(editor)
    assert titles(client.get(LIST, {"outlet": "gazete"})) == ["Istanbul"]
    assert titles(client.get(LIST, {"outlet": "اعتماد"})) == ["Tehran"]


def test_fact_coverage_and_alpha_reliable_are_columns_filters_and_sorts(client, editor, reviewer, other_reviewer):
    # Twelve sentences: reviewers agree on ten claims of fact and differ on two, so alpha has an interval.
    body = " ".join(f"Claim number {n} stands." for n in range(12))
    agreed = make_article(title="Agreed", body=body)
    make_review(agreed, reviewer, {n: "q" if n % 2 else "u" for n in range(10)} | {10: "o"})
    make_review(agreed, other_reviewer, {n: "q" if n % 2 else "u" for n in range(10)} | {11: "o"})
    few = make_article(title="Few claims", body="Opinion here. More opinion. A sourced claim.")
    make_review(few, reviewer, {0: "o", 1: "o", 2: "q"})
    client.force_login(editor)
    from annotations.models import ArticleSummary

    summary = ArticleSummary.objects.get(article=agreed)
    assert summary.agreement is not None and summary.alpha_reliable is not None
    verdict = "yes" if summary.alpha_reliable else "no"
    assert titles(client.get(LIST, {"sort": "-fact_coverage"})) == ["Agreed", "Few claims"]
    assert titles(client.get(LIST, {"fact_coverage_max": 50})) == ["Few claims"]
    assert titles(client.get(LIST, {"alpha_reliable": verdict})) == ["Agreed"]
    assert titles(client.get(LIST, {"alpha_reliable": "too_few"})) == ["Few claims"]
    content = client.get(LIST).content.decode()
    assert "Fact coverage" in content and "α reliable" in content
    assert f'<td class="number" dir="auto">{verdict}</td>' in content
    assert "Select a valid choice" in client.get(LIST, {"alpha_reliable": "maybe"}).content.decode()


def test_summary_shows_interval_bounds_coverage_alphas_versions_and_minority_flags(client, editor, scored):
    from annotations.models import CodebookVersion

    good, _, _ = scored
    client.force_login(editor)
    content = client.get(reverse("annotations:summary", args=[good.pk])).content.decode()
    assert "How far the numbers can be trusted" in content
    assert f"scoring method version 2 · codebook version {CodebookVersion.objects.current().number}" in content
    assert "Flagged unsourced by a minority" in content
    minority = content.split("Flagged unsourced by a minority", 1)[1]
    assert good.passages.all()[1].text in minority.split("</section>", 1)[0]
    assert "too few" in content  # three sentences: no alpha
    report = client.get(reverse("annotations:report", args=[good.pk])).content.decode()
    assert "How far the numbers can be trusted" in report and "scoring method version 2" in report


def test_a_headline_resting_on_few_claims_of_fact_is_marked(client, editor, reviewer):
    article = make_article(body=" ".join(f"Opinion number {n} here." for n in range(11)) + " A sourced claim.")
    make_review(article, reviewer, {n: "o" for n in range(11)} | {11: "q"})
    client.force_login(editor)
    content = client.get(reverse("annotations:summary", args=[article.pk])).content.decode()
    assert "few claims of fact" in content
