"""The tables' rows as BoundedTable.rows_html() formats them: what django-tables2's cells showed, escaped."""
import re

import pytest
from django.urls import reverse
from factories import make_article, make_review

from dossier.tables import BoundedTable

from annotations.models import Review

pytestmark = pytest.mark.django_db


def tbody(content):
    """The page's table bodies, rows' even/odd classes and spaces between tags or in empty tags left out."""
    bodies = re.findall(r"<tbody[^>]*>(.*?)</tbody>", content, re.S)
    bodies = [re.sub(r'<tr class="(even|odd)">', "<tr>", body).replace("<td >", "<td>") for body in bodies]
    return [re.sub(r">\s+<", "><", body).strip() for body in bodies]


def both_ways(client, monkeypatch, url, query=None):
    """The page's table bodies as rows_html() formats them, then as django-tables2's cells render them."""
    formatted = tbody(client.get(url, query or {}).content.decode())
    monkeypatch.setattr(BoundedTable, "formats_rows", False)
    generic = tbody(client.get(url, query or {}).content.decode())
    monkeypatch.undo()
    return formatted, generic


def test_queue_rows_are_django_tables2s_cells_escaped_and_directed(client, reviewer, monkeypatch):
    article = make_article(title="<b>خبر</b> & more", outlet="Ö & <Co>", language="fa")
    Review.objects.create(article=article, reviewer=reviewer)
    make_article(title="Plain")
    client.force_login(reviewer)
    formatted, generic = both_ways(client, monkeypatch, reverse("annotations:queue"))
    assert formatted == generic
    workspace = reverse("annotations:workspace", args=[article.pk])
    assert (
        f'<tr><td dir="auto"><a href="{workspace}">&lt;b&gt;خبر&lt;/b&gt; &amp; more</a></td>'
        f'<td dir="auto">Ö &amp; &lt;Co&gt;</td><td>fa</td><td class="number">{article.word_count}</td>'
        "<td>In progress</td></tr>"
    ) in formatted[0]
    assert formatted[0].count("<tr>") == 2 and formatted[0].count("<td") == 10  # five cells under five headers


def test_an_empty_queue_says_so_in_one_cell_across_the_headers(client, reviewer):
    client.force_login(reviewer)
    body = tbody(client.get(reverse("annotations:queue")).content.decode())[0]
    assert body == '<tr><td colspan="5">No articles match. Clear the filters to see your whole queue.</td></tr>'


def test_ranking_rows_are_django_tables2s_cells(client, editor, reviewer, monkeypatch):
    for n in range(6):
        make_review(make_article(title=f"Good {n}", body=f"Sourced claim {n}.", outlet="<Good> & Times"), reviewer,
                    {0: "q"})
    make_review(make_article(title="Alone", body="Opinion only.", outlet="روزنامه"), reviewer, {0: "o"})
    client.force_login(editor)
    for url, query in ((reverse("annotations:outlets"), {}), (reverse("annotations:outlets"), {"sort": "name"}),
                       (reverse("annotations:authors"), {})):
        formatted, generic = both_ways(client, monkeypatch, url, query)
        assert formatted == generic and len(formatted) == 2  # the ranked and the listed apart
    formatted, _ = both_ways(client, monkeypatch, reverse("annotations:outlets"))
    assert '<td dir="auto"><a href="/outlets/' in formatted[0] and "&lt;Good&gt; &amp; Times</a></td>" in formatted[0]
    assert "روزنامه</a></td>" in formatted[1]
