"""Full-text search on title, outlet and authors: folding, prefixes, safety, and the index kept current."""
import json

import pytest
from django.db import connection
from django.urls import reverse
from factories import jsonl, make_article, make_review

from dossier.folding import search_text
from dossier.ingest import import_file
from dossier.models import Article, Author, Outlet
from dossier.search import FTS_TABLE, search

pytestmark = pytest.mark.django_db
LIST = reverse("annotations:articles")
QUEUE = reverse("annotations:queue")


def found(text, column=None):
    return sorted(search(Article.objects.all(), text, column).values_list("title", flat=True))


@pytest.fixture
def corpus():
    make_article(title="İstanbul'da seçim sonuçları", outlet="Cumhuriyet", authors=["Ayşe Yılmaz"])
    make_article(title="Işık kirliliği artıyor", outlet="Hürriyet", authors=["Barış Işık"])
    make_article(title="Москва готовится к зиме", outlet="Ведомости", authors=["Пётр Семёнов"])
    make_article(title="Résumé of the border talks", outlet="Example Times", authors=["Zoë Martin"])
    make_article(title="بحران آب در تهران", outlet="همشهری", authors=["علی رضایی"])
    make_article(title="أزمة المدارس في إربد", outlet="الغد", authors=["ليلى حداد"])


@pytest.mark.parametrize(("typed", "title"), [
    ("istanbul", "İstanbul'da seçim sonuçları"),
    ("İSTANBUL", "İstanbul'da seçim sonuçları"),
    ("ista", "İstanbul'da seçim sonuçları"),  # the last word is a prefix
    ("secim sonuc", "İstanbul'da seçim sonuçları"),
    ("isik", "Işık kirliliği artıyor"),
    ("IŞIK kir", "Işık kirliliği artıyor"),
    ("москва", "Москва готовится к зиме"),
    ("МОСК", "Москва готовится к зиме"),
    ("петр семенов", "Москва готовится к зиме"),  # ё typed as е, in an author's name
    ("resume", "Résumé of the border talks"),
    ("zoe", "Résumé of the border talks"),
    ("تهران", "بحران آب در تهران"),
    ("علی رضا", "بحران آب در تهران"),
    ("المدارس", "أزمة المدارس في إربد"),
    ("ازمة", "أزمة المدارس في إربد"),  # alef with hamza typed without it
    ("لیلی", "أزمة المدارس في إربد"),  # Arabic yeh typed as Persian yeh
    ("example times", "Résumé of the border talks"),  # the outlet's name
    ("border ayşe", []),  # every word must match, in the one article
])
def test_search_finds_titles_outlets_and_authors_in_every_script(corpus, typed, title):
    assert found(typed) == ([title] if isinstance(title, str) else title)


def test_only_the_last_word_is_a_prefix(corpus):
    assert found("bord talks") == [] and found("border tal") == ["Résumé of the border talks"]


def test_a_column_search_keeps_to_its_column(corpus):
    assert found("ışık", "search_authors") == ["Işık kirliliği artıyor"]
    assert found("kirliliği", "search_authors") == []
    assert found("kirliliği", "search_title") == ["Işık kirliliği artıyor"]
    assert found("hurr", "search_outlet") == ["Işık kirliliği artıyor"] and found("hurr", "search_authors") == []


@pytest.mark.parametrize("typed", ['a" OR', "*", "NEAR(", '"', "AND", "OR NOT", "-", "^x", "search_title:", "{x}",
                                   "'", "\\", "x' | 'y", "!", "a:*", ")))", "(", "%_"])
def test_query_syntax_typed_is_searched_as_words_and_never_errors(client, editor, corpus, typed):
    found(typed)
    found(typed, "search_outlet")
    client.force_login(editor)
    for params in ({"q": typed}, {"outlet": typed}, {"author": typed}):
        assert client.get(LIST, params).status_code == 200


def test_an_empty_or_punctuation_only_search_is_no_filter(corpus):
    assert len(found("")) == len(found(' "* ( ')) == Article.objects.count() == 6


def test_renaming_an_outlet_or_an_author_updates_what_search_finds(corpus):
    outlet = Outlet.objects.get(name="Hürriyet")
    outlet.name = "Sabah Gazetesi"
    outlet.save()
    author = Author.objects.get(name="Zoë Martin")
    author.name = "Chloé Dubois"
    author.save()
    assert found("hurriyet") == [] and found("sabah", "search_outlet") == ["Işık kirliliği artıyor"]
    assert found("zoe") == [] and found("chloe dub", "search_authors") == ["Résumé of the border talks"]


def test_changing_an_articles_authors_from_either_side_updates_what_search_finds(corpus):
    article = Article.objects.get(title__startswith="Résumé")
    other = Author.objects.create(name="Ōta Kenji")
    article.authors.add(other)
    assert found("ota kenji") == ["Résumé of the border talks"] and found("zoe") == ["Résumé of the border talks"]
    article.authors.remove(Author.objects.get(name="Zoë Martin"))
    assert found("zoe") == []
    other.articles.clear()
    assert found("ota") == []
    other.articles.add(article)
    assert found("ota") == ["Résumé of the border talks"]


def test_an_edited_title_or_outlet_is_found_at_once(corpus):
    article = Article.objects.get(title__startswith="Résumé")
    article.title = "Curriculum vitae"
    article.outlet = Outlet.objects.get(name="Cumhuriyet")
    article.save()
    assert found("resume") == [] and found("curriculum cumhur") == ["Curriculum vitae"]


def test_a_revised_title_is_found_and_the_old_one_is_not(client, editor):
    url = "https://example.com/story"
    import_file("v1.json", json.dumps({"title": "Flood warning", "url": url, "body": "One. Two."}).encode())
    import_file("v2.json", json.dumps({"title": "Drought warning", "url": url, "body": "One. Three.",
                                       "outlet": "Daily Örnek", "authors": ["Ümit Kaya"]}).encode())
    assert found("flood") == [] and found("drought warn") == ["Drought warning"]
    assert found("ornek umit") == ["Drought warning"]


def test_the_index_stays_exact_through_imports_and_deletes():
    records = [{"title": f"Şehir haberi {n}", "body": f"Metin {n}. Bitti.", "outlet": f"Gazete {n % 3}",
                "authors": [f"Yazar {n % 4}"]} for n in range(40)]
    assert not import_file("batch.jsonl", jsonl(*records)).failed
    assert len(found("sehir")) == 40 and len(found("gazete 1", "search_outlet")) == 13
    assert len(found("yazar 2", "search_authors")) == 10
    stored = Article.objects.get(title="Şehir haberi 7")
    assert (stored.search_title, stored.search_outlet, stored.search_authors) == (
        "sehir haberi 7", "gazete 1", "yazar 3")
    Article.objects.filter(title__in=["Şehir haberi 1", "Şehir haberi 21"]).delete()
    Article.objects.get(title="Şehir haberi 2").delete()
    assert len(found("sehir")) == 37
    assert not {"Şehir haberi 1", "Şehir haberi 2", "Şehir haberi 21"} & set(found("haberi"))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # the FTS5 index agrees with the table it indexes
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')")
    for article in Article.objects.prefetch_related("authors").select_related("outlet"):
        assert article.search_authors == search_text(" ".join(a.name for a in article.authors.all()))
        assert article.search_outlet == search_text(article.outlet.name)


def test_the_queue_and_the_table_search_with_the_same_filter(client, editor, reviewer, corpus):
    client.force_login(reviewer)
    queue = client.get(QUEUE, {"q": "ista"}).content.decode()
    assert "İstanbul&#x27;da seçim" in queue or "İstanbul'da seçim" in queue
    assert "Москва" not in queue
    client.force_login(editor)
    table = client.get(LIST, {"q": "москва", "outlet": "ведом", "author": "петр"}).content.decode()
    assert "Москва готовится к зиме" in table and "Résumé" not in table


def test_a_searched_table_page_costs_the_same_queries_as_an_unsearched_one(
    client, editor, reviewer, django_assert_num_queries
):
    for n in range(30):
        article = make_article(title=f"Haber {n}", body=f"Metin {n}.", authors=[f"Yazar {n}"], outlet=f"Gazete {n}")
        make_review(article, reviewer, {0: "u"})
    client.force_login(editor)
    # session, user, roles, count (bounded), the keyset page's rows, authors prefetch, the filter's flags
    for query in ({"q": "haber"}, {"q": "haber", "sort": "-sourced_fact_share", "status": "reviewed"},
                  {"outlet": "gazete", "author": "yazar"}):
        with django_assert_num_queries(7):
            response = client.get(LIST, {"per_page": 10, **query})
        assert len(response.context["table"].page.object_list) == 10


def test_the_search_reads_its_index_for_the_default_and_a_score_sort():
    from django.http import QueryDict

    from annotations import columns
    from annotations.filters import filtered_articles

    make_article(title="Harbour news")
    for text in ("q=harbour", "q=qzxjv&status=reviewed&sort=-sourced_fact_share", "outlet=x&author=y&sort=title"):
        query = QueryDict(text)
        sql, params = columns.sort(filtered_articles(query), query.getlist("sort"))[:50].query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = " ".join(str(row) for row in cursor.fetchall())
                assert f"SCAN {FTS_TABLE} VIRTUAL TABLE" in plan
                if "sort" in query:  # from the matches: the article table is only looked up by id
                    assert "SCAN dossier_article " not in plan
                else:  # the import order's index walked, each id tested against the matches, nothing sorted
                    assert "SCAN dossier_article USING INDEX article_imported_idx" in plan.replace("COVERING ", "")
                    assert "TEMP B-TREE" not in plan
            else:
                cursor.execute("SET LOCAL enable_seqscan = off")  # at a test's size a scan is cheapest
                cursor.execute("EXPLAIN " + sql, params)
                assert "article_search_idx" in " ".join(row[0] for row in cursor.fetchall())


def test_triggers_a_rebuilt_article_table_lost_are_put_back_and_the_index_rebuilt():
    from dossier.search import restore_triggers

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's index lives with the table")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {FTS_TABLE}_insert")
    make_article(title="Written while the trigger was gone")
    assert found("gone") == []
    restore_triggers()
    assert found("gone") == ["Written while the trigger was gone"]
    make_article(title="Written after it came back")
    assert found("written") == ["Written after it came back", "Written while the trigger was gone"]
