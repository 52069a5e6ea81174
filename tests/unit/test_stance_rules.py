"""The stance rules sentence by sentence: what an annotator would see suggested for each.

The statistical pipeline is loaded once for the module; the rules-only pipeline once too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.core.schema import load_schema
from gui.nlp.lexicon import LexiconError, load_lexicon
from gui.nlp.pipeline import LoadedPipeline
from gui.nlp.stance import StanceFinder

EMBARGO = "US embargo on Cuba"
PARTNERSHIP = "Russia–Cuba partnership"
NORMALIZATION = "US–Cuba normalization"
SCHEMA = load_schema()

_FINDERS: dict[int, StanceFinder] = {}


def suggest(loaded: LoadedPipeline, text: str, threshold: float = 0.5, lexicon=None):
    if lexicon is not None:
        finder = StanceFinder(loaded.nlp, SCHEMA, lexicon, threshold)
    else:  # building the matchers is the slow part: once per pipeline
        finder = _FINDERS.setdefault(
            id(loaded), StanceFinder(loaded.nlp, SCHEMA, load_lexicon(), threshold)
        )
        finder.threshold = threshold
    return [
        (s.target, s.polarity, text[s.holder[0] : s.holder[1]] if s.holder else None)
        for s in finder.find(loaded.nlp(text))
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a stance verb with an entity subject: the subject holds it
        ("Russia rejects the blockade.", (EMBARGO, "against", "Russia")),
        ("Putin praised the strategic partnership with Cuba.", (PARTNERSHIP, "favor", "Putin")),
        # a stance noun under a reporting-neutral verb: "reiterated its rejection of"
        ("Russia reiterated its rejection of the U.S. blockade against Cuba.",
         (EMBARGO, "against", "Russia")),
        # calling for the removal of something is a stance against it
        ("Moscow calls for the immediate elimination of the blockade.",
         (EMBARGO, "against", "Moscow")),
        # negation flips: "did not support", "never support", "refused to back"
        ("The United States supports the embargo.", (EMBARGO, "favor", "United States")),
        ("The United States does not support the embargo.",
         (EMBARGO, "against", "United States")),
        # a party in the speaker's paraphrase: the speaker's position (test_holders_tenth.py)
        ("Lavrov said Russia would never support the sanctions.", (EMBARGO, "against", "Lavrov")),
        ("Moscow refused to back the sanctions.", (EMBARGO, "against", "Moscow")),
        # removal under a stance against it: opposing the lifting is favouring the embargo
        ("Washington opposed lifting the embargo.", (EMBARGO, "favor", "Washington")),
        # "against" is the cue and "voted" only carries it (it was counted twice: favor)
        ("Russia voted against the sanctions.", (EMBARGO, "against", "Russia")),
        # (a relation cue needs one of its sides in the document: here Moscow)
        ("Washington warned against deepening the partnership with Moscow.",
         (PARTNERSHIP, "against", "Washington")),
        # reported speech does not flip, and the speaker holds a stance with no entity subject
        ('"The blockade is illegal," Lavrov said.', (EMBARGO, "against", "Lavrov")),
        ("Peskov said the sanctions were a relic of the Cold War.",
         (EMBARGO, "against", "Peskov")),
        ("According to Granma, the blockade is illegal.", (EMBARGO, "against", "Granma")),
        # the speaker wins over the party the paraphrase names (test_holders_tenth.py)
        ("Peskov said Moscow did not support the sanctions.", (EMBARGO, "against", "Peskov")),
        ("Havana welcomed the normalization of relations with Washington.",
         (NORMALIZATION, "favor", "Havana")),
        # the target is not its own holder: "the US embargo" is not held by the US
        ('He said the US embargo was "the main obstacle to our development".',
         (EMBARGO, "against", None)),
    ],
)
def test_sentence(statistical: LoadedPipeline, sentence: str, expected: tuple) -> None:
    assert suggest(statistical, sentence) == [expected]


# Each kind of sentence the cold-start rules are for (docs/prefill.md has the table), with
# sentences written for these tests: text -> every suggestion, in order.
KINDS = {
    "relation words, the sides named around them decide the target": [
        ("Moscow and Havana pledged to deepen their ties.", [(PARTNERSHIP, "favor", "Moscow")]),
        ("Cuban Foreign Minister Bruno Rodríguez praised the friendship with Moscow.",
         [(PARTNERSHIP, "favor", "Bruno Rodríguez")]),
        ("Washington and Havana agreed to expand contacts between their diplomats.",
         [(NORMALIZATION, "favor", "Washington")]),
        ("Russia values its solidarity with Cuba.", [(PARTNERSHIP, "favor", "Russia")]),
        # a relation between other parties: one side of the target is never named
        ("A switch could damage the senator's ties with his colleagues in Washington.", []),
        ("The Kremlin praised its close ties with Beijing.", []),
        ("Washington hopes for closer cooperation with its allies in Europe.", []),
    ],
    "support shown by deeds between the two sides": [
        ("Russia sent 90,000 tonnes of oil to Cuba.", [(PARTNERSHIP, "favor", "Russia")]),
        ("Moscow donated 25,000 tonnes of wheat to Havana last month.",
         [(PARTNERSHIP, "favor", "Moscow")]),
        ("Cuban President Miguel Díaz-Canel thanked Russia for the humanitarian aid.",
         [(PARTNERSHIP, "favor", "Miguel Díaz-Canel")]),
        ("Russia and Cuba signed a supply agreement for fuel.",
         [(PARTNERSHIP, "favor", "Russia")]),
        ("Russia granted Cuba a loan of 50 million euros.", [(PARTNERSHIP, "favor", "Russia")]),
        # no doer of a side: tourists are not a party
        ("Russian tourists visiting Cuba rose by a third.", []),
        ("Lavrov met Rodríguez in Havana on Monday.", []),
        # support for the other side itself, not for whatever it is linked to
        ("Moscow will continue to support Havana, Peskov told reporters.",
         [(PARTNERSHIP, "favor", "Moscow")]),
        ("Moscow hailed the talks as a victory for Cuba.", []),
        # thanking the giver: whoever thanks is the other side, even when only described
        ("Havana received the delegation on Monday. The envoy thanked Russia for its help.",
         [(PARTNERSHIP, "favor", None)]),
        ("Cuban President Miguel Díaz-Canel thanked them for the solidarity of Russian workers.",
         [(PARTNERSHIP, "favor", "Miguel Díaz-Canel")]),
    ],
    "both parties acting together": [
        ("Russia and Cuba agree to convene the trade commission in May.",
         [(PARTNERSHIP, "favor", "Russia")]),
        ("Cuban and Russian lawmakers renew their parliamentary group.",
         [(PARTNERSHIP, "favor", "Cuban")]),
        ("Russia and Cuba condemn the new measures.", []),
        ("Trade between Russia and Cuba grew by a third.", []),
        ("Cuban Americans in Miami remember the thaw.", []),
    ],
    "navigation lines of a scraped page": [
        ("Power cuts hit Havana\n\nRelated: Russia and Cuba agree to convene the commission", []),
    ],
    "a deed's side goes on speaking of it": [
        ("Cuba's Energy Minister Ana Gil thanked Moscow for the Russian oil shipment.\n\n"
         '"Without this fuel, our plants would stop," she said.',
         [(PARTNERSHIP, "favor", "Ana Gil"), (PARTNERSHIP, "favor", "Ana Gil")]),
    ],
    "visits: arriving and being received": [
        # the guest's side, the host named in the dateline ("the" opens the name's entity)
        ("Lawmakers meet\n\nHavana, November 20. A delegation of the State Duma of the Russian "
         "Federation was received by the President of the National Assembly on Wednesday.",
         [(PARTNERSHIP, "favor", "the State Duma")]),
        ("Cuban President Ana Gil arrived in Moscow on Thursday.",
         [(PARTNERSHIP, "favor", "Ana Gil")]),
        ("Tourists from Canada arrived in Havana.", []),
    ],
    "goods that carry one side's name, in a document naming the other": [
        ("Blackouts hit Havana again.\n\nRussian wheat reached the bakeries on Friday.",
         [(PARTNERSHIP, "favor", "Russian")]),
        ("A Russian tanker docked in Cuba on Tuesday.", [(PARTNERSHIP, "favor", "Russian")]),
        # not a shipment: a company, or goods of a side in a document without the other
        ("A Russian oil company opened an office in Havana.", []),
        ("Russian wheat prices fell in Europe.", []),
        # reported by someone who speaks for no side: their view of the goods
        ('"Russian oil buys weeks, not years," said economist Tomas Ibarra of the University '
         "of Havana.", []),
    ],
    "the topic carried over from the sentence before": [
        ("Russia welcomed the normalization of relations between Havana and Washington. "
         "It called the agreement a victory for the Cuban people.",
         [(NORMALIZATION, "favor", "Russia"), (NORMALIZATION, "favor", "Russia")]),
        ('Lavrov said: "Our cooperation has never been stronger. We will defend it against '
         'any pressure."', [(PARTNERSHIP, "favor", "Lavrov"), (PARTNERSHIP, "favor", "Lavrov")]),
        ("Kremlin backs Havana against US sanctions\n\nThe Kremlin said on Tuesday the "
         "measures were illegal.",
         [(PARTNERSHIP, "favor", "Kremlin"), (EMBARGO, "against", "Kremlin"),
          (EMBARGO, "against", "Kremlin")]),
        # a paragraph keeps its topic through a sentence without a stance word
        ("Moscow condemned the blockade on Monday. Prices rose again in Havana. "
         "That is cruel, the statement said.",
         [(EMBARGO, "against", "Moscow"), (EMBARGO, "against", None)]),
        # a stance verb with an object of its own is about that object, not the topic
        ("Russia condemned the blockade. It will also support the resolution at the UN.",
         [(EMBARGO, "against", "Russia")]),
        # a quotation goes on saying what its first sentence said
        ('"We reject the blockade. Our farmers have waited long enough," Lavrov said.',
         [(EMBARGO, "against", "Lavrov"), (EMBARGO, "against", "Lavrov")]),
        # a headline with a stance word takes the target of the lead below it
        ("Moscow and Havana protest\n\nThe United States tightened the embargo on Monday.",
         [(EMBARGO, "against", "Moscow"), (EMBARGO, "favor", "United States")]),
        # a new paragraph with no pronoun or "this" starts a new topic
        ("Russia condemned the blockade.\n\nTourism grew by a tenth, which was a success.",
         [(EMBARGO, "against", "Russia")]),
    ],
    "background mentions in the article's own voice": [
        ("Cuba has been under a US embargo since 1962.", [(EMBARGO, "neutral", None)]),
        ("The embargo was discussed on Monday.", [(EMBARGO, "neutral", None)]),
        ("Cuba's relations with the United States have worsened.",
         [(NORMALIZATION, "neutral", None)]),
        # someone acts on it, or speaks of it: not the article's voice
        ("Russia lambasted the embargo.", []),
        ("An economist spoke about the embargo, a colleague said.", []),
        # the writer weighing it (first person, negation, modal) is a judgement, not a fact
        ("I have never believed in the embargo.", []),
        ("The embargo did not change the government in Havana.", []),
        ("The sanctions should go the way of the Cold War.", []),
    ],
    "coordinated verbs and relation words between two parties": [
        # a verb joined to another is a clause of its own: neither governs the other's object
        ("Moscow rejects the criticism and condemns the blockade.",
         [(EMBARGO, "against", "Moscow")]),
        ("Russian officials reject that view and describe Cuba as a partner of long standing.",
         [(PARTNERSHIP, "favor", "Russian")]),
        # the parties in the relation word's own phrase decide before the clause's subject
        ("Russia has always supported dialogue between Havana and Washington, the ministry said.",
         [(NORMALIZATION, "favor", "Russia")]),
    ],
    "naming is not calling for; a speech verb's own object is not reported speech": [
        ('Rep. Laura Whitfield called the sanctions "a policy that has failed for six decades."',
         [(EMBARGO, "against", "Laura Whitfield")]),
        ("Rep. Laura Whitfield called the sanctions a failed policy.",
         [(EMBARGO, "against", "Laura Whitfield")]),
        ("Moscow called for an end to the blockade.", [(EMBARGO, "against", "Moscow")]),
        ("When the thaw was announced in 2014, Russia welcomed it as a victory for Cuban "
         "diplomacy.", [(NORMALIZATION, "favor", "Russia")]),
    ],
    "a side's officials keep its line, said without a stance word": [
        ("Lavrov spoke about the embargo, his spokesman said.", [(EMBARGO, "against", "Lavrov")]),
        ('Russian Ambassador Viktor Orlov spoke on Monday.\n\n"Our Cuban friends can count on '
         'us," the ambassador said.', [(PARTNERSHIP, "favor", "Viktor Orlov")]),
        ('Russian Deputy Foreign Minister Ivan Petrov visited Moscow.\n\n"We spoke about the '
         'embargo." Petrov said the talks went well.', [(EMBARGO, "against", "Petrov")]),
        # the title in an apposition before the name
        ("Russia's deputy permanent representative, Dmitry Sokolov, said his country would "
         "always stand with Havana.", [(PARTNERSHIP, "favor", "Dmitry Sokolov")]),
        # the United States has no camp (fourth round): its officials play Russia in Cuba
        # down as often as they oppose it, so they need a stance word of their own
        ("Republican senators said the Russian partnership with Havana was a message.", []),
        # anywhere in a story about one target
        ("US tightens the embargo\n\nThe Treasury tightened the embargo on Friday. The embargo "
         "now covers hotels. The sanctions take effect at once.\n\nCuban Foreign Minister Ana "
         "Gil said Havana would not negotiate under pressure.",
         [(EMBARGO, "favor", "US"), (EMBARGO, "favor", "Treasury"), (EMBARGO, "neutral", None),
          (EMBARGO, "neutral", None), (EMBARGO, "against", "Ana Gil")]),
        # a fact's source is not a speaker; a group of two sides' names speaks for neither
        ("Trade between Russia and Cuba grew, according to the Russian Economic Ministry.", []),
        ("The Cuban American National Foundation said it did not oppose humanitarian aid "
         "delivered through churches in Havana.", []),
        # only offices speak for a side, and only when they speak
        ('A Cuban economist, Pedro Ruiz, spoke in Havana.\n\n"Our Russian friends will not '
         'save us," Ruiz said.', []),
        ("Russian Ambassador Viktor Orlov spoke on Monday. He met Cuban farmers.", []),
    ],
    "questions ask, they take no side": [
        ("What happens to the embargo now?", []),
        ("Q: Is the partnership with Russia a new alliance?", []),
        # unless the question reports someone's position
        ("Q: Critics say the blockade is illegal, do you agree?",
         [(EMBARGO, "against", None)]),
    ],
    "interview answers take the question's target and the interviewee": [
        ("Elena Vidal has led the Cuban trade office since 2020.\n\n"
         "Q: What about the embargo?\n\nA: It is cruel and it has failed.",
         [(EMBARGO, "against", "Elena Vidal")]),
        ("Maria Gonzalez has led the Cuban trade office since 2020.\n\n"
         "Q: How do you see the sanctions?\n\nA: We have lived with them for decades. "
         "They are unjust.",
         [(EMBARGO, "against", "Maria Gonzalez")]),
        # after the interview, a paragraph without a marker is the reporter's again
        ("Elena Vidal has led the Cuban trade office since 2020.\n\n"
         "Q: What about the embargo?\n\nA: Ask the farmers.\n\nThe office closes at six.",
         []),
    ],
    "polarity from the verb and who does what to whom": [
        ("The United States tightened the embargo.", [(EMBARGO, "favor", "United States")]),
        ("Washington eased the sanctions on Cuba last year.",
         [(EMBARGO, "against", "Washington")]),
        ("Washington did not ease the sanctions.", [(EMBARGO, "favor", "Washington")]),
        ("Senator Rick Scott urged the administration to impose new sanctions on Havana.",
         [(EMBARGO, "favor", "Rick Scott")]),
        ("Congress debated whether to lift or tighten the embargo.",
         [(EMBARGO, "neutral", "Congress")]),
        # keeping the measure as it is: its side's position
        ("Senator Dana Holt said the sanctions would remain in place.",
         [(EMBARGO, "favor", "Dana Holt")]),
        # what the target does to what it hits, in the passive too
        ("Harvests in the east were hampered by the blockade, farmers said.",
         [(EMBARGO, "against", None)]),
        # who could, not who wants: no position to suggest
        ("Only Congress can lift the embargo.", []),
    ],
    "holders through pronouns, titles, groups and quotations": [
        # (arriving in the other side's capital is a visit: a deed of its own)
        ("Russian Foreign Minister Sergei Lavrov arrived in Havana on Monday. "
         "He condemned the blockade.", [(PARTNERSHIP, "favor", "Sergei Lavrov"),
                                        (EMBARGO, "against", "Sergei Lavrov")]),
        ("Russian Foreign Minister Sergei Lavrov arrived in Havana on Monday. "
         "The minister condemned the blockade.", [(PARTNERSHIP, "favor", "Sergei Lavrov"),
                                                  (EMBARGO, "against", "Sergei Lavrov")]),
        ("Cuban officials said the blockade was cruel.", [(EMBARGO, "against", "Cuban")]),
        # "it" described by its predicate is the thing described, never its holder
        ("Lavrov condemned the blockade on Monday.\n\nIt is cruel and illegal.",
         [(EMBARGO, "against", "Lavrov"), (EMBARGO, "against", None)]),
        # "according to" data names no speaker; a statement names its author
        ("Russian tourists were among the largest groups visiting Cuba this year, according to "
         "Cuban data.", []),
        ("The blockade is illegal, according to a statement of the Cuban government.",
         [(EMBARGO, "against", "Cuban")]),
        # a wire dateline's place filed the story; it holds nothing
        ("HAVANA (Reuters) - Officials said the blockade was cruel.", [(EMBARGO, "against", None)]),
        ("The Russian side believes the sanctions are illegal.",
         [(EMBARGO, "against", "Russian")]),
        ("According to Kremlin spokesman Dmitry Peskov, the sanctions are illegal.",
         [(EMBARGO, "against", "Dmitry Peskov")]),
        ("Russia condemned the blockade. It also rejected the sanctions.",
         [(EMBARGO, "against", "Russia"), (EMBARGO, "against", "Russia")]),
        ('"We reject the blockade. It is illegal," Lavrov said.',
         [(EMBARGO, "against", "Lavrov"), (EMBARGO, "against", "Lavrov")]),
        ("Lavrov said on Monday that Russia and Cuba were strategic allies.",
         [(PARTNERSHIP, "favor", "Lavrov")]),
        ("The Russian Foreign Ministry issued a statement. The ministry said the blockade "
         "was illegal.", [(EMBARGO, "against", "The Russian Foreign Ministry")]),
        # a signed opinion piece's own voice is its author's; a reporter's byline is not
        ("Opinion: It is time to talk\n\nBy Laura Bennett\n\nThe embargo has failed.",
         [(EMBARGO, "against", "Laura Bennett")]),
        ("Havana waits\n\nBy Laura Bennett\n\nThe embargo has failed.",
         [(EMBARGO, "against", None)]),
        # an institution under a named speaker: the speaker's words
        ("Brian Nichols told the committee that the administration supported the embargo.",
         [(EMBARGO, "favor", "Brian Nichols")]),
        # "a minister" is someone new, not the one named before: someone of the side named
        # in it (the guidelines' group phrase, as "a Russian foreign ministry spokesman")
        ("Sergei Lavrov arrived on Monday. A Cuban minister later condemned the blockade.",
         [(EMBARGO, "against", "Cuban")]),
        ("The United States sanctioned Cuban officials on Monday.",
         [(EMBARGO, "favor", "United States")]),
        ("Obama restored diplomatic relations with Cuba in 2015.",
         [(NORMALIZATION, "favor", "Obama")]),
    ],
    "friends: a relation word (fourth round)": [
        ('"We will keep helping our Cuban friends overcome the shortages," the Russian '
         "minister said.", [(PARTNERSHIP, "favor", None)]),
        # the friends are the doers of "overcome", not what it removes
        ("Russia will help its Cuban friends overcome the hardest winter.",
         [(PARTNERSHIP, "favor", "Russia")]),
    ],
    "goods only where they move or work (fourth round)": [
        ("A second Russian tanker reached Cuba on Sunday.",
         [(PARTNERSHIP, "favor", "Russian")]),
        # listed, pictured, built in long ago, or the object of a complaint: no shipment
        ("Russian tankers, Russian tourists and Russian slogans fill the harbour of Havana.", []),
        ("Cuba's factories, built with Soviet equipment, are falling apart.", []),
        ("Lawmakers in Washington urged the Treasury to punish the owners of Russian tankers "
         "bound for Cuba.", []),
    ],
    "a deed at a place of no side, in a story naming the other (fourth round)": [
        ("Cuba's power grid is failing.\n\nRussian welders arrived in Cienfuegos on Sunday to "
         "repair the refinery.", [(PARTNERSHIP, "favor", "Russian")]),
        ("Russian engineers arrived in Ankara on Monday.", []),
    ],
    "the target does what the verb says, or is only named (fourth round)": [
        # "restrictions" names the embargo; as the subject of "keep" it is governed by nothing
        ("US restrictions have kept Cuban ships out of many ports for decades.",
         [(EMBARGO, "neutral", None)]),
        ('The Cuban government called the new US restrictions "an act of aggression."', []),
        ("Moscow called for an end to the blockade.", [(EMBARGO, "against", "Moscow")]),
    ],
    "an opinion piece's own mentions keep its writer's line (fourth round)": [
        ("Opinion: Time to change course\n\nBy Laura Bennett\n\nThe embargo is cruel and it "
         "has failed.\n\nEvery farmer in Iowa knows the embargo by now.",
         [(EMBARGO, "against", "Laura Bennett"), (EMBARGO, "against", "Laura Bennett")]),
        ("Sanctions and sugar\n\nHavana | Editorial\n\nThe blockade is an illegal relic.\n\n"
         "The blockade began in 1962.", [(EMBARGO, "against", None), (EMBARGO, "against", None)]),
        # a news story's background stays neutral, whatever its quotations judge
        ("Farm exports rise\n\nThe embargo is cruel, a farmer said.\n\nThe embargo began in "
         "1962.", [(EMBARGO, "against", None), (EMBARGO, "neutral", None)]),
    ],
    "a body both parties keep is the relation at work (fourth round)": [
        ("Moscow sent wheat to Havana in May.\n\nThe next session of the intergovernmental "
         "commission is planned for the spring.",
         [(PARTNERSHIP, "favor", "Moscow"), (PARTNERSHIP, "favor", None)]),
        ("The European Commission met in Brussels. Cuba and Russia were not on its agenda.", []),
    ],
    "a headline over its lead, past the dateline (fourth round)": [
        ("Moscow and Havana condemn U.S. move\n\nWASHINGTON, May 2 (Marginalia Wire) -\n\n"
         "The United States tightened the embargo on Cuba on Monday.",
         [(EMBARGO, "against", "Moscow"), (EMBARGO, "favor", "United States")]),
    ],
    "people named by what they are for or against (fourth round)": [
        ("Supporters of the embargo argue it denies the military hard currency.",
         [(EMBARGO, "favor", None)]),
        # no target of their own: the topic of the sentence before
        ("The United States tightened the embargo in June.\n\nCritics of the policy disagree.",
         [(EMBARGO, "favor", "United States"), (EMBARGO, "against", None)]),
        # what they say is about the other target the sentence names
        ("Opponents of the thaw say the embargo has failed.", [(EMBARGO, "against", None)]),
        ("Rice farmers are critics of the new rules.", []),
    ],
    "an office with no side word belongs to the side the story is filed from (fourth round)": [
        ("HAVANA, May 3 (Marginalia Wire) - Deputy Trade Minister Ana Gil met business owners "
         'on Monday to discuss the embargo.\n\n"Our farmers have waited long enough," Gil said.',
         [(EMBARGO, "neutral", None), (EMBARGO, "against", "Gil")]),
        ("BRASILIA, May 3 (Marginalia Wire) - Deputy Trade Minister Ana Gil met business owners "
         'on Monday to discuss the embargo.\n\n"Our farmers have waited long enough," Gil said.',
         [(EMBARGO, "neutral", None)]),
    ],
    "a menu line of a scraped page (fourth round)": [
        ("Miami council asks Washington to halt talks with Havana\n\nShare: Email | Print | "
         "Copy link\n\nThe council voted 5-2 on Tuesday.", []),
    ],
    "Russia's officials keep no line on US–Cuba normalization (fourth round)": [
        # what both parties did in a year is a background fact (twentieth round)
        ("The United States and Cuba restored diplomatic relations in 2015. The normalization "
         'stalled in 2017.\n\n"We follow these talks closely," Russian Deputy Foreign Minister '
         "Pavel Orlov said.",
         [(NORMALIZATION, "neutral", None), (NORMALIZATION, "neutral", None)]),
    ],
    "opening up or closing down what a relation is made of (fourth round)": [
        ("In 2015 the United States reopened its embassy in Havana and loosened travel rules.",
         [(NORMALIZATION, "favor", "United States")]),
        ("Washington reversed much of the opening to Cuba.",
         [(NORMALIZATION, "against", "Washington")]),
        ("Flights and remittances to Cuba were curtailed under the new administration.",
         [(NORMALIZATION, "against", None)]),
        # another relation's side: Moscow's flights are the partnership's business
        ("Aeroflot suspended its flights from Moscow to Havana.", []),
    ],
    "a word pointing back stands for the target named before it (fifth round)": [
        # a pointer noun after "the", "this", "such": the act or target just before it
        ("Washington eased the embargo last week. Cuban Foreign Minister Ana Gil welcomed "
         "the decision.",
         [(EMBARGO, "against", "Washington"), (EMBARGO, "favor", "Ana Gil")]),
        ("The United States added twelve firms to its sanctions list on Friday.\n\nIn Moscow, "
         "a Foreign Ministry spokeswoman, Irina Volkova, said Russia firmly condemns the move.",
         [(EMBARGO, "against", "Irina Volkova")]),
        # what was done, when no target is named: a deed's target
        ("Cuba thanked Russia for the oil. Havana praised the gesture.",
         [(PARTNERSHIP, "favor", "Cuba"), (PARTNERSHIP, "favor", "Havana")]),
        # a pronoun that agrees with the target's word, read by the cue rules on it
        ("Q: What would you do about the sanctions?\n\nA: I would lift them tomorrow.",
         [(EMBARGO, "against", None)]),
        ("The embargo hurts Cuba. It is cruel, the minister said.",
         [(EMBARGO, "against", None), (EMBARGO, "against", None)]),
        # a nearer noun that agrees is what the pronoun stands for; an expletive stands for
        # nothing; a new paragraph on another subject breaks the chain
        ("If the Americans sat down with the Cubans as equals, we would be the first to "
         "congratulate them.", []),
        ("Russia and Cuba deepened their partnership. It is time to move on.",
         [(PARTNERSHIP, "favor", "Russia")]),
        ("Moscow condemned the blockade.\n\nCuba's economy shrank last year. It is cruel.",
         [(EMBARGO, "against", "Moscow")]),
        # a pronoun resolved stands for the next one; an editorial's own voice keeps its line
        ("EDITORIAL: Sixty years of the same\n\nThe blockade is cruel and illegal.\n\nIt is "
         "not a theory. It is the medicine that never arrives.",
         [(EMBARGO, "against", None)] * 3),
        # an act found by any rule is what "the decision" points at
        ("In 2015 Washington reopened its embassy in Havana. Cuban diplomats welcomed the "
         "decision.", [(NORMALIZATION, "favor", "Washington"), (NORMALIZATION, "favor", "Cuban")]),
        # an "it" that stands only for the clause after it points at nothing
        ("Moscow condemned the blockade. It is clear that the vote will pass.",
         [(EMBARGO, "against", "Moscow")]),
        # a subject pronoun goes on with the subject before it, not the last noun
        ("Both sides condemned the sanctions. They also praised a just world order.",
         [(EMBARGO, "against", None)]),
        # a pointer with no cue on it says nothing, not even a background fact
        ("The embargo was tightened in 1996. The measures were codified into law.",
         [(EMBARGO, "favor", None)]),
    ],
    "a speaker keeps the line they took in words of their own (fifth round)": [
        # two stances of the speaker's on the target, then a quotation of theirs without a
        # stance word that goes on with the topic: their line
        ('Economist Maria Lopez said the embargo had failed. She said the embargo was cruel. '
         '"Families wait for months," Maria Lopez said.',
         [(EMBARGO, "against", "Maria Lopez")] * 3),
        # one stance is no line yet
        ('Economist Maria Lopez said the embargo had failed. "Families wait for months," '
         "Maria Lopez said.", [(EMBARGO, "against", "Maria Lopez")]),
        # a new paragraph that does not point back breaks the topic
        ("Economist Maria Lopez said the embargo had failed. She said the sanctions were "
         'cruel.\n\n"Families wait for months," Maria Lopez said.',
         [(EMBARGO, "against", "Maria Lopez")] * 2),
    ],
    "a sentence telling a deed does not take the topic's stance (fifth round)": [
        ("Moscow condemned the blockade. A Russian tanker carrying fuel arrived in Havana, a "
         "cruel reminder of the shortages.",
         [(EMBARGO, "against", "Moscow"), (PARTNERSHIP, "favor", None)]),
    ],
    "a relation word is a noun (fifth round)": [
        ("Companies linked to the Cuban army were listed by Moscow.", []),
    ],
    "Washington's acts toward Cuba are no support for normalization (fourth round)": [
        ("The United States sent aid to Cuba after the hurricane.", []),
        ("Washington offered Havana a loan for its farmers.", []),
        # a relation is never imposed on anyone ("imposing it" gave favor); restricting what
        # it is made of is against it
        ("Much of that was undone in 2019, when the White House restricted travel and business "
         "with firms linked to the Cuban army.", [(NORMALIZATION, "against", "the White House")]),
        ("Russia shipped diesel to Cuba in March.", [(PARTNERSHIP, "favor", "Russia")]),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, expected, id=f"{kind}: {text[:40]}")
     for kind, cases in KINDS.items() for text, expected in cases],
)
def test_kind(statistical: LoadedPipeline, text: str, expected: list) -> None:
    assert suggest(statistical, text) == expected


def test_no_target_no_suggestion(statistical: LoadedPipeline) -> None:
    assert suggest(statistical, "Russia strongly rejects the proposal.") == []


def test_below_the_threshold_nothing_is_suggested(statistical: LoadedPipeline) -> None:
    sentence = "Moscow calls for the immediate elimination of the blockade."
    assert suggest(statistical, sentence, threshold=0.5)
    assert suggest(statistical, sentence, threshold=0.99) == []


def test_evidence_is_the_sentence_and_offsets_shift(statistical: LoadedPipeline) -> None:
    text = "Lavrov arrived on Monday.\n\nRussia rejects the blockade.  "
    finder = StanceFinder(statistical.nlp, SCHEMA, load_lexicon(), 0.5)
    [found] = finder.find(statistical.nlp(text), offset=100)
    assert text[found.start - 100 : found.end - 100] == "Russia rejects the blockade."
    assert 0 < found.confidence < 1


def test_one_suggestion_per_sentence_and_target(statistical: LoadedPipeline) -> None:
    found = suggest(statistical, "Russia rejects the blockade and condemns the sanctions.")
    assert found == [(EMBARGO, "against", "Russia")]


def test_rules_only_still_finds_stance(rules: LoadedPipeline) -> None:
    assert suggest(rules, "Russia rejects the blockade.") == [(EMBARGO, "against", "Russia")]
    assert suggest(rules, "Moscow refused to back the sanctions.") == [
        (EMBARGO, "against", "Moscow")
    ]


def test_rules_only_reads_every_kind_without_a_parse(rules: LoadedPipeline) -> None:
    """Without a parser the tree rules are skipped, never run on a Doc with no heads (spaCy's
    Token.subtree crashed the process on such a Doc); relation words still find targets."""
    for cases in KINDS.values():
        for text, _expected in cases:
            suggest(rules, text)
    found = suggest(rules, "Moscow and Havana pledged to deepen their ties.")
    assert [(target, polarity) for target, polarity, _holder in found] == [
        (PARTNERSHIP, "favor")
    ]


def test_a_project_lexicon_adds_cues(statistical: LoadedPipeline, tmp_path: Path) -> None:
    sentence = "Russia lambasted the embargo."
    assert suggest(statistical, sentence) == []
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[cue]]\npolarity = "against"\nweight = 0.9\nlemmas = ["lambast"]\n'
        '[[target]]\nname = "US embargo on Cuba"\ncues = ["bloqueo"]\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon(extra, SCHEMA.polarities)
    assert suggest(statistical, sentence, lexicon=lexicon) == [(EMBARGO, "against", "Russia")]
    assert suggest(statistical, "Russia condemns the bloqueo.", lexicon=lexicon) == [
        (EMBARGO, "against", "Russia")
    ]


def test_a_project_lexicon_adds_pointer_nouns(statistical: LoadedPipeline, tmp_path: Path) -> None:
    text = "Washington eased the embargo. Havana welcomed the ruling."
    assert suggest(statistical, text) == [(EMBARGO, "against", "Washington")]
    extra = tmp_path / "mine.toml"
    extra.write_text('[context]\npointers = ["ruling"]\n', encoding="utf-8")
    lexicon = load_lexicon(extra, SCHEMA.polarities)
    assert suggest(statistical, text, lexicon=lexicon) == [
        (EMBARGO, "against", "Washington"), (EMBARGO, "favor", "Havana")
    ]


def test_a_project_lexicon_adds_relation_words_and_sides(
    statistical: LoadedPipeline, tmp_path: Path
) -> None:
    entente = "The entente between Moscow and Havana is unbreakable."
    deed = "Zarubezhneft shipped diesel to Havana."
    assert suggest(statistical, entente) == [] and suggest(statistical, deed) == []
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[relations]\ncues = ["entente"]\n'
        '[[target]]\nname = "Russia–Cuba partnership"\nsides = [["zarubezhneft"], []]\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon(extra, SCHEMA.polarities)
    assert suggest(statistical, entente, lexicon=lexicon) == [(PARTNERSHIP, "favor", None)]
    assert suggest(statistical, deed, lexicon=lexicon) == [
        (PARTNERSHIP, "favor", "Zarubezhneft")
    ]


def test_a_project_lexicon_adds_a_sides_position(
    statistical: LoadedPipeline, tmp_path: Path
) -> None:
    said = "US Ambassador Linda Crowell spoke about the embargo, her spokesman said."
    assert suggest(statistical, said) == []  # the shipped camps give Washington no line on it
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[camp]]\ntarget = "US–Cuba normalization"\nside = 0\n'
        'positions = { "US embargo on Cuba" = "favor" }\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon(extra, SCHEMA.polarities)
    assert suggest(statistical, said, lexicon=lexicon) == [(EMBARGO, "favor", "Linda Crowell")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[[cue]]\npolarity = 'hostile'\nlemmas = ['x']\n", "polarity 'hostile'"),
        ("[[cue]]\npolarity = 'favor'\nweight = 2\nlemmas = ['x']\n", "weight"),
        ("[[cue]]\npolarity = 'favor'\n", "neither lemmas nor phrases"),
        ("threshold = 'high'\n", "threshold"),
        ("[[cue]\n", "not valid TOML"),
        ("[[target]]\nname = 'x'\nsides = [['a']]\n", "two lists"),
        ("[[target]]\nname = 'x'\ndeeds = 'no'\n", "deeds must be true or false"),
        ("[advocates]\nhostile = ['critic']\n", "advocates: 'hostile'"),
        ("[relations.judged]\nhostile = ['foothold']\n", "relations.judged: 'hostile'"),
        ("[relations]\njudged = ['foothold']\n", "[relations.judged] must be a table"),
        ("[[target]]\nname = 'x'\nmeasures = 'embassy'\n", "measures must be a list"),
        ("[relations]\ncues = 'ties'\n", "relations.cues"),
        ("[context]\npointers = 'decision'\n", "context.pointers"),
        ("context = 'decision'\n", "[context] must be a table"),
        ("[[camp]]\nside = 0\n", "needs a target"),
        ("[[camp]]\ntarget = 'x'\nside = 2\n", "side must be 0 or 1"),
        ("[[camp]]\ntarget = 'x'\nside = 1\npositions = { x = 'hostile' }\n", "polarities"),
    ],
)
def test_a_bad_lexicon_is_one_clear_line(tmp_path: Path, content: str, reason: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon(bad, SCHEMA.polarities)
    assert str(bad) in str(caught.value) and reason in str(caught.value)
    assert "\n" not in str(caught.value)
