"""Word tables of the Arabic date engine (generator/dates.py), kept apart as plain data.

Every entry is written as Arabic news writes it; `fold` turns it into the folded form that
generator/arabic.normalize_with_map produces (one alef, ي for ى, ه for ة), because the engine
matches on the folded text. Tables are data so that a new spelling is a one-line change and
needs no regex knowledge.
"""

from __future__ import annotations

# The letter folds of generator/arabic.py (tests/test_dates.py checks that the two agree).
_FOLD_TABLE = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ک": "ك",
     "ی": "ي"}
)  # fmt: skip


def fold(s: str) -> str:
    """Fold a table entry or a regex source the way the text is folded (regex syntax untouched).

    arabic.normalize would also casefold, which turns the regex class \\p{L} into \\p{l}.
    """
    return s.translate(_FOLD_TABLE)


# Month names of the three systems (Egyptian/Gulf, Levantine/Iraqi, Maghrebi incl. Moroccan),
# with the spelling variants seen in print. Number of the month for each.
MONTHS: dict[str, int] = {
    "يناير": 1, "جانفي": 1, "كانون الثاني": 1, "كانون ثاني": 1, "كانون الثانى": 1,
    "فبراير": 2, "فبرائر": 2, "فيفري": 2, "شباط": 2,
    "مارس": 3, "آذار": 3, "اذار": 3,
    "أبريل": 4, "إبريل": 4, "ابريل": 4, "أفريل": 4, "افريل": 4, "نيسان": 4,
    "مايو": 5, "ماي": 5, "أيار": 5, "ايار": 5,
    "يونيو": 6, "يونيه": 6, "يونية": 6, "جوان": 6, "حزيران": 6,
    "يوليو": 7, "يوليه": 7, "يولية": 7, "يوليوز": 7, "جويلية": 7, "جويليه": 7, "تموز": 7,
    "أغسطس": 8, "اغسطس": 8, "أغشت": 8, "غشت": 8, "آب": 8, "أوت": 8, "اوت": 8,
    "سبتمبر": 9, "شتنبر": 9, "أيلول": 9, "ايلول": 9,
    "أكتوبر": 10, "اكتوبر": 10, "أوكتوبر": 10, "تشرين الأول": 10, "تشرين أول": 10,
    "نوفمبر": 11, "نونبر": 11, "تشرين الثاني": 11, "تشرين ثاني": 11, "تشرين الثانى": 11,
    "ديسمبر": 12, "دجنبر": 12, "كانون الأول": 12, "كانون أول": 12,
}  # fmt: skip

# Month names that are also ordinary words (مارس "he practised", آب/أب "father", ماي, أوت,
# جوان a first name, نيسان a car make): accepted only with a date context around them.
AMBIGUOUS_MONTHS: frozenset[str] = frozenset(fold(w) for w in ("مارس", "ماي", "آب", "أوت", "جوان"))

# Words before a bare month name that make it a month: "في مارس", "منذ آذار", "شهر ماي".
MONTH_CONTEXT_BEFORE: frozenset[str] = frozenset(
    fold(w)
    for w in ("في", "منذ", "حتى", "خلال", "قبل", "بعد", "بحلول", "مطلع", "شهر", "لغاية", "أواسط")
)

# Weekdays, Python numbering (Monday = 0).
WEEKDAYS: dict[str, int] = {
    "الإثنين": 0, "الاثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3,
    "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6,
}  # fmt: skip

# Parts of the day written before a day word ("مساء الثلاثاء", "فجر اليوم").
TIMES_OF_DAY: dict[str, str] = {
    "صباح": "morning", "ضحى": "morning", "مساء": "evening",
    "ليل": "night", "ليلة": "night", "فجر": "dawn", "ظهر": "noon", "ظهيرة": "noon",
    "عصر": "afternoon", "نهار": "daytime",
}  # fmt: skip

# "مطلع مارس" etc.: the value stays at the granularity of what follows; the qualifier says where.
QUALIFIERS: dict[str, str] = {
    "منتصف": "mid", "أواسط": "mid", "اواسط": "mid",
    "مطلع": "early", "بداية": "early", "بدايات": "early", "أوائل": "early", "اوائل": "early",
    "مستهل": "early", "مطالع": "early",
    "أواخر": "late", "اواخر": "late", "نهاية": "late", "نهايات": "late", "ختام": "late",
    "متم": "late", "موفى": "late",
    # a season before a year ("صيف 2019", "خريف العام الماضي") is that year, qualified; a
    # season alone ("الصيف المقبل") is not a date (the words here carry no article)
    "صيف": "summer", "شتاء": "winter", "ربيع": "spring", "خريف": "autumn",
}  # fmt: skip

# Relative words after a month, year or weekday.
REL_PAST = ("الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة", "الفارط", "الفارطة",
            "المنقضي", "المنقضية")  # fmt: skip
REL_NEXT = ("المقبل", "المقبلة", "القادم", "القادمة", "المقبلين", "القادمين")
REL_CURRENT = ("الجاري", "الجارية", "الحالي", "الحالية")
# "الشهر السابق": the month before the one just compared with ("خلال يوليو، مقارنة بـ2.7% في
# الشهر السابق"), else the month before publication; "الشهر نفسه من العام السابق".
REL_PREVIOUS = ("السابق", "السابقة")
# Words that open a comparison clause: a month named in it ("مقابل 7.8% في أبريل") is what the
# figure is compared with, not the month the report is about.
COMPARISON_WORDS = ("مقابل", "مقارنة", "المقارنة", "قياسا")

# Ordinal day words ("التاسع عشر من شهر يناير", "الأول من مارس"), masculine and feminine.
_UNITS_M = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن",
            "التاسع"]  # fmt: skip
_UNITS_F = ["الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة",
            "الثامنة", "التاسعة"]  # fmt: skip
_COMPOUND_M = ["الحادي", *_UNITS_M[1:]]
_COMPOUND_F = ["الحادية", *_UNITS_F[1:]]


def _ordinals() -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(9):
        out[_UNITS_M[i]] = i + 1
        out[_UNITS_F[i]] = i + 1
        out[_COMPOUND_M[i] + " عشر"] = 11 + i
        out[_COMPOUND_F[i] + " عشرة"] = 11 + i
        for tens, base in (("العشرين", 20), ("العشرون", 20), ("الثلاثين", 30)):
            if base + i + 1 > 31:
                continue
            out[f"{_COMPOUND_M[i]} و{tens}"] = base + i + 1
            out[f"{_COMPOUND_F[i]} و{tens}"] = base + i + 1
    out.update({"العاشر": 10, "العاشرة": 10, "العشرين": 20, "العشرون": 20, "الثلاثين": 30})
    out.update(dict.fromkeys(FIRST_DAY_WORDS, 1))
    out["الفاتح"] = 1  # Algerian "الفاتح من نوفمبر 1954": the 1st, with "من" like an ordinal
    return out


# Words for the first day of a month that need no "من": "أول يناير", Moroccan "فاتح يوليوز",
# Tunisian and Gulf "غرة نوفمبر" (also "غرة شوال").
FIRST_DAY_WORDS = ("أول", "فاتح", "غرة")
ORDINALS: dict[str, int] = _ordinals()


# Words after a 4-digit number that make it a quantity, not a year ("2000 شخص").
QUANTITY_NOUNS = (
    "شخص", "مليون", "مليار", "ألف", "الف", "دولار", "يورو", "جنيه", "دينار", "ريال", "درهم",
    "ليرة", "متر", "كيلو", "كلم", "كم", "طن", "برميل", "قتيل", "جريح", "لاجئ", "مهاجر", "عنصر",
    "مقاتل", "جندي", "منزل", "مرة", "صاروخ", "رحلة", "طائرة", "وحدة", "عائلة", "سجين", "معتقل",
    "حالة", "إصابة", "وفاة", "نسمة", "ساعة", "دقيقة", "يوم", "أيام", "شهر", "أشهر", "عام",
    "سنة", "سنوات", "نقطة", "هكتار", "ميغاواط", "صوت", "مقعد", "عضو", "أعضاء",
)  # fmt: skip

# Words before a number that make it a law/resolution/reference number ("القرار 1970").
REFERENCE_NOUNS = ("القرار", "قرار", "رقم", "القانون", "قانون", "المرسوم", "مرسوم", "البند",
                   "المادة", "مادة", "الرقم")  # fmt: skip

# Words earlier in the clause that put a day-month without a year before publication, when the
# nearest such date would be after it ("نهائي الموسم الماضي في 30 مايو", "وكانت ... قد أعلنت").
PAST_CUES = ("الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة", "الفارط", "السابق",
             "السابقة", "كان", "كانت", "سبق", "أمس")  # fmt: skip
# A past auxiliary just before a plan cue makes it a plan told in the past ("وكان من المقرر أن
# يوقع في الأول من أبريل"): not a future context; the date may fall on either side.
PAST_AUXILIARIES = ("كان", "كانت")
# Words that put a bare weekday or day-month in the future ("من المقرر أن يبدأ الأحد").
FUTURE_CUES = (
    "من المقرر", "المقرر", "من المنتظر", "المنتظر", "من المتوقع", "المرتقب", "المزمع", "يعتزم",
    "تعتزم", "سوف", "يرتقب", "سيتم", "ستتم", "موعدا", "موعد",
    # a roadmap or agreement that "stipulates holding" an event: a plan
    "تنص على إجراء", "ينص على إجراء", "تنص على تنظيم", "ينص على تنظيم",
)  # fmt: skip
# "اعتبارا من يوليو": a starting point, on either side of publication (the nearest), whatever
# past cue the clause has ("أعلنت أمس خفضا اعتبارا من يوليو").
FROM_CUES = ("اعتبارا من", "ابتداء من", "بدءا من")
# Verbs and nouns of postponing or extending before "إلى"/"حتى" + a date ("واقترحت تأجيله إلى
# 24 يناير"): a new date told in the past may lie after publication, so the nearest.
POSTPONE_STEMS = ("تأجيل", "تاجيل", "أجل", "أجلت", "تأجل", "تأجلت", "إرجاء", "أرجئ", "أرجأ",
                  "أرجأت", "ترحيل", "تمديد", "مدد", "مددت", "تمدد")  # fmt: skip
# Future verbs: the prefix س + a present-tense stem ("سيعقد", "ستنطلق").
FUTURE_STEMS = (
    "عقد", "نعقد", "جري", "بدأ", "بدا", "نطلق", "لتقي", "زور", "ستمر", "صل", "شارك", "قوم",
    "كون", "عود", "توجه", "علن", "ناقش", "بحث", "جتمع", "نظم", "ستأنف", "ستانف", "شهد", "حضر",
    "صوت", "غادر", "نتهي", "صدر", "عرض", "وقع", "فتتح", "تسلم", "قدم", "لقي", "جتمعون", "قيم",
)  # fmt: skip

# "اليوم" followed by one of these is a noun ("اليوم العالمي", "اليوم التالي"), not today.
TODAY_NOT_BEFORE = (
    "العالمي", "الدولي", "الوطني", "العربي", "التالي", "الأول", "الثاني", "الثالث", "الأخير",
    "الموعود", "المفتوح", "الدراسي", "الذي", "التي", "نفسه", "ذاته", "السابق", "الموالي",
    "السابع", "الرابع", "الخامس", "السادس", "الثامن", "التاسع", "العاشر", "الواحد", "الآخر",
    "الماضي", "المقبل", "الوطنى", "الأولى", "الثانية", "الأخيرة", "التالية", "نفسها", "ذاتها",
    "السابقة", "الموالية", "الكبرى", "الحاسمة",
)  # fmt: skip
# "اليوم" preceded by one of these is anaphoric ("ذلك اليوم", "نفس اليوم"), not today.
TODAY_NOT_AFTER = ("ذلك", "تلك", "نفس", "طوال", "طيلة", "مدار", "المصري", "روسيا", "أخبار")

# The months of the Hijri (Umm al-Qura) calendar, as news prints them ("ذو القعدة" and, after
# a preposition, "ذي القعدة"). A Hijri day-month(-year) is converted to its Gregorian day.
HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع الاول": 3, "ربيع أول": 3, "ربيع الثاني": 4,
    "ربيع الآخر": 4, "ربيع ثاني": 4, "ربيع الأخر": 4, "جمادى الأولى": 5, "جمادى الأول": 5,
    "جمادى الاولى": 5, "جمادى الثانية": 6, "جمادى الآخرة": 6, "جمادى الأخرة": 6,
    "جمادى الآخر": 6, "جمادى الثاني": 6, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12,
}  # fmt: skip
# Hijri month names are also first names (رمضان صبحي, رجب) or words (صفر "zero", محرم
# "forbidden"): a day and a Hijri month are a date only with a Hijri year or هـ, a weekday, or
# one of these words before the day.
HIJRI_CONTEXT_BEFORE = ("في", "منذ", "حتى", "إلى", "من", "يوم", "بحلول", "لغاية", "قبل", "بعد",
                        "الموافق", "بتاريخ", "تاريخ", "غداة", "عشية", "حتي")  # fmt: skip

# Ago-expressions: "قبل يومين", "منذ ثلاثة أسابيع", "قبل 10 أيام" -- a point in time counted
# back from publication. Units (every form a number takes after it) and their kind; the dual
# forms carry their own number.
AGO_UNITS: dict[str, str] = {
    "يوم": "day", "يوما": "day", "أيام": "day", "أسبوع": "week", "أسبوعا": "week",
    "أسابيع": "week", "شهر": "month", "شهرا": "month", "أشهر": "month", "شهور": "month",
    "سنة": "year", "سنوات": "year", "سنين": "year", "عام": "year", "عاما": "year",
    "أعوام": "year",
}  # fmt: skip
# "قبل يوم واحد", "منذ شهر واحد": the singular unit with "one" after it.
AGO_ONE = ("واحد", "واحدة")
AGO_DUALS: dict[str, str] = {"يومين": "day", "أسبوعين": "week", "شهرين": "month",
                             "عامين": "year", "سنتين": "year"}  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6,
    "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "ثمان": 8, "تسعة": 9, "تسع": 9, "عشرة": 10,
    "عشر": 10, "عشرين": 20, "ثلاثين": 30, "أربعين": 40, "خمسين": 50, "ستين": 60, "سبعين": 70,
    "ثمانين": 80, "تسعين": 90, "مئة": 100, "مائة": 100,
}  # fmt: skip
# A year noun followed by one of these is not the calendar year ("بداية العام المالي").
NOT_CALENDAR_YEAR = ("المالي", "الدراسي", "الجامعي", "الهجري", "القضائي", "التشريعي",
                     "الزراعي")  # fmt: skip
# Before "غداة"/"عشية" + a date: the day after / before it ("غداة 10 تشرين الأول").
DAY_SHIFT_WORDS: dict[str, int] = {"غداة": 1, "عشية": -1}

# Words before a bare 4-digit number that make it a year ("في 2011", "منذ 2014").
YEAR_CONTEXT = ("في", "منذ", "حتى", "خلال", "قبل", "بعد", "بحلول", "لغاية", "إلى", "من",
                # nouns of a period named by its year: "دورة 2017", "موازنة 2020", "موسم 2019"
                "دورة", "موسم", "موازنة", "ميزانية", "انتخابات", "برلمان", "دستور", "مجلس",
                # "عامي 1978 و1986": two years (a range only after بين)
                "عامي", "العامين", "سنتي")  # fmt: skip
# ... unless a comparative makes it a quantity ("أكثر من 2000").
COMPARATIVES = ("أكثر", "أقل", "أزيد", "يزيد", "يقل", "نحو", "حوالي", "قرابة", "زهاء", "أكبر",
                "أعلى", "أدنى")  # fmt: skip

# Named days whose year is known history, not the publication year ("ثورة 17 فبراير"),
# recognised after one of NAMED_DAY_NOUNS.
NAMED_DAYS: dict[tuple[int, int], int] = {
    (2, 17): 2011, (1, 25): 2011, (6, 30): 2013, (7, 23): 1952, (9, 1): 1969, (9, 11): 2001,
}  # fmt: skip
NAMED_DAY_NOUNS = ("ثورة", "انتفاضة", "هجمات", "أحداث")
# "شارع 26 يوليو", "جسر 6 أكتوبر", "قوى 14 آذار": names that contain a date, not dates.
NAME_NOUNS = ("حركة", "قوى", "تحالف", "تيار", "فريق", "كتلة", "ائتلاف", "شارع", "ميدان", "جسر",
              "مستشفى", "جامعة", "مدينة", "ملعب", "مدرسة", "حي", "طريق", "محور", "لواء",
              "كتيبة")  # fmt: skip
# "حرب أكتوبر", "نكسة حزيران", "ثورة يناير": a month naming a past event, not a date.
EVENT_NOUNS = ("حرب", "نكسة", "ثورة", "انتفاضة", "أحداث", "هجمات", "نصر", "عدوان")

# Words before an ordinal that make it a part of a period, not a day: "الأسبوع الأول من مايو"
# (weeks are not a granularity), "الأيام الأولى من مارس", "النصف الثاني من يونيو".
PERIOD_NOUNS = ("الأسبوع", "الاسبوع", "الأسابيع", "الاسابيع", "الأيام", "الايام", "النصف",
                "العشر", "العشرة", "الربع", "الثلث", "الساعات", "الليالي", "الجولة", "المرحلة",
                "الدورة", "الحلقة", "النسخة", "الأشهر", "الشهور", "أسبوع", "اسبوع")  # fmt: skip
# Words before a bare "الغد"/"الأمس" that make it a day ("في الغد"), not the noun "tomorrow"
# (a newspaper named "الغد", "جيل الغد").
DEICTIC_NOUN_CONTEXT = ("في", "حتى", "إلى", "منذ", "صباح", "مساء", "ظهر", "فجر", "ليل", "ليلة",
                        "عصر", "ضحى", "نهار", "يوم", "حتي")  # fmt: skip
# Words before a numeric day/month without a year ("في 22/4") that make it a date.
NUMERIC_DATE_CONTEXT = ("في", "يوم", "بتاريخ", "تاريخ", "حتى", "منذ", "الموافق", "قبل", "بعد",
                        "بحلول", "لغاية", "إلى", "من")  # fmt: skip

# Words before "السادس منه" / "6 منه" (a day of the month just named) that make it a day.
MINH_CONTEXT = ("في", "إلى", "حتى", "منذ", "يوم", "بحلول", "لغاية", "قبل", "بعد")
# Deictic days and their offset from publication, in days ("الليلة": tonight).
DEICTIC_OFFSETS: dict[str, int] = {
    "اليوم": 0, "الليلة": 0, "أمس": -1, "الأمس": -1, "البارحة": -1, "الليلة الماضية": -1,
    "الليلة البارحة": -1, "الليلة الفائتة": -1, "ليلة أمس": -1, "ليلة البارحة": -1, "ليل أمس": -1,
    "ليل البارحة": -1, "غد": 1, "غدا": 1, "الغد": 1, "بعد غد": 2, "بعد الغد": 2, "أول أمس": -2,
    "أول من أمس": -2, "أمس الأول": -2, "قبل أمس": -2, "قبل يوم أمس": -2,
}  # fmt: skip
# Words after a bare day number ("يوم 27") that make it a count or a day of an event.
NOT_AFTER_BARE_DAY = ("من", "عاما", "سنة", "سنوات", "يوما")
# Words before "عامي 2014 و2015" that make it a period (a range) rather than two years.
PERIOD_PREPOSITIONS = ("خلال", "طوال", "طيلة", "مدى")
# Matching is tried only near an anchor (a month, a weekday, a number or one of these words)
# and at the words that may open an expression before it (these, qualifiers, ordinals, ...).
ANCHOR_WORDS = ("اليوم", "امس", "الامس", "البارحه", "غدا", "الغد", "غد", "الليله", "الشهر",
                "العام", "السنه", "الجاري", "الحالي", "منه")  # fmt: skip
OPENING_WORDS = ("يوم", "يومي", "ليله", "ليل", "من", "بين", "ما", "شهر", "عام", "سنه", "عامي",
                 "العامين", "سنتي", "ال", "هذا", "هذه", "اول", "قبل", "بعد", "الموافق", "الي",
                 "حتي", "لغايه", "و", "منذ", "ذو", "ذي", "جمادي")  # fmt: skip

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip
