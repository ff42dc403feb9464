"""Tests for dossier.ingest.cleaning: the five seed articles, then small synthetic texts."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.ingest.cleaning import clean_scraped_text, normalise_body

SEEDS = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"

DEBRIS = [
    "search",
    "top of page",
    "bottom of page",
    "Paylaş",
    "This post is also available in: Türkçe Русский",
    "0",
    "b932e13f-7af0-44ec-a26a-1915e52d737a",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Related Topics",
    "Related Posts",
    "Similar Posts",
    "About the Author",
]

# prefix -> (title, authors, start of each author's bio, outlet)
EXPECTED = {
    "000": (
        "Iran and Turkey: Leading terrorism support in West and South Asia",
        ["Sergio Restelli"],
        {"Sergio Restelli": "Sergio Restelli is an Italian political advisor"},
        "",
    ),
    "001": (
        "Seeking Cooperation in Combating Terrorism on the Pakistan-Iran Line",
        ["Doğacan BAŞARAN"],
        {"Doğacan BAŞARAN": "Dr. Doğacan BAŞARAN, 2014 yılında"},
        "",
    ),
    "002": ("On Iran and Pakistan Fortifying Ties to Combat Terrorism", [], {}, ""),
    "003": (
        "Enhancing Regional Cooperation to Combat Terrorism on Iran-Pakistan Border",
        [],
        {},
        "www.tehrantimes.com",
    ),
    "004": (
        "The development of military relations between Turkey and Pakistan, obstacles and challenges",
        [],
        {},
        "",
    ),
}


def read_seed(prefix):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def paragraphs(body):
    return body.split("\n\n") if body else []


# --- The seed corpus -------------------------------------------------------------------


def test_the_seed_corpus_holds_the_five_expected_articles():
    assert sorted(path.name[:3] for path in SEEDS.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_each_seed_yields_its_title_authors_bios_and_outlet(prefix):
    title, authors, bio_starts, outlet = EXPECTED[prefix]
    cleaned = clean_scraped_text(read_seed(prefix))
    assert cleaned.title == title
    assert cleaned.authors == authors
    assert sorted(cleaned.author_bios) == sorted(bio_starts)
    for name, start in bio_starts.items():
        assert cleaned.author_bios[name].startswith(start)
    assert cleaned.outlet == outlet


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_no_seed_body_keeps_a_debris_line_as_a_paragraph(prefix):
    body = paragraphs(clean_scraped_text(read_seed(prefix)).body)
    assert body
    assert not set(body) & set(DEBRIS)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_no_seed_body_repeats_the_title_or_holds_the_author_bio(prefix):
    cleaned = clean_scraped_text(read_seed(prefix))
    assert paragraphs(cleaned.body)[0] != cleaned.title
    for bio in cleaned.author_bios.values():
        assert bio not in cleaned.body


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_every_seed_body_paragraph_is_a_stripped_line_of_the_original_file(prefix):
    text = read_seed(prefix)
    original_lines = {line.strip() for line in text.splitlines()}
    cleaned = clean_scraped_text(text)
    assert set(paragraphs(cleaned.body)) <= original_lines
    assert cleaned.title in original_lines
    assert set(cleaned.removed) <= original_lines


def test_seed_000_drops_the_byline_the_author_box_and_the_related_sections():
    cleaned = clean_scraped_text(read_seed("000"))
    assert cleaned.removed[:3] == ["search", "Sergio Restelli", "About the Author"]
    assert cleaned.removed[-2:] == ["Related Topics", "Related Posts"]
    assert "Sergio Restelli" not in paragraphs(cleaned.body)


def test_seed_000_keeps_its_nbsp_and_its_headings_in_the_body():
    body = paragraphs(clean_scraped_text(read_seed("000")).body)
    assert any("landscape.\u00a0Their" in paragraph for paragraph in body)
    assert "Military Support and Defense Collaborations" in body


def test_seed_001_keeps_its_footnotes_and_inline_markers_unchanged():
    body = clean_scraped_text(read_seed("001")).body
    assert "in line with bilateral agreements.[1]" in body
    assert "the attack was strongly condemned.[2]" in body
    footnotes = [paragraph for paragraph in paragraphs(body) if paragraph.startswith("[")]
    assert len(footnotes) == 2
    assert footnotes[0].startswith("[1] “Iran Urges Pakistan to Boost Border Security After Deadly Attack”")
    assert footnotes[1].startswith("[2] “Pakistan Strongly Condemns Terrorist Attack in Iran”")
    assert all(footnote.endswith("(Date of Accession: 22.05.2023).") for footnote in footnotes)


def test_seed_001_removes_the_repeated_name_lines_of_its_author_box():
    cleaned = clean_scraped_text(read_seed("001"))
    assert cleaned.removed.count("Dr. Doğacan BAŞARAN") == 2
    assert "Doğacan" not in cleaned.body


def test_seed_003_drops_the_comment_form_after_the_outlet_line():
    cleaned = clean_scraped_text(read_seed("003"))
    assert cleaned.removed == [
        "0",
        "b932e13f-7af0-44ec-a26a-1915e52d737a",
        "Original Source: www.tehrantimes.com",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ]


def test_seed_004_keeps_a_heading_that_lists_names_of_countries():
    cleaned = clean_scraped_text(read_seed("004"))
    assert "Turkey, Afghanistan and Pakistan" in paragraphs(cleaned.body)
    assert "A joint military exercise between Turkey and Pakistan" in paragraphs(cleaned.body)
    assert cleaned.removed == []


# --- Bylines and author boxes -----------------------------------------------------------

BODY = (
    "The two governments signed a border security agreement on Monday, pledging to share "
    "intelligence, open liaison offices and hold joint patrols along the frontier, officials said "
    "after a meeting in the capital."
)


def test_a_by_prefixed_line_near_the_top_names_the_author():
    cleaned = clean_scraped_text(f"Border Pact Signed\nBy Jane Doe\n\n{BODY}\n")
    assert cleaned.title == "Border Pact Signed"
    assert cleaned.authors == ["Jane Doe"]
    assert cleaned.body == BODY
    assert cleaned.removed == ["By Jane Doe"]


def test_a_byline_can_name_several_authors_with_honorifics_and_a_role():
    cleaned = clean_scraped_text(f"Border Pact Signed\nBy Dr. Jane Doe and John Smith, Staff Writer\n{BODY}")
    assert cleaned.authors == ["Jane Doe", "John Smith"]


def test_a_sentence_that_starts_with_by_is_not_a_byline():
    line = "By January 2024 the patrols had doubled"
    cleaned = clean_scraped_text(f"Border Pact Signed\n{line}\n{BODY}")
    assert cleaned.authors == []
    assert paragraphs(cleaned.body)[0] == line


def test_a_name_only_line_without_a_matching_bio_is_not_a_byline():
    cleaned = clean_scraped_text(f"Military Support\nBorder Pact Signed\n{BODY}")
    assert cleaned.authors == []
    assert cleaned.title == "Military Support"


def test_a_name_only_line_confirmed_by_an_about_the_author_box_is_a_byline():
    bio = "Jane Doe is a senior fellow at the Institute for Border Studies."
    text = f"Jane Doe\nBorder Pact Signed\n{BODY}\nAbout the Author\n{bio}\nRelated Posts\nOther story"
    cleaned = clean_scraped_text(text)
    assert cleaned.title == "Border Pact Signed"
    assert cleaned.authors == ["Jane Doe"]
    assert cleaned.author_bios == {"Jane Doe": bio}
    assert cleaned.body == BODY


def test_an_about_the_author_box_names_the_author_its_bio_starts_with():
    bio = "Prof. Ali Rezaei, a historian of the region, teaches at Tehran University."
    cleaned = clean_scraped_text(f"Border Pact Signed\n{BODY}\nAbout the author:\n{bio}")
    assert cleaned.authors == ["Ali Rezaei"]
    assert cleaned.author_bios == {"Ali Rezaei": bio}
    assert cleaned.body == BODY


def test_an_about_the_authors_box_can_hold_a_bio_for_each_author():
    first = "Jane Doe is a senior fellow at the Institute for Border Studies."
    second = "John Smith, a former diplomat, writes on South Asia."
    cleaned = clean_scraped_text(f"Border Pact Signed\n{BODY}\nAbout the Authors\n{first}\n{second}")
    assert cleaned.authors == ["Jane Doe", "John Smith"]
    assert cleaned.author_bios == {"Jane Doe": first, "John Smith": second}
    assert cleaned.body == BODY


def test_an_about_the_author_box_above_the_article_takes_only_one_bio():
    bio = "Jane Doe is a senior fellow at the Institute for Border Studies."
    news = "Imran Khan, the former prime minister, welcomed the agreement on Tuesday."
    cleaned = clean_scraped_text(f"Border Pact Signed\nAbout the Author\n{bio}\n{news}\n{BODY}")
    assert cleaned.authors == ["Jane Doe"]
    assert paragraphs(cleaned.body) == [news, BODY]


def test_a_name_line_followed_by_a_bio_starting_with_that_name_ends_the_article_as_an_author_box():
    bio = "Иван Петров, 1980 года рождения, работает в Институте востоковедения."
    text = f"Border Pact Signed\n{BODY}\nИван Петров\n{bio}\n"
    cleaned = clean_scraped_text(text)
    assert cleaned.authors == ["Иван Петров"]
    assert cleaned.author_bios == {"Иван Петров": bio}
    assert cleaned.body == BODY


def test_a_closing_paragraph_that_introduces_the_bylined_author_is_their_bio():
    bio = "Jane Doe is a correspondent covering South Asia."
    cleaned = clean_scraped_text(f"Border Pact Signed\nBy JANE DOE\n{BODY}\n{bio}")
    assert cleaned.authors == ["JANE DOE"]
    assert cleaned.author_bios == {"JANE DOE": bio}
    assert cleaned.body == BODY


def test_a_text_that_names_nobody_gets_no_authors():
    cleaned = clean_scraped_text(f"Border Pact Signed\n{BODY}\nTurkey, Afghanistan and Pakistan\n{BODY}")
    assert cleaned.authors == []
    assert cleaned.author_bios == {}


# --- Outlet ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("Original Source: www.tehrantimes.com", "www.tehrantimes.com"),
        ("ORIGINAL SOURCE:   www.tehrantimes.com", "www.tehrantimes.com"),
        ("Originally published by The Diplomat.", "The Diplomat"),
        ("Source: Dawn", "Dawn"),
        ("Kaynak: Anadolu Ajansı", "Anadolu Ajansı"),
    ],
)
def test_an_outlet_line_at_the_end_states_the_outlet_and_leaves_the_body(line, outlet):
    cleaned = clean_scraped_text(f"Border Pact Signed\n{BODY}\n{line}")
    assert cleaned.outlet == outlet
    assert cleaned.body == BODY


def test_a_source_caption_in_the_middle_of_the_article_stays_in_the_body():
    text = f"Border Pact Signed\n{BODY}\nSource: SIPRI\n{BODY}\n{BODY}"
    cleaned = clean_scraped_text(text)
    assert cleaned.outlet == ""
    assert "Source: SIPRI" in paragraphs(cleaned.body)


# --- Debris ---------------------------------------------------------------------------


def test_a_text_of_only_debris_leaves_an_empty_body():
    cleaned = clean_scraped_text("\n".join(DEBRIS[:-1]) + "\nShare\nTweet\nRead more\n* * *\n")
    assert cleaned.title == ""
    assert cleaned.body == ""
    assert len(cleaned.removed) == len(DEBRIS) - 1 + 4


def test_debris_is_recognised_whatever_its_case_and_surrounding_space():
    cleaned = clean_scraped_text(f"  SEARCH \nBorder Pact Signed\n\tPAYLAŞ\n{BODY}\n  Read More  \n")
    assert cleaned.body == BODY
    assert cleaned.removed == ["SEARCH", "PAYLAŞ", "Read More"]


def test_a_related_posts_header_near_the_end_drops_everything_after_it():
    text = f"Border Pact Signed\n{BODY}\n{BODY}\nRelated Posts\nAnother Story\nA third one"
    cleaned = clean_scraped_text(text)
    assert paragraphs(cleaned.body) == [BODY, BODY]
    assert cleaned.removed == ["Related Posts", "Another Story", "A third one"]


def test_a_related_posts_widget_above_the_article_drops_only_its_own_line():
    cleaned = clean_scraped_text(f"Border Pact Signed\nRelated Posts\nShort line\n{BODY}\n{BODY}")
    assert paragraphs(cleaned.body) == ["Short line", BODY, BODY]


def test_a_line_that_merely_starts_with_share_is_not_debris():
    line = "Share prices fell sharply."
    assert paragraphs(clean_scraped_text(f"Title\n{line}\n{BODY}").body)[0] == line


# --- Text preservation ----------------------------------------------------------------


def test_crlf_input_gives_the_same_result_as_lf_input():
    text = f"search\nBorder Pact Signed\nBy Jane Doe\n\n{BODY}\n\nOriginal Source: Dawn\n"
    assert clean_scraped_text(text.replace("\n", "\r\n")) == clean_scraped_text(text)


def test_turkish_cyrillic_and_persian_lines_come_out_byte_identical():
    turkish = "İstanbul'da ılımlı bir görüşme yapıldı; Şırnak ve Iğdır'dan heyetler katıldı."
    cyrillic = "Переговоры в Исламабаде завершились подписанием соглашения."
    persian = "وزارت امور خارجه می\u200cگوید همکاری\u200cهای مرزی ادامه خواهد یافت."
    cleaned = clean_scraped_text(f"Başlık\n{turkish}\n  {cyrillic}\t\n{persian}\n")
    assert cleaned.title == "Başlık"
    assert paragraphs(cleaned.body) == [turkish, cyrillic, persian]
    assert paragraphs(cleaned.body)[2].encode("utf-8") == persian.encode("utf-8")


def test_the_text_is_nfc_normalised_before_anything_else():
    cleaned = clean_scraped_text("Cafe\u0301 talks\nThe cafe\u0301 hosted them.")
    assert cleaned.title == "Café talks"
    assert cleaned.body == "The café hosted them."


# --- normalise_body -------------------------------------------------------------------


def test_normalise_body_lays_lines_out_as_paragraphs_separated_by_a_blank_line():
    assert normalise_body("  one \r\n\r\n\r\ntwo\rthree\n") == "one\n\ntwo\n\nthree"


def test_normalise_body_collapses_spaces_and_tabs_but_keeps_nbsp_and_zwnj():
    text = "a \t  b\u00a0\u00a0c\u200cd\u2003e"
    assert normalise_body(text) == "a b\u00a0\u00a0c\u200cd\u2003e"


def test_normalise_body_composes_a_decomposed_accent():
    assert normalise_body("e\u0301") == "é"


def test_normalise_body_returns_an_empty_string_for_blank_input():
    assert normalise_body("") == ""
    assert normalise_body(" \n\t\r\n \u00a0\n") == ""


TRICKY = list("ab \t\n\r\u00a0\u200c\u2028\u0085\x0b\x0ce\u0301\u0300\u0327İıŞ.\u1100\u1161")


@given(st.text(st.one_of(st.sampled_from(TRICKY), st.characters(exclude_categories=["Cs"]))))
def test_normalise_body_is_idempotent_and_returns_nfc_stripped_paragraphs(text):
    once = normalise_body(text)
    assert normalise_body(once) == once
    assert unicodedata.is_normalized("NFC", once)
    for paragraph in paragraphs(once):
        assert paragraph == paragraph.strip() != ""
        assert "  " not in paragraph and "\t" not in paragraph


LINES = DEBRIS + ["By Jane Doe", "Jane Doe", "Jane Doe is a reporter.", "Source: Dawn", BODY]


@given(st.lists(st.one_of(st.sampled_from(LINES), st.text())))
def test_cleaning_never_rewrites_a_line_whatever_the_input(lines):
    text = "\n".join(lines)
    cleaned = clean_scraped_text(text)
    normalised = set(paragraphs(normalise_body(text)))
    assert set(paragraphs(cleaned.body)) <= normalised
    assert len(paragraphs(cleaned.body)) + len(cleaned.removed) + bool(cleaned.title) == len(
        paragraphs(normalise_body(text))
    )


# Bylines in the corpus's other languages, as scraped pages put them: under the title, above the text.
BYLINE_TEXTS = [
    ("ایران و پاکستان بر امنیت مرزی توافق کردند\nنوشته: علی رضایی\n"
     "تهران و اسلام‌آباد روز سه‌شنبه در نشستی مشترک بر تقویت همکاری‌های امنیتی در مرز تأکید کردند.",
     ["علی رضایی"]),
    ("گفت‌وگوی امنیتی سه‌جانبه\nبه قلم مریم احمدی و حسن کریمی\n"
     "نمایندگان سه کشور در آنکارا دیدار کردند و درباره مبارزه با قاچاق مرزی گفت‌وگو کردند.",
     ["مریم احمدی", "حسن کریمی"]),
    ("إيران وباكستان تتفقان على تعزيز أمن الحدود\nبقلم: محمد العلي\n"
     "أعلنت وزارة الخارجية الإيرانية يوم الثلاثاء أن البلدين سيعقدان اجتماعا أمنيا الشهر المقبل.",
     ["محمد العلي"]),
    ("تركيا تستضيف محادثات أمنية\nكتب: أحمد سعيد\n"
     "تستضيف أنقرة الأسبوع المقبل محادثات بين مسؤولي الأمن في الدول الثلاث وفق مصادر دبلوماسية.",
     ["أحمد سعيد"]),
    ("İran ve Pakistan sınır güvenliğinde anlaştı\nYazar: Ahmet Yılmaz\n"
     "İki ülkenin dışişleri bakanları Salı günü yaptıkları ortak açıklamada sınır güvenliğini vurguladı.",
     ["Ahmet Yılmaz"]),
    ("Иран и Пакистан договорились об охране границы\nАвтор: Иван Петров\n"
     "Министры иностранных дел двух стран во вторник заявили об укреплении сотрудничества на границе.",
     ["Иван Петров"]),
]


@pytest.mark.parametrize("text, authors", BYLINE_TEXTS)
def test_bylines_in_persian_arabic_turkish_and_russian_are_metadata_not_body(text, authors):
    cleaned = clean_scraped_text(text)

    assert cleaned.authors == authors
    byline = text.splitlines()[1]
    assert byline not in cleaned.body
    assert cleaned.body == text.splitlines()[2]


def test_an_arabic_sentence_opening_with_kataba_is_not_a_byline():
    # "كتب" is also "he wrote": without a colon the line is text.
    text = "عنوان الخبر\nكتب الرئيس رسالة طويلة\n" + "نص الخبر الكامل هنا. " * 20
    cleaned = clean_scraped_text(text)

    assert cleaned.authors == []
    assert "كتب الرئيس رسالة طويلة" in cleaned.body
