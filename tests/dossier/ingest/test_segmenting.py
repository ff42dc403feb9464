"""Tests for dossier.ingest.segmenting: paragraph and sentence spans in code points."""


from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.ingest.segmenting import Segment, segment

FOOTNOTED = (
    "In the aftermath of this incident, Iran’s Foreign Ministry Spokesperson Nasser "
    "Kenani asked the Government of Pakistan to increase border security in line with "
    "bilateral agreements.[1]"
)
TRADE = (
    "For example, Turkey-Pakistan trade volume over the past few years has always been "
    "between $600 million and $800 million."
)
SIPRI = (
    "According to SIPRI reports, between 2014 and 2019, an average of 76% of "
    "Pakistan’s military imports came from China."
)
TALIBAN_QUOTE = (
    "“I very much hope that this proposal is just a mistake. The news and "
    "interpretation are wrong. Most of the hardline Taliban leaders are already in "
    "Pakistan."
)


def sentences(body):
    """The text of every segment, in order."""
    return [body[s.start : s.end] for s in segment(body)]


def test_empty_body_has_no_segments():
    assert segment("") == []


def test_whitespace_only_body_has_no_segments():
    assert segment(" \n\n\t \u3000\n \r\n ") == []


def test_segment_is_a_frozen_value():
    s = segment("Hello.")[0]
    assert s == Segment(paragraph=0, sentence=0, start=0, end=6)
    assert not hasattr(s, "__dict__")


def test_paragraphs_are_numbered_consecutively_and_sentences_restart_in_each():
    body = "\n\n  First one. Second one.\n\n\n \n\nThird one.\nFourth one. Fifth one.  \n"
    assert [(s.paragraph, s.sentence, body[s.start : s.end]) for s in segment(body)] == [
        (0, 0, "First one."),
        (0, 1, "Second one."),
        (1, 0, "Third one."),
        (2, 0, "Fourth one."),
        (2, 1, "Fifth one."),
    ]


def test_blank_lines_holding_only_spaces_still_separate_paragraphs():
    body = "Alpha.\n   \t\nBeta."
    assert [(s.paragraph, body[s.start : s.end]) for s in segment(body)] == [
        (0, "Alpha."),
        (1, "Beta."),
    ]


def test_windows_line_endings_break_paragraphs_too():
    assert [s.paragraph for s in segment("One.\r\nTwo.\r\n\r\nThree.")] == [0, 1, 2]


def test_heading_without_a_period_is_one_sentence():
    body = "Turkey’s Strategic Alignment with Pakistan\n\n" + TRADE
    assert sentences(body) == ["Turkey’s Strategic Alignment with Pakistan", TRADE]
    assert [s.paragraph for s in segment(body)] == [0, 1]


def test_title_abbreviations_do_not_end_sentences():
    body = "Mr. Khan met Dr. Ahmed and Gen. Bajwa. They spoke for an hour."
    assert sentences(body) == [
        "Mr. Khan met Dr. Ahmed and Gen. Bajwa.",
        "They spoke for an hour.",
    ]


def test_dotted_abbreviations_like_us_do_not_end_sentences():
    body = "The U.S. Army and the U.N. Security Council met at 9 a.m. Monday. Talks failed."
    assert sentences(body) == [
        "The U.S. Army and the U.N. Security Council met at 9 a.m. Monday.",
        "Talks failed.",
    ]


def test_lowercase_abbreviations_like_eg_and_etc_do_not_end_sentences():
    body = "Some states, e.g. Iran, objected (see Fig. 2, Vol. 3, No. 7). Others did not."
    assert sentences(body) == [
        "Some states, e.g. Iran, objected (see Fig. 2, Vol. 3, No. 7).",
        "Others did not.",
    ]


def test_single_letter_initials_do_not_end_sentences():
    body = "J. R. R. Tolkien wrote it. Jalil A. Jilani reviewed it."
    assert sentences(body) == ["J. R. R. Tolkien wrote it.", "Jalil A. Jilani reviewed it."]


def test_cyrillic_initials_do_not_end_sentences():
    body = "А. С. Пушкин родился в Москве. Он был поэтом."
    assert sentences(body) == ["А. С. Пушкин родился в Москве.", "Он был поэтом."]


def test_numbered_heading_is_not_split_after_its_number():
    assert sentences("1. Introduction") == ["1. Introduction"]


def test_decimals_and_percentages_never_split():
    body = "Growth was 2.5% in 2023. Pi is 3.14 and inflation hit 12.7 percent."
    assert sentences(body) == [
        "Growth was 2.5% in 2023.",
        "Pi is 3.14 and inflation hit 12.7 percent.",
    ]


def test_money_amounts_never_split():
    body = "The deal was worth $1 billion. A second tranche of $1.2 billion followed. " + TRADE
    assert sentences(body) == [
        "The deal was worth $1 billion.",
        "A second tranche of $1.2 billion followed.",
        TRADE,
    ]


def test_sample_corpus_sentence_with_years_and_percent_is_one_sentence():
    assert sentences(SIPRI + " " + TRADE) == [SIPRI, TRADE]


def test_a_sentence_can_end_inside_a_closing_quote():
    body = "He said, “We will not retreat.” The crowd cheered."
    assert sentences(body) == ["He said, “We will not retreat.”", "The crowd cheered."]


def test_quoted_sentence_followed_by_lowercase_continues_the_sentence():
    body = 'He said "Stop." and left. "Why?" she asked. Nobody answered!'
    assert sentences(body) == [
        'He said "Stop." and left.',
        '"Why?" she asked.',
        "Nobody answered!",
    ]


def test_a_quote_spanning_sentences_is_split_inside_the_quote():
    assert sentences(TALIBAN_QUOTE) == [
        "“I very much hope that this proposal is just a mistake.",
        "The news and interpretation are wrong.",
        "Most of the hardline Taliban leaders are already in Pakistan.",
    ]


def test_footnote_marker_stays_with_the_sentence_it_supports():
    body = FOOTNOTED + " Even though Pakistan agreed, little changed.[2][3] Then came talks."
    assert sentences(body) == [
        FOOTNOTED,
        "Even though Pakistan agreed, little changed.[2][3]",
        "Then came talks.",
    ]


def test_ellipsis_before_lowercase_continues_and_before_uppercase_ends():
    body = "We waited... and waited… Then the bus came. Finally…"
    assert sentences(body) == ["We waited... and waited…", "Then the bus came.", "Finally…"]


def test_question_and_exclamation_marks_end_sentences():
    body = "Is this war? No! It is a border dispute?! Maybe. 2024 will tell."
    assert sentences(body) == [
        "Is this war?",
        "No!",
        "It is a border dispute?!",
        "Maybe.",
        "2024 will tell.",
    ]


def test_turkish_offsets_are_code_points():
    first = "İstanbul’da ılımlı bir toplantı yapıldı."
    second = "Şehirde ağır güvenlik önlemleri alındı."
    body = "Başlık\n\n" + first + " " + second
    segs = segment(body)
    assert [body[s.start : s.end] for s in segs] == ["Başlık", first, second]
    assert segs[1].start == len("Başlık\n\n")
    assert segs[2].end == len(body)


def test_cyrillic_sentences_split_on_uppercase_and_not_on_lowercase():
    body = "Встреча прошла в Москве. Стороны обсудили границу. Он сказал «нет.» и ушёл."
    assert sentences(body) == [
        "Встреча прошла в Москве.",
        "Стороны обсудили границу.",
        "Он сказал «нет.» и ушёл.",
    ]


def test_persian_sentences_split_on_period_and_arabic_question_mark():
    first = "ایران و پاکستان مرز مشترک دارند."
    second = "آیا این همکاری\u200cها ادامه می\u200cیابد؟"
    third = "پاسخ روشن نیست."
    body = f"{first} {second} {third}"
    assert sentences(body) == [first, second, third]
    assert "\u200c" in sentences(body)[1]


def test_urdu_full_stop_ends_a_sentence():
    body = "یہ پہلا جملہ ہے۔ یہ دوسرا جملہ ہے۔"
    assert sentences(body) == ["یہ پہلا جملہ ہے۔", "یہ دوسرا جملہ ہے۔"]


def test_chinese_full_stop_ends_a_sentence_without_a_following_space():
    body = "我们今天开会。会议很成功！明天呢？"
    assert sentences(body) == ["我们今天开会。", "会议很成功！", "明天呢？"]


def test_long_paragraph_without_punctuation_is_one_segment():
    body = ("word " * 20_000).strip()
    assert len(body) == 99_999
    assert segment(body) == [Segment(0, 0, 0, len(body))]


def test_long_unbroken_token_is_one_segment():
    body = "x" * 100_000
    assert segment(body) == [Segment(0, 0, 0, 100_000)]


# Bias generated text toward the characters the rules care about.
INTERESTING = list(".!?…؟۔。\"'”’»)][1 \n\t\r\u200c\u3000AaİıЖж") + ["Mr", "U.S", "[1]", "..."]
TEXT = st.lists(st.one_of(st.text(max_size=4), st.sampled_from(INTERESTING)), max_size=60).map(
    "".join
)
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


@settings(max_examples=500)
@given(TEXT)
def test_segments_are_ordered_stripped_and_cover_every_visible_character(body):
    segs = segment(body)
    covered = [0] * len(body)
    previous = None
    for s in segs:
        assert 0 <= s.start < s.end <= len(body)
        text = body[s.start : s.end]
        assert text == text.strip()
        assert not any(c in LINE_BREAKS for c in text)
        for i in range(s.start, s.end):
            covered[i] += 1
        if previous is None:
            assert (s.paragraph, s.sentence) == (0, 0)
            assert body[: s.start].isspace() or s.start == 0
        else:
            assert previous.end <= s.start
            gap = body[previous.end : s.start]
            assert gap.isspace() or gap == ""
            if s.paragraph == previous.paragraph:
                assert s.sentence == previous.sentence + 1
                assert not any(c in LINE_BREAKS for c in gap)
            else:
                assert (s.paragraph, s.sentence) == (previous.paragraph + 1, 0)
                assert any(c in LINE_BREAKS for c in gap)
        previous = s
    assert all(count <= 1 for count in covered)
    assert all(covered[i] == 1 for i, c in enumerate(body) if not c.isspace())


def test_academic_titles_do_not_end_a_sentence():
    body = "Doç. Dr. Ahmet Yılmaz konuştu. Assoc. Prof. Jane Roe agreed."
    assert sentences(body) == ["Doç. Dr. Ahmet Yılmaz konuştu.", "Assoc. Prof. Jane Roe agreed."]
