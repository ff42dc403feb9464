"""The reviewer workspace driven through a real headless Chromium.

Every wait is on something the page shows (Playwright's expect), never on time.
The live server shares the in-memory test database with this thread, so the database is
read only once the page is idle: after an awaited save, or after a (re)load.
"""
import pytest
from browser.workspace_page import (
    SAVED,
    annotations_of,
    button,
    flag,
    note_field,
    open_workspace,
    other_marks,
    own_marks,
    passage_el,
    passages_of,
    saving,
    select_text,
    submit_review,
    utf16_length,
    word_box,
)
from django.contrib.auth.models import Group
from factories import make_article

from dossier.roles import Role

from annotations.models import Annotation, Flag, Review

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright").expect

pytestmark = [
    pytest.mark.browser,
    # live_server answers from another thread, so tests commit for real; the rollback
    # restores the role groups and default flags the data migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# --- tests ---------------------------------------------------------------------------


def test_a_reviewer_flags_passages_entirely_from_the_keyboard_and_the_flags_survive_a_reload(
    page, live_server, login, reviewer
):
    article = make_article(body="The mayor resigned. It was a disgrace. Nobody saw it coming.\n\nA new paragraph.")
    first, second, *_ = passages_of(article)
    unsourced, opinion = flag("u"), flag("o")
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    expect(page.locator("#flagged")).to_have_text("0")

    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(passage_el(page, second)).to_have_class("passage current")
    page.keyboard.press("u")
    expect(own_marks(page, second)).to_have_count(1)
    page.keyboard.press("k")
    expect(passage_el(page, first)).to_have_class("passage current")
    expect(passage_el(page, second)).not_to_have_class("passage current")
    page.keyboard.press("o")

    expect(own_marks(page, first)).to_have_count(1)
    expect(page.locator("#status")).to_have_text(SAVED)
    expect(page.locator("#flagged")).to_have_text("2")
    expect(own_marks(page, first)).to_have_text(["Opinion"])
    expect(own_marks(page, first)).to_have_attribute("data-flag", str(opinion.pk))
    expect(own_marks(page, second)).to_have_text(["Unsourced claim"])
    expect(own_marks(page, second)).to_have_attribute("data-flag", str(unsourced.pk))
    # The flag bar shows the current (first) passage's flags.
    expect(button(page, opinion)).to_have_attribute("aria-pressed", "true")
    expect(button(page, unsourced)).to_have_attribute("aria-pressed", "false")

    page.reload()
    expect(own_marks(page, first)).to_have_text(["Opinion"])
    expect(own_marks(page, second)).to_have_text(["Unsourced claim"])
    expect(page.locator(".passage .mark")).to_have_count(2)
    expect(page.locator("#flagged")).to_have_text("2")

    assert annotations_of(reviewer, article) == {
        (first.pk, "o", None, None, ""),
        (second.pk, "u", None, None, ""),
    }
    assert Review.objects.get(reviewer=reviewer, article=article).status == Review.Status.IN_PROGRESS


def test_a_reviewer_flags_with_the_mouse_and_a_second_click_takes_the_flag_off(page, live_server, login, reviewer):
    article = make_article(body="One claim. Two claims. Three claims.")
    _, second, third = passages_of(article)
    cites, vague = flag("c"), flag("v")
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)

    page.click(f'.passage[data-passage="{third.pk}"] .text')
    expect(passage_el(page, third)).to_have_class("passage current")
    button(page, cites).click()
    expect(own_marks(page, third)).to_have_text(["Cites source"])
    button(page, vague).click()
    expect(own_marks(page, third)).to_have_count(2)
    expect(button(page, cites)).to_have_attribute("aria-pressed", "true")
    expect(button(page, vague)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#flagged")).to_have_text("1")

    button(page, cites).click()  # second click: off again
    expect(own_marks(page, third)).to_have_text(["Vague attribution"])
    expect(button(page, cites)).to_have_attribute("aria-pressed", "false")
    expect(button(page, vague)).to_have_attribute("aria-pressed", "true")

    page.click(f'.passage[data-passage="{second.pk}"] .text')
    expect(button(page, vague)).to_have_attribute("aria-pressed", "false")  # follows the current passage
    button(page, vague).click()
    expect(own_marks(page, second)).to_have_text(["Vague attribution"])
    expect(page.locator("#flagged")).to_have_text("2")
    button(page, vague).click()
    expect(own_marks(page, second)).to_have_count(0)
    expect(page.locator("#flagged")).to_have_text("1")
    expect(page.locator("#status")).to_have_text(SAVED)

    assert annotations_of(reviewer, article) == {(third.pk, "v", None, None, "")}


def test_selected_words_are_flagged_as_their_exact_code_point_range_in_the_body(page, live_server, login, reviewer):
    # Astral characters (two UTF-16 units, one code point) both in an earlier passage
    # and before the words in the same passage: UTF-16 offsets would land elsewhere.
    turkish = "enflasyon hızla düşecek"
    persian = "تورم"
    article = make_article(
        title="Enflasyon 🙂",
        body=(
            "Ankara’da 🙂 bakan konuştu. Bakan 𝒜 dedi ki " + turkish + " ve İstanbul sevinecek.\n\n"
            "وزیر 𝒜 گفت " + persian + " به زودی کاهش می‌یابد."
        ),
        language="tr",
    )
    _, said, farsi = passages_of(article)
    body = article.body
    unsourced, vague = flag("u"), flag("v")
    assert turkish in said.text and persian in farsi.text
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)

    # Keyboard: move to the passage, select the words with a space either side, press u.
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(passage_el(page, said)).to_have_class("passage current")
    select_text(page, said, turkish, pad=1)
    page.keyboard.press("u")
    expect(own_marks(page, said)).to_have_text([f"Unsourced claim: “{turkish}”"])
    assert page.evaluate("window.getSelection().isCollapsed")  # the selection is used up

    # Mouse: double-click a Persian (right-to-left) word, then click the flag's button.
    box = word_box(page, farsi, persian)
    page.mouse.dblclick(box["x"], box["y"])
    expect(passage_el(page, farsi)).to_have_class("passage current")
    assert page.evaluate("window.getSelection().toString().trim()") == persian
    button(page, vague).click()
    expect(own_marks(page, farsi)).to_have_text([f"Vague attribution: “{persian}”"])
    expect(page.locator("#status")).to_have_text(SAVED)

    page.reload()
    expect(own_marks(page, said)).to_have_text([f"Unsourced claim: “{turkish}”"])
    expect(own_marks(page, farsi)).to_have_text([f"Vague attribution: “{persian}”"])

    by_passage = {
        a.passage_id: a for a in Annotation.objects.filter(review__reviewer=reviewer).select_related("passage__article")
    }
    assert set(by_passage) == {said.pk, farsi.pk}
    for passage, words, the_flag in ((said, turkish, unsourced), (farsi, persian, vague)):
        annotation = by_passage[passage.pk]
        assert annotation.flag == the_flag
        assert annotation.quote == words
        assert (annotation.start, annotation.end) == (body.index(words), body.index(words) + len(words))
        assert passage.start <= annotation.start < annotation.end <= passage.end
        # The case the code-point conversion exists for: UTF-16 would count differently.
        assert utf16_length(body[: annotation.start]) != annotation.start


def test_a_note_typed_after_pressing_n_is_saved_on_enter_and_survives_a_reload(page, live_server, login, reviewer):
    article = make_article(body="Prices rose sharply. Everyone agrees.")
    first, second = passages_of(article)
    note = "Which prices? Şu rakamın kaynağı yok 🙂"
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)

    page.keyboard.press("j")
    page.keyboard.press("u")
    expect(own_marks(page, first)).to_have_count(1)
    page.keyboard.press("n")
    expect(note_field(page)).to_be_focused()
    page.keyboard.type(note)  # "j", "k", "u" and "n" in the note are text, not commands
    expect(passage_el(page, first)).to_have_class("passage current")
    with saving(page) as response:
        page.keyboard.press("Enter")
    assert response.value.ok
    expect(page.locator("#status")).to_have_text(SAVED)
    expect(note_field(page)).to_have_value(note)
    expect(note_field(page)).not_to_be_focused()
    expect(own_marks(page, first)).to_have_text(["Unsourced claim ✎"])  # the pill says it has a note
    assert annotations_of(reviewer, article) == {(first.pk, "u", None, None, note)}

    # Esc cancels: what was typed since is put back, nothing is sent, and the keys work again.
    requests = []
    page.on("request", lambda request: requests.append(request) if request.method == "POST" else None)
    page.keyboard.press("n")
    expect(note_field(page)).to_be_focused()
    page.keyboard.type(" Still?")
    page.keyboard.press("Escape")
    expect(note_field(page)).not_to_be_focused()
    expect(note_field(page)).to_have_value(note)
    page.keyboard.press("j")
    expect(passage_el(page, second)).to_have_class("passage current")
    assert requests == []

    page.reload()
    expect(passage_el(page, second)).to_have_class("passage current")  # the position is in the address
    page.keyboard.press("k")
    expect(note_field(page)).to_have_value(note)
    expect(own_marks(page, first)).to_have_text(["Unsourced claim ✎"])
    assert annotations_of(reviewer, article) == {(first.pk, "u", None, None, note)}


def test_typing_an_evidence_address_after_a_note_keeps_every_keystroke_in_the_form(
    page, live_server, login, reviewer
):
    # The defect: saving the note on leaving its field redrew the marks, destroyed the URL field
    # being typed in, and the rest of "https://bbc.co.uk" toggled the s, b, c, o and u flags.
    article = make_article(body="Prices rose sharply. Everyone agrees.")
    first, _ = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.keyboard.press("j")
    page.keyboard.press("u")
    expect(own_marks(page, first)).to_have_count(1)
    expect(page.locator("#status")).to_have_text(SAVED)

    requests = []
    page.on("request", lambda request: requests.append(request) if request.method == "POST" else None)
    page.keyboard.press("n")
    page.keyboard.type("Which survey?")
    page.keyboard.press("Tab")  # to the evidence field: moving inside the form saves nothing yet
    url_field = page.locator(".note-panel .note-form input[name=evidence_url]")
    expect(url_field).to_be_focused()
    page.keyboard.type("https://bbc.co.uk/news")
    expect(url_field).to_be_focused()
    expect(url_field).to_have_value("https://bbc.co.uk/news")
    assert requests == []
    with saving(page):
        page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text(SAVED)
    expect(own_marks(page, first)).to_have_text(["Unsourced claim ✎"])
    assert len(requests) == 1
    assert annotations_of(reviewer, article) == {(first.pk, "u", None, None, "Which survey?")}
    assert Annotation.objects.get().evidence_url == "https://bbc.co.uk/news"

    # Leaving the form with the mouse saves it too (once), and the click lands where it was aimed.
    page.keyboard.press("n")
    page.keyboard.type(" Or the census?")
    with saving(page):
        page.click(f'.passage[data-passage="{passages_of(article)[1].pk}"] .text')
    expect(page.locator("#status")).to_have_text(SAVED)
    expect(passage_el(page, passages_of(article)[1])).to_have_class("passage current")
    assert Annotation.objects.get().note == "Which survey? Or the census?"
    assert len(requests) == 2


def test_submitting_the_review_after_confirming_makes_it_read_only(page, live_server, login, reviewer):
    article = make_article(body="First claim. Second claim.")
    first, second = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.keyboard.press("j")
    page.keyboard.press("u")
    expect(own_marks(page, first)).to_have_count(1)
    expect(page.locator("#status")).to_have_text(SAVED)

    # Dismissing the confirmation submits nothing.
    asked = []
    page.once("dialog", lambda dialog: (asked.append((dialog.type, dialog.message)), dialog.dismiss()))
    page.click("form.submit-review button")
    assert page.evaluate("1 + 1") == 2  # the page runs again: the dialog is over
    assert asked and asked[0][0] == "confirm" and asked[0][1].startswith("Submit your review?")
    expect(page.locator("form.submit-review button")).to_be_enabled()
    assert Review.objects.get(reviewer=reviewer, article=article).status == Review.Status.IN_PROGRESS

    later = make_article(title="Ceasefire holds", body="A later claim.")
    submit_review(page)
    expect(page.locator(".messages")).to_contain_text("submitted")
    expect(page.locator("form.submit-review")).to_have_count(0)
    expect(page.locator(".next-article a")).to_have_text("Ceasefire holds")  # on to the next article
    expect(page.locator(".next-article a")).to_have_attribute("href", f"/articles/{later.pk}/review/")
    buttons = page.locator("button.flag-button")
    expect(buttons).not_to_have_count(0)
    for index in range(buttons.count()):
        expect(buttons.nth(index)).to_be_disabled()
    expect(page.locator(".note-form")).to_have_count(0)  # no note fields any more
    expect(own_marks(page, first)).to_have_text(["Unsourced claim"])

    # Keys no longer change anything: no request is even sent.
    requests = []
    page.on("request", lambda request: requests.append(request) if request.method == "POST" else None)
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(passage_el(page, second)).to_have_class("passage current")
    page.keyboard.press("o")
    assert page.evaluate("1 + 1") == 2
    expect(own_marks(page, second)).to_have_count(0)
    assert requests == []

    review = Review.objects.get(reviewer=reviewer, article=article)
    assert review.status == Review.Status.SUBMITTED and review.submitted_at is not None
    assert annotations_of(reviewer, article) == {(first.pk, "u", None, None, "")}


def test_other_reviewers_flags_stay_hidden_until_this_reviewer_submits_and_editors_see_everyones(
    page, new_page, live_server, login, django_user_model, reviewer, other_reviewer, editor
):
    article = make_article(body="Alpha claim. Beta claim. Gamma claim.")
    alpha, beta, gamma = passages_of(article)
    rob_review = Review.objects.create(article=article, reviewer=other_reviewer)
    rob_review.set_flag(alpha, flag("v"), on=True, note="rob says vague")
    rob_review.submit()
    # A third reviewer who has not submitted: never shown to other reviewers.
    rhea = django_user_model.objects.create_user(username="rhea", password="correct horse battery")
    rhea.groups.add(Group.objects.get(name=Role.REVIEWER))
    rhea_review = Review.objects.create(article=article, reviewer=rhea)
    rhea_review.set_flag(gamma, flag("c"), on=True, note="rhea draft")

    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    expect(page.locator(".scope")).to_contain_text("Blind review")
    expect(page.locator(".passage .mark")).to_have_count(0)
    expect(page.locator(".workspace")).not_to_contain_text("rob says vague")
    expect(page.locator(".workspace")).not_to_contain_text("rhea draft")

    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("u")
    expect(own_marks(page, beta)).to_have_count(1)
    expect(other_marks(page)).to_have_count(0)  # the save's answer shows only her own marks too

    submit_review(page)
    expect(other_marks(page)).to_have_count(1)
    expect(other_marks(page, alpha)).to_have_text(["Vague attribution · rob"])
    expect(other_marks(page, alpha)).to_have_attribute("data-flag", str(flag("v").pk))
    expect(passage_el(page, alpha).locator(".note")).to_have_text("rob says vague")
    # One compact marker per passage, opened on demand.
    marker = passage_el(page, alpha).locator(".others-toggle")
    expect(marker).to_have_text("1 flag by other reviewers")
    expect(other_marks(page, alpha)).to_be_hidden()
    marker.click()
    expect(marker).to_have_attribute("aria-expanded", "true")
    expect(other_marks(page, alpha)).to_be_visible()
    expect(own_marks(page, beta)).to_have_text(["Unsourced claim"])
    expect(page.locator(".workspace")).not_to_contain_text("rhea")

    editor_page = new_page()
    login(editor_page, live_server, "ed")
    open_workspace(editor_page, live_server, article)
    expect(editor_page.locator(".scope")).to_contain_text("every reviewer")
    expect(editor_page.locator(".passage .mark[data-mine]")).to_have_count(0)
    expect(other_marks(editor_page, alpha)).to_have_text(["Vague attribution · rob"])
    expect(other_marks(editor_page, beta)).to_have_text(["Unsourced claim · rita"])
    expect(other_marks(editor_page, gamma)).to_have_text(["Cites source · rhea"])
    expect(editor_page.locator("button.flag-button").first).to_be_disabled()


def test_markup_in_titles_bodies_and_notes_is_shown_as_text_and_never_runs(
    page, new_page, live_server, login, reviewer, other_reviewer, editor
):
    script = "<script>window.__xss = 'script'; alert('script')</script>"
    image = "<img src=x onerror=\"window.__xss = 'img'; alert('img')\">"
    title = f"Breaking {script}{image}"
    article = make_article(title=title, body=f"Officials said {image} it was fine. {script} Second sentence.")
    first = passages_of(article)[0]
    rob_review = Review.objects.create(article=article, reviewer=other_reviewer)
    rob_review.set_flag(first, flag("o"), on=True, note=f"rob: {image}{script}")
    rob_review.submit()

    def guard(page):
        unexpected = []

        def on_dialog(dialog):
            if dialog.type == "confirm" and dialog.message.startswith("Submit your review?"):
                dialog.accept()
            else:
                unexpected.append(dialog.message)
                dialog.dismiss()

        page.on("dialog", on_dialog)
        return unexpected

    def assert_nothing_ran(page, unexpected):
        page.wait_for_load_state("load")  # every script and image of the page has had its turn
        assert page.evaluate("typeof window.__xss") == "undefined"
        # No element from the payloads made it into the DOM: no <img>, no inline script
        # and no element with an event-handler attribute.
        assert page.locator("main img").count() == 0
        # The one script that holds user text is the workspace's JSON data, which never runs and
        # carries no raw "<" (json_script escapes it), so it cannot close itself early.
        assert page.evaluate(
            "[...document.scripts].filter((s) => s.type !== 'application/json' && s.text.includes('__xss')).length"
        ) == 0
        assert page.evaluate("[...document.scripts].filter((s) => s.text.includes('<')).length") == 0
        assert page.evaluate(
            "[...document.querySelectorAll('*')]"
            ".filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length"
        ) == 0
        assert unexpected == []

    unexpected = guard(page)
    login(page, live_server, "rita")
    expect(page.locator("main")).to_contain_text(title)  # the article list
    assert_nothing_ran(page, unexpected)

    open_workspace(page, live_server, article)
    expect(page.locator(".workspace h1")).to_have_text(title)
    expect(page).to_have_title(f"Review: {title} · Dossier")
    expect(passage_el(page, first).locator(".text")).to_have_text(first.text)
    assert image in first.text
    assert_nothing_ran(page, unexpected)

    # A note with markup goes through the save's HTML answer (put in with innerHTML).
    page.keyboard.press("j")
    page.keyboard.press("u")
    expect(own_marks(page, first)).to_have_count(1)
    page.keyboard.press("n")
    page.keyboard.type(f"mine: {image}{script}")
    with saving(page):
        page.keyboard.press("Enter")
    expect(note_field(page)).to_have_value(f"mine: {image}{script}")
    assert_nothing_ran(page, unexpected)

    page.reload()
    expect(note_field(page)).to_have_value(f"mine: {image}{script}")
    assert_nothing_ran(page, unexpected)

    submit_review(page)  # the confirmation message names the title too
    expect(page.locator(".messages")).to_contain_text(f"Review of “{title}” submitted.")
    expect(passage_el(page, first).locator(".note")).to_have_text([f"mine: {image}{script}", f"rob: {image}{script}"])
    assert_nothing_ran(page, unexpected)

    page.click("text=reading view")
    expect(page.locator("main h1")).to_have_text(title)
    assert_nothing_ran(page, unexpected)

    editor_page = new_page()
    editor_unexpected = guard(editor_page)
    login(editor_page, live_server, "ed")
    open_workspace(editor_page, live_server, article)
    expect(editor_page.locator(".note")).to_have_text([f"mine: {image}{script}", f"rob: {image}{script}"])
    assert_nothing_ran(editor_page, editor_unexpected)
    assert Annotation.objects.get(review__reviewer=reviewer).note == f"mine: {image}{script}"


def test_roles_and_default_flags_survive_the_flush_between_browser_tests(
    page, live_server, reviewer, editor
):
    # Runs after the tests above have flushed the database: serialized_rollback brought
    # back the groups and flags the data migrations made, and the user fixtures could
    # join their groups. On in-memory SQLite the live server answers from this test's own
    # connection (PostgreSQL's live server opens its own, to the same database).
    from django.db import connections

    shared = live_server.thread.connections_override
    if connections["default"].vendor == "sqlite":
        assert connections["default"] is shared["default"]
    assert set(reviewer.groups.values_list("name", flat=True)) == {Role.REVIEWER}
    assert set(editor.groups.values_list("name", flat=True)) == {Role.EDITOR}
    assert set(Group.objects.filter(name__in=Role.values).values_list("name", flat=True)) == set(Role.values)
    assert {"u", "o", "v", "c"} <= set(Flag.objects.values_list("shortcut", flat=True))
