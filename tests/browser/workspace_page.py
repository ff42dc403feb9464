"""The reviewer workspace page as the browser tests drive it: locators and actions, shared by the
workspace test modules. Every wait is on something the page shows, never on time.
"""
import pytest

from annotations.models import Annotation, Flag

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright").expect

SAVED = "Saved"


# --- helpers -------------------------------------------------------------------------


def passages_of(article):
    return list(article.passages.order_by("paragraph", "sentence"))


def flag(shortcut):
    return Flag.objects.get(shortcut=shortcut)


def open_workspace(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.pk}/review/")
    expect(page.locator(".workspace")).to_be_visible()


def passage_el(page, passage):
    return page.locator(f'.passage[data-passage="{passage.pk}"]')


def own_marks(page, passage):
    return passage_el(page, passage).locator(".mark[data-mine]")


def other_marks(page, passage=None):
    scope = passage_el(page, passage) if passage else page.locator(".workspace")
    return scope.locator(".mark.other")


def note_field(page):
    """The note field of the current passage's (only) flag, in the side panel."""
    return page.locator(".note-panel .note-form input[name=note]")


def button(page, the_flag):
    return page.locator(f'button.flag-button[data-flag="{the_flag.pk}"]')


def saving(page):
    """Wait for the next annotation save's answer: `with saving(page): do_something()`."""
    return page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/review/annotations/"))


def annotations_of(user, article):
    return {
        (a.passage_id, a.flag.shortcut, a.start, a.end, a.note)
        for a in Annotation.objects.filter(review__reviewer=user, review__article=article).select_related("flag")
    }


def select_text(page, passage, words, *, pad=0):
    """Select `words` inside the passage's .text the way a drag would, optionally with
    `pad` surrounding characters (spaces) on each side; offsets are the DOM's UTF-16 ones."""
    page.evaluate(
        """([selector, words, pad]) => {
            const node = document.querySelector(selector + " .text").firstChild;
            const at = node.data.indexOf(words);
            if (at < 0) throw new Error("words not in passage: " + words);
            const range = document.createRange();
            range.setStart(node, at - pad);
            range.setEnd(node, at + words.length + pad);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [f'.passage[data-passage="{passage.pk}"]', words, pad],
    )


def word_box(page, passage, word):
    """The on-screen box of `word` inside the passage text (works for right-to-left text)."""
    return page.evaluate(
        """([selector, word]) => {
            const node = document.querySelector(selector + " .text").firstChild;
            const at = node.data.indexOf(word);
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            const box = range.getBoundingClientRect();
            return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        }""",
        [f'.passage[data-passage="{passage.pk}"]', word],
    )


def submit_review(page):
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form.submit-review button")
    expect(page.get_by_text("Your review was submitted")).to_be_visible()
    # The new page shows before its deferred script has run; keys pressed earlier go nowhere.
    page.wait_for_load_state("load")


def utf16_length(text):
    return len(text.encode("utf-16-le")) // 2
