"""The deed-like rules: what one side does for the other, and what is done to a relation.

Support is often shown, not said: aid, shipments, visits and credits done by one side of a
relation target to the other ("Russia sent 90,000 tonnes of oil to Cuba"), goods that carry
one side's name ("Russian wheat reached the bakeries"), thanks (the thanked giver's side is
supported by the thanking one), both parties acting together ("Russia and Cuba agree to …"),
people named by what they are for or against ("Critics of the embargo say …"), and opening up
or closing down what a relation is made of ("Washington reopened its embassy").
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from gui.nlp.context import DocContext
from gui.nlp.holders import HolderFinder, Named
from gui.nlp.lexicon import Cue, Lexicon
from gui.nlp.stance_cues import Cues, doerless
from gui.nlp.stance_findings import (
    ADVOCATE_SCORE,
    DEED_FACTOR,
    GOODS_SCORE,
    MAX_DEPTH,
    MEASURE_SCORE,
    PARTY_SCORE,
    Best,
    BestTable,
    Finding,
    flip,
    keep,
)
from gui.nlp.targets import SUPPORT_WEIGHT, Mention, Side, TargetFinder
from gui.nlp.words import WordTable

# Edges from a deed up to the clause whose subject does it.
_ACTOR_PATH = {"xcomp", "acomp", "dobj", "conj", "pobj", "prep", "aux", "attr"}
_LIGHT_VERBS = {"make", "pay", "give", "provide", "lead", "offer", "conclude", "reach",
                "hold", "receive", "approve", "announce", "deliver", "extend", "open"}
_GROUP_HOLDERS = {"ORG", "NORP", "PERSON"}  # "Supporters in Congress", not "critics in Miami"
_PLACE_PREPS = {"in", "at", "to", "into", "near"}
_PLACES = {"GPE", "LOC", "FAC"}
_BESIDE = {"by", "with"}  # "stand by Havana", "stood with Cuba"
_GOODS_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "ROOT", "conj", "appos", ""}


class DeedRules:
    """The lexicon's deed, goods, advocate and measure words, and the rules that read them;
    built once per pipeline beside the cues they share (a support verb is an object cue)."""

    def __init__(self, lexicon: Lexicon, lemmas: bool, cues: Cues, holders: HolderFinder,
                 targets: TargetFinder):
        self.cues = cues
        self.holders = holders
        self.targets = targets
        self.no_deeds = lexicon.no_deeds
        self.deeds = WordTable(lexicon.lemma_cues("deed"), lemmas)
        self.thanks = WordTable.of(lexicon.thanks, lemmas)
        self.carriers = WordTable.of(lexicon.carriers, lemmas)
        self.standing = WordTable({w: Cue(w, "favor", SUPPORT_WEIGHT, "deed", False)
                                   for w in lexicon.standing}, lemmas)
        self.advocate_words = WordTable(lexicon.advocates, lemmas, frozenset({"NOUN"}))
        self.measure_words = [
            (name, WordTable.of(words, lemmas), WordTable.of(lexicon.opening.get(name, ()), lemmas),
             WordTable.of(lexicon.closing.get(name, ()), lemmas))
            for name, words in lexicon.target_measures.items() if words
        ]

    def deed(
        self, deed: Token, support: bool, sides: dict[int, set[Side]], everywhere: set[Side],
        in_targets: set[int], named: Named, best: BestTable,
        context: DocContext, speaker: Callable[[Span], Span | None],
        members: dict[int, set[Side]],
    ) -> None:
        """A deed done by one side of a relation target to the other supports the relation;
        so does a support verb ("Moscow will support Havana") whose object is the other side.
        A deed of the relation's own side (Russia's for the partnership) with the other side
        named only elsewhere in the story counts too ("A technical team from Moscow will
        train local crews" in a story about Cuba), unless someone who speaks for no side is
        reported telling it (``speaker``, ``members``: as for one side's goods)."""
        sent = context.sentence(deed.i)
        if sent is None:
            return
        cue: Cue | None = (self.cues.object_cues if support else self.deeds).get(deed)
        beside = cue is None and deed in self.standing
        if beside:  # "stand by Havana": the other side is whom it stands by or with
            cue, support = self.standing.get(deed), True
        if cue is None:  # matched by an inflected form the lemma table does not know
            return
        actor = self._actor(deed)
        if actor is not None and actor.dep_ == "agent" and not any(
            t.i in sides for t in actor.subtree
        ):  # "the delegation was received by the Assembly's president": the guest's side
            actor = next((c for c in deed.children if c.dep_ == "nsubjpass"), actor)
        if actor is not None and _counted(actor):
            return  # "150,000 Russians visited the island": tourists, not a side's deed
        acting = set(actor.subtree) if actor is not None else set()
        actor_sides = {s for t in acting for s in sides.get(t.i, ())}
        if actor is not None and not actor_sides:  # "it was ready to help", "the minister"
            meant = self.holders.resolve(actor, named)
            actor_sides = {s for t in meant or () for s in sides.get(t.i, ())}
        if support:
            receiving = _supported(deed, _BESIDE if beside else None)
        else:  # the sentence and its dateline; only the words that name a side can count
            dateline = context.dateline(sent)
            receiving = [sent.doc[i] for span in ((sent, dateline) if dateline else (sent,))
                         for i in range(span.start, span.end) if i in sides]
        rest = {
            s for t in receiving if t not in acting and t.head.i not in in_targets
            for s in sides.get(t.i, ())
        }
        if not support and actor_sides and _to_a_place(deed, sides):
            # "Russian engineers arrive in Matanzas": a place of no side, in a story that names
            # the other side, is the other side's
            rest |= {(name, 1 - n) for name, n in actor_sides if (name, 1 - n) in everywhere}
        described = actor is not None and not any(t.i in sides for t in acting)
        thanked = {  # "thanked Russia for…", "thanked them for the help of Russian crews"
            s for t in deed.subtree if t not in acting for s in sides.get(t.i, ())
        } if deed in self.thanks and (actor is None or described) else set()
        for name, own in self.targets.own_side.items():
            if name in self.no_deeds:
                continue
            mine = [n for n in (0, 1) if (name, n) in actor_sides]
            joint = len(mine) == 2 and not support  # "Russia and Cuba signed an agreement"
            if (name, own) in thanked:  # "the ambassador thanked Russia": the giver is thanked
                mine = [1 - own]  # by the other side, whoever the description stands for
            rule = "deed"
            if not joint and not any((name, 1 - n) in rest for n in mine):
                if (support or own not in mine or (name, 1 - own) not in everywhere
                        or self._told_by_another(sent, speaker, members)):
                    continue  # a deed needs a doer of one side and the other side named
                rule = "deed, the other side in the story"
            polarity = flip(cue.polarity) if self.cues.negated(deed) else cue.polarity
            finding = Finding(polarity, cue.weight * DEED_FACTOR, deed, rule)
            keep(best, (context.number(sent), name), Best(finding, sent, deed))

    @staticmethod
    def _told_by_another(sent: Span, speaker: Callable[[Span], Span | None],
                         members: dict[int, set[Side]]) -> bool:
        """Someone who speaks for no side is reported telling the sentence ("'The Russians
        send oil to the government,' she said"): their account, not the doer's support."""
        who = speaker(sent)
        return who is not None and not any(i in members for i in range(who.start, who.end))

    def joint(
        self, context: DocContext, sides: dict[int, set[Side]], holders: dict[int, Span],
        best: BestTable,
    ) -> None:
        """Both parties of a relation acting together are for it, whatever they do: "Russia
        and Cuba agree to convene the commission", "Lavrov and Rodríguez discuss the
        bilateral agenda", "Cuban and Russian lawmakers renew their friendship group"; not
        when the verb is against something or negated ("Russia and Cuba condemn…"). The holder
        is found as for a cue: the first party, or the speaker who reports them."""
        for subject in _subjects_of(sides, context):
            sent = context.sentence(subject.i)
            if sent is None:
                continue
            number = context.number(sent)
            verb = subject.head
            cue = self.cues.object_cues.get(verb)
            if (cue is not None and cue.polarity != "favor") or self.cues.negated(verb):
                continue
            # the coordinated names themselves ("Russia and Cuba", "Cuban and Russian
            # lawmakers"), not what they modify ("trade between Russia and Cuba")
            heads = (subject, *subject.conjuncts)
            modifiers = [m for h in heads for c in h.children if c.dep_ == "amod"
                         for m in (c, *c.conjuncts)]
            named: dict[int, set[Side]] = {}  # party (a name counts once) -> its sides
            for t in (*heads, *modifiers):
                party = holders[t.i].start if t.i in holders else t.i
                if t.dep_ == "amod" and t.head.i in sides and t.i == t.head.i - 1:
                    party = t.head.i  # "Cuban Americans" are one people, not two
                named.setdefault(party, set()).update(sides.get(t.i, ()))
            for name in self.targets.own_side:
                if not any((name, 0) in named[a] and (name, 1) in named[b]
                           for a in named for b in named if a != b):
                    continue
                finding = Finding("favor", PARTY_SCORE, verb, "joint action")
                keep(best, (number, name), Best(finding, sent, verb))

    def goods(
        self, good: Token, sides: dict[int, set[Side]], everywhere: set[Side],
        holders: dict[int, Span], best: BestTable, context: DocContext,
        speaker: Callable[[Span], Span | None], members: dict[int, set[Side]],
    ) -> None:
        """Goods that carry one side's name, in a document that names the other side, are that
        side's support ("Russian wheat reached our bakeries", "a Russian tanker docks"),
        unless someone who speaks for no side is reported saying so."""
        sent = context.sentence(good.i)
        if sent is None or good.dep_ not in _GOODS_DEPS:
            return  # "a Russian oil company" is a company
        if not self._carried(good):
            return  # goods in a list, an image or a complaint: "Russian tankers fill the space"
        who = speaker(sent) if context.number(sent) not in context.answers else None
        if who is not None and not any(i in members for i in range(who.start, who.end)):
            return  # "'Russian oil buys weeks, not years,' said an economist": his view
        # a person of a side who recalls the goods, or whom the report is "according to",
        # holds the support they tell of ("Villar recalled that Russian grain has arrived");
        # a body's report keeps the goods' side ("Russian crude docked, Cuba's ministry said")
        teller = who if who is not None else self.holders.according_to(sent, holders)
        if teller is not None and teller.label_ != "PERSON":
            teller = None
        for owner in good.children:
            if owner.dep_ not in ("amod", "compound", "poss", "nmod"):
                continue
            for name, number in sides.get(owner.i, ()):
                if (name in self.no_deeds or self.targets.own_side.get(name) is None
                        or (name, 1 - number) not in everywhere):
                    continue
                finding = Finding("favor", GOODS_SCORE, owner, "one side's goods")
                keep(best, (context.number(sent), name),
                      Best(finding, sent, good, holder=teller or holders.get(owner.i)))

    def _carried(self, good: Token) -> bool:
        """Goods that move or work: the subject or object of a deed or a carrier word, also
        through a measure ("a team of Russian electricians will help", "barrels of Russian
        oil docked")."""
        node = good
        for _ in range(3):
            carrier = node.head.head if node.dep_ == "pobj" else node.head
            if carrier in self.deeds or carrier in self.carriers:
                return True
            if carrier.i == node.i or carrier.pos_ != "NOUN":
                return False
            node = carrier
        return False

    def _actor(self, deed: Token) -> Token | None:
        """Who does the deed: the subject of its clause ("was ready to increase deliveries"),
        or a deed noun's possessor or agent; never across a clause boundary ("companies
        shipping oil", "tourists visiting Cuba" have no actor of a side's)."""
        node = deed
        for _ in range(MAX_DEPTH):
            owner = next((c for c in node.children if c.dep_ in ("poss", "agent")), None)
            if owner is not None:
                return owner
            subject = self.holders.subject(node)
            if subject is not None:
                return subject
            if (node.head.i == node.i or node.dep_ not in _ACTOR_PATH
                    or node in self.holders.reporting):
                return None
            if node.dep_ == "dobj" and not self._doing(node.head):
                return None  # "it called the agreement a victory": calling is not signing
            node = node.head
        return None

    def _doing(self, verb: Token) -> bool:
        """A verb whose subject does the deed named by its object: a deed itself ("signed an
        agreement"), a light verb ("led a delegation", "made a visit") or a favor cue
        ("increase deliveries")."""
        if any(c.dep_ == "oprd" for c in verb.children):
            return False  # "called the agreement a victory" names it, does not do it
        if verb.lemma_.lower() in _LIGHT_VERBS or verb in self.deeds:
            return True
        cue = self.cues.object_cues.get(verb)
        return cue is not None and cue.polarity == "favor"


    def advocates(
        self, context: DocContext, mentions: list[Mention], groups: list[Token],
        best: BestTable,
    ) -> None:
        """People named by what they are for or against speak for it: "Supporters of the
        opening argue…" (the target of their "of" phrase), "Critics say the embargo…" (the
        targets the sentence names), "Critics in Washington see a security risk" (the topic
        of the sentence before it, else of the one after it)."""
        at = {t.i: m.target for m in mentions for t in m.span}
        for group in groups:
            polarity = self.advocate_words.get(group) if group.dep_ == "nsubj" else None
            sent = context.sentence(group.i)
            if polarity is None or sent is None:
                continue
            number = context.number(sent)
            whose = {at[t.i] for t in group.subtree if t.i in at}
            holder = next((e for e in context.ents_within(sent) if e.start >= group.i
                           and e.end <= group.right_edge.i + 1
                           and e.label_ in _GROUP_HOLDERS), None)
            finding = Finding(polarity, ADVOCATE_SCORE, None, "advocates")
            # what they say is about the sentence's other target, when it names one
            # ("defenders of engagement say the embargo has failed"), else about what
            # they are named for, else about the topic the sentence carries on
            names = {name for n, name in best if n == number} - whose or whose
            if not names:  # "Critics disagree." between two sentences on the topic
                names = ({name for n, name in best if n == number - 1}
                         or {name for n, name in best if n == number + 1})
            for name in names:
                if name in whose:
                    best[(number, name)] = Best(finding, sent, group, holder=holder)
                else:
                    keep(best, (number, name), Best(finding, sent, group, holder=holder))

    def measures(
        self, context: DocContext, sides: dict[int, set[Side]], verbs: list[Token],
        best: BestTable,
    ) -> None:
        """Opening up or closing down what a relation is made of is a stance on it:
        "Washington reopened its embassy", "the administration capped remittances",
        "flights were curtailed", "reversed much of the opening". Not where another relation
        target's side acts or is named ("Aeroflot flights from Moscow")."""
        for name, measures, opening, closing in self.measure_words:
            # the sides no other target shares: Russia for the partnership
            others = {(t, own) for t, own in self.targets.own_side.items() if t != name}
            for verb in verbs:
                opens = verb in opening
                sent = context.sentence(verb.i)
                if verb.pos_ != "VERB" or sent is None or (not opens and verb not in closing):
                    continue
                objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
                if verb.dep_ in ("amod", "acl") and verb.head in measures:
                    objects.append(verb.head)  # "remittances capped by Washington"
                doer: Token | None = verb
                if not objects:  # "embassies reopened in 2015": nobody named doing it
                    objects, doer = [c for c in verb.children if c.dep_ == "nsubj"], None
                if not any(_measured(o, measures) for o in objects):
                    continue
                if any(o.dep_ == "nsubjpass" for o in objects) and doerless(verb):
                    continue  # "flights were restored in 2022": their state, nobody's deed
                if any(s in others for t in sent for s in sides.get(t.i, ())):
                    continue  # Moscow's flights to Havana are the partnership's
                polarity = "favor" if opens != self.cues.negated(verb) else "against"
                finding = Finding(polarity, MEASURE_SCORE, doer, "opening or closing it")
                keep(best, (context.number(sent), name), Best(finding, sent, verb))

def _counted(actor: Token) -> bool:
    """A doer given as a number of people ("150,000 Russians", "thousands of Cubans"):
    private people, who speak for no side whatever their nationality ("two cargo planes from
    Russia's ministry" are the ministry's, counted or not)."""
    if actor.like_num:
        return any(g.ent_type_ == "NORP" for c in actor.children if c.dep_ == "prep"
                   for g in c.children)
    return actor.ent_type_ == "NORP" and any(c.dep_ == "nummod" for c in actor.children)


def _subjects_of(sides: dict[int, set[Side]], context: DocContext) -> list[Token]:
    """The clause subjects a side word belongs to, itself or through the words it is
    coordinated with or modifies ("Russia and Cuba", "Cuban and Russian lawmakers"), in text
    order: the only subjects that can name both parties of a relation."""
    if not sides or not context.sents:
        return []
    doc = context.sents[0].doc
    found: set[int] = set()
    for i in sides:
        token = doc[i]
        for _ in range(MAX_DEPTH):
            if token.dep_ == "nsubj":
                found.add(token.i)
                break
            if token.dep_ not in ("conj", "amod", "compound") or token.head.i == token.i:
                break
            token = token.head
    return [doc[i] for i in sorted(found)]


def _to_a_place(deed: Token, sides: dict[int, set[Side]]) -> bool:
    """The deed goes to or happens at a named place that is no side's ("arrive in
    Matanzas", "docked at Cienfuegos", "opens a station near the capital's port")."""
    return any(
        p.dep_ == "prep" and p.lower_ in _PLACE_PREPS and g.dep_ == "pobj"
        and g.ent_type_ in _PLACES and not any(t.i in sides for t in g.subtree)
        for p in deed.children for g in p.children
    )


def _supported(verb: Token, preps: set[str] | None = None) -> list[Token]:
    """Who a support verb supports: its object itself, with its own modifiers ("support
    Havana", "backed the Cuban people", "stand by Cuba"), not whatever the object mentions
    ("hails normalisation as Cuba's victory"); with ``preps``, only whom those name."""
    if verb.pos_ not in ("VERB", ""):
        return []
    heads = [c for c in verb.children if c.dep_ in ("dobj", "dative")] if preps is None else []
    heads += [g for c in verb.children if c.dep_ == "prep"
              and (preps is None or c.lower_ in preps) for g in c.children if g.dep_ == "pobj"]
    return [t for h in heads for t in (h, *h.children)
            if t.i == h.i or t.dep_ in ("amod", "compound")]


def _measured(thing: Token, measures: WordTable) -> bool:
    """The thing, or what it is of or on, is one of the relation's measures ("travel
    rules", "caps on remittances", "much of the opening", "immigrant visa processing")."""
    heads = [thing, *thing.conjuncts]
    heads += [g for h in heads for p in h.children if p.dep_ == "prep"
              and p.lower_ in ("of", "on") for g in p.children if g.dep_ == "pobj"]
    heads += [g for h in list(heads) for g in h.conjuncts]
    return any(w in measures for h in heads for w in (h, *(
        c for c in h.subtree
        if c.dep_ == "compound" or (c.dep_ == "amod" and c.head.i == h.i))))
