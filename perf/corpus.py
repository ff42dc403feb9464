"""A deterministic synthetic corpus for measuring Dossier at scale.

Articles of about 60 sentences in five languages and four scripts, from many outlets and
authors, with reviews and annotations whose agreement varies from article to article, and the
summaries those reviews give. The same seed and size give the same corpus.

Rows are written with multi-row INSERTs and explicit ids; generated rows get no audit history.
"""
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, reset_queries, transaction
from django.db.models import Max

from dossier.bulk import insert_rows
from dossier.models import Article, Author, Outlet, Passage
from dossier.roles import Role

from annotations import scoring, totals
from annotations.models import Annotation, ArticleFlagUse, ArticleSummary, CodebookVersion, Flag, Review

CHUNK = 1000  # articles written per transaction
GENERATED = "generate_corpus --seed "  # how a generated article's source_name begins
SOURCE = GENERATED + "{seed}"
REVIEWER_PREFIX = "corpus-reviewer-"
ARTICLES_PER_OUTLET = 50
ARTICLES_PER_AUTHOR = 20
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

# Submitted reviews an article gets, and how often: a quarter of the corpus is not reviewed yet.
SUBMITTED_REVIEWS = (0, 1, 2, 3, 4)
SUBMITTED_WEIGHTS = (0.27, 0.15, 0.33, 0.18, 0.07)
SUBMITTED_CUMULATIVE = list(accumulate(SUBMITTED_WEIGHTS))
IN_PROGRESS_CHANCE = 0.15

CATEGORIES = (scoring.SOURCED, scoring.UNSOURCED, scoring.OPINION, scoring.NEUTRAL)


@dataclass(frozen=True)
class Language:
    code: str
    weight: float
    templates: dict  # category -> sentence templates with {org} {place} {thing} {count} {year}
    orgs: tuple
    places: tuple
    things: tuple
    titles: tuple  # title templates
    outlet_names: tuple  # outlet name templates with {place}
    outlet_words: tuple  # distinguishing words for outlet names
    first_names: tuple
    last_names: tuple
    digits: str = "0123456789"
    notes: tuple = ()


LANGUAGES = (
    Language(
        code="en", weight=0.45,
        templates={
            scoring.SOURCED: (
                "According to the {org} report published in {year}, {count} {thing} in {place} closed last year.",
                "A spokesperson for the {org} told reporters that {count} {thing} near {place} had been inspected.",
                "Figures released by the {org} show that spending on {thing} in {place} rose by {count} percent.",
            ),
            scoring.UNSOURCED: (
                "The {org} has quietly cut {count} {thing} in {place} since {year}.",
                "Officials in {place} have known about the failing {thing} for {count} months.",
                "Nearly {count} families left {place} after the {org} abandoned its {thing} plan.",
            ),
            scoring.OPINION: (
                "This is a reckless decision that will haunt {place} for a generation.",
                "The {org} should be ashamed of how it has handled the {thing} in {place}.",
                "Frankly, nobody in {place} believes the {org} can fix the {thing} anymore.",
            ),
            scoring.NEUTRAL: (
                "The {thing} programme in {place} began in {year}.",
                "{place} lies on the northern bank of the river, {count} kilometres from the coast.",
                "The {org} meets twice a year in {place}.",
            ),
        },
        orgs=("Ministry of Health", "Audit Office", "Port Authority", "Statistics Bureau", "City Council",
              "Energy Regulator", "Transport Agency", "Court of Appeal", "Central Bank", "Water Board"),
        places=("Harbourton", "Millbrook", "Eastfield", "Northgate", "Riverside", "Kingsbridge", "Ashford",
                "Westmoor", "Clearwater", "Stonehaven", "Greenvale", "Oakridge"),
        things=("schools", "hospitals", "bridges", "railway lines", "grain silos", "power stations", "clinics",
                "ferries", "libraries", "pipelines"),
        titles=("{org} under fire over {thing} in {place}", "What the {thing} crisis means for {place}",
                "Inside the fight over {place}'s {thing}", "{place} waits for answers on {thing}"),
        outlet_names=("The {place} {word}", "{place} {word}"),
        outlet_words=("Herald", "Times", "Post", "Observer", "Chronicle", "Gazette", "Courier", "Review",
                      "Tribune", "Ledger", "Monitor", "Dispatch"),
        first_names=("Alice", "Ben", "Clara", "David", "Emma", "Frank", "Grace", "Hugo", "Isla", "Jack", "Karen",
                     "Leo", "Maya", "Noah", "Olivia", "Paul", "Rosa", "Sam", "Tara", "Victor"),
        last_names=("Adams", "Baker", "Carter", "Dixon", "Ellis", "Fisher", "Grant", "Hughes", "Irving", "Jones",
                    "Keller", "Lowe", "Morgan", "Nash", "O'Brien", "Price", "Reed", "Shaw", "Turner", "Walsh"),
        notes=("Checked against the ministry's website.", "No source given for the figure.",
               "The report says something narrower."),
    ),
    Language(
        code="tr", weight=0.15,
        templates={
            scoring.SOURCED: (
                "{org} raporuna göre {place} bölgesinde geçen yıl {count} {thing} kapatıldı.",
                "{org} sözcüsü, {place} çevresinde {count} {thing} denetlendiğini açıkladı.",
            ),
            scoring.UNSOURCED: (
                "{org}, {year} yılından bu yana {place} bölgesinde {count} {thing} sessizce kapattı.",
                "İddiaya göre {place} yetkilileri {count} aydır çöken {thing} hakkında bilgi sahibiydi.",
            ),
            scoring.OPINION: (
                "Bu karar, {place} için bir kuşak boyunca unutulmayacak ağır bir hatadır.",
                "Açıkçası {place} halkı {org} kurumunun bu işi çözebileceğine artık inanmıyor.",
            ),
            scoring.NEUTRAL: (
                "{place} bölgesindeki {thing} programı {year} yılında başladı.",
                "{org} yılda iki kez {place} şehrinde toplanıyor.",
            ),
        },
        orgs=("Sağlık Bakanlığı", "Sayıştay", "Liman İşletmesi", "TÜİK", "Belediye Meclisi", "Enerji Kurulu",
              "Ulaştırma Ajansı", "İstinaf Mahkemesi"),
        places=("İzmir", "Çanakkale", "Eskişehir", "Muğla", "Şanlıurfa", "Kırşehir", "Ağrı", "Iğdır", "Düzce",
                "Gümüşhane"),
        things=("okul", "hastane", "köprü", "demiryolu hattı", "tahıl silosu", "santral", "kütüphane", "iskele"),
        titles=("{org} {place} kararıyla eleştiri aldı", "{place} bölgesinde {thing} krizi büyüyor",
                "{place} halkı {thing} için yanıt bekliyor"),
        outlet_names=("{place} {word}", "Yeni {place} {word}"),
        outlet_words=("Gazetesi", "Haber", "Postası", "Ekspres", "Günlüğü", "Ajansı", "Bülteni", "Sesi"),
        first_names=("Ayşe", "Mehmet", "Zeynep", "Çağrı", "Gülşen", "İlker", "Özlem", "Şükrü", "Ümit", "Barış",
                     "Elif", "Oğuz"),
        last_names=("Yılmaz", "Kaya", "Demir", "Çelik", "Şahin", "Öztürk", "Aydın", "Güneş", "Doğan", "Başaran",
                    "Işık", "Erdoğan"),
        notes=("Bakanlığın sitesinden doğrulandı.", "Rakam için kaynak verilmemiş."),
    ),
    Language(
        code="ru", weight=0.15,
        templates={
            scoring.SOURCED: (
                "По данным доклада {org}, в прошлом году в городе {place} закрыли {count} {thing}.",
                "Представитель {org} сообщил журналистам, что в городе {place} проверили {count} {thing}.",
            ),
            scoring.UNSOURCED: (
                "С {year} года {org} тайно сократило {count} {thing} в городе {place}.",
                "Чиновники города {place} знали о проблеме с {thing} уже {count} месяцев.",
            ),
            scoring.OPINION: (
                "Это безрассудное решение город {place} будет вспоминать целое поколение.",
                "Откровенно говоря, в городе {place} никто уже не верит обещаниям {org}.",
            ),
            scoring.NEUTRAL: (
                "Программа в городе {place} началась в {year} году.",
                "Заседания {org} проходят в городе {place} дважды в год.",
            ),
        },
        orgs=("Министерства здравоохранения", "Счётной палаты", "Портового управления", "Росстата",
              "Городского совета", "Энергетического регулятора", "Транспортного агентства"),
        places=("Самара", "Казань", "Томск", "Пермь", "Тверь", "Ярославль", "Омск", "Вологда", "Иркутск",
                "Калуга"),
        things=("школ", "больниц", "мостов", "железнодорожных линий", "элеваторов", "электростанций",
                "библиотек"),
        titles=("Кризис в городе {place}: что дальше", "Жители города {place} ждут ответов",
                "Спор о будущем города {place}"),
        outlet_names=("{word} {place}", "{place}: {word}"),
        outlet_words=("Вестник", "Новости", "Курьер", "Ведомости", "Обозреватель", "Газета", "Летопись"),
        first_names=("Анна", "Борис", "Виктория", "Григорий", "Дарья", "Евгений", "Жанна", "Илья", "Ксения",
                     "Лев", "Мария", "Никита"),
        last_names=("Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков",
                    "Морозов", "Петров", "Волков", "Фёдоров"),
        notes=("Проверено по сайту министерства.", "Источник цифры не указан."),
    ),
    Language(
        code="fa", weight=0.15, digits="۰۱۲۳۴۵۶۷۸۹",
        templates={
            scoring.SOURCED: (
                "به گزارش {org}، سال گذشته {count} {thing} در {place} تعطیل شد.",
                "سخنگوی {org} به خبرنگاران گفت که {count} {thing} در {place} بازرسی شده است.",
            ),
            scoring.UNSOURCED: (
                "{org} از سال {year} بی‌سروصدا {count} {thing} را در {place} تعطیل کرده است.",
                "مقام‌های {place} از {count} ماه پیش از مشکل {thing} خبر داشتند.",
            ),
            scoring.OPINION: (
                "این تصمیمی نسنجیده است که {place} تا یک نسل فراموشش نخواهد کرد.",
                "راستش را بخواهید هیچ‌کس در {place} دیگر به وعده‌های {org} باور ندارد.",
            ),
            scoring.NEUTRAL: (
                "برنامهٔ {thing} در {place} در سال {year} آغاز شد.",
                "{org} سالی دو بار در {place} تشکیل جلسه می‌دهد.",
            ),
        },
        orgs=("وزارت بهداشت", "دیوان محاسبات", "سازمان بنادر", "مرکز آمار", "شورای شهر", "سازمان انرژی"),
        places=("تهران", "اصفهان", "شیراز", "تبریز", "مشهد", "رشت", "کرمان", "یزد", "همدان", "ساری"),
        things=("مدرسه", "بیمارستان", "پل", "خط آهن", "سیلو", "نیروگاه", "کتابخانه"),
        titles=("بحران {thing} در {place}", "مردم {place} در انتظار پاسخ", "{org} زیر فشار انتقاد در {place}"),
        outlet_names=("{word} {place}", "{word} نوین {place}"),
        outlet_words=("روزنامه", "خبرگزاری", "هفته‌نامه", "پیک", "صدای", "آوای"),
        first_names=("مریم", "علی", "زهرا", "رضا", "فاطمه", "حسین", "سارا", "مهدی", "نرگس", "امید"),
        last_names=("احمدی", "محمدی", "حسینی", "رضایی", "کریمی", "موسوی", "جعفری", "نوری", "صادقی", "رحیمی"),
        notes=("با وب‌سایت وزارتخانه تطبیق داده شد.", "منبعی برای این رقم ذکر نشده است."),
    ),
    Language(
        code="ar", weight=0.10, digits="٠١٢٣٤٥٦٧٨٩",
        templates={
            scoring.SOURCED: (
                "وفقا لتقرير {org} أغلقت {count} من {thing} في {place} العام الماضي.",
                "قال متحدث باسم {org} إن {count} من {thing} في {place} خضعت للتفتيش.",
            ),
            scoring.UNSOURCED: (
                "قامت {org} منذ عام {year} بإغلاق {count} من {thing} في {place} بصمت.",
                "كان المسؤولون في {place} يعلمون بمشكلة {thing} منذ {count} شهرا.",
            ),
            scoring.OPINION: (
                "هذا قرار متهور ستدفع {place} ثمنه لجيل كامل.",
                "بصراحة لم يعد أحد في {place} يصدق وعود {org}.",
            ),
            scoring.NEUTRAL: (
                "بدأ برنامج {thing} في {place} عام {year}.",
                "تجتمع {org} في {place} مرتين في السنة.",
            ),
        },
        orgs=("وزارة الصحة", "ديوان المحاسبة", "هيئة الموانئ", "دائرة الإحصاء", "المجلس البلدي", "هيئة الطاقة"),
        places=("عمّان", "الإسكندرية", "بيروت", "تونس", "الدار البيضاء", "مسقط", "الدوحة", "إربد", "صفاقس"),
        things=("المدارس", "المستشفيات", "الجسور", "خطوط السكك", "الصوامع", "محطات الكهرباء", "المكتبات"),
        titles=("أزمة {thing} في {place}", "سكان {place} ينتظرون إجابات", "{org} تحت النقد في {place}"),
        outlet_names=("{word} {place}", "{word} {place} اليوم"),
        outlet_words=("صحيفة", "أخبار", "بريد", "صوت", "مرآة", "نبض"),
        first_names=("ليلى", "أحمد", "نور", "يوسف", "سلمى", "خالد", "هدى", "عمر", "ريم", "طارق"),
        last_names=("الحسن", "العلي", "الخطيب", "النجار", "الشامي", "المصري", "حداد", "عبد الله", "منصور", "سعيد"),
        notes=("تم التحقق من موقع الوزارة.", "لم يذكر مصدر للرقم."),
    ),
)
LANGUAGE_CUMULATIVE = list(accumulate(language.weight for language in LANGUAGES))


@dataclass
class Cast:
    """The outlets and authors articles are drawn from, and the reviewers who review them."""

    outlets: list  # (Outlet, Language, [Author]) in popularity order
    outlet_cumulative: list
    reviewers: list  # (user, skill): skill scales how often the reviewer strays from the truth
    flags: dict  # category -> [Flag]
    codebook_version: int  # the number the summaries record


@dataclass
class Generated:
    """One chunk's rows, ready to insert."""

    articles: list = field(default_factory=list)
    authors: list = field(default_factory=list)  # (article id, author id)
    passages: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    annotations: list = field(default_factory=list)
    summaries: list = field(default_factory=list)
    flag_uses: list = field(default_factory=list)  # (article id, flag id, uses in submitted reviews)


def outlets_for(articles):
    return max(5, articles // ARTICLES_PER_OUTLET)


def authors_for(articles):
    return max(10, articles // ARTICLES_PER_AUTHOR)


def generate(articles, reviewers, seed, progress=None):
    """Add `articles` generated articles with their reviews and summaries; `progress(n)` after each chunk.

    Raises ValueError if this seed's articles are in the database already.
    """
    if Article.objects.filter(source_name=SOURCE.format(seed=seed)).exists():
        raise ValueError(f"The articles of seed {seed} are in the database already: use another --seed "
                         "or an empty database.")
    cast = build_cast(articles, reviewers, seed)
    ids = _Ids()
    for start in range(0, articles, CHUNK):
        with transaction.atomic():
            ids.reserve()
            chunk = Generated()
            for index in range(start, min(start + CHUNK, articles)):
                _generate_article(chunk, index, seed, cast, ids)
            _write(chunk)
        reset_queries()  # with DEBUG on, the logged INSERTs of every chunk's bodies would pile up
        if progress:
            progress(len(chunk.articles))
    _reset_sequences()
    # The outlets' and authors' totals from the summaries just written: grouped queries, a batch of
    # outlets or authors each.
    with transaction.atomic():
        for model in totals.KINDS:
            totals.rebuild(model)
    _analyse()


class _Ids:
    """The next free id of each table that gets explicit ids."""

    MODELS = (Article, Passage, Review)

    def reserve(self):
        self.next = {model: (model.objects.aggregate(last=Max("id"))["last"] or 0) + 1 for model in self.MODELS}

    def take(self, model):
        value = self.next[model]
        self.next[model] += 1
        return value


def build_cast(articles, reviewers, seed):
    """Outlets, authors and reviewer accounts, created if missing (the same ones for the same seed and size)."""
    rng = random.Random(f"{seed}:cast")
    outlet_count, author_count = outlets_for(articles), authors_for(articles)
    authors_by_language = {language.code: [] for language in LANGUAGES}
    author_rows = []
    for _ in range(author_count):
        language = pick_language(rng)
        name = f"{rng.choice(language.first_names)} {rng.choice(language.last_names)}"
        author_rows.append((language, name))
    existing = {author.name: author for author in Author.objects.filter(name__in={name for _, name in author_rows})}
    new = [Author(name=name) for name in dict.fromkeys(name for _, name in author_rows) if name not in existing]
    for author in Author.objects.bulk_create(new):
        existing[author.name] = author
    for language, name in author_rows:
        if existing[name] not in authors_by_language[language.code]:
            authors_by_language[language.code].append(existing[name])

    outlets, names = [], set()
    for number in range(outlet_count):
        language = pick_language(rng)
        name = _outlet_name(rng, language, names, number)
        # A small cast may have nobody writing in the outlet's language; everybody, in the order drawn.
        pool = authors_by_language[language.code] or list(dict.fromkeys(existing[name] for _, name in author_rows))
        staff = rng.sample(pool, min(8, len(pool)))
        outlets.append((name, language, staff))
    stored = {outlet.name: outlet for outlet in Outlet.objects.filter(name__in=names)}
    Outlet.objects.bulk_create([Outlet(name=name, language=language.code, kind=Outlet.Kind.NEWSPAPER,
                                       website=f"https://outlet-{number + 1}.example")
                                for number, (name, language, _) in enumerate(outlets) if name not in stored])
    stored = {outlet.name: outlet for outlet in Outlet.objects.filter(name__in=names)}
    weights = [1 / (rank + 1) ** 0.8 for rank in range(outlet_count)]  # a few big outlets, a long tail
    return Cast(
        outlets=[(stored[name], language, staff) for name, language, staff in outlets],
        outlet_cumulative=list(accumulate(weights)),
        reviewers=_reviewers(reviewers, seed),
        flags=_flags_by_category(),
        codebook_version=CodebookVersion.objects.current().number,
    )


def pick_language(rng):
    return LANGUAGES[bisect(LANGUAGE_CUMULATIVE, rng.random() * LANGUAGE_CUMULATIVE[-1])]


def _outlet_name(rng, language, taken, number):
    name = rng.choice(language.outlet_names).format(place=rng.choice(language.places),
                                                    word=rng.choice(language.outlet_words))
    if name in taken:
        name = f"{name} {number + 1}"
    taken.add(name)
    return name


def _reviewers(count, seed):
    User = get_user_model()
    group = Group.objects.get(name=Role.REVIEWER)
    reviewers = []
    for number in range(1, count + 1):
        user, created = User.objects.get_or_create(username=f"{REVIEWER_PREFIX}{number:02d}")
        if created:
            user.set_unusable_password()  # an admin sets one to log in as them
            user.save(update_fields=["password"])
        user.groups.add(group)
        reviewers.append((user, random.Random(f"{seed}:reviewer:{number}").uniform(0.6, 1.4)))
    return reviewers


def _flags_by_category():
    flags = {category: [] for category in CATEGORIES}
    for flag in Flag.objects.active():
        flags[flag.category].append(flag)
    missing = [category for category, found in flags.items() if not found]
    if missing:
        raise ValueError(f"No active flag of category {', '.join(missing)}: run `manage.py loaddata flags`.")
    return flags


@dataclass
class Text:
    title: str
    body: str
    passages: list  # (paragraph, sentence, start, end), as dossier.ingest.segmenting.segment() finds them
    truths: list  # each passage's category as written, which reviewers mostly agree with


def text(rng, language, number):
    """An article's text of 20 to 120 sentences (about 60) whose leaning towards each category varies."""
    mix = list(accumulate(rng.gammavariate(alpha, 1) for alpha in (2.0, 1.2, 1.0, 0.8)))
    words = {"org": rng.choice(language.orgs), "place": rng.choice(language.places),
             "thing": rng.choice(language.things)}
    paragraphs, truths, passages, offset = [], [], [], 0
    for paragraph in range(rng.randint(10, 20)):
        sentences, start = [], offset
        for position in range(rng.randint(2, 6)):
            category = CATEGORIES[bisect(mix, rng.random() * mix[-1])]
            written = sentence(rng, language, category, words)
            if not paragraphs and not sentences:
                written = f"{_number(language, number)} — {written}"  # every body differs
            passages.append((paragraph, position, start, start + len(written)))
            truths.append(category)
            sentences.append(written)
            start += len(written) + 1
        line = " ".join(sentences)
        paragraphs.append(line)
        offset += len(line) + 2
    return Text(rng.choice(language.titles).format(**words), "\n\n".join(paragraphs), passages, truths)


def _article(rng, index, seed, cast):
    """Article `index` (unsaved), with its text's passages and truths and its outlet's staff attached."""
    outlet, language, staff = cast.outlets[bisect(cast.outlet_cumulative, rng.random() * cast.outlet_cumulative[-1])]
    written = text(rng, language, index + 1)
    imported_at = EPOCH + timedelta(minutes=index * 5 + rng.randint(0, 4))
    article = Article(
        title=written.title,
        outlet=outlet,
        # The seed in the address: each article is identified by its address, and another seed makes others.
        url=f"{outlet.website}/{imported_at:%Y/%m}/{quote(str(seed), safe='')}-{index + 1}",
        published=(imported_at - timedelta(days=rng.randint(0, 30))).date(),
        language=language.code,
        body=written.body,
        original_text=written.body,
        imported_at=imported_at,
        source_name=SOURCE.format(seed=seed),
    )
    article.set_derived_fields()
    article.truths = written.truths
    article.spans = written.passages
    article.staff = staff
    return article


def sentence(rng, language, category, words):
    template = rng.choice(language.templates[category])
    return template.format(
        org=words["org"] if rng.random() < 0.7 else rng.choice(language.orgs),
        place=words["place"] if rng.random() < 0.7 else rng.choice(language.places),
        thing=words["thing"] if rng.random() < 0.7 else rng.choice(language.things),
        count=_number(language, rng.randint(4, 980)),
        year=_number(language, rng.randint(2001, 2024)),
    )


def _number(language, value):
    return str(value).translate(str.maketrans("0123456789", language.digits))


def _generate_article(chunk, index, seed, cast, ids):
    rng = random.Random(f"{seed}:article:{index}")
    article = _article(rng, index, seed, cast)
    article.pk = article_id = ids.take(Article)
    chunk.articles.append(article)
    authors = rng.sample(article.staff, min(len(article.staff), rng.choice((1, 1, 1, 2))))
    for author in authors:
        chunk.authors.append((article_id, author.pk))
    article.set_search_fields([author.name for author in authors])  # inserted in bulk: no receiver folds them
    lengths = []
    for paragraph, sentence, start, end in article.spans:
        passage_id = ids.take(Passage)
        chunk.passages.append((passage_id, article_id, paragraph, sentence, start, end))
        lengths.append((passage_id, end - start))

    submitted = rng.choices(SUBMITTED_REVIEWS, cum_weights=SUBMITTED_CUMULATIVE)[0]
    in_progress = 1 if rng.random() < IN_PROGRESS_CHANCE else 0
    chosen = rng.sample(cast.reviewers, min(len(cast.reviewers), submitted + in_progress))
    # Too few reviewers for them all: the submitted reviews come first, and the review in progress
    # exists only if a reviewer was left for it.
    in_progress = max(0, len(chosen) - submitted)
    difficulty = rng.uniform(0.02, 0.45)
    uses = {}  # flag id: uses in the submitted reviews
    scored, started = {}, article.imported_at + timedelta(hours=rng.randint(1, 48))
    for number, (reviewer, skill) in enumerate(chosen):
        review_id = ids.take(Review)
        is_submitted = number < submitted
        finished = started + timedelta(minutes=rng.randint(10, 240))
        chunk.reviews.append((review_id, article_id, reviewer.pk,
                              Review.Status.SUBMITTED if is_submitted else Review.Status.IN_PROGRESS,
                              started, finished, finished if is_submitted else None))
        reach = len(lengths) if is_submitted else rng.randint(0, len(lengths))
        first = len(chunk.annotations)
        flags = _review(rng, chunk, review_id, lengths[:reach], article.truths, min(0.9, difficulty * skill),
                        cast.flags, finished)
        if is_submitted:
            scored[review_id] = flags
            for row in chunk.annotations[first:]:
                uses[row[2]] = uses.get(row[2], 0) + 1
    if chosen:
        score = scoring.score(lengths, scored, seed=article_id)
        chunk.summaries.append(ArticleSummary.of(article_id, score, in_progress, cast.codebook_version))
    else:
        chunk.summaries.append(ArticleSummary.not_started(article_id))
    chunk.flag_uses.extend((article_id, flag_id, n) for flag_id, n in uses.items())


def _review(rng, chunk, review_id, passages, truths, straying, flags_by_category, when):
    """One reviewer's annotations: mostly the passage's true category, sometimes another, sometimes none."""
    adapt = connection.ops.adapt_datetimefield_value
    categories = {}
    for (passage_id, _), truth in zip(passages, truths):
        roll = rng.random()
        if truth == scoring.NEUTRAL and roll < 0.5:
            continue  # background sentences are often left unflagged
        if roll < straying * 0.3:
            continue
        category = rng.choice([c for c in CATEGORIES if c != truth]) if roll < straying else truth
        chosen = [rng.choice(flags_by_category[category])]
        if rng.random() < 0.05:
            chosen.append(rng.choice(flags_by_category[rng.choice(CATEGORIES)]))
        for flag in dict.fromkeys(chosen):
            note = rng.choice(("", "", "", "", "", "", "", "", "Needs a second look.", "Compare with the report."))
            evidence = (
                f"https://evidence.example/{passage_id}" if category == scoring.SOURCED and rng.random() < 0.2 else ""
            )
            chunk.annotations.append((review_id, passage_id, flag.pk, note, evidence, adapt(when), adapt(when)))
            categories.setdefault(passage_id, set()).add(flag.category)
    return categories


def _write(chunk):
    adapt = connection.ops.adapt_datetimefield_value
    Article.objects.bulk_create(chunk.articles)
    insert_rows(Article.authors.through, ["article_id", "author_id"], chunk.authors)
    insert_rows(Passage, ["id", "article_id", "paragraph", "sentence", "start", "end"], chunk.passages)
    insert_rows(Review, ["id", "article_id", "reviewer_id", "status", "started_at", "updated_at", "submitted_at"],
                ((*row[:4], adapt(row[4]), adapt(row[5]), adapt(row[6])) for row in chunk.reviews))
    insert_rows(Annotation, ["review_id", "passage_id", "flag_id", "note", "evidence_url", "created_at",
                             "modified_at"],
                chunk.annotations)
    fields = ["article_id", *ArticleSummary.SCORE_FIELDS]
    insert_rows(ArticleSummary, fields, ([getattr(summary, name) for name in fields] for summary in chunk.summaries))
    insert_rows(ArticleFlagUse, ["article_id", "flag_id", "uses"], chunk.flag_uses)


def _reset_sequences():
    """PostgreSQL's id sequences must move past the explicit ids (SQLite's AUTOINCREMENT follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Article, Passage, Review, Annotation])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _analyse():
    """Fresh planner statistics after a bulk load, as an administrator would gather them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
