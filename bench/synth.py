"""Write a complete synthetic explainer project of N Arabic articles, for benchmarks.

    python bench/synth.py --articles N OUTDIR

OUTDIR gets seeds/ (N articles and sources.yaml), facts.yaml (about 200 actors, 100 meetings,
and the candidates `explainer extract` makes), mkdocs.yml and site_src/ (copied from this
repository), so that every `explainer` command and `mkdocs build` work there as in the real
project. The articles are made from templates in the style of the seeds and from the seeds'
own sentences, with dates in every form the date engine handles; the same seed (--seed) gives
byte-identical output, so anyone can reproduce the figures in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.figures import MONTHS_AR  # noqa: E402
from generator.ingest import read_corpus  # noqa: E402
from generator.pages import GENERATED_ENTRIES  # noqa: E402

FIRST = [
    "أحمد",
    "محمد",
    "علي",
    "خالد",
    "عمر",
    "يوسف",
    "إبراهيم",
    "حسن",
    "حسين",
    "مصطفى",
    "سالم",
    "عبدالله",
    "فتحي",
    "عماد",
    "طارق",
    "وليد",
    "سامي",
    "ناصر",
    "منصور",
    "رمضان",
    "فرج",
    "جمال",
    "كمال",
    "عادل",
    "نوري",
    "صلاح",
    "هشام",
    "فيصل",
    "معمر",
    "بشير",
]
LAST = [
    "المسماري",
    "السويحلي",
    "الدبيبة",
    "باشاغا",
    "المشري",
    "عقيلة",
    "الكبير",
    "النعاس",
    "الورفلي",
    "الزنتاني",
    "المقريف",
    "الترهوني",
    "الفيتوري",
    "البرعصي",
    "العبيدي",
    "الحاسي",
    "الشريف",
    "المنفي",
    "القطراني",
    "الصديق",
    "الغرياني",
    "بادي",
    "الجويلي",
    "التاجوري",
    "الكيخيا",
    "البوعيشي",
    "الطرابلسي",
    "القذافي",
    "الزوي",
    "العرفي",
]
TITLES = [
    "وزير الخارجية",
    "وزير الداخلية",
    "المتحدث باسم المجلس الرئاسي",
    "رئيس المجلس الأعلى للدولة",
    "النائب",
    "قائد المنطقة العسكرية",
    "السفير",
    "المبعوث الخاص",
]
ORGS = [
    ("الأمم المتحدة", "organisation"),
    ("بعثة الأمم المتحدة للدعم في ليبيا", "organisation"),
    ("مجلس الأمن الدولي", "body"),
    ("الاتحاد الأفريقي", "organisation"),
    ("جامعة الدول العربية", "organisation"),
    ("الاتحاد الأوروبي", "organisation"),
    ("حكومة الوفاق الوطني", "body"),
    ("الجيش الوطني الليبي", "body"),
    ("مجلس النواب", "body"),
    ("المجلس الأعلى للدولة", "body"),
    ("المؤسسة الوطنية للنفط", "organisation"),
    ("مصرف ليبيا المركزي", "body"),
    ("تركيا", "country"),
    ("روسيا", "country"),
    ("مصر", "country"),
    ("فرنسا", "country"),
    ("إيطاليا", "country"),
    ("الولايات المتحدة", "country"),
    ("ألمانيا", "country"),
    ("الإمارات", "country"),
    ("قطر", "country"),
    ("تونس", "country"),
    ("الجزائر", "country"),
    ("المغرب", "country"),
    ("اليونان", "country"),
    ("مالطا", "country"),
    ("السودان", "country"),
    ("تشاد", "country"),
    ("النيجر", "country"),
    ("بريطانيا", "country"),
]
CITIES = [
    "جنيف",
    "برلين",
    "موسكو",
    "القاهرة",
    "تونس",
    "الرباط",
    "باريس",
    "روما",
    "إسطنبول",
    "أبوظبي",
    "الصخيرات",
    "بوزنيقة",
    "غدامس",
    "سرت",
    "طرابلس",
    "بنغازي",
    "مصراتة",
    "الجزائر",
    "نيويورك",
    "باليرمو",
]
KINDS = ["محادثات", "اجتماع", "مؤتمر", "جولة مفاوضات", "ملتقى الحوار"]
MONTHS = {
    "mashriq": list(MONTHS_AR),
    "levant": [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ],
    "maghreb": [
        "جانفي",
        "فيفري",
        "مارس",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
}
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
VERBS = ["قال", "أكد", "أعلن", "أوضح", "شدد", "صرح"]
CLAUSES = [
    "المحادثات تسير في الاتجاه الصحيح",
    "وقف إطلاق النار يجب أن يصمد",
    "الطرفين اتفقا على تبادل الأسرى",
    "الجولة المقبلة ستناقش الترتيبات الأمنية",
    "لا حل عسكريا للأزمة الليبية",
    "البعثة تعمل على إجراءات لبناء الثقة",
    "إعادة فتح الموانئ والمطارات أولوية",
    "المسار السياسي سيبنى على نتائج المسار العسكري",
]


def slug(prefix: str, i: int) -> str:
    return f"{prefix}-{i:03d}"


def make_actors(rng: random.Random) -> list[dict]:
    actors = []
    names = sorted({f"{f} {la}" for f in FIRST for la in LAST})
    rng.shuffle(names)
    for i, name in enumerate(names[:170]):
        _first, last = name.split(" ", 1)
        actors.append(
            {
                "id": slug("person", i),
                "name": name,
                "kind": "person",
                "role": rng.choice(TITLES),
                "aliases": [name, last] if i % 3 == 0 else [name],
            }
        )
    for i, (name, kind) in enumerate(ORGS):
        actors.append({"id": slug("org", i), "name": name, "kind": kind, "aliases": [name]})
    return actors


def make_meetings(rng: random.Random, actors: list[dict]) -> list[dict]:
    meetings = []
    start = date(2019, 1, 7)
    for i in range(100):
        place = CITIES[i % len(CITIES)]
        day = start + timedelta(days=i * 18 + rng.randrange(0, 10))
        name = f"{KINDS[i % len(KINDS)]} {place} {i + 1}"
        meetings.append(
            {
                "id": slug("meeting", i),
                "name": name,
                "place": place,
                "start": day.isoformat(),
                "end": (day + timedelta(days=rng.randrange(0, 4))).isoformat(),
                "participants": sorted(a["id"] for a in rng.sample(actors, 4)),
                "aliases": [name],
            }
        )
    return meetings


def month_name(rng: random.Random, month: int) -> str:
    """A month written as Arabic news writes it: one system, or two joined by a slash."""
    style = rng.randrange(5)
    m, lv, mg = (
        MONTHS["mashriq"][month - 1],
        MONTHS["levant"][month - 1],
        MONTHS["maghreb"][month - 1],
    )
    return [m, lv, mg, f"{lv}/{m}", f"{m}/{lv}"][style]


def date_expr(rng: random.Random, pub: date) -> str:
    """A date expression in one of the forms of the seeds, relative to the publication date."""
    kind = rng.randrange(12)
    if kind == 0:
        return "أمس"
    if kind == 1:
        return f"اليوم {WEEKDAYS[pub.weekday()]}"
    if kind == 2:
        back = pub - timedelta(days=rng.randrange(1, 6))
        return f"{rng.choice(['مساء', 'صباح', 'يوم', ''])} {WEEKDAYS[back.weekday()]}".strip()
    if kind == 3:
        d = pub - timedelta(days=rng.randrange(2, 60))
        return f"في {d.day} {month_name(rng, d.month)} {d.year}"
    if kind == 4:
        d = pub - timedelta(days=rng.randrange(2, 40))
        return f"في {d.day} {month_name(rng, d.month)}"
    if kind == 5:
        prev = pub.replace(day=1) - timedelta(days=1)
        return f"{rng.choice(['منتصف', 'مطلع', 'أواخر'])} {month_name(rng, prev.month)} الماضي"
    if kind == 6:
        d = pub - timedelta(days=rng.randrange(10, 50))
        e = d + timedelta(days=rng.randrange(1, 5))
        if e.month != d.month:
            d = e - timedelta(days=1)
        return f"من {d.day} إلى {e.day} {month_name(rng, e.month)} {e.year}"
    if kind == 7:
        d = pub - timedelta(days=rng.randrange(2, 90))
        return f"في {str(d.day).translate(EASTERN)} {month_name(rng, d.month)} {str(d.year).translate(EASTERN)}"
    if kind == 8:
        return "الشهر الماضي"
    if kind == 9:
        return f"عام {pub.year - rng.randrange(1, 9)}"
    if kind == 10:
        return f"مساء أمس {WEEKDAYS[(pub - timedelta(days=1)).weekday()]}"
    d = pub + timedelta(days=rng.randrange(3, 20))
    return f"في {d.day} {month_name(rng, d.month)} المقبل"


def make_article(rng: random.Random, i: int, pub: date, actors, meetings, seed_sentences) -> str:
    persons = [a for a in actors if a["kind"] == "person"]
    orgs = [a for a in actors if a["kind"] != "person"]
    meeting = meetings[rng.randrange(len(meetings))]
    headline = f"{rng.choice(KINDS)} {meeting['place']}: {rng.choice(CLAUSES)}"
    body = []
    for _ in range(rng.randrange(4, 8)):
        p = rng.choice(persons)
        form = rng.randrange(4)
        when = date_expr(rng, pub)
        if form == 0:
            body.append(
                f"{rng.choice(VERBS)} {p['role']} {p['name']} {when} إن {rng.choice(CLAUSES)}."
            )
        elif form == 1:
            body.append(
                f"وانطلقت أعمال {meeting['name']} في {meeting['place']} {when} بمشاركة {rng.choice(orgs)['name']}."
            )
        elif form == 2:
            body.append(
                f"وكانت {rng.choice(orgs)['name']} قد دعت {when} إلى استئناف الحوار بين الأطراف الليبية."
            )
        else:
            body.append(
                f"وذكرت مصادر أن {p['name']} التقى ممثلين عن {rng.choice(orgs)['name']} {when} في {rng.choice(CITIES)}."
            )
    for _ in range(rng.randrange(2, 5)):
        body.append(rng.choice(seed_sentences))
    rng.shuffle(body)
    paragraphs = []
    while body:
        take = rng.randrange(1, 4)
        paragraphs.append(" ".join(body[:take]))
        body = body[take:]
    return headline + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_project(n: int, out: Path, seed: int = 2020, extract: bool = True, jobs: int = 0) -> None:
    rng = random.Random(seed)
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    (out / "seeds").mkdir(parents=True, exist_ok=True)
    articles, _ = read_corpus(REPO / "seeds")
    seed_sentences = sorted({s.text for a in articles for s in a.sentences if len(s.text) < 400})
    actors = make_actors(rng)
    meetings = make_meetings(rng, actors)
    sources = []
    first, span = date(2019, 1, 1), (date(2024, 12, 31) - date(2019, 1, 1)).days
    for i in range(n):
        pub = first + timedelta(days=rng.randrange(span))
        name = f"{i:06d}_synthetic.txt"
        data = make_article(rng, i, pub, actors, meetings, seed_sentences).encode("utf-8")
        (out / "seeds" / name).write_bytes(data)
        sources.append(
            {
                "file": name,
                "published": pub.isoformat(),
                "outlet": rng.choice(["وكالة أ", "صحيفة ب", None]),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    (out / "seeds" / "sources.yaml").write_text(
        yaml.safe_dump(sources, allow_unicode=True, sort_keys=False, width=1000), "utf-8"
    )
    header = "# yaml-language-server: $schema=generator/schema/facts.schema.json\n"
    body = yaml.safe_dump(
        {
            "title": "قصة اصطناعية",
            "story": "مشروع اصطناعي لقياس الأداء.",
            "actors": actors,
            "meetings": meetings,
            "facts": [],
        },
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    (out / "facts.yaml").write_text(header + body, "utf-8")
    copy_site_files(out)
    if extract:
        from generator.extract import extract_corpus
        from generator.factindex import load_index, merge

        corpus, _ = read_corpus(out / "seeds")
        index = load_index(out / "facts.yaml")
        merge(out / "facts.yaml", extract_corpus(corpus, index.actors, index.meetings, jobs=jobs))


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its `hooks:` only: MkDocs' own tags (!ENV, !!python/...) as None."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def copy_site_files(out: Path) -> None:
    """mkdocs.yml, the hand-written pages and assets of site_src/, and the MkDocs hook files."""
    shutil.copy2(REPO / "mkdocs.yml", out / "mkdocs.yml")
    generated = set(GENERATED_ENTRIES)
    src = REPO / "site_src"
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if rel.parts[0] in generated or not path.is_file():
            continue
        (out / "site_src" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, out / "site_src" / rel)
    config = yaml.load((REPO / "mkdocs.yml").read_text("utf-8"), Loader=_ConfigLoader)
    for hook in (config or {}).get("hooks", []) or []:
        (out / hook).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / hook, out / hook)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True, metavar="N")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--no-extract", action="store_true", help="leave facts.yaml without candidates")
    ap.add_argument("--jobs", type=int, default=0, help="extract workers (0 = one per core)")
    ap.add_argument("outdir", type=Path)
    args = ap.parse_args()
    write_project(args.articles, args.outdir, args.seed, not args.no_extract, args.jobs)
    print(f"{args.outdir}: {args.articles} articles")


if __name__ == "__main__":
    main()
