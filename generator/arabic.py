"""Arabic text normalisation shared by the date engine, entity matching and the search index.

Arabic news spells the same word many ways: hamza and alef forms (إبريل / أبريل / ابريل), taa
marbuta written as haa (سلامة / سلامه), alef maqsura for yaa, optional diacritics (السرّاج),
tatweel (مـارس) and two digit systems (١٩٧٠ / 1970). Matching on the written form would miss
most of them, so every matcher works on one folded form. Because the date engine must report
offsets into the text *as written*, the folding can also return, for each folded character, the
offset of the original character it came from.
"""

from __future__ import annotations

import unicodedata

import regex

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = regex.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]")
TATWEEL = "\u0640"
# Bidirectional controls and zero-width characters: invisible, and a trap in names and quotes.
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"

_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ک": "ك",
    "ی": "ي",
    "٫": ".",
    "،": "،",
}
# Eastern Arabic (٠-٩) and Persian (۰-۹) digits to ASCII.
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)
    _FOLD[chr(0x06F0 + _i)] = str(_i)

_DROP = set(TATWEEL + BIDI_CONTROLS + ZERO_WIDTH)


def _is_diacritic(ch: str) -> bool:
    return bool(_DIACRITICS.match(ch))


def fold_char(ch: str) -> str:
    """Fold one character; returns "" for characters that carry no meaning for matching."""
    if ch in _DROP or _is_diacritic(ch):
        return ""
    return _FOLD.get(ch, ch)


# One str.translate table does all of the folding (deletions map to None): a C loop instead of a
# Python one per character, which matters on a 10,000-article corpus.
_DROPPED = frozenset(
    [ord(c) for c in _DROP]
    + [
        cp
        for lo, hi in ((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED))
        for cp in range(lo, hi + 1)
    ]
)
_TABLE: dict[int, str | None] = {ord(k): v for k, v in _FOLD.items()}
_TABLE.update(dict.fromkeys(_DROPPED))


def normalize(text: str) -> str:
    """The folded form used for matching and search: no diacritics, one alef, one digit system.

    Case is folded too, for the Latin names that appear in Arabic text.
    """
    return unicodedata.normalize("NFC", text).translate(_TABLE).casefold()


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for every folded character, its offset in `text`.

    The map has one extra entry at the end (len(text)) so that an end offset maps too. The
    text is not NFC-normalised first: offsets must stay those of the text as read.
    """
    folded = text.translate(_TABLE)
    lowered = folded.lower()
    if len(lowered) == len(folded):  # every fold is one character or none: a map of survivors
        if len(folded) == len(text):
            offsets = list(range(len(text) + 1))
        else:
            offsets = [i for i, ch in enumerate(text) if ord(ch) not in _DROPPED]
            offsets.append(len(text))
        return lowered, offsets
    out: list[str] = []
    offsets = []
    for i, ch in enumerate(text):  # rare: a character whose lower case is longer (İ)
        for f in fold_char(ch).lower():
            out.append(f)
            offsets.append(i)
    offsets.append(len(text))
    return "".join(out), offsets


def strip_controls(text: str) -> str:
    """Remove bidirectional controls and zero-width characters (for display of untrusted text)."""
    return "".join(ch for ch in text if ch not in BIDI_CONTROLS and ch not in ZERO_WIDTH)


# Proclitics that attach to a noun in running text: و ف ب ل ك and the article ال (with لل).
_CLITIC_PREFIXES = (
    "وبال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "لل",
    "ال",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)


def token_variants(token: str) -> set[str]:
    """A folded token and its forms with proclitics and the article removed.

    "والسراج" gives {"والسراج", "السراج", "سراج"}, so an alias written "السراج" or "سراج" matches.
    Stems shorter than two letters are not produced: they would match everything.
    """
    variants = {token}
    frontier = [token]
    while frontier:
        t = frontier.pop()
        for p in _CLITIC_PREFIXES:
            if t.startswith(p) and len(t) - len(p) >= 2:
                stem = t[len(p) :]
                if stem not in variants:
                    variants.add(stem)
                    frontier.append(stem)
    return variants


WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Folded word tokens of `text` with their offsets in `text` as written."""
    folded, offsets = normalize_with_map(text)
    return [
        (m.group(), offsets[m.start()], offsets[m.end() - 1] + 1) for m in WORD.finditer(folded)
    ]
