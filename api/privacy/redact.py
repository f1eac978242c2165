"""Scrub personal data from residents' free text before it is stored or sent on.

Residents write things like "min granne Lisa Karlsson på Björkvägen 12 säljer knark, ring mig på
070-123 45 67". The API (before storing) and the action server (before sending) call `redact()`,
which replaces personal data with placeholders and reports where it found each piece:

- `[PERSONNUMMER]`: personnummer and samordningsnummer (day + 60), 10 or 12 digits, with "-", "+"
  (100 years or older), a space or nothing before the last four. Luhn-checked; a valid date followed by
  four digits in personnummer shape is taken even when the check digit is wrong, because residents mistype.
- `[TELEFON]`: Swedish numbers (mobile 07x, landline with area code, +46/0046) and other +country numbers.
  Times ("kl 22.30"), years, counts, prices, ages and bus lines are never digits-after-a-zero, so they stay.
- `[E-POST]`: e-mail addresses, also "namn (at) domän.se".
- `[NAMN]`: private persons' names, found with word lists kept as data in `data/`: a capitalised known
  first name (plus any capitalised surname after it), a known surname, and any capitalised word after a
  cue such as "heter", "grannen" or "killen". Names that are also ordinary words ("Inga", "Mina", "Hans")
  need context; place names of Exempelstad, chains, authorities and months never count on their own.
- `[ADRESS]`: a street with a house number ("Björkvägen 12", "Storgatan 5B lgh 1102",
  "Kyrkogatan 3 tr 2", "Söderängs torg 4") and lone flat numbers ("lgh 1102"). A street or place
  without a number ("på Storgatan") is kept: it is the place of the concern, not a home.
- `[REGNR]`: Swedish registration plates (ABC 123, ABC123, ABC 12A) in capitals, or in any case after
  "regnr"/"skylten".

Overlapping finds are resolved so that the longest wins, then the more specific type. Offsets in
`Finding` point into the original text, so `text[f.start:f.end]` is what was removed.

Why our own recognisers and not Presidio: presidio-analyzer finds person names only through an NLP
engine's named-entity recogniser (spaCy, Stanza or transformers), and its pattern recognisers cover US,
UK, Indian and other national numbers but not the Swedish personnummer, plates or addresses. A Swedish
spaCy pipeline with NER cannot be installed here (models are not on PyPI and nothing may be downloaded at
run time), and a blank `sv` pipeline has no NER, so Presidio would give us regexes we would still write
ourselves, plus spaCy, tldextract and phonenumbers as dependencies. This module must also run inside the
action server's Python 3.10 environment (Rasa pins its own spaCy) without importing the rest of `api`.
So it is stdlib-only: a handful of regular expressions with checks (date, Luhn, number length) and word
lists that staff can read and extend. The price is recall on names we do not list and that carry no cue;
that limit, and the other known gaps, are written down in the tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

__all__ = ["PLACEHOLDERS", "Finding", "Redaction", "redact", "redact_jsonl"]

PLACEHOLDERS: dict[str, str] = {
    "personnummer": "[PERSONNUMMER]",
    "telefon": "[TELEFON]",
    "epost": "[E-POST]",
    "namn": "[NAMN]",
    "adress": "[ADRESS]",
    "regnr": "[REGNR]",
}

# Error messages for `redact_jsonl`, kept as constants so tests can import them.
JSONL_NOT_JSON = "line {line}: not valid JSON ({detail})"
JSONL_NO_TEXT = 'line {line}: expected a JSON object with a string "text"'

# When two finds overlap and are equally long, the lower rank wins.
_RANK = {"personnummer": 0, "epost": 1, "telefon": 2, "regnr": 3, "adress": 4, "namn": 5}

_DATA_DIR = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its type and its span in the original text."""

    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Redaction:
    """The scrubbed text and what was found, with offsets into the original text."""

    text: str
    found: list[Finding]


# --- word lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    first: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]
    not_names: frozenset[str]


def _read_list(name: str) -> frozenset[str]:
    words = set()
    for line in (_DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            words.add(word.lower())
    return frozenset(words)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon(
        first=_read_list("first_names.txt"),
        surnames=_read_list("surnames.txt"),
        ambiguous=_read_list("ambiguous_names.txt"),
        not_names=_read_list("not_names.txt"),
    )


# Words that end or block a name, whatever their case ("Lisa Sen gick jag", "heter Det").
_FUNCTION_WORDS = frozenset(
    """
    det den detta denna dessa de dom dem han hon hen jag vi ni du man mig dig oss er honom henne
    men och eller så sen då nu här där hit dit i på vid med till från om att som av ur åt hos
    är var vart varit blir blev bli har hade kan kunde ska skulle vill måste får fick
    inte aldrig alltid alla allt ingen inget någon några nån nåt något varje
    igår idag ikväll inatt imorse imorgon också även bara för efter innan under över utanför bakom
    mellan hej hejsan tack mvh hälsningar ok okej ja nej varför vad vem hur när vilken vilka
    min mitt din ditt hennes deras vår vårt våra sin sitt sina en ett the
    """.split()
)

# Cues before a name. Strong cues also allow a lowercase known name ("heter ahmed").
_STRONG_CUES = frozenset({"heter", "hette", "kallas", "kallad", "kallade", "namnet"})
_CUES = _STRONG_CUES | frozenset(
    """
    kallar grannen granne grannens killen kille tjejen tjej kompisen kompis polaren mannen kvinnan
    gubben tanten pojken flickan sonen dottern brorsan systern syrran pappan mamman pojkvännen
    flickvännen exet sambon maken frun hyresvärden vaktmästaren familjen herr fru hr fröken
    """.split()
)
# Words that may stand between a cue and the name ("heter typ Lisa", "kallar honom Tjocken").
_FILLERS = frozenset("typ nog väl visst tydligen kanske alltså ju bara sig honom henne dem".split())
_PARTICLES = frozenset("von af van de al el bin ibn abu".split())
# After a genitive name these make it a named place, not a person ("Anna Lindhs väg").
_PLACE_NOUNS = frozenset(
    """
    väg vägen gata gatan torg torget plats platsen park parken allé gränd skola skolan kyrka kyrkan
    gymnasium gymnasiet hall hallen plan backe stig strand sjukhus sjukhuset bro bron stadion center
    centrum museum
    """.split()
)
# Multi-word names of shops and characters that contain a first name.
_PROTECTED_PHRASES = re.compile(
    r"\b(?:clas\s+ohlson|björn\s+borg|kalle\s+anka|max\s+hamburgare|burger\s+king|espresso\s+house|"
    r"city\s+gross)\b",
    re.IGNORECASE,
)

# --- personnummer ---------------------------------------------------------------------------------

_PNR = re.compile(
    r"(?<![\w+\-–])"
    r"(?P<century>19|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?:[ \u00a0]?(?P<sep>[-+–])[ \u00a0]?|(?P<space>[ \u00a0]))?"
    r"(?P<serial>\d{4})(?!\w)"
)


def _valid_birth_date(century: str | None, yy: str, mm: str, dd: str) -> bool:
    day = int(dd)
    if day > 60:  # samordningsnummer: the day plus 60
        day -= 60
    years = [int(century + yy)] if century else [1900 + int(yy), 2000 + int(yy)]
    for year in years:
        try:
            date(year, int(mm), day)
        except ValueError:
            continue
        return True
    return False


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def _find_personnummer(text: str) -> Iterator[Finding]:
    for m in _PNR.finditer(text):
        yy, mm, dd, serial = m["yy"], m["mm"], m["dd"], m["serial"]
        if not _valid_birth_date(m["century"], yy, mm, dd):
            continue
        shaped = bool(m["century"] or m["sep"] or m["space"])
        # Ten bare digits that fail Luhn and start with 0 are far more likely a phone number.
        if _luhn_ok(yy + mm + dd + serial) or shaped or not yy.startswith("0"):
            yield Finding("personnummer", m.start(), m.end())


# --- telephone numbers ----------------------------------------------------------------------------

_SEP = r"(?:[ \u00a0]?[-–/][ \u00a0]?|[ \u00a0])"
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?P<intl>(?:\+|00)[ \u00a0]?\d{1,3})(?:[ \u00a0]?\(0\))?" + _SEP + r"?"
    r"\d{1,10}(?:" + _SEP + r"\d{1,10}){0,6}"
    r"|\(?0\d{0,11}\)?(?:" + _SEP + r"\d{1,10}){0,6}"
    r")(?!\d)"
)
_DIGIT_RUN = re.compile(r"\d+")
_TIME_CUE = re.compile(r"(?:\bkl\.?|\bklockan)\s*$", re.IGNORECASE)


def _national_ok(digits: str) -> bool:
    if not digits.startswith("0") or digits.startswith("00"):
        return False
    if digits.startswith("07"):
        return len(digits) == 10
    return 8 <= len(digits) <= 10


def _looks_like_date(text: str, runs: list[re.Match[str]]) -> bool:
    """True for "05-12-2019" or "05/12/19": three runs joined by the same "-" or "/"."""
    if len(runs) != 3:
        return False
    first, second, third = (r.group() for r in runs)
    gap1 = text[runs[0].end() : runs[1].start()]
    gap2 = text[runs[1].end() : runs[2].start()]
    return (
        gap1 == gap2
        and gap1 in {"-", "/"}
        and len(first) == 2
        and len(second) == 2
        and len(third) in {2, 4}
        and 1 <= int(first) <= 31
        and 1 <= int(second) <= 12
    )


def _phone_end(text: str, m: re.Match[str]) -> int | None:
    """Where the phone number in candidate `m` ends, dropping trailing digit groups if needed."""
    runs = list(_DIGIT_RUN.finditer(text, m.start(), m.end()))
    intl = m["intl"]
    for count in range(len(runs), 0, -1):
        kept = runs[:count]
        digits = "".join(r.group() for r in kept)
        if intl:
            if digits.startswith("46") or digits.startswith("0046"):
                national = digits[4:] if digits.startswith("0046") else digits[2:]
                ok = _national_ok(national if national.startswith("0") else "0" + national)
            else:
                ok = 8 <= len(digits.lstrip("0")) <= 15
        else:
            ok = _national_ok(digits) and not _looks_like_date(text, kept)
        if ok:
            return kept[-1].end()
    return None


def _find_phones(text: str) -> Iterator[Finding]:
    pos = 0
    while True:
        m = _PHONE.search(text, pos)
        if m is None:
            return
        end = _phone_end(text, m)
        if end is None or _TIME_CUE.search(text, max(0, m.start() - 12), m.start()):
            pos = m.end()
            continue
        yield Finding("telefon", m.start(), end)
        pos = end


# --- e-mail ---------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+"
    r"(?:[ \u00a0]?@[ \u00a0]?|[ \u00a0]?[(\[](?:at|snabel-a)[)\]][ \u00a0]?)"
    r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])",
    re.IGNORECASE,
)


def _find_emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL.finditer(text):
        yield Finding("epost", m.start(), m.end())


# --- registration plates --------------------------------------------------------------------------

# Swedish plates use A-Z without I, Q, V, Å, Ä, Ö; a final letter is never O either.
_REGNR = re.compile(r"(?<![\w-])(?P<letters>[A-HJ-PR-UW-Z]{3})[ \u00a0-]?\d{2}[0-9A-HJ-NPR-UW-Z](?![\w-])")
_REGNR_AFTER_CUE = re.compile(
    r"\b(?:reg\.?[ ]?nr|regnr|registreringsnumret|registreringsnummer|registreringsskylt(?:en)?|"
    r"regskylt(?:en)?|nummerplåt(?:en)?|skylt(?:en)?)\b[\s:.]*(?:var|är|typ|nr|nummer)?[\s:.]*"
    r"(?P<plate>[a-hj-pr-uw-z]{3}[ \u00a0-]?\d{2}[0-9a-hj-npr-uw-z])(?![\w-])",
    re.IGNORECASE,
)
# Capitals and digits that are not plates: "SOS 112", "BMW 320", "SEK 100".
_NOT_PLATES = frozenset(
    "SOS TEL TFN MOB FAX NUM LGH GPS SMS MMS BMW GTI TDI CDI AMG EPA APP USB DVD MAX SEK EUR USD NOK DKK "
    "GBP LSS TRE".split()
)


def _find_plates(text: str) -> Iterator[Finding]:
    for m in _REGNR.finditer(text):
        if m["letters"] not in _NOT_PLATES:
            yield Finding("regnr", m.start(), m.end())
    for m in _REGNR_AFTER_CUE.finditer(text):
        yield Finding("regnr", m.start("plate"), m.end("plate"))


# --- addresses ------------------------------------------------------------------------------------

_STREET_SUFFIXES = (
    "vägen", "väg", "vagen", "gatan", "gata", "gränden", "gränd", "allén", "allé", "allen", "alle",
    "backen", "backe", "stigen", "stig", "torget", "torg", "platsen", "plats", "plan", "leden",
    "slingan", "ringen", "kroken", "liden", "höjden", "bryggan", "kajen", "stråket", "esplanaden",
    "promenaden", "strand",
)  # fmt: skip
# Suffixes that make a street even in lowercase ("bor på björkvägen 12").
_LOWERCASE_STREET_SUFFIXES = ("vägen", "väg", "vagen", "gatan", "gata", "gränden", "gränd", "allé", "stigen")
# Compounds ending like a street that are not one ("riksväg 40", "parkeringsplats 12", "plan 3").
_NOT_STREETS = frozenset(
    """
    riksväg riksvägen länsväg länsvägen europaväg motorväg motorvägen cykelväg cykelvägen gångväg
    gångvägen grusväg grusvägen landsväg landsvägen bilväg bilvägen genväg genvägen hemväg hemvägen
    infartsväg utfartsväg tillfartsväg gågata gågatan bakgata bakgatan sidogata sidogatan huvudgata
    huvudgatan bussgata bussgatan hållplats hållplatsen busshållplats busshållplatsen parkeringsplats
    parkeringsplatsen lekplats lekplatsen arbetsplats arbetsplatsen mötesplats mötesplatsen
    idrottsplats idrottsplatsen våningsplan bottenplan parkeringsplan entréplan källarplan bollplan
    bollplanen fotbollsplan konstgräsplan grusplan spelplan
    """.split()
)
_ADDRESS = re.compile(
    r"(?<![\w-])(?P<street>"
    r"(?:[A-ZÅÄÖÉ][^\W\d_]*(?:-[^\W\d_]+)*[ \u00a0]+){1,2}"
    r"(?:vägen|väg|gatan|gata|torget|torg|gränd|allé|plats|backe|stig|strand)"
    r"|[^\W\d_]+(?:-[^\W\d_]+)*"
    r")[ \u00a0]+(?:nr\.?[ \u00a0]*|nummer[ \u00a0]+)?"
    r"\d{1,3}(?!\d)(?![.:,]\d)"
    r"(?:[A-Ha-h](?!\w)|[ \u00a0][A-H](?!\w))?"
    r"(?:[ \u00a0]?[-–][ \u00a0]?\d{1,3}(?!\d))?"
)
_ADDRESS_TAIL = re.compile(
    r",?[ \u00a0]*(?:"
    r"(?:lgh|lägenhet|lägenhetsnummer)\.?[ \u00a0]*(?:nr\.?[ \u00a0]*)?\d{3,4}(?!\d)"
    r"|\d{1,2}[ \u00a0]?(?:tr|trappor|trappa|trp|vån|våningen)\.?(?!\w)"
    r"|(?:tr|trappa|trp|vån|våning|våningen)\.?[ \u00a0]*\d{1,2}(?!\d)"
    r"|(?:uppg|uppgång|port|ingång)\.?[ \u00a0]*[A-H1-9](?!\w)"
    r"|\d{3}[ \u00a0]?\d{2}(?!\d)(?:[ \u00a0]+(?-i:[A-ZÅÄÖ])[^\W\d_]+)?"
    r")",
    re.IGNORECASE,
)
_FLAT_NUMBER = re.compile(
    r"\b(?:lgh|lägenhet|lägenhetsnummer)\.?[ \u00a0]*(?:nr\.?[ \u00a0]*)?\d{4}(?!\d)", re.IGNORECASE
)
# A number followed by one of these counts something or is a date, not a house number
# ("Storgatan 3 gånger", "Stortorget 12 maj").
_COUNT_WORDS = frozenset(
    """
    gånger gång ggr st stycken styck pers personer person killar tjejer ungdomar barn bilar mopeder
    år åring åringar års dagar dag dygn nätter natt kvällar kväll veckor vecka månader månad min
    minuter minuters timmar timme tim h sek sekunder meter m km mil kr kronor spänn procent grader
    cm kg januari februari mars april maj juni juli augusti september oktober november december
    jan feb mar apr jun jul aug sep sept okt nov dec
    """.split()
)
# "%", or a word after a space, or a compound glued on with a hyphen ("Norrbyvägen 30-sträcka").
_NEXT_WORD = re.compile(r"[ \u00a0]*([^\W\d_]+|%)|-[^\W\d_]")


def _street_token_ok(token: str) -> bool:
    lower = token.lower()
    if lower in _NOT_STREETS or lower in _FUNCTION_WORDS:
        return False
    suffix = next((s for s in _STREET_SUFFIXES if lower.endswith(s)), None)
    if suffix is None or len(lower) - len(suffix) < 2:
        return False
    return token[0].isupper() or lower.endswith(_LOWERCASE_STREET_SUFFIXES)


def _find_addresses(text: str) -> Iterator[Finding]:
    pos = 0
    while True:
        m = _ADDRESS.search(text, pos)
        if m is None:
            break
        street = m["street"]
        if " " not in street.strip() and "\u00a0" not in street and not _street_token_ok(street):
            # Retry from the next word: "till Storgatan 5" must still find "Storgatan 5".
            pos = m.start() + len(street)
            continue
        end = m.end()
        after = _NEXT_WORD.match(text, end)
        if after and (after.group(1) is None or after.group(1).lower() in _COUNT_WORDS):
            pos = end
            continue
        while tail := _ADDRESS_TAIL.match(text, end):
            if tail.end() == end:
                break
            end = tail.end()
        yield Finding("adress", m.start(), end)
        pos = end
    for m in _FLAT_NUMBER.finditer(text):
        yield Finding("adress", m.start(), m.end())


# --- names ----------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ADJACENT = re.compile(r"[ \t\u00a0]+")
_CUE_GAP = re.compile(r"[ \t\u00a0]*[:,]?[ \t\u00a0]*[\"'«»“”]?")
_SENTENCE_END = ".!?…\n\r:;"


@dataclass(frozen=True)
class _NameInfo:
    first: bool
    surname: bool
    ambiguous: bool

    @property
    def known(self) -> bool:
        return self.first or self.surname


def _name_info(lower: str) -> _NameInfo:
    lex = _lexicon()
    forms = [lower]
    if lower.endswith(("'s", "’s")):
        forms.append(lower[:-2])
    elif lower.endswith("s") and len(lower) > 3:
        forms.append(lower[:-1])  # genitive: "Lisas", "Karlssons"
    for form in forms:
        if form in lex.first or form in lex.surnames:
            return _NameInfo(form in lex.first, form in lex.surnames, form in lex.ambiguous)
        parts = form.split("-")
        if len(parts) > 1:
            if parts[0] in _PARTICLES:
                parts = parts[1:]
            names = lex.first | lex.surnames
            if all(p in names for p in parts):
                return _NameInfo(all(p in lex.first for p in parts), parts[-1] in lex.surnames, False)
        if len(form) >= 6 and form.endswith("sson") and form not in _FUNCTION_WORDS:
            return _NameInfo(False, True, False)
    return _NameInfo(False, False, False)


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0\"'«»“”(-–*•":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _is_titlecase(token: str) -> bool:
    return token[0].isupper() and not (len(token) > 1 and token.isupper())


def _find_names(text: str) -> Iterator[Finding]:
    lex = _lexicon()
    tokens = list(_WORD.finditer(text))
    protected = [(m.start(), m.end()) for m in _PROTECTED_PHRASES.finditer(text)]

    def adjacent(a: int, b: int) -> bool:
        return _ADJACENT.fullmatch(text, tokens[a].end(), tokens[b].start()) is not None

    def cue_before(i: int) -> str | None:
        j = i - 1
        while j >= 0:
            gap_ok = _CUE_GAP.fullmatch(text, tokens[j].end(), tokens[j + 1].start()) is not None
            if not gap_ok:
                return None
            word = tokens[j].group().lower()
            if word in _CUES:
                return word
            if word not in _FILLERS:
                return None
            j -= 1
        return None

    def blocks(lower: str) -> bool:
        return lower in lex.not_names or lower in _FUNCTION_WORDS or _looks_like_street(lower)

    def surname_follows(i: int, lowercase: bool) -> bool:
        if i + 1 >= len(tokens) or not adjacent(i, i + 1):
            return False
        nxt = tokens[i + 1].group()
        info = _name_info(nxt.lower())
        if lowercase:
            return nxt.islower() and info.surname and not info.ambiguous
        return nxt[0].isupper() and info.surname and not blocks(nxt.lower())

    i = 0
    while i < len(tokens):
        token = tokens[i].group()
        lower = token.lower()
        info = _name_info(lower)
        cue = cue_before(i)
        capital = token[0].isupper()
        if lower in lex.not_names or lower in _FUNCTION_WORDS:
            start = info.first and bool(cue or surname_follows(i, lowercase=False)) and capital
        elif capital and info.known:
            if not info.ambiguous:
                start = True
            elif info.first:
                start = (
                    bool(cue)
                    or surname_follows(i, lowercase=False)
                    or (_is_titlecase(token) and not _sentence_initial(text, tokens[i].start()))
                )
            else:
                start = bool(cue)
        elif capital:
            start = (
                cue is not None
                and len(token) > 1
                and (_is_titlecase(token) or cue in _STRONG_CUES)
                and not _looks_like_street(lower)
            )
        else:
            start = info.known and (
                (cue is not None and (not info.ambiguous or cue in _STRONG_CUES))
                or (info.first and not info.ambiguous and surname_follows(i, lowercase=True))
            )
        if not start:
            i += 1
            continue
        last = i
        while last + 1 < len(tokens) and last - i < 3 and adjacent(last, last + 1):
            nxt = tokens[last + 1].group()
            nxt_lower = nxt.lower()
            if (
                nxt_lower in _PARTICLES
                and last + 2 < len(tokens)
                and adjacent(last + 1, last + 2)
                and _is_titlecase(tokens[last + 2].group())
                and not blocks(tokens[last + 2].group().lower())
            ):
                last += 2  # "Anna de Vries", "Omar al Hassan"
            elif blocks(nxt_lower):
                break
            elif _is_titlecase(nxt) or (nxt.isupper() and _name_info(nxt_lower).known):
                last += 1
            elif _name_info(nxt_lower).surname and not _name_info(nxt_lower).ambiguous:
                last += 1
            else:
                break
        begin, end = tokens[i].start(), tokens[last].end()
        named_place = (
            last > i
            and tokens[last].group().lower().endswith("s")
            and last + 1 < len(tokens)
            and tokens[last + 1].group().lower() in _PLACE_NOUNS
        )
        inside_phrase = any(s < end and begin < e for s, e in protected)
        if not named_place and not inside_phrase:
            yield Finding("namn", begin, end)
        i = last + 1


def _looks_like_street(lower: str) -> bool:
    suffix = next((s for s in _STREET_SUFFIXES if lower.endswith(s)), None)
    return suffix is not None and len(lower) - len(suffix) >= 2 and lower not in _NOT_STREETS


# --- public API -----------------------------------------------------------------------------------


def _resolve(candidates: list[Finding]) -> list[Finding]:
    """Keep non-overlapping finds: longest first, then the more specific type, then leftmost."""
    chosen: list[Finding] = []
    for f in sorted(candidates, key=lambda f: (f.start - f.end, _RANK[f.type], f.start)):
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def redact(text: str) -> Redaction:
    """Replace personal data in `text` with placeholders such as [NAMN] and report what was found."""
    if not isinstance(text, str):
        raise TypeError(f"redact() needs a str, not {type(text).__name__}")
    candidates: list[Finding] = []
    for finder in (
        _find_personnummer,
        _find_emails,
        _find_phones,
        _find_plates,
        _find_addresses,
        _find_names,
    ):
        candidates.extend(finder(text))
    found = _resolve(candidates)
    parts: list[str] = []
    pos = 0
    for f in found:
        parts.append(text[pos : f.start])
        parts.append(PLACEHOLDERS[f.type])
        pos = f.end
    parts.append(text[pos:])
    return Redaction(text="".join(parts), found=found)


def redact_jsonl(lines: Iterable[str]) -> Iterator[str]:
    """Scrub JSON Lines: each {"text": ...} becomes {"text": scrubbed, "found": [...]}.

    Other keys of a record (an id, say) are passed through untouched. Blank lines are skipped; a line
    that is not a JSON object with a string "text" yields {"error": ...} and the stream goes on.
    Output lines carry no trailing newline.
    """
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield json.dumps(
                {"error": JSONL_NOT_JSON.format(line=number, detail=exc.msg)}, ensure_ascii=False
            )
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield json.dumps({"error": JSONL_NO_TEXT.format(line=number)}, ensure_ascii=False)
            continue
        result = redact(record["text"])
        out = dict(record)
        out["text"] = result.text
        out["found"] = [{"type": f.type, "start": f.start, "end": f.end} for f in result.found]
        yield json.dumps(out, ensure_ascii=False)
