"""Understanding short answers and saying them back: codes for time of day, weekday, frequency and felt safety.

Pure helpers with no Rasa imports. The NLU's entities and synonyms catch most answers; these keyword lists catch
the rest when the resident answers a direct question in their own words ("runt lunch", "nästan jämt").
"""

import re
import unicodedata
from collections.abc import Callable

DONT_KNOW = "vet_inte"

# Answer codes (docs/conversation-design.md); how they are said back is in actions/messages.yml.
TIME_OF_DAY_CODES = frozenset({"morgon", "dag", "kvall", "natt", "hela_dygnet", DONT_KNOW})
WEEKDAY_CODES = frozenset(
    {"mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag", "vardagar", "helger", "alla_dagar",
     DONT_KNOW}
)
FREQUENCY_CODES = frozenset({"dagligen", "varje_vecka", "varje_manad", "ibland", "en_gang", DONT_KNOW})

# Word stems, matched at the start of a word in the folded text (å/ä → a, ö → o).
_TIME_OF_DAY_WORDS = {
    "morgon": ("morgon", "morron", "morgn", "tidig", "gryning", "frukost", "sju", "atta"),
    "dag": ("dag", "formiddag", "eftermiddag", "lunch", "mitt pa dagen", "skoltid", "dagtid", "ljust"),
    "kvall": ("kvall", "kvell", "ikvall", "efter jobbet", "middag", "skymning", "nar det blir mork"),
    "natt": ("natt", "inatt", "midnatt", "sent", "efter tolv", "nattetid", "mitt i natten"),
    "hela_dygnet": ("hela dygnet", "hela tiden", "dygnet runt", "jamt", "alltid", "all tid"),
}
_WEEKDAY_WORDS = {
    "mandag": ("mandag", "man"),
    "tisdag": ("tisdag", "tis"),
    "onsdag": ("onsdag", "ons"),
    "torsdag": ("torsdag", "tors"),
    "fredag": ("fredag", "fre"),
    "lordag": ("lordag", "lor"),
    "sondag": ("sondag", "son"),
    "helger": ("helg", "veckoslut", "weekend", "lor son"),
    "vardagar": ("vardag", "veckodag", "skoldag", "mitt i veckan", "man fre", "mandag till fredag"),
    "alla_dagar": ("alla dagar", "varje dag", "hela veckan", "oavsett dag", "spelar ingen roll"),
}
_FREQUENCY_WORDS = {
    "dagligen": ("varje dag", "dagligen", "jamt", "hela tiden", "alltid", "varenda dag", "nastan varje dag"),
    "varje_vecka": ("varje vecka", "varje helg", "flera ganger i veckan", "en gang i veckan", "veckan"),
    "varje_manad": ("varje manad", "i manaden", "manadsvis", "nagra ganger per manad"),
    "ibland": ("ibland", "da och da", "nagon gang", "sallan", "lite dan och dan"),
    "en_gang": ("en gang", "bara en gang", "forsta gangen", "hant en gang", "engangs"),
}
_DONT_KNOW_WORDS = ("vet inte", "vet ej", "ingen aning", "osaker", "minns inte", "kommer inte ihag", "vetefan")
_FELT_SAFETY_WORDS = {
    1: ("mycket otrygg", "jatteotrygg", "livradd", "inte alls trygg", "vaddigt otrygg"),
    2: ("ganska otrygg", "otrygg", "lite radd", "inte sarskilt trygg"),
    3: ("sadar", "mittemellan", "varken eller", "okej", "lagom"),
    4: ("ganska trygg", "rätt trygg", "ratt trygg", "oftast trygg"),
    5: ("mycket trygg", "helt trygg", "jattetrygg", "inga problem"),
}


# Whole phrases that say when inside a longer description ("det luktar gräs i trapphuset varje kväll"). Only
# unambiguous phrases: the short-answer stems above ("man", "son", "sent") would misread a description.
_WHEN_IN_DESCRIPTION = {
    "time_of_day": {
        "morgon": ("pa morgonen", "pa morgnarna", "varje morgon", "tidigt pa morgonen", "pa morronen"),
        "dag": ("mitt pa dagen", "pa dagarna", "dagtid", "pa eftermiddagen", "pa eftermiddagarna", "pa formiddagen",
                "pa formiddagarna", "mitt pa ljusa dagen"),
        "kvall": ("pa kvallen", "pa kvallarna", "varje kvall", "pa kvallstid", "kvallstid", "om kvallarna",
                  "sena kvallar", "sent pa kvallen", "pa kvallarn", "varje kvell"),
        "natt": ("pa natten", "pa natterna", "varje natt", "nattetid", "mitt i natten", "om natterna", "pa natta",
                 "sent pa natten"),
    },
    "weekday": {
        "helger": ("pa helgerna", "i helgerna", "varje helg", "pa helgen", "helgkvallar", "helgnatter",
                   "pa fredags och lordagskvallar", "fredagar och lordagar"),
        "vardagar": ("pa vardagarna", "pa vardagar", "varje vardag", "vardagskvallar"),
        "alla_dagar": ("varje dag", "alla dagar", "varenda dag"),
    },
    "frequency": {
        "dagligen": ("varje dag", "varje kvall", "varje natt", "varje morgon", "varenda dag", "varenda kvall",
                     "varenda natt", "dagligen", "hela tiden", "nastan varje dag", "nastan varje kvall"),
        "varje_vecka": ("varje vecka", "varje helg", "flera ganger i veckan", "en gang i veckan", "varannan dag"),
        "varje_manad": ("varje manad", "en gang i manaden", "nagra ganger i manaden"),
    },
}


def when_in_description(text: str) -> dict[str, str]:
    """Codes for time of day, weekday and frequency that a description says in so many words."""
    found = {kind: _find(text, table, whole_phrase=True) for kind, table in _WHEN_IN_DESCRIPTION.items()}
    return {kind: code for kind, code in found.items() if code}


def fold(text: str) -> str:
    """Lowercase, NFC, å/ä → a, ö → o, punctuation to spaces."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"}))
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _find(text: str, table: dict[str, tuple[str, ...]], whole_phrase: bool = False) -> str | None:
    """The code of the longest entry found: at the start of a word, or as a whole phrase."""
    folded = f" {fold(text)} "
    end = " " if whole_phrase else ""
    best: tuple[int, str] | None = None
    for code, words in table.items():
        for word in words:
            if re.search(rf" {re.escape(word)}{end}", folded) and (best is None or len(word) > best[0]):
                best = (len(word), code)
    return best[1] if best else None


def is_dont_know(text: str) -> bool:
    folded = f" {fold(text)} "
    return any(f" {word}" in folded for word in _DONT_KNOW_WORDS)


def _time_of_day_from_hour(text: str) -> str | None:
    match = re.search(r"\b(?:kl|klockan|efter|runt|vid|ca|typ)?\s*([01]?\d|2[0-3])(?:[.:]\d\d)?\b", fold(text))
    if not match:
        return None
    hour = int(match.group(1))
    if 5 <= hour <= 9:
        return "morgon"
    if 10 <= hour <= 16:
        return "dag"
    if 17 <= hour <= 21:
        return "kvall"
    return "natt"


def time_of_day_from_text(text: str) -> str | None:
    if is_dont_know(text):
        return DONT_KNOW
    return _find(text, _TIME_OF_DAY_WORDS) or _time_of_day_from_hour(text)


def weekday_from_text(text: str) -> str | None:
    return DONT_KNOW if is_dont_know(text) else _find(text, _WEEKDAY_WORDS)


def frequency_from_text(text: str) -> str | None:
    return DONT_KNOW if is_dont_know(text) else _find(text, _FREQUENCY_WORDS)


def felt_safety_from_text(text: str) -> int | None:
    digits = re.findall(r"\b([1-5])\b", text)
    if len(digits) == 1:
        return int(digits[0])
    code = _find(text, {str(level): words for level, words in _FELT_SAFETY_WORDS.items()})
    return int(code) if code else None


def normalise_code(value: object, codes: frozenset[str], parse: Callable[[str], str | None]) -> str | None:
    """A slot value as a known code: codes pass, other text goes through `parse`."""
    if value is None:
        return None
    text = str(value)
    if text in codes:
        return text
    return parse(text)
