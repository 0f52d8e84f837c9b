"""A small fact index for the page and site tests, independent of the curated facts.yaml.

It mirrors the real story (the Geneva 5+5 talks of February 2020) closely enough to exercise
every page kind: a person with an affiliation, a month-only fact, a disputed fact with a
source that gives another date, an unreviewed candidate, a rejected fact that must not show,
and a fact whose actor is not named in its summary.

For the English edition, some values have their English counterpart and some do not: the
facts "gna-withdraws" and "sarraj-statement" have an English summary, the others do not; the
GNA, al-Sarraj and the meeting have English names, the others not; one outlet and one source
note are translated, the dispute is not.
"""

from __future__ import annotations

from datetime import date

from generator.model import Actor, Fact, FactIndex, FactSource, Meeting, SourceMeta

SHA = "0" * 64

SOURCES = [
    SourceMeta("000_a.txt", "000-a", None, date(2020, 2, 20), SHA),
    SourceMeta(
        "001_b.txt",
        "001-b",
        "العربي الجديد",
        date(2020, 2, 21),
        SHA,
        title="جنيف",
        outlet_en="Al-Araby Al-Jadeed",
    ),
    SourceMeta(
        "002_c.txt", "002-c", "العربية", date(2020, 2, 19), SHA, url="https://example.org/a"
    ),
]

ACTORS = (
    Actor(
        "gna",
        "حكومة الوفاق الوطني",
        "organisation",
        aliases=("حكومة الوفاق", "الوفاق"),
        name_en="Government of National Accord (GNA)",
    ),
    Actor(
        "fayez-al-sarraj",
        "فايز السرّاج",
        "person",
        aliases=("السراج",),
        role="رئيس المجلس الرئاسي",
        affiliation="gna",
        name_en="Fayez al-Sarraj",
        role_en="Head of the Presidential Council",
    ),
    Actor("lna", "الجيش الوطني الليبي", "organisation", aliases=("قوات حفتر",)),
    Actor("unsmil", "بعثة الأمم المتحدة للدعم في ليبيا", "body", aliases=("البعثة الأممية",)),
    Actor("ghassan-salame", "غسان سلامة", "person", aliases=("سلامة",), role="المبعوث الأممي"),
)

MEETINGS = (
    Meeting(
        "geneva-jmc-2020-02",
        "محادثات اللجنة العسكرية المشتركة 5+5 في جنيف",
        place="جنيف",
        start="2020-02-18",
        end="2020-02-23",
        participants=("gna", "lna", "unsmil"),
        aliases=("محادثات جنيف",),
        summary="الجولة الثانية من محادثات اللجنة العسكرية.",
        name_en="The 5+5 Joint Military Commission talks in Geneva",
        place_en="Geneva",
    ),
)

FACTS = (
    Fact(
        "gna-withdraws",
        "2020-02-18",
        "حكومة الوفاق تعلن انسحابها من محادثات جنيف بعد قصف ميناء طرابلس",
        (
            FactSource("000_a.txt", "وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار."),
            FactSource(
                "002_c.txt",
                "وقالت حكومة الوفاق إنها ستعلق مشاركتها.",
                date="2020-02-19",
                note="يقول إن التعليق أُعلن مساء الأربعاء",
                note_en="Says the suspension was announced on Wednesday evening",
            ),
        ),
        actors=("gna",),
        meeting="geneva-jmc-2020-02",
        kind="statement",
        status="reviewed",
        dispute="تختلف المصادر في يوم الإعلان",
        summary_en="The GNA announces its withdrawal from the Geneva talks after the shelling of Tripoli port",
    ),
    Fact(
        "sarraj-statement",
        "2020-02-19",
        "السرّاج يقول إن لا مفاوضات قبل انسحاب القوات",
        (FactSource("001_b.txt", "وقال السراج إنه لا مفاوضات."),),
        actors=("fayez-al-sarraj", "gna"),
        status="reviewed",
        summary_en="Sarraj says there will be no negotiations before the forces withdraw",
    ),
    Fact(
        "salame-briefing",
        "2020-02-21",
        "المبعوث الأممي يعلن استئناف المحادثات",
        (FactSource("001_b.txt", "وأعلن سلامة استئناف المحادثات."),),
        actors=("ghassan-salame", "unsmil"),
        meeting="geneva-jmc-2020-02",
        status="candidate",
    ),
    Fact(
        "february-fighting",
        "2020-02",
        "اشتباكات متقطعة جنوب طرابلس طوال فبراير",
        (FactSource("002_c.txt", "واستمرت الاشتباكات."),),
        actors=("lna", "gna"),
        status="reviewed",
    ),
    Fact(
        "rejected-one",
        "2020-02-20",
        "واقعة مرفوضة لا تظهر",
        (FactSource("000_a.txt", "نص."),),
        actors=("lna",),
        status="rejected",
    ),
)


# A candidate as extract writes it: its summary is its quote (pages leave the quote out of
# search on its date page); not in FACTS, for the tests that want it.
ECHO = Fact(
    "echo",
    "2020-02-21",
    "وأعلن سلامة استئناف المحادثات.",
    (FactSource("001_b.txt", "وأعلن سلامة استئناف المحادثات."),),
    actors=("ghassan-salame",),
    status="candidate",
)


def index(**changes) -> FactIndex:
    """The fixture index, with top-level fields replaced by `changes`."""
    values = dict(
        actors=ACTORS,
        meetings=MEETINGS,
        facts=FACTS,
        title="محادثات وقف إطلاق النار في ليبيا 2020",
        title_en="The 2020 Libyan ceasefire talks",
        story="في فبراير 2020 جلس ممثلو الطرفين في جنيف.\n\nثم تعثرت المحادثات.",
    )
    values.update(changes)
    return FactIndex(**values)


# --------------------------------------------------------------------------------------------
# Hostile input: what a stranger's pull request could put in facts.yaml or seeds/sources.yaml.

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![](http://127.0.0.2/x.png)",
    "{{ 7*7 }}",
    "{% if %}",
    "</script><script>alert(2)</script>",
    "\u202eمقلوب",
)
HOSTILE = " ".join(PAYLOADS)


def hostile_data() -> tuple[dict, list[dict]]:
    """facts.yaml and seeds/sources.yaml content (plain data) with payloads in every text."""
    facts = {
        "title": f"عنوان {HOSTILE}",
        "title_en": f"Title {HOSTILE}",
        "story": f"قصة {HOSTILE}",  # no story_en: the English home page shows it untranslated
        "actors": [
            {
                "id": "evil-actor",
                "name": f"فاعل {HOSTILE}",
                "name_en": f"Actor {HOSTILE}",
                "kind": "person",
                "role": f"دور {HOSTILE}",  # no role_en
                "aliases": list(PAYLOADS),
            },
            {"id": "plain-actor", "name": "فاعل عادي", "kind": "organisation"},
        ],
        "meetings": [
            {
                "id": "evil-meeting",
                "name": f"اجتماع {HOSTILE}",
                "place": f"مكان {HOSTILE}",
                "place_en": f"Place {HOSTILE}",
                "start": "2020-02-18",
                "participants": ["evil-actor", "plain-actor"],
                "summary": f"ملخص {HOSTILE}",
            }
        ],
        "facts": [
            {
                "id": "evil-fact",
                "date": "2020-02-18",
                "summary": f"واقعة {HOSTILE}",
                "summary_en": f"Fact {HOSTILE}",
                "actors": ["evil-actor", "plain-actor"],
                "meeting": "evil-meeting",
                "kind": "event",
                "status": "reviewed",
                "dispute": f"خلاف {HOSTILE}",
                "sources": [
                    {
                        "file": "evil.txt",
                        "quote": f"اقتباس {HOSTILE}",
                        "note": f"ملاحظة {HOSTILE}",
                        "note_en": f"Note {HOSTILE}",
                    }
                ],
            }
        ],
    }
    sources = [
        {
            "file": "evil.txt",
            "id": "evil-source",
            "published": "2020-02-19",
            "outlet": f"منبر {HOSTILE}",
            "outlet_en": f"Outlet {HOSTILE}",
            "title": f"مقال {HOSTILE}",
            "url": "javascript:alert(1)",
            "sha256": "0" * 64,
        }
    ]
    return facts, sources


def hostile_index() -> tuple[FactIndex, list[SourceMeta]]:
    """The hostile data as model objects, for tests that do not go through facts.yaml."""
    data, sources = hostile_data()
    actors = tuple(
        Actor(
            a["id"],
            a["name"],
            a["kind"],
            aliases=tuple(a.get("aliases", ())),
            role=a.get("role"),
            name_en=a.get("name_en"),
        )
        for a in data["actors"]
    )
    m = data["meetings"][0]
    meetings = (
        Meeting(
            m["id"],
            m["name"],
            place=m["place"],
            start=m["start"],
            participants=tuple(m["participants"]),
            summary=m["summary"],
            place_en=m["place_en"],
        ),
    )
    f = data["facts"][0]
    facts = (
        Fact(
            f["id"],
            f["date"],
            f["summary"],
            tuple(
                FactSource(s["file"], s["quote"], note=s.get("note"), note_en=s.get("note_en"))
                for s in f["sources"]
            ),
            actors=tuple(f["actors"]),
            meeting=f["meeting"],
            status="reviewed",
            dispute=f["dispute"],
            summary_en=f["summary_en"],
        ),
    )
    s = sources[0]
    metas = [
        SourceMeta(
            s["file"],
            s["id"],
            s["outlet"],
            date(2020, 2, 19),
            s["sha256"],
            url=s["url"],
            title=s["title"],
            outlet_en=s["outlet_en"],
        )
    ]
    index = FactIndex(
        actors=actors,
        meetings=meetings,
        facts=facts,
        story=data["story"],
        title=data["title"],
        title_en=data["title_en"],
    )
    return index, metas


def long_index(n_facts: int, *, days: int) -> FactIndex:
    """The fixture plus n_facts candidate facts of gna, spread over `days` consecutive days."""
    start = date(2019, 1, 1).toordinal()
    extra = tuple(
        Fact(
            f"extra-{i:04d}",
            date.fromordinal(start + i * days // n_facts).isoformat(),
            f"واقعة رقم {i} لحكومة الوفاق",
            (FactSource("000_a.txt", "وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار."),),
            actors=("gna",),
            meeting="geneva-jmc-2020-02",
        )
        for i in range(n_facts)
    )
    return index(facts=FACTS + extra)
