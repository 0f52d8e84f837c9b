"""Properties of the merge that editors rely on, for any set of candidates hypothesis finds:
merging twice equals merging once, and nothing an editor wrote changes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.factindex import load_index, merge
from generator.model import ActorCandidate, Candidate, Extraction

SEED = "000_1a27685ede925d13.txt"
EDITED = """\
# yaml-language-server: $schema=generator/schema/facts.schema.json
# an editor's header comment
actors:
  - id: gna
    name: حكومة الوفاق
    kind: body
    aliases: [الوفاق]   # kept as written
meetings: []
facts:
  # reviewed by hand
  - id: gna-withdraws
    date: "2020-02-18"
    summary: حكومة الوفاق تنسحب من المحادثات (صيغة المحرر)
    actors: [gna]
    kind: event
    status: reviewed
    candidates: [c-aaaaaaaaaa]
    sources:
      - file: 000_1a27685ede925d13.txt
        quote: وانسحبت حكومة الوفاق من محادثات وقف إطلاق النار في وقت متأخر الثلاثاء.
  - id: c-bbbbbbbbbb
    date: "2020-02-19"
    summary: مرشح مرفوض
    kind: event
    status: rejected
    sources:
      - file: 000_1a27685ede925d13.txt
        quote: نص
# trailing note
"""

arabic = st.text(
    alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي ،.:\"'0123456789-#", min_size=1, max_size=40
)
candidate = st.builds(
    Candidate,
    id=st.sampled_from([f"c-{c * 10}" for c in "abcdef0123"]),
    date=st.one_of(st.none(), st.sampled_from(["2020-02-18", "2020-02", "2019"])),
    until=st.none(),
    expression=arabic,
    quote=arabic.filter(lambda s: s.strip()),
    file=st.just(SEED),
    actors=st.lists(st.sampled_from(["gna", "lna", "un"]), max_size=2).map(tuple),
    meeting=st.none(),
    kind=st.sampled_from(["event", "statement", "plan"]),
)
person = st.builds(
    ActorCandidate,
    id=st.sampled_from(["syrjy-lfrwf", "styfn-dwjryk", "gna"]),
    name=arabic.filter(lambda s: s.strip()),
    role=arabic,
    file=st.just(SEED),
    quote=arabic.filter(lambda s: s.strip()),
)
extractions = st.lists(
    st.builds(
        Extraction,
        file=st.just(SEED),
        candidates=st.lists(candidate, max_size=6).map(tuple),
        actor_candidates=st.lists(person, max_size=2).map(tuple),
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=extractions)
def test_merge_is_idempotent_and_keeps_every_editor_byte(batch):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "facts.yaml"
        path.write_text(EDITED, "utf-8")
        merge(path, batch)
        once = path.read_text("utf-8")
        merge(path, batch)
        assert path.read_text("utf-8") == once  # merging twice equals merging once

        # every line the editor wrote is still there, in the same order
        lines = iter(once.splitlines())
        for line in EDITED.splitlines():
            assert any(candidate_line == line for candidate_line in lines), line

        index = load_index(path)
        first, rejected = index.facts[0], index.facts[1]
        assert first.summary == "حكومة الوفاق تنسحب من المحادثات (صيغة المحرر)"
        assert first.status == "reviewed" and first.candidates == ("c-aaaaaaaaaa",)
        assert rejected.status == "rejected"
        # known ids (a fact's own, a merged or a rejected candidate) are never proposed again
        ids = [f.id for f in index.facts]
        assert "c-aaaaaaaaaa" not in ids
        assert ids.count("c-bbbbbbbbbb") == 1
        assert len(ids) == len(set(ids))
