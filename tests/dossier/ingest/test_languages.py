import pytest

from dossier.ingest.languages import detect_language

TEXTS = {
    "en": "Iran's Foreign Ministry spokesperson asked Pakistan to act against the groups operating on the border.",
    "tr": "İran Dışişleri Bakanlığı sözcüsü, Pakistan'dan sınırdaki gruplara karşı harekete geçmesini istedi.",
    "ru": "Официальный представитель МИД Ирана призвал Пакистан принять меры против группировок на границе.",
    "fa": "سخنگوی وزارت امور خارجه ایران از پاکستان خواست علیه گروه‌هایی که در مرز فعالیت می‌کنند اقدام کند.",
    "ar": "طالب المتحدث باسم وزارة الخارجية الإيرانية باكستان باتخاذ إجراءات ضد الجماعات التي تنشط على الحدود.",
}


@pytest.mark.parametrize("language, text", TEXTS.items())
def test_the_language_of_a_text_is_detected_offline(language, text):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "OK", "A title", "12 345 678", "https://example.com/a/b/c"])
def test_too_little_text_leaves_the_language_empty(text):
    assert detect_language(text) == ""
