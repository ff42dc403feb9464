"""One campaign walked through a real headless Chromium: an editor plans and opens it, two reviewers work
their queues, the editor rules on the dispute and reads both sets of figures.
"""
import pytest
from factories import make_article

from annotations.models import Review, Ruling

from campaigns.models import Assignment, Campaign

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def work_queue(page, live_server, login, username, key):
    """Log in, open Next article from the queue, put the flag with `key` on the first passage, submit."""
    login(page, live_server, username)
    page.goto(f"{live_server.url}/review/")
    expect(page.locator("section.assignments")).to_contain_text("Desk audit")
    page.click("text=Next article")
    expect(page.locator(".workspace")).to_be_visible()
    page.wait_for_load_state("load")
    page.keyboard.press("j")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/review/annotations/")):
        page.keyboard.press(key)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form.submit-review button")
    expect(page.get_by_text("Your review was submitted")).to_be_visible()


def test_an_editor_runs_a_campaign_from_plan_to_ruling_and_reads_both_figures(
    page, new_page, live_server, login, editor, reviewer, other_reviewer
):
    article = make_article(title="Ministry claims", body="The ministry said the talks succeeded. Talks began in May.")
    login(page, live_server, "ed")
    page.goto(f"{live_server.url}/campaigns/new/")
    page.fill("#id_name", "Desk audit")
    page.fill("#id_brief", "Flag **every** claim.")
    page.fill("#id_per_article", "2")
    page.fill("#id_article_ids", str(article.pk))
    page.fill("#id_reviewer_names", "rita, rob")
    page.click("text=Plan campaign")
    expect(page.locator("h1")).to_have_text("Desk audit")
    page.click("text=Open and assign")
    expect(page.locator(".messages")).to_contain_text("every article is assigned")
    assert Assignment.objects.filter(campaign__name="Desk audit").count() == 2

    work_queue(new_page(), live_server, login, "rita", "q")  # sourced
    work_queue(new_page(), live_server, login, "rob", "u")  # unsourced: the first passage is disputed
    assert Review.objects.filter(status=Review.Status.SUBMITTED).count() == 2
    assert set(Assignment.objects.values_list("state", flat=True)) == {"submitted"}

    campaign = Campaign.objects.get()
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/disputes/")
    expect(page.locator("main")).to_contain_text("1 disputed passages, 0 ruled")
    page.click("main table a")
    expect(page.locator(".side-by-side")).to_contain_text("rita: Sourced")
    expect(page.locator(".side-by-side")).to_contain_text("rob: Unsourced")
    page.select_option("#id_category", "sourced")
    page.fill("#id_rationale", "The ministry's statement is published.")
    page.click("text=Rule")
    expect(page.locator("main")).to_contain_text("1 disputed passages, 1 ruled")
    assert Ruling.objects.get().category == "sourced"

    page.goto(f"{live_server.url}/articles/{article.pk}/summary/")
    figures = page.locator("section.after-rulings")
    expect(figures).to_contain_text("Sourced-fact share, reviewer consensus")
    expect(figures).to_contain_text("Sourced-fact share, after rulings")
    expect(figures).to_contain_text("100.0%")
    expect(figures).to_contain_text("The ministry's statement is published.")
