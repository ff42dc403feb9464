"""The workspace under an hour's real use: keys under any layout, fast presses against a slow
server, refused saves, selections, notes on several flags, long articles and phones.

A held request is one the test's route has caught and not let through yet: the page is then
exactly as a reviewer sees it while the server is slow.
"""
import json
import statistics
import time

import pytest
from browser.workspace_page import (
    SAVED,
    annotations_of,
    button,
    flag,
    open_workspace,
    own_marks,
    passage_el,
    passages_of,
    saving,
    select_text,
)
from factories import make_article

from annotations.models import Annotation, Review

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ANNOTATE = "**/review/annotations/"


def hold_saves(page):
    """Catch every annotation save; the test lets each through with `.continue_()`, or answers it."""
    held = []
    page.route(ANNOTATE, lambda route: held.append(route))
    return held


def wait_for_held(page, held, count):
    page.wait_for_function("() => true")  # one round trip, so the route handler has run
    for _ in range(50):
        if len(held) >= count:
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"{count} saves expected, {len(held)} sent")


def sent(route):
    return dict(pair.split("=", 1) for pair in route.request.post_data.split("&"))


def press_code(page, code, key, text=None):
    """A real key press as a non-English layout sends it: the physical key's code, another key."""
    cdp = page.context.new_cdp_session(page)
    base = {"code": code, "key": key, "windowsVirtualKeyCode": ord(code[-1])}
    cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", **base, "text": text or key})
    cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **base})
    cdp.detach()


# --- keys under any layout --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "j", "u"),
    [("Russian", "о", "г"), ("Persian", "ت", "ع"), ("Arabic", "ت", "ع"), ("Turkish-F", "ü", "ş")],
)
def test_shortcuts_work_under_a_non_latin_keyboard_layout(page, live_server, login, reviewer, layout, j, u):
    article = make_article(body="First claim. Second claim.")
    first, second = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)

    press_code(page, "KeyJ", j)
    expect(passage_el(page, first)).to_have_class("passage current")
    press_code(page, "KeyJ", j)
    expect(passage_el(page, second)).to_have_class("passage current")
    with saving(page):
        press_code(page, "KeyU", u)
    expect(own_marks(page, second)).to_have_text(["Unsourced claim"])
    expect(page.locator("#status")).to_have_text(SAVED)
    assert annotations_of(reviewer, article) == {(second.pk, "u", None, None, "")}


# --- optimistic marks -------------------------------------------------------------------------


def test_a_fast_double_press_against_a_slow_server_puts_the_flag_on_then_off_in_order(
    page, live_server, login, reviewer
):
    article = make_article(body="Prices rose sharply. Everyone agrees.")
    first, _ = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    held = hold_saves(page)
    page.keyboard.press("j")

    page.keyboard.press("u")
    expect(own_marks(page, first)).to_have_count(1)  # drawn before any answer
    expect(own_marks(page, first)).to_have_class(f"mark flag-{flag('u').pk} pending")
    expect(page.locator("#status")).to_have_text("Saving…")
    page.keyboard.press("u")
    expect(own_marks(page, first)).to_have_count(0)
    expect(button(page, flag("u"))).to_have_attribute("aria-pressed", "false")

    # One passage's saves go one after another: the second waits for the first's answer.
    wait_for_held(page, held, 1)
    assert len(held) == 1 and sent(held[0])["on"] == "1"
    held[0].continue_()
    wait_for_held(page, held, 2)
    assert sent(held[1])["on"] == "0"
    expect(page.locator("#status")).to_have_text("Saving…")
    held[1].continue_()
    expect(page.locator("#status")).to_have_text(SAVED)
    expect(own_marks(page, first)).to_have_count(0)
    expect(page.locator("#flagged")).to_have_text("0")
    assert Annotation.objects.count() == 0


def test_a_refused_save_takes_the_mark_back_and_says_why_in_words(page, live_server, login, reviewer):
    article = make_article(body="Prices rose sharply. Everyone agrees.")
    first, _ = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    held = hold_saves(page)
    page.keyboard.press("j")
    page.keyboard.press("u")
    expect(own_marks(page, first)).to_have_text(["Unsourced claim"])
    expect(page.locator("#flagged")).to_have_text("1")
    wait_for_held(page, held, 1)

    # Meanwhile the review is submitted from another tab: the server refuses the change.
    Review.objects.create(article=article, reviewer=reviewer).submit()
    held[0].continue_()
    status = page.locator("#status")
    expect(status).to_have_text(
        "Not saved: This review is submitted; its flags can no longer change. “Unsourced claim” was taken off."
    )
    expect(status).to_have_class("status error")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(own_marks(page, first)).to_have_count(0)
    expect(page.locator("#flagged")).to_have_text("0")
    expect(button(page, flag("u"))).to_have_attribute("aria-pressed", "false")
    assert Annotation.objects.count() == 0
    # The message sits in the sticky bar, not over the text.
    bar, text = page.locator(".workspace-bar").bounding_box(), page.locator(".workspace-text").bounding_box()
    assert bar["y"] + bar["height"] <= text["y"]


def test_an_unreachable_server_is_said_in_words_and_the_mark_rolls_back(page, live_server, login, reviewer):
    article = make_article(body="Prices rose sharply.")
    [only] = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.route(ANNOTATE, lambda route: route.abort("connectionrefused"))
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("#status")).to_have_text(
        "Not saved: the server cannot be reached; check the connection and try again. “Opinion” was taken off."
    )
    expect(own_marks(page, only)).to_have_count(0)


def test_a_signed_out_session_is_said_in_words_and_later_saves_still_go(page, live_server, login, reviewer):
    # Signed out elsewhere: the save is redirected to the login page, which answers 200 with HTML.
    article = make_article(body="Prices rose sharply. Everyone agrees.")
    first, second = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.route(ANNOTATE, lambda route: route.fulfill(status=200, content_type="text/html", body="<form>Log in</form>"))
    page.keyboard.press("j")
    page.keyboard.press("u")
    expect(page.locator("#status")).to_have_text(
        "Not saved: you are no longer signed in; sign in again in another tab, then repeat the change. "
        "“Unsourced claim” was taken off."
    )
    expect(own_marks(page, first)).to_have_count(0)
    page.unroute(ANNOTATE)
    with saving(page):
        page.keyboard.press("o")  # the same passage's next change is sent: its queue did not jam
    expect(page.locator("#status")).to_have_text(SAVED)
    assert annotations_of(reviewer, article) == {(first.pk, "o", None, None, "")}


def test_a_flag_key_held_down_toggles_once(page, live_server, login, reviewer):
    article = make_article(body="Prices rose sharply.")
    [only] = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.keyboard.press("j")
    requests = []
    page.on("request", lambda request: requests.append(request) if request.method == "POST" else None)
    with saving(page):
        for _ in range(4):
            page.keyboard.down("u")  # the second and later come with event.repeat, as a held key's do
        page.keyboard.up("u")
    expect(page.locator("#status")).to_have_text(SAVED)
    expect(own_marks(page, only)).to_have_count(1)
    assert len(requests) == 1


def test_key_to_mark_latency_with_the_reply_delayed_300_ms(page, live_server, login, reviewer):
    """Reports (does not assert) the time from keydown to the mark on the page, with every save's reply
    held 300 ms; the figure goes into docs/performance.md. The check is that marks come first."""
    article = make_article(body=" ".join(f"Claim number {n}." for n in range(40)))
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.route(ANNOTATE, lambda route: (time.sleep(0.3), route.continue_()))
    page.evaluate("""() => {
        window.__latency = [];
        let down = null;
        window.addEventListener("keydown", (event) => { if (event.code === "KeyU") down = event.timeStamp; }, true);
        new MutationObserver(() => {
            if (down !== null && document.querySelector(".passage.current .mark[data-mine]")) {
                window.__latency.push(performance.now() - down);
                down = null;
            }
        }).observe(document.querySelector(".workspace-text"), { childList: true, subtree: true });
    }""")
    for _ in range(40):
        page.keyboard.press("j")
        page.keyboard.press("u")
    expect(page.locator("#status")).to_have_text(SAVED, timeout=30_000)
    latencies = page.evaluate("window.__latency")
    assert len(latencies) == 40  # every press drew its mark (before its reply, held 300 ms)
    p50, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[-1]
    print(f"\nkeydown to mark drawn, reply delayed 300 ms: p50 {p50:.1f} ms, p95 {p95:.1f} ms, n={len(latencies)}")
    assert Annotation.objects.count() == 40


# --- selections -------------------------------------------------------------------------------


def test_a_selection_across_two_passages_is_refused_and_flags_nothing(page, live_server, login, reviewer):
    article = make_article(body="The mayor resigned today. Nobody saw it coming.")
    first, second = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.keyboard.press("j")
    requests = []
    page.on("request", lambda request: requests.append(request) if request.method == "POST" else None)
    page.evaluate(
        """([a, b]) => {
            const range = document.createRange();
            range.setStart(document.querySelector(a + " .text").firstChild, 4);
            range.setEnd(document.querySelector(b + " .text").firstChild, 6);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        [f'.passage[data-passage="{first.pk}"]', f'.passage[data-passage="{second.pk}"]'],
    )
    page.keyboard.press("u")
    expect(page.locator("#status")).to_contain_text("The selection runs across passages")
    expect(page.locator("#status")).to_have_class("status error")
    expect(page.locator(".mark[data-mine]")).to_have_count(0)
    assert requests == [] and Annotation.objects.count() == 0

    # A selection outside the text (the flag bar's guidelines) is refused too.
    page.evaluate("""() => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(".flag-bar .guideline"));
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }""")
    page.keyboard.press("u")
    expect(page.locator("#status")).to_contain_text("not all in the article’s text")
    assert requests == [] and Annotation.objects.count() == 0


def test_words_selected_in_another_passage_are_flagged_there_and_highlighted_in_the_text(
    page, live_server, login, reviewer
):
    article = make_article(body="The mayor resigned today. Nobody saw it coming.")
    first, second = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.keyboard.press("j")
    expect(passage_el(page, first)).to_have_class("passage current")
    select_text(page, second, "saw it")
    with saving(page):
        page.keyboard.press("v")
    expect(passage_el(page, second)).to_have_class("passage current")  # the words' passage
    expect(own_marks(page, second)).to_have_text(["Vague attribution: “saw it”"])
    highlight = passage_el(page, second).locator(".text mark.hl")
    expect(highlight).to_have_text("saw it")
    expect(highlight).to_have_class(f"hl flag-{flag('v').pk} hl-unsourced")
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.text mark.hl')).textDecorationStyle"
    ) == "wavy"  # the category's pattern, so it reads without colour
    expect(passage_el(page, second).locator(".text")).to_have_text(second.text)  # no character lost
    expect(page.locator("#status")).to_have_text(SAVED)
    [annotation] = Annotation.objects.all()
    assert annotation.quote == "saw it" and annotation.passage == second

    page.reload()
    expect(passage_el(page, second)).to_have_class("passage current")
    expect(passage_el(page, second).locator(".text mark.hl")).to_have_text("saw it")


# --- notes on several flags -----------------------------------------------------------------------


def test_n_says_so_on_an_unflagged_passage_and_asks_which_flag_when_there_are_several(
    page, live_server, login, reviewer
):
    article = make_article(body="Prices rose sharply. Everyone agrees.")
    first, _ = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.keyboard.press("j")
    page.keyboard.press("n")
    expect(page.locator("#status")).to_have_text(
        "This passage has no flag of yours yet: press a flag’s key first, then n to write its note."
    )
    page.keyboard.press("u")
    page.keyboard.press("o")
    expect(page.locator("#status")).to_have_text(SAVED)
    page.keyboard.press("n")
    expect(page.locator("#status")).to_have_text(
        "Note on which flag? Press 1 for Unsourced claim, 2 for Opinion; Esc to go back."
    )
    expect(page.locator(".note-form legend")).to_have_text(["1 Unsourced claim", "2 Opinion"])
    page.keyboard.press("2")
    opinion_note = page.locator(f'.note-form[data-flag="{flag("o").pk}"] input[name=note]')
    expect(opinion_note).to_be_focused()
    page.keyboard.type("Loaded word: sharply")
    with saving(page):
        page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text(SAVED)
    assert annotations_of(reviewer, article) == {
        (first.pk, "u", None, None, ""),
        (first.pk, "o", None, None, "Loaded word: sharply"),
    }


def test_a_refused_evidence_address_stays_in_its_form_with_the_reason(page, live_server, login, reviewer):
    article = make_article(body="Prices rose sharply. Everyone agrees.")
    only, second = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.keyboard.press("j")
    page.keyboard.press("u")
    expect(page.locator("#status")).to_have_text(SAVED)
    page.keyboard.press("n")
    page.keyboard.press("Tab")
    page.keyboard.type("javascript:alert(1)")
    with saving(page):
        page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("Not saved: evidence_url:")
    expect(page.locator(".note-form")).to_have_class(f"note-form flag-{flag('u').pk} unsaved")
    expect(page.locator(".note-form input[name=evidence_url]")).to_have_value("javascript:alert(1)")
    assert Annotation.objects.get().evidence_url == ""
    # Submitting is held back while a note is not saved.
    page.click("form.submit-review button")
    expect(page.locator("#status")).to_contain_text("A note is not saved yet")
    assert Review.objects.get().status == Review.Status.IN_PROGRESS

    # Moving on keeps the refused note in the panel, said to be another passage's, until it is
    # corrected; then it is saved to its own passage and leaves the panel.
    page.keyboard.press("j")
    expect(passage_el(page, second)).to_have_class("passage current")
    refused = page.locator(".note-form.elsewhere")
    expect(refused.locator("legend")).to_have_text("Unsourced claim (another passage: not saved)")
    refused.locator("input[name=evidence_url]").fill("https://example.org/survey")
    with saving(page):
        refused.locator("input[name=evidence_url]").press("Enter")
    expect(page.locator("#status")).to_have_text(SAVED)
    expect(page.locator(".note-form")).to_have_count(0)
    assert Annotation.objects.get().evidence_url == "https://example.org/survey"
    assert Annotation.objects.get().passage == only


def test_a_note_refused_after_the_reviewer_moved_on_comes_back_to_the_panel(page, live_server, login, reviewer):
    article = make_article(body="Prices rose sharply. Everyone agrees.")
    first, second = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    page.keyboard.press("j")
    page.keyboard.press("u")
    expect(page.locator("#status")).to_have_text(SAVED)
    held = hold_saves(page)
    page.keyboard.press("n")
    page.keyboard.press("Tab")
    page.keyboard.type("javascript:alert(1)")
    page.keyboard.press("Enter")
    page.keyboard.press("j")  # on to the next passage before the server has answered
    expect(passage_el(page, second)).to_have_class("passage current")
    expect(page.locator(".note-form")).to_have_count(0)
    wait_for_held(page, held, 1)
    held[0].continue_()
    expect(page.locator("#status")).to_contain_text("Not saved: evidence_url:")
    refused = page.locator(".note-form.elsewhere")
    expect(refused.locator("input[name=evidence_url]")).to_have_value("javascript:alert(1)")
    page.unroute(ANNOTATE)
    page.click("form.submit-review button")
    expect(page.locator("#status")).to_contain_text("A note is not saved yet")
    assert Review.objects.get().status == Review.Status.IN_PROGRESS
    assert annotations_of(reviewer, article) == {(first.pk, "u", None, None, "")}


# --- long sessions, phones, right-to-left -------------------------------------------------------


def long_article():
    paragraph = " ".join(f"This paragraph makes claim {s} about the budget." for s in range(4))
    return make_article(body="\n\n".join([paragraph] * 30))


def test_on_a_long_article_the_bar_stays_in_view_and_the_current_passage_near_the_middle(
    page, live_server, login, reviewer
):
    article = long_article()
    login(page, live_server, "rita")
    page.set_viewport_size({"width": 1280, "height": 800})
    open_workspace(page, live_server, article)
    for _ in range(60):
        page.keyboard.press("j")
    current = page.locator(".passage.current")
    expect(current).to_have_attribute("data-passage", str(passages_of(article)[59].pk))
    assert page.evaluate("scrollY") > 1000
    box = current.bounding_box()
    middle = box["y"] + box["height"] / 2
    assert 800 * 0.3 < middle < 800 * 0.7
    bar = page.locator(".workspace-bar").bounding_box()
    assert bar["y"] >= 0 and bar["y"] + bar["height"] < 200  # Submit and the counter are on screen
    expect(page.locator("form.submit-review button")).to_be_in_viewport()
    expect(page).to_have_url(f"{live_server.url}/articles/{article.pk}/review/#passage-{passages_of(article)[59].pk}")


def test_on_a_phone_the_flags_are_a_bottom_sheet_of_buttons_and_nothing_scrolls_sideways(
    page, live_server, login, reviewer
):
    article = long_article()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sheet = page.locator(".flag-bar").bounding_box()
    assert sheet["y"] + sheet["height"] == pytest.approx(844, abs=1) and sheet["height"] < 844 / 2
    page.locator(".move-button[data-move='1']").click()
    first = passages_of(article)[0]
    expect(passage_el(page, first)).to_have_class("passage current")
    with saving(page):
        button(page, flag("u")).click()
    expect(own_marks(page, first)).to_have_count(1)
    for _ in range(40):
        page.locator(".move-button[data-move='1']").click()
    expect(page.locator("form.submit-review button")).to_be_in_viewport()
    expect(button(page, flag("o"))).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_persian_article_reads_right_to_left_and_its_words_are_flagged_exactly(page, live_server, login, reviewer):
    words = "به گفته منابع"
    article = make_article(
        title="تورم در تهران", body=f"وزیر اقتصاد گفت تورم کاهش می‌یابد. {words} قیمت‌ها بالا رفت.", language="fa"
    )
    first, second = passages_of(article)
    login(page, live_server, "rita")
    open_workspace(page, live_server, article)
    expect(page.locator(".workspace h1")).to_have_attribute("dir", "auto")
    assert page.evaluate("getComputedStyle(document.querySelector('.workspace h1')).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.passage .text')).direction") == "rtl"
    press_code(page, "KeyJ", "ت")
    press_code(page, "KeyJ", "ت")
    select_text(page, second, words)
    with saving(page):
        press_code(page, "KeyV", "ر")
    expect(own_marks(page, second)).to_have_text([f"Vague attribution: “{words}”"])
    expect(passage_el(page, second).locator(".text mark.hl")).to_have_text(words)
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.text mark.hl')).textDecorationSkipInk"
    ) == "auto"
    [annotation] = Annotation.objects.all()
    assert annotation.quote == words and annotation.passage == second
    assert json.loads(page.locator("#workspace-data").text_content())["marks"] == {}  # as the page was served
