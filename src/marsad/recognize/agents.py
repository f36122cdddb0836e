"""Generic agents' countries from the places of their sentence.

The actor recogniser gives «الشرطة», «الميليشيا», «البرلمان» the country of a demonym or state right after it,
or of a state or capital its sentence names as a place; failing both, the article's main country. Only once the
places are known can the country of any place in the sentence be used: «وقالت السعودية إن الميليشيا أطلقت صاروخا
من صعدة اليمنية» — Saada is in Yemen, so the militia is Yemen's, not Saudi Arabia's. This component rereads the
agents left with the article's country when the places of their sentence (the dateline's excluded; a state that
acts, «وقالت السعودية», is no place here) all lie in one other country.
"""

from __future__ import annotations

from marsad.doc import Document
from marsad.recognize.actors import ActorIndex, reread_agent
from marsad.recognize.dateline import dateline_end


class AgentCountry:
    """Pipeline component: a generic agent takes the country of the places in its sentence."""

    name = "agents"
    requires = ("sentences", "entities")
    assigns = ("entities",)

    def __init__(self, index: ActorIndex) -> None:
        self.index = index

    def __call__(self, doc: Document) -> Document:
        agents = [e for e in doc.entities if e.agent]
        if not agents:
            return doc
        after = dateline_end(doc) or 0
        for entity in agents:
            sentence = doc.sentence_of_token(doc.token_at(entity.start))
            places = {e.place.country: e.text for e in doc.entities_in(max(sentence.start, after), sentence.end)
                      if e.place is not None and e.place.country and not e.actor_id}  # a place, not a state acting
            if len(places) == 1:
                (country, words), = places.items()
                if country != entity.country:
                    reread_agent(self.index, entity, country, f"«{words}» in the sentence")
        return doc
