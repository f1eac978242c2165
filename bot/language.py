"""The `language` slot: a tiny Swedish/English guess made in Rasa's process after every message the resident writes.

The bot speaks Swedish and some simple English; the slot picks the English variation of a response. The domain maps
the slot with a custom mapping naming `action_detect_language`; Rasa's `action_extract_slots` would ask the action
server for it on every turn, so `bot/rasa_speedups.py` answers that one name here instead, with no HTTP call (an NLU
entity would need a span of the text, and Rasa's end-to-end tests reject an entity that is not in the words).
Short or mixed messages ("ok", "Stationsgatan") say nothing, so the language in use stays.
"""

import re

from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

ACTION_NAME = "action_detect_language"
LANGUAGE_SLOT = "language"

# Common words that are (almost) never the other language. Words shared by both ("i", "man", "is") are left out.
ENGLISH_WORDS = frozenset(
    """the a an is are was were be been am it its this that there they them their you your he she we our my me
    what where when why how who which do does did don't doesn't not no yes hello hi hey please thanks thank
    have has had can could would should will of to in on at from with and or but for about feel feels unsafe
    safe scared afraid people street park night evening every always sometimes happen happens happening help
    police someone somebody anyone here near outside inside home speak english i'm im it's there's don't dont can't
    cant they're very really too much lot lots bad dark light lights night nights evenings weekend weekends week
    day days kids children young guys drugs dealing selling drunk fights cars car school walk walking""".split()
)
SWEDISH_WORDS = frozenset(
    """och är det jag du inte att en ett på som har vi de den där här med för om så kan vill ska var när hur
    vad vem hej ja nej tack och mig dig oss sig från till efter under över vid eller men också bara alltid
    ofta ibland aldrig känner otrygg trygg folk gatan parken kvällen natten händer hjälp polisen någon""".split()
)
# å/ä/ö in a word written in lower case: an English message naming "Söderäng" or "Stortorget" stays English.
SWEDISH_LETTERS = re.compile(r"(?<![\w])[a-zåäö]*[åäö]")
ENGLISH_ONE_WORD = frozenset({"hello", "hi", "hey", "thanks", "help", "english"})


def detect_language(text: str) -> str | None:
    """'en', 'sv' or None when the message does not say clearly."""
    if text.startswith("/"):
        return None  # a button payload
    words = re.findall(r"[\w']+", text.casefold())
    english = sum(word in ENGLISH_WORDS for word in words)
    swedish = sum(word in SWEDISH_WORDS for word in words) + (2 if SWEDISH_LETTERS.search(text) else 0)
    if english >= 2 and english > 2 * swedish:
        return "en"
    if len(words) == 1 and words[0] in ENGLISH_ONE_WORD:
        return "en"
    if swedish >= 1 and swedish >= english:
        return "sv"
    return None


def language_events(tracker: DialogueStateTracker) -> list[SlotSet]:
    """A `language` slot event when the latest message is clearly Swedish or English and not the language in use."""
    language = detect_language(tracker.latest_message.text or "") if tracker.latest_message else None
    if language is None or language == tracker.get_slot(LANGUAGE_SLOT):
        return []
    return [SlotSet(LANGUAGE_SLOT, language)]
