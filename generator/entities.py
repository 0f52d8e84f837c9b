"""Recognise the index's actors and meetings in Arabic text, and propose titled newcomers.

Part of the extract stage. Editors list each actor's aliases once, in whatever spelling they
like; the text writes them with or without diacritics ("السرّاج"), with another hamza form, with
taa marbuta as haa, and glued to the proclitics و ف ب ل ك ("والسراج", "للسراج"). Matching is
done on folded tokens (generator.arabic) and the first word of an alias may carry proclitics,
which covers all of these without a stemmer that would also conflate unrelated words.

People named with a title ("وزير الخارجية الروسي سيرجي لافروف") who are not yet in the index are
proposed as actor candidates with the title as their role, so an editor can adopt them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex
from slugify import slugify

from .arabic import normalize, tokens
from .model import Actor, ActorCandidate, Meeting

# Proclitic chains that can precede a word; "ل" + "ال" is written "لل".
_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك")


def _surface_forms(first: str) -> set[str]:
    """The written forms (folded) in which an alias's first word can appear in running text."""
    forms = {p + first for p in _PREFIXES}
    if first.startswith("ال") and len(first) > 3:
        rest = first[2:]
        forms |= {p + "لل" + rest for p in ("", "و", "ف")}
    return forms


@dataclass(frozen=True)
class Mention:
    """An entity found in a text: kind is "actor" or "meeting"; offsets into the text as written."""

    kind: str
    id: str
    start: int
    end: int


class EntityMatcher:
    """Finds actors and meetings through their names and aliases (built once per corpus)."""

    def __init__(self, actors: Sequence[Actor], meetings: Sequence[Meeting]):
        # first-word surface form -> list of (remaining folded words, kind, id)
        self._index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for actor in actors:
            if actor.status == "rejected":
                continue
            for alias in actor.matched:
                self._add(alias, "actor", actor.id)
        places: dict[tuple[str, ...], list[Meeting]] = {}
        for meeting in meetings:
            for alias in (meeting.name, *meeting.aliases):
                self._add(alias, "meeting", meeting.id)
            if meeting.place:
                words = tuple(t for t, _, _ in tokens(meeting.place))
                if words:
                    places.setdefault(words, []).append(meeting)
        # first word of a place in any written form (with clitics) -> (other words, meetings)
        self._places: dict[str, list[tuple[tuple[str, ...], list[Meeting]]]] = {}
        for words, at in places.items():
            for form in _surface_forms(words[0]):
                self._places.setdefault(form, []).append((words[1:], at))
        self._known_names = {folded(n) for a in actors if a.status != "rejected" for n in a.matched}
        self._persons = frozenset(a.id for a in actors if a.kind == "person")

    def _add(self, alias: str, kind: str, ident: str) -> None:
        words = tuple(t for t, _, _ in tokens(alias))
        if not words:
            return
        for form in _surface_forms(words[0]):
            entries = self._index.setdefault(form, [])
            entry = (words[1:], kind, ident)
            if entry not in entries:
                entries.append(entry)

    def find(self, text: str) -> list[Mention]:
        """Every actor and meeting mention in `text`, in text order.

        A match inside a longer match of the same entity is dropped; a match inside a longer
        match of another entity is kept ("رئيس حكومة الوفاق" names a person and his government),
        but for a person's inside another person's: "صدام حفتر" names Saddam, not his father
        Khalifa, whose alias "حفتر" it contains.
        """
        toks = tokens(text)
        found: list[Mention] = []
        for i, (tok, start, _) in enumerate(toks):
            for rest, kind, ident in self._index.get(tok, ()):
                n = len(rest)
                if i + n >= len(toks):
                    continue
                if all(toks[i + 1 + k][0] == rest[k] for k in range(n)):
                    found.append(Mention(kind, ident, start, toks[i + n][2]))
        found.sort(key=lambda m: (m.start, -(m.end - m.start), m.kind, m.id))
        kept: list[Mention] = []
        persons = self._persons
        for m in found:
            if any(
                k.start <= m.start
                and m.end <= k.end
                and (
                    (k.id == m.id and k.kind == m.kind)
                    or (
                        k.kind == m.kind == "actor"
                        and k.id in persons
                        and m.id in persons
                        and (k.start, k.end) != (m.start, m.end)
                    )
                )
                for k in kept
            ):
                continue
            kept.append(m)
        return kept

    def resolve(self, found: Sequence[list[Mention]]) -> list[list[Mention]]:
        """An article's mentions (`find` on each sentence) with each shared alias resolved.

        An alias several actors share ("حفتر" for Khalifa Haftar and his son Saddam, a family
        name in general) names the one of them the article otherwise names by a name of his
        own; when it names none of them, or several, the alias names nobody: listing every
        bearer of a family name under a fact (as extract did; on a synthetic story of 10,000
        articles, facts with five people for the one named) is worse than an actor an editor
        adds. Journalists name a person in full before they shorten the name, so the article,
        not the sentence, is the context.
        """
        spans: list[dict[tuple[int, int], list[Mention]]] = []
        named: set[str] = set()
        for mentions in found:
            at: dict[tuple[int, int], list[Mention]] = {}
            for m in mentions:
                if m.kind == "actor":
                    at.setdefault((m.start, m.end), []).append(m)
            spans.append(at)
            named.update(group[0].id for group in at.values() if len(group) == 1)
        out: list[list[Mention]] = []
        for mentions, at in zip(found, spans, strict=True):
            dropped: set[Mention] = set()
            for group in at.values():
                if len(group) > 1:
                    bearers = [m for m in group if m.id in named]
                    dropped.update(m for m in group if len(bearers) != 1 or m is not bearers[0])
            out.append([m for m in mentions if m not in dropped] if dropped else mentions)
        return out

    def place_mentions(self, text: str) -> list[Meeting]:
        """Meetings whose place is named in `text` (used with the date to infer the meeting)."""
        words = [t for t, _, _ in tokens(text)]
        out: list[Meeting] = []
        for i, word in enumerate(words):
            for rest, meetings in self._places.get(word, ()):
                if words[i + 1 : i + 1 + len(rest)] == list(rest):
                    out.extend(m for m in meetings if m not in out)
        return out

    def is_known_name(self, name: str) -> bool:
        """Whether `name` (any spelling) is already an actor's name or alias."""
        return folded(name) in self._known_names


# ---------------------------------------------------------------------------------------------
# Titled people not yet in the index.

# Heads of titles, folded. A title is a head followed by its complement (an organisation, a
# nationality adjective, a portfolio), and then the person's name.
_TITLE_HEADS = (
    "المتحدث",
    "الناطق",
    "وزير",
    "وزيره",
    "رئيس",
    "رئيسه",
    "السفير",
    "سفير",
    "المبعوث",
    "مبعوث",
    "المبعوثه",
    "الرئيس",
    "نائب",
    "الامين",
    "المشير",
    "اللواء",
    "العقيد",
    "العميد",
    "الجنرال",
    "قائد",
    "مستشار",
    "المستشار",
    "مندوب",
    "المندوب",
    "ممثل",
    "الممثل",
    "مدير",
)
_CONNECTORS = {"باسم", "في", "لدى", "الى", "عن", "من", "ب", "ل"}
# Adjectives of a title ("الأمين العام", "المبعوث الخاص"): the word after them belongs to the
# title when it is a known entity or starts with the prepositions ل/ب ("العام للأمم المتحدة",
# "الخاص لليبيا", "الخاص بليبيا"); otherwise it starts the name ("المبعوث الخاص عماد
# الدباشي"). (A name that starts with ب or ل after them, "المبعوث الخاص بشير صالح", is
# still taken for the title's: without a list of places, "بليبيا" and "بشير" look alike.)
_TITLE_ADJECTIVES = {"العام", "الخاص"}
# Nouns of a body that take the next word with them ("بعثة الأمم المتحدة", "حكومة الوفاق")
_BODY_NOUNS = {"بعثه", "حكومه", "وزاره", "مجلس"}
# Words that end a name: verbs of saying, conjunctions, pronouns, common particles.
_STOP = {
    "ان",
    "انه",
    "انها",
    "قال",
    "قوله",
    "اكد",
    "في",
    "على",
    "من",
    "الى",
    "عن",
    "مع",
    "الذي",
    "التي",
    "خلال",
    "بعد",
    "قبل",
    "هو",
    "هي",
    "كان",
    "كانت",
    "لكن",
    "او",
    "ثم",
    "حيث",
    "اليوم",
    "امس",
    "مساء",
    "صباح",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
    "الاحد",
}
_NAME_TOKEN = regex.compile(r"^\p{Arabic}{2,}$")


def titled_people(
    text: str,
    known: list[Mention],
    file: str,
    quote: str,
    dated: Sequence[tuple[int, int]] = (),
) -> list[ActorCandidate]:
    """People introduced by a title in `text` who are not among the `known` mentions.

    `dated`: the spans of `text` the date engine read as dates. A date ends a title and is
    never a name: "المبعوث الخاص ... في 13 آب/أغسطس" proposed "آب/أغسطس" as a person (on a
    synthetic story of 10,000 articles, 142 of 370 actor candidates were dates).
    """
    toks = tokens(text)
    covered = [(m.start, m.end) for m in known]
    not_names = [*covered, *dated]  # a name stops at a known entity or a date

    def in_known(s: int, e: int) -> bool:
        return any(cs <= s and e <= ce for cs, ce in covered)

    out: list[ActorCandidate] = []
    i = 0
    while i < len(toks):
        tok = toks[i][0]
        head = (
            tok
            if tok in _TITLE_HEADS
            else (tok[1:] if tok[:1] in "وفل" and tok[1:] in _TITLE_HEADS else None)
        )
        if head is None:
            i += 1
            continue
        # the title's complement: words with the article, connectors and what follows them,
        # and known entities (organisations, countries)
        j = i + 1
        after_connector = False
        known_person = False
        while j < len(toks):
            t, s, e = toks[j]
            if any(ds <= s < de for ds, de in dated):
                break
            known_word = in_known(s, e)
            if t in _CONNECTORS:
                after_connector = True
                j += 1
                continue
            if t in _TITLE_ADJECTIVES:
                nxt = toks[j + 1] if j + 1 < len(toks) else None
                after_connector = nxt is not None and (
                    nxt[0][:1] in ("ل", "ب") or in_known(nxt[1], nxt[2])
                )
                j += 1
                continue
            if known_word and not t.startswith("ال") and not after_connector:
                known_person = True  # the title introduces someone the index already knows
                break
            if known_word or t.startswith("ال") or after_connector or t in _BODY_NOUNS:
                after_connector = t in _BODY_NOUNS
                j += 1
                continue
            break
        # the name: 2 or 3 words; the first without the article, none a stop word
        name_toks = []
        k = j
        while k < len(toks) and len(name_toks) < 3:
            t, s, e = toks[k]
            if t in _STOP or not _NAME_TOKEN.match(t) or any(a <= s < b for a, b in not_names):
                break
            if not name_toks and t.startswith("ال"):
                break
            if len(name_toks) == 2 and name_toks[1][0].startswith("ال"):
                break  # "جان العلم": a family name with the article closes the name
            # a punctuation mark between words ends the name
            if name_toks and regex.search(r"[،,.:\"«»()]", text[name_toks[-1][2] : s]):
                break
            name_toks.append(toks[k])
            k += 1
        if known_person:
            i = j + 1
            continue
        if len(name_toks) >= 2 and j > i + 1:
            start, end = name_toks[0][1], name_toks[-1][2]
            name = text[start:end]
            role = text[toks[i][1] : toks[j - 1][2]]
            if head != tok:  # drop a proclitic glued to the title ("وقال ووزير")
                role = role[1:]
            ident = slugify(name) or "actor"
            out.append(ActorCandidate(id=ident, name=name, role=role, file=file, quote=quote))
            i = k
        else:
            i += 1
    return out


def folded(text: str) -> str:
    """Folded form of a name, for comparing a candidate with existing aliases."""
    return " ".join(normalize(text).split())
