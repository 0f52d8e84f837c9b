"""Actor and meeting recognition through aliases, with Arabic normalisation and clitics."""

from __future__ import annotations

from generator.arabic import normalize, normalize_with_map, token_variants
from generator.entities import EntityMatcher, titled_people
from generator.model import Actor, Meeting

ACTORS = [
    Actor("fayez-al-sarraj", "فايز السراج", "person", ("السراج", "رئيس حكومة الوفاق")),
    Actor("gna", "حكومة الوفاق", "body", ("الوفاق", "حكومة فايز السراج")),
    Actor("un", "الأمم المتحدة", "organisation"),
    Actor("ghassan-salame", "غسان سلامة", "person", ("سلامة",)),
    Actor("ignored", "حفتر", "person", (), status="rejected"),
]
MEETINGS = [
    Meeting(
        "geneva-jmc",
        "اللجنة العسكرية المشتركة",
        place="جنيف",
        start="2020-02-18",
        end="2020-02-23",
        aliases=("لجنة 5+5", "اجتماع الـ5+5"),
    ),
]


def found(text: str) -> list[tuple[str, str]]:
    matcher = EntityMatcher(ACTORS, MEETINGS)
    return [(m.id, text[m.start : m.end]) for m in matcher.find(text)]


def test_normalisation_folds_spelling_variants():
    assert normalize("السرّاج") == normalize("السراج")
    assert normalize("إبريل") == normalize("أبريل") == normalize("ابريل")
    assert normalize("سلامة") == normalize("سلامه")
    assert normalize("مـــارس") == "مارس"
    assert normalize("١٩٧٠") == "1970"
    folded, offsets = normalize_with_map("السرّاج قال")
    assert folded == "السراج قال"
    assert offsets[folded.index("قال")] == "السرّاج قال".index("قال")
    assert {"السراج", "سراج"} <= token_variants("والسراج")


def test_aliases_reach_the_right_actors():
    assert found("وقال السرّاج إن") == [("fayez-al-sarraj", "السرّاج")]
    assert found("قال فايز السراج") == [("fayez-al-sarraj", "فايز السراج")]
    # the government named after its head reaches both
    assert found("استأنفت حكومة فايز السراج مشاركتها") == [
        ("gna", "حكومة فايز السراج"),
        ("fayez-al-sarraj", "فايز السراج"),
    ]
    assert ("fayez-al-sarraj", "رئيس حكومة الوفاق") in found("اعتبر رئيس حكومة الوفاق أن")
    # clitics: و ب ل and ل+ال written لل
    assert found("وللسراج رأي") == [("fayez-al-sarraj", "وللسراج")]
    assert found("بالأمم المتحدة") == [("un", "بالأمم المتحدة")]
    # a word that merely contains an alias is not a mention
    assert found("سلامات للجميع") == []
    # rejected actors are not matched
    assert found("قال حفتر") == []


def test_an_actors_mentions_find_it_as_aliases_do():
    """A mention ("قالت موسكو" for Russia) finds the actor; the same word in another phrase
    ("في موسكو", the city) does not."""
    russia = Actor("russia", "روسيا", "country", mentions=("قالت موسكو",))
    matcher = EntityMatcher([*ACTORS, russia], MEETINGS)
    text = "وقالت موسكو إن المحادثات انتهت في موسكو"
    assert [(m.id, text[m.start : m.end]) for m in matcher.find(text)] == [
        ("russia", "وقالت موسكو")
    ]


def test_meetings_by_alias_and_by_place():
    matcher = EntityMatcher(ACTORS, MEETINGS)
    text = "استأنفت مشاركتها في اجتماع الـ5+5 العسكرية"
    assert [(m.kind, m.id) for m in matcher.find(text)] == [("meeting", "geneva-jmc")]
    assert [m.id for m in matcher.place_mentions("بدأت المحادثات في جنيف")] == ["geneva-jmc"]
    assert matcher.place_mentions("بدأت المحادثات في برلين") == []


def test_titled_newcomers_are_proposed_with_their_title():
    matcher = EntityMatcher(ACTORS, MEETINGS)
    cases = {
        "وقال وزير الخارجية الروسي سيرجي لافروف، إن المحادثات": (
            "سيرجي لافروف",
            "وزير الخارجية الروسي",
        ),
        "قال المتحدث باسم الأمم المتحدة ستيفان دوجاريك، إن": (
            "ستيفان دوجاريك",
            "المتحدث باسم الأمم المتحدة",
        ),
        "وقال المتحدث باسم بعثة الأمم المتحدة في ليبيا جان العلم لوكالة": (
            "جان العلم",
            "المتحدث باسم بعثة الأمم المتحدة في ليبيا",
        ),
    }
    for text, (name, role) in cases.items():
        [person] = titled_people(text, matcher.find(text), "f.txt", text)
        assert (person.name, person.role) == (name, role)
        assert person.id.isascii() and person.id == person.id.lower()
    # a known actor with a title is not proposed again
    text = "وقال مبعوث الأمم المتحدة غسان سلامة إن"
    assert titled_people(text, matcher.find(text), "f.txt", text) == []


def test_a_title_before_a_known_actor_proposes_nobody():
    matcher = EntityMatcher(ACTORS, MEETINGS)
    text = "وأكدت الأمم المتحدة أن مبعوث الأمم المتحدة الخاص لليبيا غسان سلامة حاول نهار الأربعاء"
    assert titled_people(text, matcher.find(text), "f.txt", text) == []


def test_a_date_ends_a_title_and_is_never_a_name():
    import datetime

    from generator.dates import find_dates

    text = "وأعلن الناطق الرسمي أواخر يونيو الماضي أن الهدنة صامدة"
    dated = [(m.start, m.end) for m in find_dates(text, datetime.date(2020, 9, 1))]
    assert dated  # the date engine reads "أواخر يونيو الماضي"
    assert [p.name for p in titled_people(text, [], "f.txt", text)] == ["أواخر يونيو الماضي"]
    assert titled_people(text, [], "f.txt", text, dated) == []
    text = "وقال وزير الخارجية الروسي سيرجي لافروف أمس إن"
    dated = [(m.start, m.end) for m in find_dates(text, datetime.date(2020, 1, 14))]
    [person] = titled_people(text, [], "f.txt", text, dated)
    assert (person.name, person.role) == ("سيرجي لافروف", "وزير الخارجية الروسي")


def test_a_title_s_adjective_keeps_the_name_after_it():
    """ "الخاص" and "العام" belong to the title; the word after them is the title's only when it
    is a known entity or starts with the prepositions ل/ب ("الخاص لليبيا", "الخاص بليبيا",
    "العام للأمم المتحدة"): "المبعوث الخاص عماد الدباشي" proposed nobody (the adjective was
    read as a connector, and the name as the title's complement)."""
    matcher = EntityMatcher(ACTORS, MEETINGS)
    cases = {
        "وقال المبعوث الخاص عماد الدباشي إن الهدنة صامدة": ("عماد الدباشي", "المبعوث الخاص"),
        "وقال المبعوث الخاص بليبيا عماد الدباشي إن": ("عماد الدباشي", "المبعوث الخاص بليبيا"),
        "وقال مبعوث الأمم المتحدة الخاص لليبيا عماد الدباشي إن": (
            "عماد الدباشي",
            "مبعوث الأمم المتحدة الخاص لليبيا",
        ),
        "وقال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن": (
            "أنطونيو غوتيريش",
            "الأمين العام للأمم المتحدة",
        ),
    }
    for text, expected in cases.items():
        [person] = titled_people(text, matcher.find(text), "f.txt", text)
        assert (person.name, person.role) == expected, text


# Two bearers of one family name, as editors list them: Khalifa Haftar also by "حفتر" alone,
# his son by his full name; and two cousins who both answer to "الغرياني".
FAMILY = [
    Actor("khalifa-haftar", "خليفة حفتر", "person", ("حفتر",)),
    Actor("saddam-haftar", "صدام حفتر", "person"),
    Actor("lna", "الجيش الوطني الليبي", "body", ("قوات حفتر",)),
    Actor("adel-ghariani", "عادل الغرياني", "person", ("الغرياني",)),
    Actor("nouri-ghariani", "نوري الغرياني", "person", ("الغرياني",)),
]


def test_a_persons_name_inside_another_persons_names_only_the_longer():
    """ "صدام حفتر" is Saddam, not also Khalifa through the family name his alias "حفتر" is;
    a person's name inside a body's ("قوات حفتر") still names both."""
    matcher = EntityMatcher(FAMILY, [])

    def ids(text: str) -> list[str]:
        return [m.id for m in matcher.find(text)]

    assert ids("وقال صدام حفتر إن") == ["saddam-haftar"]
    assert ids("وقال خليفة حفتر إن") == ["khalifa-haftar"]
    assert ids("وقال حفتر إن") == ["khalifa-haftar"]
    assert ids("وتقدمت قوات حفتر") == ["lna", "khalifa-haftar"]
    # the shared family name inside one bearer's full name names that bearer alone
    assert ids("والتقى نوري الغرياني بالوفد") == ["nouri-ghariani"]


def test_a_shared_alias_names_the_bearer_the_article_names_in_full():
    matcher = EntityMatcher(FAMILY, [])

    def resolved(*sentences: str) -> list[list[str]]:
        found = [matcher.find(s) for s in sentences]
        return [[m.id for m in ms] for ms in matcher.resolve(found)]

    # named in full before (or after) the shortened name: that bearer
    assert resolved("وصل نوري الغرياني إلى جنيف.", "وقال الغرياني إن الهدنة صامدة.") == [
        ["nouri-ghariani"],
        ["nouri-ghariani"],
    ]
    assert resolved("وقال الغرياني إن الهدنة صامدة.", "وكان عادل الغرياني قد وصل.") == [
        ["adel-ghariani"],
        ["adel-ghariani"],
    ]
    # neither bearer named in full, or both: the shortened name names nobody
    assert resolved("وقال الغرياني إن الهدنة صامدة.") == [[]]
    assert resolved("التقى نوري الغرياني وعادل الغرياني.", "وقال الغرياني إن") == [
        ["nouri-ghariani", "adel-ghariani"],
        [],
    ]
    # an alias of one actor alone is left as it was
    assert resolved("وقال حفتر إن") == [["khalifa-haftar"]]
