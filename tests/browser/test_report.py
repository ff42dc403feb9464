"""The printable report in a real Chromium: the print button, the page on paper, and "Save as PDF"."""
import os
import re

import pytest
from django.urls import reverse
from factories import make_article, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def report_url(editor, reviewer, other_reviewer):
    body = "\n\n".join(" ".join(f"Claim {p}.{s} rests on something." for s in range(6)) for p in range(20))
    article = make_article(title="Printed report", body=body, outlet="Paper Times", url="https://example.com/printed")
    make_review(article, reviewer, {n: "u" if n % 3 else "q" for n in range(0, 120, 2)})
    make_review(article, other_reviewer, {n: "q" for n in range(0, 120, 2)})
    return reverse("annotations:report", args=[article.pk])


def test_the_print_button_opens_the_print_dialog(page, live_server, login, report_url):
    login(page, live_server, "ed")
    # Headless Chromium has no dialog: record the call instead.
    page.add_init_script("window.print = () => { window.printed = true; };")
    page.goto(live_server.url + report_url)
    page.get_by_role("button", name="Print or save as PDF").click()
    assert page.evaluate("window.printed") is True


def test_on_paper_the_site_chrome_goes_and_the_content_stays(page, live_server, login, report_url):
    login(page, live_server, "ed")
    page.goto(live_server.url + report_url)
    assert page.locator("header.site").is_visible() and page.locator(".report-tools").is_visible()

    page.emulate_media(media="print")

    assert not page.locator("header.site").is_visible()
    assert not page.locator(".report-tools").is_visible()
    assert page.get_by_role("heading", name="Printed report").is_visible()
    assert page.locator("table.passages tbody tr").count() == 120
    assert page.locator(".method-note p").is_visible()  # the method note prints open
    assert page.locator("body").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"


def test_save_as_pdf_gives_a_multi_page_a4_document(page, live_server, login, report_url):
    login(page, live_server, "ed")
    page.goto(live_server.url + report_url)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    if path := os.environ.get("REPORT_PDF"):  # to look at it
        open(path, "wb").write(pdf)
    assert pdf.startswith(b"%PDF-")
    # 120 sentences with their flags do not fit on one sheet; every sheet is A4 (595 x 842 points).
    sheets = re.findall(rb"/MediaBox\s*\[\s*0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*\]", pdf)
    assert len(sheets) > 2
    assert all(abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in sheets)
