"""The Arabic date engine: find temporal expressions in a news text and resolve them.

`find_dates(text, published)` returns `DateMention`s in text order, non-overlapping, with
offsets into `text` exactly as given (CONTRACTS.md, "explainer dates output").

How it works, and why:

* Matching runs on a folded copy of the text (generator/arabic.normalize_with_map: one alef,
  ي for ى, ه for ة, no diacritics or tatweel, ASCII digits), because Arabic news spells the same
  date many ways (إبريل / أبريل / ابريل, ١٢ / 12). The offset map brings every span back to the
  text as written; trailing diacritics of the last letter ("غداً") are put back into the span.
* A small set of regexes (compiled once at import) proposes candidates; each has a handler that
  validates the context (an ambiguous month such as مارس "he practised" needs a date context) and
  resolves the value. Overlapping candidates are settled longest-first, so "مساء أمس الأربعاء"
  wins over "أمس" and "الأربعاء", and a range wins over its end date.
* Speed: the patterns are tried only where an expression can start (a word, or after و/ف/ب/ل)
  within a few opening words of an anchor (a number, a month or weekday name, اليوم/أمس/...),
  and only the patterns that can open with that word; they are stdlib `re` patterns (about 3x
  faster than `regex` here). ~20x faster than dateparser's search (bench/bench_dates.py).
* Relative expressions resolve against the publication date only, never against the clock: a
  bare weekday in news is the latest such day on or before publication (the report is about what
  happened), "الماضي" moves it strictly before, "المقبل" or a plan context ("من المقرر",
  "سيعقد") moves it on or after. A day and month without a year take the year that puts the date
  nearest to publication unless the text says past or future (a past marker earlier in the
  clause, "الموسم الماضي"/"كانت ... قد", keeps it from landing after publication; كان/كانت
  carries over a comma to the sentence end, but not to "حتى" + a date; a plan told in the past,
  "وكان من المقرر", is no plan: the nearest date; a roadmap that "stipulates holding" an event,
  "تنص على إجراء انتخابات في 24 ديسمبر", is a plan even after a كان). After "منذ" a day and
  month are on or before publication; a starting point ("اعتبارا من يوليو") and a postponed
  date ("واقترحت تأجيله إلى 24 يناير") are the nearest whatever past cue the clause has. A
  future-tense verb ("وستقيم ...") makes its whole clause a plan, however long. A weekday
  with a day and month ("يوم السبت 23 سبتمبر") takes, of the candidate years the context
  allows (else of all of them, the nearest), the one in which the date falls on that weekday.
  A clock time after a bare space ("الأربعاء 12 يونيو 2024 10:52") is outside the span; one
  joined by "/", "-", a comma or "الساعة" ("2 مارس 2020 / 21:06") is the dateline's time.
  "إلى السادس منه" is that day of the month named last. A deictic day contradicted by its
  weekday ("فجر اليوم السبت" published on Sunday) takes the weekday. A bare
  day number ("يوم 27", "في الـ27.") is that day of the month before, of, or after publication,
  whichever is nearest; a day/month in digits ("في 22/4") needs a date word before it; two-digit
  years ("16/04/21") take the century that is not in the future; a life span in parentheses
  ("(1930 - 1986)") is a range of years. Without a publication date those
  expressions are still reported, with value None.
* A dateline that opens the text a few days before publication ("الخرطوم 17 أغسطس 2019 -"
  published on the 18th, KUNA's "الكويت - 7 - 6 (كونا)") is the day the story is told: the
  relative expressions (اليوم, أمس, weekdays, ago-expressions) count from it.
* "الشهر نفسه من العام الماضي/السابق" is the month named last, a year before it; a month named
  in a comparison clause ("مقابل 7,8 في المائة في أبريل") is not that antecedent. "الشهر
  السابق" in a comparison ("خلال يوليو، مقارنة بـ2.7% في الشهر السابق") is the month before the
  one named just before, otherwise the month before publication; "العام قبل الماضي" is two
  years back. "تشرين" alone (October or November?) is not a month.
* Absolute day-month-year dates are parsed by dateparser from a clean English string
  ("12 February 2020") with an explicit format and a fixed RELATIVE_BASE, so it never consults the
  clock; the result is cached (the same dates repeat across a corpus). dateparser's own Arabic
  search is not used: it is ~100x slower and misses most news forms (dual month names, ordinal
  words, "أمس الثلاثاء"); see bench/bench_dates.py and tests/test_conformance.py.
* Ago-expressions count back from publication, قبل/منذ inside the span: "قبل يومين",
  "منذ ثلاثة أيام", "قبل 10 أيام", "قبل يوم واحد" -> a day; weeks ("منذ أسبوعين") are counted
  in days -> a day; "قبل شهرين" -> a month; "منذ عامين", "قبل ثلاث سنوات" -> a year; a compound
  ("منذ عام و3 أشهر", "منذ عامين وأربعة أشهر") counts back the sum, at its smaller unit.
  "منذ" + a duration with an ongoing sense ("مسجون منذ ثلاث سنوات") is the same point: when the
  state began. "منذ 2011" stays a year. Not reported: approximate or open ones ("قبل نحو شهر", "منذ أكثر من عامين",
  "قبل أيام", "قبل عام تقريبا"), halves ("منذ عام ونصف"), event-anchored ones
  ("قبل يومين من الانتخابات"), a singular unit that names rather than counts ("قبل يوم
  الانتخابات", "منذ شهر رمضان", "قبل عام 2011"), hours, decades and "بعد يومين" (after what?).
  Without a publication date they are reported with value None.
* "غداة" + a date or weekday is the day after it, "عشية" + a date the day before ("غداة 10
  تشرين الأول" -> 11 October); "غداة" + a noun ("غداة الاجتماع") is anaphoric, not a date.
* A season with a year is that year, qualified ("صيف 2019" -> 2019, "summer"; "خريف العام
  الماضي" -> the year before publication); a season alone ("الصيف المقبل") is not a date.
* Hijri day-month(-year) dates ("الجمعة 15 رمضان 1441هـ", "5 شوال", "من 30 رمضان حتى 4 شوال")
  are converted with hijridate (Umm al-Qura); without a Hijri year, the Hijri year that puts
  the day nearest publication. A weekday one day off Umm al-Qura (another country's sighting)
  decides the day. Hijri month names are also first names and words (رمضان, رجب, صفر), so a
  Hijri year, هـ, a weekday, a range or a preposition of time is required; a Hijri month or
  year alone is no Gregorian date and is not reported, and "1441 هـ" is never a Gregorian year.
* Maghrebi/Gulf first days "فاتح يوليوز", "غرة نوفمبر", Algerian "الفاتح من نوفمبر" are the
  1st; Tunisian "موفى أكتوبر" is late October; "2024/2025" (consecutive years) is a fiscal year or season, a range; "11 يوليو
  من ذلك العام" takes the year named last; "مقارنة مع 2021" is a year.
* Not dates: counts, durations ("9 أيام", "لمدة ثلاثة أشهر", "خلال 48 ساعة"), weeks (no week
  granularity in the contract: "الأسبوع الماضي/المقبل" are skipped, "الأسبوع الأول من مايو" is
  not 1 May), law or resolution numbers, "5+5", phone numbers, clock times alone, "الآن", a
  newspaper called "الغد" or "اليوم" ("الجزائر - اليوم" alone on a dateline line), yearly
  recurrences ("في الأول من كانون الثاني من كل عام"), fiscal or school years ("بداية العام المالي"). The day of a named revolution keeps its historical year
  ("ثورة 25 يناير" -> 2011-01-25); names that contain a date ("شارع 26 يوليو", "العاشر من
  رمضان") are not dates.
* Measured on hand-annotated held-out news (tests/test_dates_heldout.py), not only on the seeds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import dateparser

from generator.arabic import fold_char, normalize_with_map
from generator.dates_lexicon import (
    AGO_DUALS,
    AGO_ONE,
    AGO_UNITS,
    AMBIGUOUS_MONTHS,
    ANCHOR_WORDS,
    COMPARATIVES,
    COMPARISON_WORDS,
    DAY_SHIFT_WORDS,
    DEICTIC_NOUN_CONTEXT,
    DEICTIC_OFFSETS,
    EN_MONTHS,
    EVENT_NOUNS,
    FIRST_DAY_WORDS,
    FROM_CUES,
    FUTURE_CUES,
    FUTURE_STEMS,
    HIJRI_CONTEXT_BEFORE,
    HIJRI_MONTHS,
    MINH_CONTEXT,
    MONTH_CONTEXT_BEFORE,
    MONTHS,
    NAME_NOUNS,
    NAMED_DAY_NOUNS,
    NAMED_DAYS,
    NOT_AFTER_BARE_DAY,
    NOT_CALENDAR_YEAR,
    NUMBER_WORDS,
    NUMERIC_DATE_CONTEXT,
    OPENING_WORDS,
    ORDINALS,
    PAST_AUXILIARIES,
    PAST_CUES,
    PERIOD_NOUNS,
    PERIOD_PREPOSITIONS,
    POSTPONE_STEMS,
    QUALIFIERS,
    QUANTITY_NOUNS,
    REFERENCE_NOUNS,
    REL_CURRENT,
    REL_NEXT,
    REL_PAST,
    REL_PREVIOUS,
    TIMES_OF_DAY,
    TODAY_NOT_AFTER,
    TODAY_NOT_BEFORE,
    WEEKDAYS,
    YEAR_CONTEXT,
    fold,
)
from generator.model import DateMention

try:  # the Umm al-Qura calendar (pyproject.toml); without it Hijri dates are not reported
    from hijridate import Gregorian, Hijri
except ImportError:  # pragma: no cover
    Gregorian = Hijri = None

# --------------------------------------------------------------------------------------------
# Folded lookup tables and regex building blocks.

_MONTH_NUM = {fold(k): v for k, v in MONTHS.items()}
_WEEKDAY_NUM = {fold(k): v for k, v in WEEKDAYS.items()}
_TOD = {fold(k): v for k, v in TIMES_OF_DAY.items()}
_QUAL = {fold(k): v for k, v in QUALIFIERS.items()}
_ORD = {fold(k): v for k, v in ORDINALS.items()}
_FIRST_DAY = frozenset(fold(w) for w in FIRST_DAY_WORDS)
_HIJRI_NUM = {fold(k): v for k, v in HIJRI_MONTHS.items()}
_AGO_UNIT = {fold(k): v for k, v in AGO_UNITS.items()}
_AGO_DUAL = {fold(k): v for k, v in AGO_DUALS.items()}
_NUMBER = {fold(k): v for k, v in NUMBER_WORDS.items()}
_NOT_CALENDAR_YEAR = frozenset(fold(w) for w in NOT_CALENDAR_YEAR)
_HIJRI_CONTEXT = frozenset(fold(w) for w in HIJRI_CONTEXT_BEFORE)
_DAY_SHIFT = {fold(k): v for k, v in DAY_SHIFT_WORDS.items()}
_REL = {fold(w): "past" for w in REL_PAST}
_REL.update({fold(w): "next" for w in REL_NEXT})
_REL.update({fold(w): "current" for w in REL_CURRENT})

S = r"[^\S\n]+"  # horizontal space: a date never runs across a line break
S0 = r"[^\S\n]*"
BL = r"(?<![^\W_])"  # stdlib re: [^\W_] is a letter or digit
BR = r"(?![^\W_])"
# Proclitics, left out of the span ("ومساء" -> "مساء"): matching also starts after them.
_CLITICS_2 = ("وب", "ول", "فب", "فل")
_CLITICS_1 = "وفبل"
_CLITIC_WORDS = frozenset(("و", "ف", "ب", "ل", *_CLITICS_2))


def _alt(words) -> str:
    """A non-capturing alternation of folded words, longest first, inner spaces flexible."""
    forms = sorted({fold(w) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(S.join(re.escape(p) for p in w.split()) for w in forms) + ")"


_MON = _alt(MONTHS) + BR
_WD = _alt(WEEKDAYS) + BR
_TODA = _alt(TIMES_OF_DAY) + BR
_QUALA = _alt(QUALIFIERS) + BR
_RELA = _alt(_REL) + BR
_PREVA = _alt(REL_PREVIOUS) + BR
_ORDA = _alt(ORDINALS) + BR
_DAY = r"(?<![\d.,+])(?:0?[1-9]|[12]\d|3[01])(?![\d:+%٪])(?!\.\d)"
_YEAR = rf"(?<![\d.,+])(?:1\d{{3}}|20\d{{2}})(?![\d%٪])(?!{S0}(?:ه|هجري){BR})"
# A clock time joined to a date by a separator or "الساعة" ("2 مارس 2020 / 21:06", "- 09:30 م")
# is the dateline's time, inside the span; one after a bare space ("الأربعاء 12 يونيو 2024
# 10:52", a page timestamp) is a clock time beside the date, outside it.
_TIME = (
    rf"(?:(?:{S0}[/|،,\-–—]{S0}(?:الساعه{S0})?|{S}الساعه{S0})(?P<time>(?:[01]?\d|2[0-3]):[0-5]\d)(?!\d)"
    rf"(?:{S0}(?P<ampm>ص|م|صباحا|مساء|مساءا)(?![^\W_]))?)?"
)


def _month(n: str) -> str:
    """A month name, optionally doubled in another system: "شباط/فبراير", "يناير(كانون ثاني)",
    "يناير كانون الثاني" (Reuters); a doubled name must name the same month."""
    return (
        rf"(?P<{n}>{_MON})(?:{S0}[/\\|]{S0}(?P<{n}b>{_MON})"
        rf"|{S0}\({S0}(?P<{n}c>{_MON}){S0}\)|{S}(?P<{n}d>{_MON}))?"
    )


def _dayx(n: str) -> str:
    """A day of the month as digits ("الـ 22", "٣") or as an ordinal word ("التاسع عشر")."""
    return rf"(?:(?:ال{S0})?(?P<{n}>{_DAY})|(?P<{n}o>{_ORDA}))"


def _yearpart(n: str) -> str:
    return (
        rf"{S0}[,،]?{S0}(?:من{S})?(?:(?:عام|العام|سنه|السنه){S0})?"
        rf"(?P<{n}>{_YEAR})(?:{S0}م{BR})?"
    )


def _yrelpart(n: str) -> str:
    return rf"{S}(?:من{S})?(?:العام|السنه){S}(?P<{n}>{_RELA})"


def _yanapart(n: str) -> str:
    """ "11 يوليو من ذلك العام": the year named last."""
    return (
        rf"(?P<{n}>{S}من{S}(?:ذلك{S}العام|تلك{S}السنه|العام{S}(?:ذاته|نفسه)"
        rf"|السنه{S}(?:ذاتها|نفسها)){BR})"
    )


def _rx(body: str) -> re.Pattern:
    """A pattern tried with .match at word starts (and after a proclitic) near an anchor."""
    return re.compile(fold(rf"(?P<x>{body})"), 0)


_DEICTIC_WORDS = (
    rf"(?:اول{S}(?:من{S})?امس|امس{S}الاول|قبل{S}(?:يوم{S})?امس|بعد{S}(?:غد|الغد)"
    rf"|(?:يوم{S})?(?:امس|الامس|غد|الغد)|اليوم|امس|الامس|البارحه|غدا|الغد)"
)
_P_DMY = _rx(
    rf"(?:(?P<tod>{_TODA}){S})?(?:{_DEICTIC_WORDS}{S0}[,،]?{S0})?(?:(?:يوم{S})?(?P<wd>{_WD}){S0}[,،]?{S0}"
    rf"(?:(?P<par>\(){S0})?(?:الموافق{S})?)?(?:يوم{S})?{_dayx('d')}{S0}(?:(?P<min>من){S}|[-/.]{S0})?"
    rf"(?:شهر{S})?{_month('m')}"
    rf"(?:{_yearpart('y')}|{_yrelpart('yr')}|{_yanapart('yana')})?(?:{S}(?P<rel>{_RELA}))?{_TIME}"
    rf"(?(par){S0}\))"
)
_P_MDY = _rx(
    rf"(?:(?:يوم{S})?(?P<wd>{_WD}){S0}[,،]?{S0})?{_month('m')}{S0}[-]?{S0}{_dayx('d')}"
    rf"(?:(?:{S0}[,،]{S0}|{S})(?P<y>{_YEAR}){_TIME}|(?={S0}(?:$|[.,،؛!؟\n)])))"
)
_P_MONTH = _rx(
    rf"(?:(?P<q>{_QUALA}){S}(?:من{S})?)?(?:(?P<this>هذا){S})?(?:(?P<sh>شهر){S})?{_month('m')}"
    rf"(?:{_yearpart('y')}|{_yrelpart('yr')}|{_yanapart('yana')}|{S}(?P<rel>{_RELA}))?"
)
_CONN = rf"{S0}(?:-|–|—|الي|حتي|لغايه|و){S0}"
_P_RANGE_D = _rx(
    rf"(?:(?P<pre>من|بين|ما{S}بين){S})?{_dayx('d1')}"
    rf"(?:{S0}(?:من{S})?{_month('ma')}(?:{_yearpart('ya')})?)?"
    rf"(?P<conn>{_CONN})(?:يوم{S})?{_dayx('d2')}{S0}(?:من{S})?(?:شهر{S})?{_month('mb')}"
    rf"(?:{_yearpart('yb')}|{_yrelpart('yr')})?(?:{S}(?P<rel>{_RELA}))?"
)
_P_RANGE_REL = _rx(
    rf"(?:(?P<pre>من|بين|ما{S}بين){S})?{_dayx('d1')}(?P<conn>{_CONN})(?:يوم{S})?{_dayx('d2')}{S}"
    rf"(?:(?:من|في){S})?(?:(?P<this>هذا{S}الشهر)|الشهر{S}(?P<rel>{_RELA}))"
)
_P_RANGE_M = _rx(
    rf"(?:من|بين|ما{S}بين){S}(?:شهر{S})?{_month('ma')}(?:{_yearpart('ya')})?"
    rf"{_CONN}(?:شهر{S})?{_month('mb')}(?:{_yearpart('yb')}|{S}(?P<rel>{_RELA}))?"
)
_P_RANGE_Y = _rx(
    rf"(?:(?P<pre>من|بين|ما{S}بين){S})?(?:(?P<kw>عامي|العامين|سنتي|عام|العام){S0})?"
    rf"(?P<y1>{_YEAR})(?P<conn>{_CONN}|{S0}/{S0})(?:(?:عام|العام){S0})?(?P<y2>{_YEAR})"
)
_P_YEAR = _rx(
    rf"(?:(?P<q>{_QUALA}){S}(?:من{S})?)?(?:(?P<kw>عام|العام|سنه|السنه){S0})?"
    rf"(?P<y>{_YEAR})(?:{S0}م{BR})?"
)
_P_WD = _rx(
    rf"(?:(?P<tod>{_TODA}){S})?(?:(?P<de>{_DEICTIC_WORDS}){BR}{S0})?(?:(?:يوم|ليله|ليل){S})?"
    rf"(?:(?P<w1>{_WD})|\({S0}(?P<w1p>{_WD}){S0}\))"
    rf"(?:(?P<conn>{S0}(?:-|–|—|/|الي|حتي)){S0}(?:يوم{S})?(?P<w2>{_WD}))?"
    rf"(?:{S}(?P<rel>{_RELA}))?"
)
_P_DEIC = _rx(
    rf"(?:(?P<tod>{_TODA}){S})?(?P<de>الليله(?:{S}(?:الماضيه|البارحه|الفائته))?"
    rf"|(?:ليله|ليل){S}(?:امس|البارحه)|{_DEICTIC_WORDS}){BR}"
)
_P_RELMY = _rx(
    rf"(?:(?P<q>{_QUALA}){S}(?:من{S})?)?(?:(?P<unit>الشهر|العام|السنه){S}"
    rf"(?:(?P<rel>{_RELA})|(?P<prev>{_PREVA})|(?P<bpast>قبل{S}{_alt(REL_PAST)}){BR}"
    rf"|(?P<same>ذاته|نفسه|ذاتها|نفسها){BR}"
    rf"(?:{S}(?:من{S})?(?:العام|السنه){S}(?:(?P<srel>{_RELA})|(?P<sprev>{_PREVA})))?)"
    rf"|(?P<this>هذا{S}الشهر|هذا{S}العام|هذه{S}السنه)|(?P<bare>الشهر|العام|السنه){BR})"
)
_P_ANA = _rx(
    rf"(?:يوم{S})?{_dayx('d')}{S0}(?:(?:من|في){S})?(?:(?:الشهر|شهر){S}"
    rf"(?P<ref>ذاته|نفسه|{_RELA})|هذا{S}الشهر|(?P<ref2>الجاري|الحالي){BR}|(?P<minh>منه){BR})"
)
_P_NUM = re.compile(
    rf"(?<![\d/.\-:+])(?P<x>(?:(?:يوم{S})?{_WD}{S0}[,،]?{S0})?(?P<a>\d{{1,4}}){S0}(?P<sep>[/.\-]){S0}(?P<b>\d{{1,2}}){S0}(?P=sep){S0}"
    rf"(?P<c>\d{{4}}|\d{{1,2}})(?![\d/.\-]?\d){_TIME})"
)
# A day of the month alone: "يوم 27", "في الـ27" (the month is the publication month's).
_P_BDAY = _rx(rf"(?:يوم{S}(?P<d>{_DAY})|ال{S0}(?P<d2>{_DAY}))(?!{S0}[/\-.]{S0}\d)")
# A day and month in digits without a year: "في 22/4", "يوم 3/11".
_P_DM = re.compile(
    rf"(?<![\d/.\-:+])(?P<x>(?:يوم{S})?(?P<a>\d{{1,2}}){S0}/{S0}(?P<b>\d{{1,2}})"
    rf"(?![\d/]|\.\d|{S0}[%٪])(?:{S}(?P<rel>{_RELA}))?)"
)


def _ago_amount_rx(singular: str) -> str:
    """A number and a unit of time ("ثلاثة أسابيع", "10 أيام"), a dual ("يومين") or a singular
    unit (one of `singular`, optionally "واحد") -- read back by _ago_amount."""
    return (
        rf"(?:(?P<n>\d{{1,3}}|{_alt(_NUMBER)}){S}(?P<unit>{_alt(_AGO_UNIT)})"
        rf"|(?P<dual>{_alt(_AGO_DUAL)})|(?P<one>{singular})(?:{S}{_alt(AGO_ONE)})?){BR}"
    )


# Ago-expressions: "قبل يومين", "منذ ثلاثة أسابيع", "قبل 10 أيام", "قبل شهر".
_P_AGO = _rx(rf"(?:قبل|منذ){S}{_ago_amount_rx('يوم|اسبوع|شهر|عام|سنه')}")
# The second part of a compound ago-expression: "منذ عام و3 أشهر", "منذ عامين وأربعة أشهر".
_P_AGO_MORE = re.compile(fold(rf"{S}و{S0}{_ago_amount_rx('يوم|اسبوع|شهر')}"))
# Hijri dates: "الجمعة 15 رمضان 1441هـ", "من 30 رمضان حتى 4 شوال", "غرة شوال".
_HM = _alt(_HIJRI_NUM) + BR
_P_HIJRI = _rx(
    rf"(?:(?P<pre>من|بين|ما{S}بين){S}(?:يوم{S})?{_dayx('h1')}(?:{S0}(?:من{S})?(?P<hm1>{_HM}))?"
    rf"{_CONN})?(?:(?:يوم{S})?(?P<wd>{_WD}){S0}[,،]?{S0})?(?:يوم{S})?{_dayx('h')}{S0}"
    rf"(?:(?P<min>من){S})?(?:شهر{S})?(?P<hm>{_HM})(?:{S0}[,،]?{S0}(?:(?:عام|سنه){S0})?"
    rf"(?P<hy>1[34]\d\d)(?!\d))?(?P<ah>{S0}(?:هجريه|هجري|للهجره|ه){BR})?"
)
_FUTURE = re.compile(
    fold(
        rf"{BL}(?:{_alt(FUTURE_CUES)}|[وف]?س[يتن]{_alt(FUTURE_STEMS)}[^\W\d_]*|ل[يت]{_alt(FUTURE_STEMS)}){BR}"
    ),
    0,
)
# A future-tense verb (س + a present-tense stem: "وستقيم", "سيعقد"): it governs its whole clause.
_FUTURE_VERB = re.compile(fold(rf"{BL}[وف]?س[يتن]{_alt(FUTURE_STEMS)}[^\W\d_]*{BR}"))
_CLAUSE_END = re.compile(r"[.!?؟\n،؛:]")
# A clause end that is not a decimal point or separator ("7,8 في المائة", "33.7%").
_CLAUSE_END_NUM = re.compile(r"[.,](?!\d)|[!?؟\n،؛:]")
_COMPARISON = frozenset(fold(w) for w in COMPARISON_WORDS)
_FROM_BEFORE = re.compile(fold(rf"{BL}{_alt(FROM_CUES)}{S}$"))
# "واقترحت تأجيله إلى 24 يناير", "مددت العمل به حتى": a postponed or extended date.
_POSTPONED_BEFORE = re.compile(
    fold(rf"{BL}[وف]?{_alt(POSTPONE_STEMS)}[^\W\d_]*(?:{S}[^\W_]+){{0,2}}{S}(?:الي|حتي){S}$")
)
_SENTENCE_END = re.compile(r"[.!?؟\n:]")
_PAST_AUX = frozenset(fold(w) for w in PAST_AUXILIARIES)
_WORD_AFTER = re.compile(r"[^\S\n]*([^\W_]+)")
_COMPARATIVE = re.compile(rf"{_alt(COMPARATIVES)}\s+(?:من\s+)?$")
_REFERENCE = frozenset(fold(w) for w in REFERENCE_NOUNS)
_QUANTITY = tuple(fold(w) for w in QUANTITY_NOUNS)
_TODAY_NOT_BEFORE = frozenset(fold(w) for w in TODAY_NOT_BEFORE)
_TODAY_NOT_AFTER = frozenset(fold(w) for w in TODAY_NOT_AFTER)
_YEAR_CONTEXT = frozenset(fold(w) for w in YEAR_CONTEXT)
_NAMED_DAYS = NAMED_DAYS
_NAME_NOUNS = frozenset(fold(w) for w in NAME_NOUNS)
_NAMED_DAY_NOUNS = frozenset(fold(w) for w in NAMED_DAY_NOUNS)
_EVENT_NOUNS = frozenset(fold(w) for w in EVENT_NOUNS)
_PERIOD_NOUNS = frozenset(fold(w) for w in PERIOD_NOUNS)
_DEICTIC_OFF = {fold(k): v for k, v in DEICTIC_OFFSETS.items()}
_PAST_CUES = frozenset(fold(w) for w in PAST_CUES)
_PERIOD_PREPS = frozenset(fold(w) for w in PERIOD_PREPOSITIONS)
_DEICTIC_NOUN_CONTEXT = frozenset(fold(w) for w in DEICTIC_NOUN_CONTEXT)
_NUMERIC_DATE_CONTEXT = frozenset(fold(w) for w in NUMERIC_DATE_CONTEXT)
_MINH_CONTEXT = frozenset(fold(w) for w in MINH_CONTEXT)
# After a bare day number, words that make it a count or a day of an event, not a date.
_NOT_AFTER_BARE_DAY = frozenset(fold(w) for w in NOT_AFTER_BARE_DAY)
# A present-tense verb of a planned event just before a bare weekday: "تعقد اللجنة الأحد".
_PLANNED_VERB = re.compile(fold(rf"[وف]?[يت]{_alt(FUTURE_STEMS)}"))


# --------------------------------------------------------------------------------------------
# Resolution helpers (pure functions of the publication date).


@lru_cache(maxsize=8192)
def _absolute(year: int, month: int, day: int) -> str | None:
    """ISO date of an explicit day-month-year, or None when it does not exist (31 February).

    Parsed by dateparser from a clean English string with one explicit format, so that the
    parse never looks at the clock (RELATIVE_BASE fixed to the date's own year).
    """
    if not 1 <= year <= 9999:
        return None
    parsed = dateparser.parse(
        f"{day} {EN_MONTHS[month - 1]} {year:04d}",
        languages=["en"],
        date_formats=["%d %B %Y"],
        settings={
            "RELATIVE_BASE": dt.datetime(year, 1, 1),
            "PREFER_DATES_FROM": "past",
            "PARSERS": ["custom-formats"],
        },
    )
    return parsed.date().isoformat() if parsed else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _infer_day(
    month: int, day: int, pub: dt.date, mode: str, weekday: int | None = None, strict: bool = True
) -> dt.date | None:
    """The year for a day and month the text gives without one (see module docstring). With a
    weekday ("يوم السبت 23 سبتمبر"), only the candidate years in which the date falls on that
    weekday; if the mode leaves none of them and the mode was only inferred from the context
    (not `strict`, i.e. not written as الماضي/المقبل), the nearest of them to publication."""
    cands = [d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _safe_date(y, month, day))]
    if mode == "current":
        return _safe_date(pub.year, month, day)
    if weekday is not None and (on_day := [d for d in cands if d.weekday() == weekday]):
        picked = _pick_day(on_day, pub, mode)
        if picked is None and not strict:
            picked = _pick_day(on_day, pub, "nearest")
        if picked is not None:
            return picked
    return _pick_day(cands, pub, mode)


def _pick_day(cands: list[dt.date], pub: dt.date, mode: str) -> dt.date | None:
    """Of the candidate days, the one the mode asks for (see _infer_day)."""
    if mode == "past":
        cands = [d for d in cands if d < pub]
        return max(cands) if cands else None
    if mode == "next":
        cands = [d for d in cands if d > pub]
        return min(cands) if cands else None
    if mode == "future":
        cands = [d for d in cands if d >= pub]
        return min(cands) if cands else None
    if mode == "notafter":
        cands = [d for d in cands if d <= pub]
        return max(cands) if cands else None
    return min(cands, key=lambda d: (abs((d - pub).days), d > pub)) if cands else None


def _infer_month(month: int, pub: dt.date, mode: str) -> tuple[int, int]:
    """The year for a month named without one: nearest, or strictly before/after publication."""
    here = pub.year * 12 + pub.month - 1
    offsets = [(y, y * 12 + month - 1 - here) for y in (pub.year - 1, pub.year, pub.year + 1)]
    if mode == "past":
        y = max((o for o in offsets if o[1] < 0), key=lambda o: o[1])[0]
    elif mode == "next":
        y = min((o for o in offsets if o[1] > 0), key=lambda o: o[1])[0]
    elif mode == "future":
        y = min((o for o in offsets if o[1] >= 0), key=lambda o: o[1])[0]
    elif mode == "current":
        y = pub.year
    elif mode == "notafter":
        y = max((o for o in offsets if o[1] <= 0), key=lambda o: o[1])[0]
    else:
        y = min(offsets, key=lambda o: (abs(o[1]), o[1] > 0))[0]
    return y, month


def _shift_month(pub: dt.date, delta: int) -> tuple[int, int]:
    idx = pub.year * 12 + pub.month - 1 + delta
    return idx // 12, idx % 12 + 1


def _weekday_date(wd: int, pub: dt.date, mode: str) -> dt.date:
    back = (pub.weekday() - wd) % 7
    if mode == "past":
        return pub - dt.timedelta(days=back or 7)
    if mode == "next":
        return pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7)
    if mode == "future":
        return pub + dt.timedelta(days=(wd - pub.weekday()) % 7)
    return pub - dt.timedelta(days=back)


_REL_DELTA = {"past": -1, "next": 1, "current": 0}


# --------------------------------------------------------------------------------------------
# Candidates.


@dataclass
class _Cand:
    """A match on the folded text, before overlaps are settled and offsets mapped back."""

    start: int
    end: int
    value: str | None
    until: str | None = None
    granularity: str = "day"
    kind: str = "absolute"
    qualifier: str | None = None
    time: str | None = None
    month_ref: tuple[int | None, int] | None = None  # a month the text names (for anaphora)
    anaphora: bool = False
    day: int = 0
    drop: bool = False  # blocks the span (a name such as "شارع 26 يوليو") and is not reported
    year_shift: int | None = None  # "الشهر نفسه من العام الماضي": the month named last, a year off
    needs_antecedent: bool = False  # "السادس منه": dropped when no month was named before it
    year_of_last: tuple[int, int] | None = None  # "11 يوليو من ذلك العام": (month, day or 0)
    previous: bool = False  # "الشهر السابق": before the month compared with, else publication's
    compared: bool = False  # in a comparison clause ("مقابل 7.8% في أبريل", "مقارنة بـ")


@dataclass
class _Ctx:
    folded: str
    text: str
    offsets: list[int]
    pub: dt.date | None
    min_year: int
    max_year: int

    def word_before(self, pos: int) -> str:
        """The word before `pos` on the same line (punctuation between is skipped)."""
        seg = self.folded[max(0, pos - 40) : pos]
        seg = seg[seg.rfind("\n") + 1 :]
        words = _WORD.findall(seg)
        if len(words) > 1 and seg.endswith(words[-1]) and words[-1] in _CLITIC_WORDS:
            words.pop()  # a match that starts after a proclitic: "و2020" -> the word before و
        return words[-1] if words else ""

    def after_clitic(self, pos: int) -> str:
        """The proclitic a match starts after ("و" for "و2020"), or ""."""
        i = pos
        while i > 0 and self.folded[i - 1] in _CLITICS_1 and pos - i < 2:
            i -= 1
        return self.folded[i:pos] if i == 0 or not self.folded[i - 1].isalnum() else ""

    def word_after(self, pos: int) -> str:
        m = _WORD_AFTER.match(self.folded, pos, pos + 40)
        return m.group(1) if m else ""

    def _clause(self, pos: int, ends: re.Pattern = _CLAUSE_END, reach: int = 70) -> str:
        window = self.folded[max(0, pos - reach) : pos]
        cut = [m.end() for m in ends.finditer(window)]
        return window[cut[-1] :] if cut else window

    def future_context(self, pos: int) -> bool:
        """A plan or future verb earlier in the same clause ("من المقرر أن يبدأ الأحد"); a plan
        told in the past ("وكان من المقرر أن يوقع في") is not one."""
        window = self._clause(pos)
        for cue in _FUTURE.finditer(window):
            if not _past_plan(window, cue.start()):
                return True
        if any(_PLANNED_VERB.fullmatch(w) for w in _WORD.findall(window)[-3:]):
            return True
        # a future-tense verb further back in the same clause ("وستقيم الهيئة ... عروضاً ...
        # في 13 مدينة ابتداءً من مساء الجمعة"): the clause is a plan
        wide = self._clause(pos, reach=160)
        return any(not _past_plan(wide, v.start()) for v in _FUTURE_VERB.finditer(wide))

    def past_plan(self, pos: int) -> bool:
        """ "وكان من المقرر أن ... في 1 أبريل": a plan told in the past, on either side of
        publication (it may have been postponed): the nearest date."""
        window = self._clause(pos)
        return any(_past_plan(window, cue.start()) for cue in _FUTURE.finditer(window))

    def past_context(self, pos: int, carry: bool = True) -> bool:
        """A past marker earlier in the same clause ("نهائي الموسم الماضي في 30 مايو",
        "وكانت الحكومة قد أعلنت في"); a past auxiliary carries over a comma to the end of the
        sentence ("وكانت الجلسات قد بدأت في 19 أغسطس، بعد ... في 11 أبريل"), other cues
        ("قال أمس، إن ...") do not."""
        if any(_strip_clitic(w) in _PAST_CUES for w in _WORD.findall(self._clause(pos))):
            return True
        if not carry:
            return False
        window = self._clause(pos, _SENTENCE_END, 160)
        return any(_strip_clitic(w) in _PAST_AUX for w in _WORD.findall(window))

    def mode(self, pos: int) -> str:
        """How to place a date given without its year: after publication in a plan context,
        the nearest for a plan told in the past, a starting point ("اعتبارا من يوليو") or a
        postponement ("تأجيله إلى 24 يناير"), not after publication after "منذ" or in a past
        context, else the nearest. "حتى" + a date (an end, often ahead) is past only by a cue
        in its own clause, not by a كان earlier in the sentence."""
        if self.future_context(pos):
            return "future"
        before = _strip_clitic(self.word_before(pos))
        if self.past_plan(pos):
            return "nearest"
        if before in ("من", "الي", "حتي"):
            head = self.folded[max(0, pos - 60) : pos]
            if (_FROM_BEFORE if before == "من" else _POSTPONED_BEFORE).search(head):
                return "nearest"
        if before == "منذ":
            return "notafter"
        return "notafter" if self.past_context(pos, carry=before != "حتي") else "nearest"

    def in_comparison(self, pos: int) -> bool:
        """Is `pos` in a comparison clause ("مقابل 7,8 في المائة في أبريل", "مقارنة بـ...")?"""
        clause = self._clause(pos, _CLAUSE_END_NUM)
        if not any(w in clause for w in _COMPARISON):
            return False
        return any(_strip_clitic(w) in _COMPARISON for w in _WORD.findall(clause))

    def year_ok(self, year: int) -> bool:
        return self.min_year <= year <= self.max_year


def _past_plan(window: str, cue_start: int) -> bool:
    """Is the plan cue at `cue_start` told in the past ("وكان من المقرر", "كانت مقررة")?"""
    words = _WORD.findall(window, max(0, cue_start - 12), cue_start)
    return bool(words) and _strip_clitic(words[-1]) in _PAST_AUX


def _strip_clitic(word: str) -> str:
    for clitic in ("وب", "ول", "و", "ف", "ب", "ل"):
        if word.startswith(clitic) and len(word) - len(clitic) >= 2:
            return word[len(clitic) :]
    return word


def _month_of(m: re.Match, n: str, ctx: _Ctx, strong: bool) -> int | None:
    """The month number of a month slot, or None when an ambiguous name has no date context.

    `strong` is True when the match itself supplies the context (a day, a year, شهر, ...).
    """
    names = [m.group(n)] + [m.group(n + s) for s in ("b", "c", "d")]
    nums = [_MONTH_NUM[" ".join(x.split())] for x in names if x]
    if len(nums) > 1 and nums[0] != nums[1]:
        return None  # "يناير/فبراير" is two months, not one
    first = " ".join(names[0].split())
    if first == "اب" and ctx.text[ctx.offsets[m.start(n)]] != "آ":
        return None  # أب "father"; the month is written with madda
    if first in AMBIGUOUS_MONTHS and not strong and len(nums) == 1:
        before = ctx.word_before(m.start("x"))
        if _strip_clitic(before) not in MONTH_CONTEXT_BEFORE:
            return None
    return nums[0]


def _day_of(m: re.Match, n: str) -> int:
    if m.group(n):
        return int(m.group(n))
    return _ORD[" ".join(m.group(n + "o").split())]


def _time_of(m: re.Match) -> str | None:
    gd = m.groupdict()
    if gd.get("time"):
        h, mi = gd["time"].split(":")
        hour = int(h)
        if gd.get("ampm") in ("م", "مساء", "مساءا") and hour < 12:
            hour += 12  # "09:30 م" is 21:30
        elif gd.get("ampm") in ("ص", "صباحا") and hour == 12:
            hour = 0
        return f"{hour:02d}:{mi}"
    if gd.get("tod"):
        return _TOD.get(gd["tod"])
    return None


def _word_start_before(folded: str, pos: int) -> int:
    """Where the word before `pos` starts (spaces between are skipped)."""
    while pos > 0 and folded[pos - 1] == " ":
        pos -= 1
    while pos > 0 and (folded[pos - 1].isalnum()):
        pos -= 1
    return pos


def _h_dmy(m: re.Match, ctx: _Ctx) -> _Cand | None:
    if m.group("do") and _strip_clitic(ctx.word_before(m.start("x"))) in _PERIOD_NOUNS:
        # "الأسبوع الأول من مايو": a week (no such granularity), not 1 May; block the span
        return _Cand(_word_start_before(ctx.folded, m.start("x")), m.end("x"), None, drop=True)
    cand = _h_dmy_date(m, ctx)
    if cand is None or not (m.group("wd") and m.group("do") and cand.value):
        return cand
    # "الثلاثاء الثاني من نوفمبر": the 2nd of November if it is a Tuesday, else the 2nd Tuesday
    wd, day = _WEEKDAY_NUM[m.group("wd")], dt.date.fromisoformat(cand.value)
    if day.weekday() != wd:
        first = day.replace(day=1)
        nth = first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (day.day - 1))
        if nth.month != day.month:
            return None
        cand.value = nth.isoformat()
    return cand


_LINE_CLOCK = re.compile(r"(?:\s+(?:[01]?\d|2[0-3]):[0-5]\d)?")
_YEARLY = re.compile(rf"{S}(?:من{S})?كل{S}(?:عام|سنه){BR}|{S}(?:سنويا|كل{S}عام){BR}")


def _h_dmy_date(m: re.Match, ctx: _Ctx) -> _Cand | None:
    if not m.group("wd") and _strip_clitic(ctx.word_before(m.start("x"))) in _NAME_NOUNS:
        return _Cand(m.start("x"), m.end("x"), None, drop=True)
    if not m.group("y") and _YEARLY.match(ctx.folded, m.end("x")):
        # "في الأول من كانون الثاني من كل عام": a yearly recurrence, not one day
        return _Cand(m.start("x"), m.end("x"), None, drop=True)
    if m.group("do") and m.group("do") not in _FIRST_DAY and not m.group("min"):
        return None  # "المؤتمر الثاني مارس...": an ordinal is a day only in "الثاني من مارس"
    day = _day_of(m, "d")
    month = _month_of(m, "m", ctx, strong=True)
    if month is None:
        return None
    rel = _REL.get(m.group("rel") or "")
    cand = _Cand(m.start("x"), m.end("x"), None, time=_time_of(m), qualifier=rel)
    if m.group("yana"):  # "11 يوليو من ذلك العام": the year named last
        if _safe_date(2000, month, day) is None:
            return None
        cand.kind, cand.anaphora, cand.year_of_last = "anaphora", True, (month, day)
        return cand
    if m.group("y"):
        year = int(m.group("y"))
        if not ctx.year_ok(year):
            return None
        cand.value = _absolute(year, month, day)
        if cand.value is None:
            return None
        cand.month_ref = (year, month)
        line_start = ctx.folded.rfind("\n", 0, cand.start) + 1
        line_end = ctx.folded.find("\n", cand.end)
        line = ctx.folded[line_start : line_end if line_end >= 0 else len(ctx.folded)]
        span = ctx.folded[cand.start : cand.end]
        rest = line.strip()[len(span) :] if line.strip().startswith(span) else None
        # the whole line, or the line but a clock time after it ("الأربعاء 12 يونيو 2024 10:52")
        dateline = rest is not None and _LINE_CLOCK.fullmatch(rest) is not None
        cand.kind = "dateline" if dateline else "absolute"
        return cand
    cand.kind = "relative"
    if _safe_date(2000, month, day) is None:  # 2000 is a leap year: 29 February exists
        return None
    if ctx.pub is None:
        cand.month_ref = (None, month)
        return cand
    if m.group("yr"):
        year = ctx.pub.year + _REL_DELTA[_REL[m.group("yr")]]
        d = _safe_date(year, month, day)
    else:
        named = _NAMED_DAYS.get((month, day))
        if named and _strip_clitic(ctx.word_before(m.start("x"))) in _NAMED_DAY_NOUNS:
            d = _safe_date(named, month, day)
        else:
            mode = rel or ctx.mode(m.start("x"))
            wd = _WEEKDAY_NUM[m.group("wd")] if m.group("wd") else None
            d = _infer_day(month, day, ctx.pub, mode, wd, strict=bool(rel))
    if d is None:
        return None
    cand.value = d.isoformat()
    cand.month_ref = (d.year, month)
    return cand


def _h_mdy(m: re.Match, ctx: _Ctx) -> _Cand | None:
    month = _month_of(m, "m", ctx, strong=True)
    if month is None:
        return None
    day = _day_of(m, "d")
    cand = _Cand(m.start("x"), m.end("x"), None, time=_time_of(m))
    if m.group("y"):
        year = int(m.group("y"))
        if not ctx.year_ok(year) or (value := _absolute(year, month, day)) is None:
            return None
        cand.value, cand.month_ref = value, (year, month)
        return cand
    cand.kind = "relative"
    if ctx.pub is not None:
        wd = _WEEKDAY_NUM[m.group("wd")] if m.group("wd") else None
        d = _infer_day(month, day, ctx.pub, ctx.mode(m.start("x")), wd, strict=False)
        if d is None:
            return None
        cand.value, cand.month_ref = d.isoformat(), (d.year, month)
    return cand


def _h_month(m: re.Match, ctx: _Ctx) -> _Cand | None:
    strong = any(m.group(g) for g in ("q", "sh", "y", "yr", "rel", "this"))
    month = _month_of(m, "m", ctx, strong=strong)
    if month is None:
        return None
    rel = _REL.get(m.group("rel") or "") or ("current" if m.group("this") else None)
    qual = _QUAL.get(m.group("q") or "")
    bare = not (m.group("y") or qual or m.group("sh"))
    if bare and _strip_clitic(ctx.word_before(m.start("x"))) in _EVENT_NOUNS:
        return _Cand(m.start("x"), m.end("x"), None, drop=True)
    cand = _Cand(m.start("x"), m.end("x"), None, granularity="month", qualifier=qual or rel)
    if m.group("yana"):
        cand.kind, cand.anaphora, cand.year_of_last = "anaphora", True, (month, 0)
        return cand
    if m.group("y"):
        year = int(m.group("y"))
        if not ctx.year_ok(year):
            return None
        cand.value, cand.month_ref = f"{year:04d}-{month:02d}", (year, month)
        return cand
    cand.kind = "relative"
    if ctx.pub is None:
        cand.month_ref = (None, month)
        return cand
    if m.group("yr"):
        year = ctx.pub.year + _REL_DELTA[_REL[m.group("yr")]]
    else:
        mode = rel or ctx.mode(m.start("x"))
        year, _ = _infer_month(month, ctx.pub, mode)
    cand.value, cand.month_ref = f"{year:04d}-{month:02d}", (year, month)
    return cand


def _h_range_d(m: re.Match, ctx: _Ctx) -> _Cand | None:
    d1, d2 = _day_of(m, "d1"), _day_of(m, "d2")
    mb = _month_of(m, "mb", ctx, strong=True)
    ma = _month_of(m, "ma", ctx, strong=True) if m.group("ma") else mb
    if ma is None or mb is None:
        return None
    conn = m.group("conn").strip()
    if conn == "و" and not m.group("pre") and m.group("ma"):
        return None  # "3 مارس و5 أبريل" are two dates, each found on its own
    start = m.start("x")
    if not m.group("pre") and conn in ("الي", "حتي") and not m.group("ma"):
        return None  # "عدت إلى 27": needs the month on both sides or a من/بين before
    cand = _Cand(start, m.end("x"), None, kind="range")
    rel = _REL.get(m.group("rel") or "")
    if m.group("yb"):
        yb = int(m.group("yb"))
        ya = int(m.group("ya")) if m.group("ya") else (yb if ma <= mb else yb - 1)
        if not (ctx.year_ok(ya) and ctx.year_ok(yb)):
            return None
        a, b = _absolute(ya, ma, d1), _absolute(yb, mb, d2)
        if a is None or b is None or a > b:
            return None
        cand.value, cand.until, cand.month_ref = a, b, (yb, mb)
        return cand
    if ctx.pub is None:
        if _safe_date(2000, ma, d1) is None or _safe_date(2000, mb, d2) is None:
            return None
        cand.month_ref = (None, mb)
        return cand
    if m.group("yr"):
        year = ctx.pub.year + _REL_DELTA[_REL[m.group("yr")]]
        da = _safe_date(year if ma <= mb else year - 1, ma, d1)
    else:
        mode = rel or ctx.mode(start)
        da = _infer_day(ma, d1, ctx.pub, mode)
    if da is None:
        return None
    db = _safe_date(da.year if mb >= ma else da.year + 1, mb, d2)
    if db is None or db < da:
        return None
    cand.value, cand.until, cand.month_ref = da.isoformat(), db.isoformat(), (db.year, mb)
    return cand


def _h_range_rel(m: re.Match, ctx: _Ctx) -> _Cand | None:
    """ "من 4 إلى 22 هذا الشهر", "بين 4 و8 الشهر المقبل": days of a month given relatively."""
    d1, d2 = _day_of(m, "d1"), _day_of(m, "d2")
    if d1 >= d2:
        return None
    cand = _Cand(m.start("x"), m.end("x"), None, kind="range")
    if ctx.pub is None:
        return cand
    rel = "current" if m.group("this") else _REL[m.group("rel")]
    y, mo = _shift_month(ctx.pub, _REL_DELTA[rel])
    a, b = _safe_date(y, mo, d1), _safe_date(y, mo, d2)
    if a is None or b is None:
        return None
    cand.value, cand.until, cand.month_ref = a.isoformat(), b.isoformat(), (y, mo)
    return cand


def _h_range_m(m: re.Match, ctx: _Ctx) -> _Cand | None:
    ma = _month_of(m, "ma", ctx, strong=True)
    mb = _month_of(m, "mb", ctx, strong=True)
    if ma is None or mb is None or (ma == mb and not m.group("ya")):
        return None
    cand = _Cand(m.start("x"), m.end("x"), None, granularity="month", kind="range")
    if m.group("yb"):
        yb = int(m.group("yb"))
        ya = int(m.group("ya")) if m.group("ya") else (yb if ma <= mb else yb - 1)
    elif ctx.pub is None:
        cand.month_ref = (None, mb)
        return cand
    else:
        rel = _REL.get(m.group("rel") or "") or "nearest"
        ya, _ = _infer_month(ma, ctx.pub, rel)
        yb = ya if mb >= ma else ya + 1
    if not (ctx.year_ok(ya) and ctx.year_ok(yb)) or (ya, ma) >= (yb, mb):
        return None
    cand.value, cand.until = f"{ya:04d}-{ma:02d}", f"{yb:04d}-{mb:02d}"
    cand.month_ref = (yb, mb)
    return cand


def _h_range_y(m: re.Match, ctx: _Ctx) -> _Cand | None:
    y1, y2 = int(m.group("y1")), int(m.group("y2"))
    conn = m.group("conn").strip()
    if conn == "/" and y2 != y1 + 1:
        return None  # "2024/2025" is a fiscal year or a season; other pairs are not years
    if conn == "و" and not (
        m.group("pre") in ("بين", "ما بين")
        or (m.group("kw") and ctx.word_before(m.start("x")) in _PERIOD_PREPS)
    ):
        return None  # "بعد عامي 1978 و1986": two years, each found on its own
    # "(1930 - 1986)" in parentheses is a life span, which may be longer than a period
    span = 110 if _in_parentheses(ctx.folded, m.start("x"), m.end("x")) else 50
    if not (ctx.year_ok(y1) and ctx.year_ok(y2)) or not y1 < y2 <= y1 + span:
        return None
    if ctx.word_before(m.start("x")) in _REFERENCE:
        return None
    return _Cand(
        m.start("x"), m.end("x"), f"{y1:04d}", f"{y2:04d}", granularity="year", kind="range"
    )


def _in_parentheses(folded: str, start: int, end: int) -> bool:
    """Is folded[start:end] alone in parentheses ("(1930 - 1986)")?"""
    return folded[max(0, start - 3) : start].rstrip(" ").endswith("(") and folded[
        end : end + 3
    ].lstrip(" ").startswith(")")


def _h_year(m: re.Match, ctx: _Ctx) -> _Cand | None:
    year = int(m.group("y"))
    if not ctx.year_ok(year):
        return None
    before = ctx.word_before(m.start("x"))
    if before in _REFERENCE:
        return None
    if not (m.group("kw") or m.group("q")):
        bare = before[1:] if before[:1] in ("و", "ف") and len(before) > 2 else before
        listed = ctx.after_clitic(m.start("x")) == "و" and before.isdigit() and len(before) == 4
        if bare not in _YEAR_CONTEXT and not listed and not _compared(ctx, m.start("x"), bare):
            return None  # "في 2019 و2020": the second year too; "مقارنة مع 2021" too
        if _COMPARATIVE.search(ctx.folded, max(0, m.start("x") - 30), m.start("x")):
            return None  # "أكثر من 2000": a quantity
        after = ctx.word_after(m.end("x"))
        if after.startswith(_QUANTITY) or (after and after[0].isdigit()):
            return None
    qual = _QUAL.get(m.group("q") or "")
    return _Cand(m.start("x"), m.end("x"), f"{year:04d}", granularity="year", qualifier=qual)


def _compared(ctx: _Ctx, start: int, before: str) -> bool:
    """ "مقارنة مع 2021", "مقارنة بـ2021", "بالمقارنة مع 2019": a year compared with."""
    if before == "مقارنه" or before == "بالمقارنه":
        return True
    if before != "مع":
        return False
    i = ctx.folded.rfind("مع", max(0, start - 12), start)
    return _strip_clitic(ctx.word_before(i)) in ("مقارنه", "المقارنه") if i >= 0 else False


def _deictic_offset(word: str) -> int | None:
    word = " ".join(word.split())
    return _DEICTIC_OFF.get(word[4:] if word.startswith("يوم ") else word)


def _today_is_noun(m: re.Match, ctx: _Ctx, group: str) -> bool:
    """ "اليوم العالمي", "ذلك اليوم", "غدا الوضع" (the verb "became"): not a deictic day."""
    word = m.group(group)
    if word in ("اليوم", "الليله"):
        return (
            ctx.word_after(m.end(group)) in _TODAY_NOT_BEFORE
            or ctx.word_before(m.start(group)) in _TODAY_NOT_AFTER
        )
    if word == "غدا":
        orig_end = ctx.offsets[m.end(group) - 1] + 1
        tanween = orig_end < len(ctx.text) and ctx.text[orig_end] in "\u064b\u064c\u064d"
        after = ctx.word_after(m.end(group))
        return not tanween and after.startswith("ال") and after not in _WEEKDAY_NUM
    return False


# A dateline "City - Outlet" alone on its line ("الجزائر - اليوم", "عمان - الغد"): the outlet's
# name, not a day.
_OUTLET_HEAD = re.compile(r"[^\S\n]*[^\W\d_]+(?:[^\S\n]+[^\W\d_]+){0,2}[^\S\n]*[-–—][^\S\n]*")
_OUTLET_END = re.compile(r"[^\S\n]*(?:\n|$)")


def _outlet_in_dateline(m: re.Match, ctx: _Ctx) -> bool:
    start, end = m.start("x"), m.end("x")
    line_start = ctx.folded.rfind("\n", 0, start) + 1
    return (
        _OUTLET_HEAD.fullmatch(ctx.folded, line_start, start) is not None
        and _OUTLET_END.match(ctx.folded, end) is not None
    )


def _h_deic(m: re.Match, ctx: _Ctx) -> _Cand | None:
    if _today_is_noun(m, ctx, "de"):
        return None
    if not m.group("tod") and _outlet_in_dateline(m, ctx):
        return None
    if m.group("de") in ("الغد", "الامس") and not m.group("tod"):
        # "في الغد", "بالأمس" are days; "عمان - الغد" (a newspaper), "جيل الغد" are not
        before = _strip_clitic(ctx.word_before(m.start("x")))
        if before not in _DEICTIC_NOUN_CONTEXT and ctx.after_clitic(m.start("x")) in ("", "و", "ف"):
            return None
    off = _deictic_offset(m.group("de"))
    if off is None:
        return None
    time = _time_of(m)
    if time is None and m.group("de").startswith(("الليله", "ليله", "ليل")):
        time = "night"
    value = (ctx.pub + dt.timedelta(days=off)).isoformat() if ctx.pub else None
    return _Cand(m.start("x"), m.end("x"), value, kind="relative", time=time)


def _h_wd(m: re.Match, ctx: _Ctx) -> _Cand | None:
    w1 = _WEEKDAY_NUM[m.group("w1") or m.group("w1p")]
    if m.group("w1p") and not m.group("de"):
        return None  # "(الجمعة)" alone is a gloss of a date given before it
    de = m.group("de")
    if de and _today_is_noun(m, ctx, "de"):
        return None
    if not (de or m.group("tod")) and ctx.word_before(m.start("x")) in ("بين", "كلا"):
        return None  # "بين الاثنين": "the two"
    if ctx.word_after(m.end("x")) == "عشر":
        return None  # "الأحد عشر": eleven
    rel = _REL.get(m.group("rel") or "")
    w2 = _WEEKDAY_NUM[m.group("w2")] if m.group("w2") else None
    cand = _Cand(m.start("x"), m.end("x"), None, kind="weekday", time=_time_of(m))
    if m.group("tod") == "ظهر" and not de and _verb_zahara(m, ctx):
        cand.start, cand.time = m.end("tod") + 1, None  # "وظهر الخميس في مؤتمر": "appeared"
        while ctx.folded[cand.start] == " ":
            cand.start += 1
    if rel in ("past", "next"):
        cand.qualifier = rel
    if w2 is not None:
        cand.kind = "range"
    if ctx.pub is None:
        return cand
    if de:
        off = _deictic_offset(de) or 0
        day = ctx.pub + dt.timedelta(days=off)
        if day.weekday() != w1:  # "فجر اليوم السبت" published on Sunday: the weekday wins
            day = _weekday_date(w1, ctx.pub, "nearest" if off <= 0 else "future")
        cand.kind = "relative"
    else:
        mode = rel if rel in ("past", "next") else None
        if mode is None:
            mode = "future" if ctx.future_context(m.start("x")) else "nearest"
        day = _weekday_date(w1, ctx.pub, mode)
    cand.value = day.isoformat()
    if w2 is not None:
        cand.until = (day + dt.timedelta(days=(w2 - w1) % 7 or 7)).isoformat()
    return cand


def _verb_zahara(m: re.Match, ctx: _Ctx) -> bool:
    """ "ظهر" opening a clause and followed by more words, not by punctuation, after the weekday
    is the verb "appeared" ("وظهر الخميس في مؤتمر صحفي"), not "noon"."""
    start = m.start("x") - len(ctx.after_clitic(m.start("x")))
    head = ctx.folded[max(0, start - 3) : start].rstrip(" ")
    if head and head[-1] not in ".!؟?\n:؛":
        return False
    tail = ctx.folded[m.end("x") : m.end("x") + 3].lstrip(" ")
    return bool(tail) and tail[0].isalpha()


def _h_relmy(m: re.Match, ctx: _Ctx) -> _Cand | None:
    qual = _QUAL.get(m.group("q") or "")
    if ctx.word_after(m.end("x")) in _NOT_CALENDAR_YEAR:
        return None  # "بداية العام المالي": a fiscal or school year, not the calendar year
    if m.group("bare"):
        if qual is None:
            return None
        unit, rel = m.group("bare"), "current"
    elif m.group("this"):
        unit, rel = m.group("this").split()[-1], "current"
    else:
        unit = m.group("unit")
        rel = "past" if m.group("prev") or m.group("bpast") else _REL.get(m.group("rel") or "")
    start = m.start("x")
    gran = "month" if unit == "الشهر" else "year"
    cand = _Cand(start, m.end("x"), None, granularity=gran, kind="relative", qualifier=qual or rel)
    if m.group("same"):  # "الشهر ذاته", "العام نفسه": the month or year named last
        cand.kind, cand.anaphora = "anaphora", True
        if m.group("srel") and gran == "month":  # "الشهر نفسه من العام الماضي"
            cand.year_shift = _REL_DELTA[_REL[m.group("srel")]]
        elif m.group("sprev") and gran == "month":  # "الشهر نفسه من العام السابق"
            cand.year_shift = -1
        return cand
    if m.group("prev"):  # "الشهر السابق": in a comparison, before the month compared with
        cand.previous = True
        cand.compared = ctx.in_comparison(start)
    if ctx.pub is None:
        return cand
    delta = -2 if m.group("bpast") else _REL_DELTA[rel]  # "العام قبل الماضي": two years back
    if gran == "month":
        y, mo = _shift_month(ctx.pub, delta)
        cand.value, cand.month_ref = f"{y:04d}-{mo:02d}", (y, mo)
    else:
        cand.value = f"{ctx.pub.year + delta:04d}"
    return cand


def _h_ana(m: re.Match, ctx: _Ctx) -> _Cand | None:
    day = _day_of(m, "d")
    ref = m.group("ref")
    cand = _Cand(m.start("x"), m.end("x"), None, kind="relative", day=day)
    if m.group("minh"):
        # "أرجئ إلى السادس منه": the 6th of the month just named; only after a preposition of
        # time ("الفصل السادس منه" is a part of something) and only with a month named before
        if _strip_clitic(ctx.word_before(m.start("x"))) not in _MINH_CONTEXT:
            return None
        cand.kind, cand.anaphora, cand.needs_antecedent = "anaphora", True, True
        return cand
    if ref in ("ذاته", "نفسه"):
        cand.kind, cand.anaphora = "anaphora", True
        return cand
    rel = _REL.get(ref or "", "current")
    if ctx.pub is None:
        return cand
    y, mo = _shift_month(ctx.pub, _REL_DELTA[rel])
    d = _safe_date(y, mo, day)
    if d is None:
        return None
    cand.value, cand.month_ref = d.isoformat(), (y, mo)
    return cand


def _h_num(m: re.Match, ctx: _Ctx) -> _Cand | None:
    a, b, c = m.group("a"), int(m.group("b")), m.group("c")
    if len(a) == 4 and len(c) <= 2:
        y, mo, d = int(a), b, int(c)
    elif len(c) == 4 and len(a) <= 2:
        y, mo, d = int(c), b, int(a)
        if mo > 12 and d <= 12:
            mo, d = d, mo
    elif len(c) == 2 and len(a) <= 2:  # "16/04/21": the century that is not in the future
        d, mo, y = int(a), b, 2000 + int(c)
        if y > ctx.max_year:
            y -= 100
    else:
        return None
    if not ctx.year_ok(y) or not 1 <= mo <= 12 or (value := _absolute(y, mo, d)) is None:
        return None
    return _Cand(m.start("x"), m.end("x"), value, month_ref=(y, mo))


def _near_month_day(day: int, pub: dt.date, future: bool) -> dt.date | None:
    """The day `day` of the month before, of, or after publication: the nearest one (on or
    after publication in a plan context)."""
    cands = [d for k in (-1, 0, 1) if (d := _safe_date(*_shift_month(pub, k), day))]
    if future:
        cands = [d for d in cands if d >= pub]
        return min(cands) if cands else None
    return min(cands, key=lambda d: (abs((d - pub).days), d > pub)) if cands else None


def _h_bday(m: re.Match, ctx: _Ctx) -> _Cand | None:
    """ "يوم 27", "في الـ27": a day of the month near publication. Only after يوم (or في الـ
    at the end of a clause), and not when a noun makes it a count ("يوم 27 من الإضراب")."""
    day = int(m.group("d") or m.group("d2"))
    after = ctx.word_after(m.end("x"))
    if after in _NOT_AFTER_BARE_DAY or after.startswith(_QUANTITY) or after[:1].isdigit():
        return None
    if m.group("d2") is not None:
        if _strip_clitic(ctx.word_before(m.start("x"))) not in ("في", "حتي", "منذ"):
            return None
        tail = ctx.folded[m.end("x") : m.end("x") + 3].lstrip(" ")
        if tail and tail[0] not in ".,،؛!؟)\n":
            return None
    cand = _Cand(m.start("x"), m.end("x"), None, kind="relative", day=day)
    if ctx.pub is None:
        return cand
    d = _near_month_day(day, ctx.pub, ctx.future_context(m.start("x")))
    if d is None:
        return None
    cand.value, cand.month_ref = d.isoformat(), (d.year, d.month)
    return cand


def _h_dm(m: re.Match, ctx: _Ctx) -> _Cand | None:
    """ "في 22/4": a day/month in digits without a year, only with a date context before."""
    day, month = int(m.group("a")), int(m.group("b"))
    start = m.start("x")
    if not m.group("x").startswith("يوم"):
        if _strip_clitic(ctx.word_before(start)) not in _NUMERIC_DATE_CONTEXT:
            return None
        if _COMPARATIVE.search(ctx.folded, max(0, start - 30), start):
            return None
    if not 1 <= month <= 12 or _safe_date(2000, month, day) is None:
        return None
    after = ctx.word_after(m.end("x"))
    if after == "من" or (
        after.startswith("ال") and after not in _REL and after not in _WEEKDAY_NUM
    ):
        return None  # "في 3/4 من الحالات", "في 3/4 المباريات": a fraction
    cand = _Cand(start, m.end("x"), None, kind="relative")
    if ctx.pub is None:
        cand.month_ref = (None, month)
        return cand
    d = _infer_day(month, day, ctx.pub, _REL.get(m.group("rel") or "") or ctx.mode(start))
    if d is None:
        return None
    cand.value, cand.month_ref = d.isoformat(), (d.year, month)
    return cand


def _ago_amount(m: re.Match) -> tuple[int, str]:
    """The number and unit of an ago-expression (or of its second part)."""
    if m.group("n"):
        n = int(m.group("n")) if m.group("n").isdigit() else _NUMBER[m.group("n")]
        return n, _AGO_UNIT[m.group("unit")]
    if m.group("dual"):
        return 2, _AGO_DUAL[m.group("dual")]
    return 1, _AGO_UNIT[m.group("one")]


_AGO_ORDER = {"year": 0, "month": 1, "week": 2, "day": 3}


def _h_ago(m: re.Match, ctx: _Ctx) -> _Cand | None:
    """ "قبل يومين", "منذ ثلاثة أسابيع", "منذ 36 عاما": counted back from publication; days and
    weeks give a day, months a month, years a year; a compound ("منذ عام و3 أشهر") counts back
    the sum, at its smaller unit. Not when anchored to an event ("قبل يومين من الانتخابات"), a
    half ("منذ عام ونصف"), or a singular unit naming something ("قبل شهر رمضان", "قبل عام
    2011")."""
    end = m.end("x")
    n, unit = _ago_amount(m)
    parts = [(n, unit)]
    more = _P_AGO_MORE.match(ctx.folded, end)
    if more is not None:
        n2, unit2 = _ago_amount(more)
        if _AGO_ORDER[unit2] <= _AGO_ORDER[unit]:
            return None  # "منذ شهر وعام": not a compound of a larger and a smaller unit
        parts.append((n2, unit2))
        end = more.end()
    after = ctx.word_after(end)
    if after in ("من", "علي", "ونصف", "ونيف", "تقريبا", "ونحو") and not (
        after == "من" and ctx.word_after(end + 3) == "الان"
    ):
        return None
    if after[:1] == "و" and (after[1:] in _NUMBER or after[1:2].isdigit()):
        return None  # "منذ عامين وثلاثة أيام وساعتين": not a compound of two
    if (
        more is None
        and m.group("one")
        and (
            after[:1].isdigit()
            or after in _MONTH_FIRST
            or after in _WEEKDAY_NUM
            or after in _HIJRI_FIRST
            or after in ("امس", "الغد", "غد")
            or after.startswith("ال")
        )
    ):
        # "قبل عام 2011", "منذ شهر رمضان", "قبل يوم الانتخابات", "منذ يوم التأسيس": the unit
        # names a day, month or year, it does not count one
        return None
    if n == 0 or (unit == "day" and n > 400) or (unit == "week" and n > 60):
        return None
    finest = parts[-1][1]
    gran = {"day": "day", "week": "day", "month": "month", "year": "year"}[finest]
    cand = _Cand(m.start("x"), end, None, granularity=gran, kind="relative", qualifier="ago")
    if ctx.pub is None:
        return cand
    months = sum(k * (12 if u == "year" else 1) for k, u in parts if u in ("year", "month"))
    days = sum(k * (7 if u == "week" else 1) for k, u in parts if u in ("week", "day"))
    y, mo = _shift_month(ctx.pub, -months)
    if not ctx.year_ok(y):
        return None
    if gran == "day":
        base = dt.date(y, mo, min(ctx.pub.day, calendar.monthrange(y, mo)[1]))
        cand.value = (base - dt.timedelta(days=days)).isoformat()
    elif gran == "month":
        cand.value = f"{y:04d}-{mo:02d}"
    else:
        cand.value = f"{y:04d}"
    return cand


@lru_cache(maxsize=4096)
def _hijri_date(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian day of a Hijri date (Umm al-Qura), or None outside the calendar's range
    or for a day the month does not have."""
    if Hijri is None:
        return None
    try:
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None


def _hijri_year_of(day: dt.date) -> int | None:
    if Gregorian is None:
        return None
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri().year
    except (ValueError, OverflowError):
        return None


def _h_hijri(m: re.Match, ctx: _Ctx) -> _Cand | None:
    """ "15 رمضان 1441هـ", "الجمعة 15 رمضان 1441هـ", "من 30 رمضان حتى 4 شوال", "5 شوال":
    a Hijri day converted to its Gregorian day. Hijri month names are also names and words
    (رمضان, رجب, صفر): a Hijri year, هـ, a weekday, a range or a preposition of time is needed."""
    strong = m.group("hy") or m.group("ah") or m.group("wd") or m.group("pre")
    if not strong and _strip_clitic(ctx.word_before(m.start("x"))) not in _HIJRI_CONTEXT:
        return None
    for g in ("h", "h1"):
        if m.group(g + "o") and m.group(g + "o") not in _FIRST_DAY and not m.group("min"):
            return None  # an ordinal is a day in "الخامس من رمضان", "غرة شوال"
    day, month = _day_of(m, "h"), _HIJRI_NUM[" ".join(m.group("hm").split())]
    ranged = m.group("pre") is not None
    if (month, day) == (9, 10) and m.group("ho") and not (m.group("hy") or m.group("ah")):
        # "العاشر من رمضان": an Egyptian city and the October 1973 war, named by the day
        return _Cand(m.start("x"), m.end("x"), None, drop=True)
    d1 = _day_of(m, "h1") if ranged else day
    m1 = _HIJRI_NUM[" ".join(m.group("hm1").split())] if m.group("hm1") else month
    kind = "range" if ranged else "absolute"
    cand = _Cand(m.start("x"), m.end("x"), None, kind=kind)
    if m.group("hy"):
        hy = int(m.group("hy"))
        start = _hijri_date(hy if m1 <= month else hy - 1, m1, d1)
    else:
        cand.kind = "range" if ranged else "relative"
        if ctx.pub is None:
            return cand
        hy = _hijri_year_of(ctx.pub)
        if hy is None:
            return None
        cands = [d for y in (hy - 1, hy, hy + 1) if (d := _hijri_date(y, m1, d1))]
        start = _pick_day(cands, ctx.pub, ctx.mode(m.start("x")))
    if start is None or not ctx.year_ok(start.year):
        return None
    if ranged:
        shy = _hijri_year_of(start)
        ends = [d for y in (shy, (shy or 0) + 1) if shy and (d := _hijri_date(y, month, day))]
        ends = [d for d in ends if d > start]
        if not ends or (min(ends) - start).days > 366:
            return None
        cand.until = min(ends).isoformat()
    elif m.group("wd") and start.weekday() != _WEEKDAY_NUM[m.group("wd")]:
        # Hijri months begin with a sighting that differs by a day from country to country:
        # the weekday decides within a day of Umm al-Qura; further off, the date is not used
        near = [start + dt.timedelta(days=k) for k in (-1, 1)]
        near = [d for d in near if d.weekday() == _WEEKDAY_NUM[m.group("wd")]]
        if not near:
            return _Cand(cand.start, cand.end, None, drop=True)
        start = near[0]
    cand.value = start.isoformat()
    return cand


_Handler = Callable[[re.Match, _Ctx], "_Cand | None"]
_DMY, _MDY, _MONTH_P, _RANGE_D, _RANGE_M, _RANGE_Y = (
    (_P_DMY, _h_dmy),
    (_P_MDY, _h_mdy),
    (_P_MONTH, _h_month),
    (_P_RANGE_D, _h_range_d),
    (_P_RANGE_M, _h_range_m),
    (_P_RANGE_Y, _h_range_y),
)
_YEAR_P, _WD_P, _DEIC, _RELMY, _ANA, _NUM = (
    (_P_YEAR, _h_year),
    (_P_WD, _h_wd),
    (_P_DEIC, _h_deic),
    (_P_RELMY, _h_relmy),
    (_P_ANA, _h_ana),
    (_P_NUM, _h_num),
)
_RANGE_REL = (_P_RANGE_REL, _h_range_rel)
_BDAY, _DM = (_P_BDAY, _h_bday), (_P_DM, _h_dm)
_AGO, _HIJRI = (_P_AGO, _h_ago), (_P_HIJRI, _h_hijri)
_DIGIT_PATTERNS = (_DMY, _RANGE_D, _RANGE_REL, _RANGE_Y, _YEAR_P, _ANA, _NUM, _DM, _HIJRI)


def _dispatch() -> dict[str, tuple[tuple[re.Pattern, _Handler], ...]]:
    """Which patterns can open with a given word, so each start tries only those."""
    table: dict[str, list] = {}

    def add(words, *patterns) -> None:
        for w in words:
            bucket = table.setdefault(w, [])
            bucket.extend(p for p in patterns if p not in bucket)

    add({w.split()[0] for w in _MONTH_NUM}, _MDY, _MONTH_P)
    add(_WEEKDAY_NUM, _DMY, _MDY, _WD_P, _NUM, _HIJRI)
    add(["اليوم", "امس", "الامس", "البارحه", "غدا", "الغد"], _DMY, _WD_P, _DEIC)
    add(_TOD, _DMY, _WD_P, _DEIC)
    add(_QUAL, _MONTH_P, _YEAR_P, _RELMY)
    add(["يوم"], _DMY, _MDY, _WD_P, _ANA, _DEIC, _NUM, _BDAY, _DM, _HIJRI)
    add(["ليله", "ليل", "الليله", "اول", "قبل", "بعد"], _WD_P, _DEIC, _DMY)
    add(["قبل", "منذ"], _AGO)
    add(["من", "بين", "ما"], _RANGE_D, _RANGE_REL, _RANGE_M, _RANGE_Y, _HIJRI)
    add(["شهر"], _MONTH_P)
    add(["عام", "العام", "سنه", "السنه", "عامي", "العامين", "سنتي"], _YEAR_P, _RANGE_Y, _RELMY)
    add(["الشهر", "هذا", "هذه"], _RELMY, _MONTH_P)
    add(["ال"], _DMY, _RANGE_D, _RANGE_REL, _ANA, _BDAY, _HIJRI)
    add({w.split()[0] for w in _ORD}, _DMY, _RANGE_D, _RANGE_REL, _ANA, _HIJRI)
    return {w: tuple(ps) for w, ps in table.items()}


_DISPATCH = _dispatch()
# Without a Hijri month name in the text (most texts), the Hijri pattern is not tried at all.
_DISPATCH_GREGORIAN = {w: tuple(p for p in ps if p is not _HIJRI) for w, ps in _DISPATCH.items()}
_DIGIT_PATTERNS_GREGORIAN = tuple(p for p in _DIGIT_PATTERNS if p is not _HIJRI)
_FOLD_CODEPOINTS = [*range(0x0800), *range(0x2000, 0x2070), 0xFEFF]
_FOLD_TABLE = {
    cp: fold_char(chr(cp)) or None for cp in _FOLD_CODEPOINTS if fold_char(chr(cp)) != chr(cp)
}
_DROPPED = frozenset(chr(cp) for cp in _FOLD_CODEPOINTS if not fold_char(chr(cp)))
_FOLD_STR = {chr(cp): v or "" for cp, v in _FOLD_TABLE.items()}
# The stdlib re is ~3x faster than str.translate with a dict table on Arabic text.
_FOLD_RX = re.compile("[" + "".join(re.escape(c) for c in _FOLD_STR) + "]")

# Every expression contains an anchor word (or a number); matching is only tried at anchors
# and at the words that may open an expression before them (a qualifier, يوم, من, an ordinal).
_HIJRI_FIRST = frozenset(w.split()[0] for w in _HIJRI_NUM)
# "رمضان", "ربيع", "جمادي", and for ذو/ذي "القعده", "الحجه" ("الاول" would be far too common)
_HIJRI_ANCHORS = frozenset(
    w.split()[-1] if w.split()[0] in ("ذو", "ذي") else w.split()[0] for w in _HIJRI_NUM
)
_ANCHOR_WORDS = frozenset(
    [w.split()[0] for w in _MONTH_NUM]
    + list(_WEEKDAY_NUM)
    + [fold(w) for w in ANCHOR_WORDS]
    + list(_HIJRI_ANCHORS)
    + list(_AGO_DUAL)
    + [w for w in _AGO_UNIT if len(w) > 3]  # "منذ ثلاث سنوات" ("قبل شهر": _ANCHOR_RX)
)
_MONTH_FIRST = frozenset(w.split()[0] for w in _MONTH_NUM)
_HIJRI_ANY = re.compile(
    r"(?<![^\W_])[وفبل]?(?:" + "|".join(sorted(_HIJRI_ANCHORS)) + r")(?![^\W_])"
)
_PREFIX_WORDS = (
    frozenset(
        list(_TOD)
        + list(_QUAL)
        + [t for w in _ORD for t in w.split()]
        + [fold(w) for w in OPENING_WORDS]
        + list(_NUMBER)
        + [t for w in _HIJRI_NUM for t in w.split()]
    )
    | _ANCHOR_WORDS
)
_ANCHOR_RX = re.compile(
    r"(?<![^\W_])(?:وب|ول|فب|فل|[وفبل])?(?:"
    + "|".join(sorted(_ANCHOR_WORDS, key=len, reverse=True))
    # a short unit is an anchor only after قبل/منذ: "يوم", "عام" alone are too common
    + r"|(?:قبل|منذ)[^\S\n]+(?:"
    + "|".join(w for w in _AGO_UNIT if len(w) <= 3)
    + r"))(?![^\W_])|\d+"
)
_WORD = re.compile(r"[^\W_]+")  # stdlib re: letters and digits, ~2x faster than regex here
_WORDS_BEFORE_ANCHOR = 7  # "بين الخامس عشر والتاسع عشر من نوفمبر": 6 words before the month
_DROP_RX = re.compile("[" + "".join(re.escape(c) for c in sorted(_DROPPED)) + "]")


# --------------------------------------------------------------------------------------------
# Public API.


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Temporal expressions of `text`, in text order, non-overlapping, resolved against
    `published` (never against today's date); see the module docstring for the rules."""
    if not text:
        return []
    if isinstance(published, dt.datetime):
        published = published.date()
    folded, offsets = _fold(text)
    starts = _start_positions(folded)
    if not starts:
        return []
    found = _find(text, folded, offsets, starts, published)
    told = _story_day(found, text, published)
    if told is not None:  # a wire story dated before publication is told on its dateline's day
        found = _find(text, folded, offsets, starts, told)
    return found


def _story_day(found: list[DateMention], text: str, published: dt.date | None) -> dt.date | None:
    """The day of a dateline that opens the text ("الخرطوم 17 أغسطس 2019 -", "الكويت - 7 - 6
    (كونا)") when it is a few days before publication, else None.

    A dateline writes its date in figures: a weekday or a relative day after a few words is a
    sentence ("أعلن المجلس الخميس (أمس) أنه..."), whose "yesterday" is the publication's.
    """
    if published is None or not found or found[0].value is None or found[0].until is not None:
        return None
    first = found[0]
    if first.granularity != "day" or not _DATELINE_HEAD.fullmatch(text, 0, first.start):
        return None
    if not any(ch.isdigit() for ch in text[first.start : first.end]):
        return None
    if not _DATELINE_TAIL.match(text, first.end):
        return None
    day = dt.date.fromisoformat(first.value)
    return day if 1 <= (published - day).days <= 7 else None


# A dateline: a place of one to three words (and a dash) before the date, a dash or the
# agency in parentheses after it.
_DATELINE_HEAD = re.compile(
    r"[^\S\n]*(?:[^\W\d_]+[^\S\n]+){0,2}[^\W\d_]+[^\S\n]*(?:[-–—][^\S\n]*)?"
)
_DATELINE_TAIL = re.compile(r"[^\S\n]*[-–—(/]")
# KUNA's dateline "الكويت - 7 - 6 (كونا) --": day - month of the publication year.
_DATELINE_DM = re.compile(
    rf"{S0}(?:[^\W\d_]+{S}){{0,2}}[^\W\d_]+{S0}[-–—]{S0}"
    rf"(?P<x>(?P<d>\d{{1,2}}){S0}[-/]{S0}(?P<m>\d{{1,2}})){S0}\({S0}[^\W\d_]+{S0}\)"
)


def _dateline_dm(ctx: _Ctx) -> _Cand | None:
    m = _DATELINE_DM.match(ctx.folded)
    if m is None or not 1 <= int(m.group("m")) <= 12:
        return None
    day, month = int(m.group("d")), int(m.group("m"))
    if _safe_date(2000, month, day) is None:
        return None
    cand = _Cand(m.start("x"), m.end("x"), None, kind="dateline")
    if ctx.pub is not None:
        d = _infer_day(month, day, ctx.pub, "nearest")
        if d is None:
            return None
        cand.value, cand.month_ref = d.isoformat(), (d.year, month)
    return cand


def _find(
    text: str, folded: str, offsets: list[int], starts: list[int], published: dt.date | None
) -> list[DateMention]:
    if published is not None:
        lo, hi = published.year - 100, published.year + 10
    else:
        lo, hi = 1800, 2100
    ctx = _Ctx(folded, text, offsets, published, lo, hi)
    if _HIJRI_ANY.search(folded):
        dispatch, digit_patterns = _DISPATCH, _DIGIT_PATTERNS
    else:
        dispatch, digit_patterns = _DISPATCH_GREGORIAN, _DIGIT_PATTERNS_GREGORIAN
    cands: list[_Cand] = []
    if folded[:1].isalpha() and (dateline := _dateline_dm(ctx)) is not None:
        cands.append(dateline)
    for start in starts:
        head = _WORD.match(folded, start)
        word = head.group() if head else ""
        if word[:1].isdigit():
            patterns = digit_patterns
        elif word[:2] == "ال" and word[2:3].isdigit():
            patterns = dispatch["ال"]
        else:
            patterns = dispatch.get(word, ())
        for pattern, handler in patterns:
            m = pattern.match(folded, start)
            if m is not None:
                cand = handler(m, ctx)
                if cand is not None and cand.end > cand.start:
                    cands.append(cand)
    chosen: list[_Cand] = []
    taken: list[tuple[int, int]] = []
    for cand in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        if all(cand.end <= s or cand.start >= e for s, e in taken):
            chosen.append(cand)
            taken.append((cand.start, cand.end))
    chosen = sorted((c for c in chosen if not c.drop), key=lambda c: c.start)
    for cand in chosen:
        if cand.month_ref is not None and not cand.anaphora:
            cand.compared = ctx.in_comparison(cand.start)
    _resolve_anaphora(chosen, published)
    for cand in chosen:
        if cand.granularity == "day" and cand.until is None:
            _day_shift(cand, folded)
    return [_to_mention(c, text, offsets) for c in chosen if not c.drop]


_SHIFT_BEFORE = re.compile(r"(?<![^\W_])[وف]?(" + "|".join(_DAY_SHIFT) + r")[^\S\n]+$")


def _day_shift(cand: _Cand, folded: str) -> None:
    """ "غداة 10 تشرين الأول" is the day after, "عشية 25 يناير" the day before: the word joins
    the span and moves the day ("غداة الاجتماع", with no date after it, is not a date)."""
    m = _SHIFT_BEFORE.search(folded, max(0, cand.start - 12), cand.start)
    if m is None:
        return
    cand.start = m.start(1)
    cand.qualifier = "day after" if _DAY_SHIFT[m.group(1)] > 0 else "day before"
    cand.kind = "relative"
    if cand.value:
        day = dt.date.fromisoformat(cand.value) + dt.timedelta(days=_DAY_SHIFT[m.group(1)])
        cand.value = day.isoformat()


def _start_positions(folded: str) -> list[int]:
    """Where to try the patterns: anchor words and the opening words before them.

    Trying the patterns only there (instead of scanning the whole text with each) is what
    makes the engine fast: an expression always starts at a word (or after و/ف/ب/ل) and always
    contains an anchor within a few opening words of its start. The words before an anchor are
    listed from a short window first (the walk back usually stops after a word or two), and
    from the full one only when the walk reaches the start of the short one.
    """
    wanted: set[int] = set()
    for anchor in _ANCHOR_RX.finditer(folded):
        for reach in (_SHORT_REACH, _REACH):
            lo = max(0, anchor.start() - reach)
            words = [(m.start(), m.group()) for m in _WORD.finditer(folded, lo, anchor.end())]
            if lo > 0 and words and words[0][0] == lo:
                words = words[1:]  # may be the tail of a longer word
            found, exhausted = _walk_back(words)
            if not exhausted or lo == 0 or reach == _REACH:
                wanted.update(found)
                break
    return sorted(wanted)


_REACH = 90  # characters before an anchor where its opening words may start
_SHORT_REACH = 30


def _walk_back(words: list[tuple[int, str]]) -> tuple[list[int], bool]:
    """The start positions among the words before an anchor (the last word), walking back
    over opening words; and whether the walk looked at the first word listed."""
    wanted: list[int] = []
    j = len(words) - 1
    while j >= 0 and len(words) - 1 - j <= _WORDS_BEFORE_ANCHOR:
        w_start, w = words[j]
        if w in _PREFIX_WORDS or w[0].isdigit() or (w[:2] == "ال" and w[2:3].isdigit()):
            wanted.append(w_start)
        if len(w) > 1 and w[0] in _CLITICS_1:
            if w[1:] in _PREFIX_WORDS or w[1].isdigit() or (w[1:3] == "ال" and w[3:4].isdigit()):
                wanted.append(w_start + 1)
            if len(w) > 3 and w[:2] in _CLITICS_2 and (w[2:] in _PREFIX_WORDS or w[2].isdigit()):
                wanted.append(w_start + 2)
        j -= 1
        if j < 0 or not _in(words[j][1], _PREFIX_WORDS):
            break
    return wanted, j <= 0


def _in(word: str, table: frozenset[str]) -> bool:
    """Is the word, or the word without a proclitic, in `table`? Numbers always are."""
    if word[0].isdigit() or word[-1].isdigit() or word in table:
        return True
    if len(word) > 2 and word[0] in _CLITICS_1:
        if word[1:] in table:
            return True
        return len(word) > 3 and word[:2] in _CLITICS_2 and word[2:] in table
    return False


def _fold(text: str) -> tuple[str, list[int]]:
    """generator/arabic.normalize_with_map, computed with str.translate (same result, faster).

    The table is derived from arabic.fold_char itself, so the two cannot drift apart; when
    casefolding changes the length (a rare Latin letter), the reference implementation is used.
    """
    kept: list[int] = []
    last = 0
    for m in _DROP_RX.finditer(text):
        kept.extend(range(last, m.start()))
        last = m.end()
    kept.extend(range(last, len(text)))
    folded = _FOLD_RX.sub(lambda m: _FOLD_STR[m.group()], text).casefold()
    if len(folded) != len(kept):
        return normalize_with_map(text)
    kept.append(len(text))
    return folded, kept


def _resolve_anaphora(chosen: list[_Cand], pub: dt.date | None) -> None:
    """ "18 من الشهر ذاته", "الشهر نفسه", "العام ذاته": the month (or year) named last before
    it in the text, else the publication month (or year)."""
    last: tuple[int | None, int] | None = None
    last_year: int | None = None
    last_end = 0
    for cand in chosen:
        if cand.year_of_last is not None:  # "11 يوليو من ذلك العام"
            year = last_year if last_year is not None else (pub.year if pub else None)
            month, day = cand.year_of_last
            if year is not None and day:
                d = _safe_date(year, month, day)
                cand.value = d.isoformat() if d else None
            elif year is not None:
                cand.value = f"{year:04d}-{month:02d}"
            last, last_end = (year, month), cand.end
            continue
        if cand.anaphora:
            if cand.granularity == "year":
                year = last_year if last_year is not None else (pub.year if pub else None)
                cand.value = f"{year:04d}" if year is not None else None
                continue
            if cand.needs_antecedent and (last is None or cand.start - last_end > 250):
                cand.drop = True
                continue
            ref = last or ((pub.year, pub.month) if pub else None)
            if ref and ref[0] is not None and cand.year_shift is not None:
                ref = (ref[0] + cand.year_shift, ref[1])
            if ref and ref[0] is not None:
                if cand.granularity == "month":
                    cand.value = f"{ref[0]:04d}-{ref[1]:02d}"
                else:
                    d = _safe_date(ref[0], ref[1], cand.day)
                    cand.value = d.isoformat() if d else None
            cand.month_ref = ref
        elif cand.previous:
            _resolve_previous(cand, last, last_year, last_end)
        elif cand.month_ref is not None and not cand.compared:
            last, last_end = cand.month_ref, cand.end
        if cand.value and cand.kind in ("absolute", "dateline", "range", "anaphora"):
            last_year = int((cand.until or cand.value)[:4])


def _resolve_previous(
    cand: _Cand, last: tuple[int | None, int] | None, last_year: int | None, last_end: int
) -> None:
    """ "الشهر السابق" / "العام السابق" in a comparison ("خلال يوليو، مقارنة بـ2.7% في الشهر
    السابق"): the month (year) before the one named last, if named just before; otherwise it
    keeps its value, the month (year) before publication."""
    if not cand.compared or cand.start - last_end > 250:
        return
    if cand.granularity == "month" and last and last[0] is not None:
        y, mo = _shift_month(dt.date(last[0], last[1], 1), -1)
        cand.value = f"{y:04d}-{mo:02d}"
    elif cand.granularity == "year" and last_year is not None:
        cand.value = f"{last_year - 1:04d}"


def _to_mention(c: _Cand, text: str, offsets: list[int]) -> DateMention:
    start = offsets[c.start]
    end = offsets[c.end - 1] + 1
    while end < len(text) and (unicodedata.category(text[end]) == "Mn" or text[end] == "\u0640"):
        end += 1
    return DateMention(
        text=text[start:end],
        start=start,
        end=end,
        value=c.value,
        until=c.until,
        granularity=c.granularity,
        kind=c.kind,
        qualifier=c.qualifier,
        time=c.time,
    )
