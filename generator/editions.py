"""The site's two editions, Arabic (primary) and English: every word the pages print, in one place.

The generated pages come from one set of templates (generator/templates/) rendered once per
edition; what differs between the editions is here: the words of the interface (labels,
headings, messages with numbers), how dates are written ("18 فبراير 2020", "18 February 2020"),
the direction of the text and of the figures, and the file names of the pages (the Arabic page
`actors/gna.md` and its English counterpart `actors/gna.en.md`, the suffix structure of
mkdocs-static-i18n, which builds the English edition under /en/).

WORDS holds each entry as an (Arabic, English) pair, side by side, so that a translator reads and
corrects them together and no entry can exist in one language only. Entries are trusted text
written here and printed as written (like the templates' own text); the arguments of the
entries that take some, and everything else that comes from facts.yaml or seeds/sources.yaml,
are escaped by generator.pages as always.

Which value of facts.yaml an edition prints is decided by `Edition.pick`: the English edition
prints `name_en`, `summary_en` and so on where editors wrote them, and the Arabic value marked
as untranslated where they did not (generator.pages).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from .figures import MONTHS_AR, FigureWords
from .figures import date_label as date_label_ar

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@functools.lru_cache(maxsize=65536)
def date_label_en(value: str | None) -> str:
    """An ISO date of the index as English readers write it: "18 February 2020"."""
    if not value:
        return "Undated"
    parts = value.split("-")
    try:
        if len(parts) == 1:
            return parts[0]
        month = MONTHS_EN[int(parts[1]) - 1]
        if len(parts) == 2:
            return f"{month} {parts[0]}"
        return f"{int(parts[2])} {month} {parts[0]}"
    except (ValueError, IndexError):
        return value


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# What a timeline's mark stands for: (the unit counted, what a mark links to).
_TIMELINE_UNITS_AR = {
    "day": ("تاريخًا", "كل علامة رابط إلى صفحة ذلك التاريخ."),
    "month": ("شهرًا", "كل علامة تجمع وقائع شهر وهي رابط إليه في فهرس التواريخ."),
    "year": ("سنة", "كل علامة تجمع وقائع سنة وهي رابط إليها في فهرس التواريخ."),
}
_TIMELINE_UNITS_EN = {
    "day": (("date", "dates"), "each mark links to the page of its date."),
    "month": (
        ("month", "months"),
        "each mark stands for the facts of a month and links to it in the index of dates.",
    ),
    "year": (
        ("year", "years"),
        "each mark stands for the facts of a year and links to it in the index of dates.",
    ),
}

# (Arabic, English). Plain strings are printed as written; callables take numbers or names.
WORDS: dict[str, tuple] = {
    # the story
    "default_title": ("محادثات وقف إطلاق النار في ليبيا", "The Libyan ceasefire talks"),
    "about": ("عن هذا الموقع", "About this site"),
    # separators
    "sep": ("، ", ", "),
    # fact cards
    "undated": ("بلا تاريخ", "Undated"),
    "unreviewed": ("غير مراجَع", "unreviewed"),
    "untranslated": ("(غير مترجَم)", "(untranslated)"),
    "label_actors": ("الفاعلون:", "Actors:"),
    "label_meeting": ("الاجتماع:", "Meeting:"),
    "label_dispute": ("تختلف المصادر:", "The sources differ:"),
    "source_date": ("التاريخ بحسب هذا المصدر: ", "date according to this source: "),
    # actor pages
    "label_kind": ("النوع:", "Kind:"),
    "label_role": ("الصفة:", "Role:"),
    "label_affiliation": ("الانتماء:", "Affiliation:"),
    "label_other_language": ("بالإنجليزية:", "In Arabic:"),
    "label_aliases": ("يُذكر أيضًا باسم:", "Also written in Arabic as:"),
    "label_affiliates": ("يتبع له:", "Affiliated with it:"),
    "h_facts": ("الوقائع", "Facts"),
    "no_actor_facts": (
        "لا توجد وقائع مسجلة لهذا الفاعل بعد.",
        "No facts are recorded for this actor yet.",
    ),
    "h_meetings": ("الاجتماعات", "Meetings"),
    "h_co_actors": ("يظهر مع", "Appears with"),
    # the actors' index
    "actors": ("الفاعلون", "Actors"),
    "actors_description": (
        "كل الأشخاص والمنظمات والدول والهيئات في القصة، مع عدد الوقائع لكل منهم.",
        "Every person, organisation, country and body in the story, with the number of facts of each.",
    ),
    # date pages
    "within": ("ضمن:", "Within:"),
    "h_finer": ("تواريخ أدق", "More precise dates"),
    "previous_mark": ("→", "←"),  # the previous date comes first in the reading direction
    "next_mark": ("←", "→"),
    "dated_in": (
        lambda label, n: f"الوقائع المؤرخة في {label}: {n}",
        lambda label, n: f"Facts dated {label}: {n}",
    ),
    # the dates' index
    "dates": ("التواريخ", "Dates"),
    "dates_description": (
        "كل التواريخ التي وقعت فيها أحداث القصة، مع عدد الوقائع في كل تاريخ.",
        "Every date on which something in the story happened, with the number of facts of each.",
    ),
    "undated_facts": (
        lambda n: f"وقائع بلا تاريخ: {n} (تظهر في صفحات الفاعلين والاجتماعات).",
        lambda n: f"Undated facts: {n} (they are shown on the actor and meeting pages).",
    ),
    # home
    "h_entries": ("مداخل القصة", "Ways into the story"),
    "meetings_and_talks": ("الاجتماعات والمحادثات", "Meetings and talks"),
    "sources": ("المصادر", "Sources"),
    "fact_count": (
        lambda n: f"عدد الوقائع في الفهرس: {n}.",
        lambda n: f"Facts in the index: {n}.",
    ),
    "h_latest": ("آخر الوقائع", "Latest facts"),
    # an actor's or a meeting's page with more facts than CARD_LIMIT (generator/pages.py)
    "compact_note": (
        "الوقائع هنا كثيرة، فتظهر كل واقعة في سطر واحد: تاريخها رابط إلى الواقعة كاملة، "
        "بنصوص مصادرها، في صفحة ذلك التاريخ.",
        "There are many facts here, so each is shown in one line: its date links to the whole "
        "fact, with the words of its sources, on the page of that date.",
    ),
    # meeting pages and their index
    "label_place": ("المكان:", "Place:"),
    "label_when": ("الموعد:", "When:"),
    "label_participants": ("المشاركون:", "Participants:"),
    "h_day_by_day": ("يومًا بيوم", "Day by day"),
    "no_meeting_facts": (
        "لا توجد وقائع مسجلة لهذا الاجتماع بعد.",
        "No facts are recorded for this meeting yet.",
    ),
    "meetings_description": (
        "كل الاجتماعات والمحادثات في القصة، ومن شارك فيها.",
        "Every meeting and set of talks in the story, and who took part.",
    ),
    # source pages and their index
    "label_outlet": ("المنبر:", "Outlet:"),
    "unknown": ("غير معروف", "unknown"),
    "label_published": ("تاريخ النشر:", "Published:"),
    "not_established": ("غير محدد", "not established"),
    "label_headline": ("العنوان:", "Headline:"),
    "label_file": ("الملف:", "File:"),
    "label_sha256": ("بصمة sha256:", "sha256:"),
    "label_url": ("الرابط:", "Link:"),
    "label_basis": ("أساس تأريخ المقال:", "How its date was established:"),
    "h_source_facts": ("الوقائع المأخوذة من هذا المصدر", "Facts taken from this source"),
    "no_source_facts": (
        "لم تؤخذ من هذا المصدر وقائع بعد.",
        "No facts have been taken from this source yet.",
    ),
    "sources_description": (
        "المقالات التي أُخذت منها الوقائع، مع عدد الوقائع من كل مقال.",
        "The articles the facts are taken from, with the number of facts from each.",
    ),
    "unnamed_source": ("مصدر غير مسمّى", "Unnamed source"),
    "source_label": (
        lambda outlet, day: f"{outlet}، {day}",
        lambda outlet, day: f"{outlet}, {day}",
    ),
    # figures: titles and text alternatives
    "timeline_of": (lambda name: f"الخط الزمني: {name}", lambda name: f"Timeline: {name}"),
    "timeline_all": ("الخط الزمني لكل التواريخ", "Timeline of every date"),
    "timeline_mark": (
        lambda day, n, first: f"{day} — عدد الوقائع: {n} — {first}",
        lambda day, n, first: f"{day} — {_n(n, 'fact', 'facts')} — {first}",
    ),
    # a timeline past TIMELINE_MARKS dates marks months or years (generator/pages.py)
    "timeline_group": (
        lambda label, n: f"{label} — عدد الوقائع: {n}",
        lambda label, n: f"{label} — {_n(n, 'fact', 'facts')}",
    ),
    "timeline_desc": (
        lambda unit, n, first, last: (
            f"{n} {_TIMELINE_UNITS_AR[unit][0]} من {first} إلى {last}، الأقدم على اليمين؛ "
            f"{_TIMELINE_UNITS_AR[unit][1]}"
        ),
        lambda unit, n, first, last: (
            f"{_n(n, *_TIMELINE_UNITS_EN[unit][0])} from {first} to {last}, the earliest on the "
            f"left; {_TIMELINE_UNITS_EN[unit][1]}"
        ),
    ),
    "timeline_empty": ("لا توجد وقائع مؤرخة.", "No dated facts."),
    "figure_no_dates": ("لا توجد وقائع مؤرخة", "No dated facts"),
    "figure_earlier": ("← الأقدم", "← Earlier"),
    "figure_later": ("الأحدث", "Later →"),
    "graph_title": ("الفاعلون والاجتماعات", "Actors and meetings"),
    "graph_desc": (
        lambda m, a, k=None: (
            f"{m} اجتماعًا في العمود الأيمن و{a} فاعلًا في الأيسر؛ "
            "يصل الخط بين الاجتماع ومن شارك فيه أو ذُكر في وقائعه"
            + (
                f"، ولكل اجتماع أكثر {k} {'فاعلين' if k <= 10 else 'فاعلًا'} ذكرًا في وقائعه "
                "(وفي صفحته وقائعه كلها)."
                if k
                else "."
            )
        ),
        lambda m, a, k=None: (
            f"{_n(m, 'meeting', 'meetings')} in the left column and {_n(a, 'actor', 'actors')} "
            "in the right; a line joins a meeting to each actor who took part in it or is named "
            "in its facts"
            + (
                f": for each meeting, the {k} its facts name most (its page has all its facts)."
                if k
                else "."
            )
        ),
    ),
    "graph_meetings": ("الاجتماعات", "Meetings"),
    "graph_actors": ("الفاعلون", "Actors"),
}

ACTOR_KINDS = {
    "person": ("شخص", "person"),
    "organisation": ("منظمة", "organisation"),
    "country": ("دولة", "country"),
    "body": ("هيئة", "body"),
}
ACTOR_KIND_PLURAL = {
    "person": ("الأشخاص", "People"),
    "organisation": ("المنظمات", "Organisations"),
    "country": ("الدول", "Countries"),
    "body": ("الهيئات", "Bodies"),
}
FACT_KINDS = {
    "event": ("حدث", "event"),
    "statement": ("تصريح", "statement"),
    "plan": ("موعد مقرّر", "scheduled"),
}


@dataclass(frozen=True)
class Edition:
    """One language of the site: its words, date format, direction and page file names."""

    lang: str
    dir: str
    suffix: str  # before ".md": "" for the primary edition, ".en" for English
    months: tuple[str, ...]
    date_label: Callable[[str | None], str]
    words: dict[str, object] = field(compare=False, repr=False)  # WORDS in this language
    figures: FigureWords = field(compare=False, repr=False)  # the figures' words and direction
    actor_kinds: dict[str, str] = field(compare=False, repr=False)
    actor_kind_plural: dict[str, str] = field(compare=False, repr=False)
    fact_kinds: dict[str, str] = field(compare=False, repr=False)

    def text(self, key: str, *args: object) -> str:
        """An entry of WORDS in this language, as plain text (callables given `args`)."""
        value = self.words[key]
        return value(*args) if callable(value) else value  # type: ignore[operator]

    @property
    def primary(self) -> bool:
        return not self.suffix

    @property
    def rtl(self) -> bool:
        return self.dir == "rtl"

    def page(self, path: str) -> str:
        """The edition's file for a page path of the primary edition: x/y.md -> x/y.en.md."""
        return path if self.primary else f"{path[:-3]}{self.suffix}.md"

    def pick(self, obj: object, name: str) -> tuple[str | None, bool]:
        """(the value of `name` this edition prints, whether it is a translation it lacks).

        The English edition prints `name_en` when an editor wrote it, else the Arabic value,
        which it marks as untranslated; the Arabic edition prints `name`.
        """
        value = getattr(obj, name, None)
        if not self.suffix:  # the primary edition
            return value, False
        translated = getattr(obj, f"{name}_{self.lang}", None)
        if translated and translated.strip():
            return translated, False
        return value, bool(value)


def _edition(lang: str, direction: str, suffix: str, column: int, months, date_label) -> Edition:
    words = {key: pair[column] for key, pair in WORDS.items()}
    return Edition(
        lang=lang,
        dir=direction,
        suffix=suffix,
        months=months,
        date_label=date_label,
        words=words,
        figures=FigureWords(
            months=months,
            rtl=direction == "rtl",
            earlier=words["figure_earlier"],
            later=words["figure_later"],
            no_dates=words["figure_no_dates"],
            meetings=words["graph_meetings"],
            actors=words["graph_actors"],
        ),
        actor_kinds={k: v[column] for k, v in ACTOR_KINDS.items()},
        actor_kind_plural={k: v[column] for k, v in ACTOR_KIND_PLURAL.items()},
        fact_kinds={k: v[column] for k, v in FACT_KINDS.items()},
    )


ARABIC = _edition("ar", "rtl", "", 0, MONTHS_AR, date_label_ar)
ENGLISH = _edition("en", "ltr", ".en", 1, MONTHS_EN, date_label_en)
EDITIONS = {e.lang: e for e in (ARABIC, ENGLISH)}
