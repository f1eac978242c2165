"""Swedish labels for the answer codes the bot stores (docs/conversation-design.md) and the staff tool's states."""

TIME_OF_DAY = {
    "morgon": "Morgon", "dag": "Dagtid", "kvall": "Kväll", "natt": "Natt",
    "hela_dygnet": "Hela dygnet", "vet_inte": "Vet inte",
}
WEEKDAY = {
    "mandag": "Måndag", "tisdag": "Tisdag", "onsdag": "Onsdag", "torsdag": "Torsdag", "fredag": "Fredag",
    "lordag": "Lördag", "sondag": "Söndag", "vardagar": "Vardagar", "helger": "Helger",
    "alla_dagar": "Alla dagar", "vet_inte": "Vet inte",
}
FREQUENCY = {
    "dagligen": "Dagligen", "varje_vecka": "Varje vecka", "varje_manad": "Varje månad", "ibland": "Ibland",
    "en_gang": "En gång", "vet_inte": "Vet inte",
}
FELT_SAFETY = {1: "Mycket otrygg", 2: "Ganska otrygg", 3: "Varken eller", 4: "Ganska trygg", 5: "Mycket trygg"}
CONCERN_STATUS = {"ny": "Ny", "granskad": "Granskad", "hanterad": "Hanterad", "avvisad": "Avvisad"}
PROMISE_STATUS = {"utkast": "Utkast", "publicerad": "Publicerad", "avslutad": "Avslutad"}
PROMISE_PARTY = {"polis": "Polisen", "kommun": "Kommunen", "annan": "Annan aktör"}
ACTIVITY_STATUS = {"planerad": "Planerad", "pagar": "Pågår", "klar": "Klar", "installd": "Inställd"}
NO_AREA = "Okänt område"
