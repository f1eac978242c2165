"""Error messages returned by the API; tests import them instead of repeating the strings."""

INVALID_CREDENTIALS = "Fel användarnamn eller lösenord."
NOT_AUTHENTICATED = "Inloggning krävs."
FORBIDDEN = "Du saknar behörighet för detta."
INVALID_SERVICE_TOKEN = "Ogiltig tjänstetoken."  # noqa: S105 - an error message
INVALID_CHAT_SESSION = "Okänd chattsession. Starta ett nytt samtal."
CHAT_TEXT_EMPTY = "Meddelandet är tomt."
CHAT_TEXT_TOO_LONG = "Meddelandet är för långt (högst {limit} tecken)."
BOT_UNAVAILABLE = "Chattroboten svarar inte just nu. Försök igen om en stund."
CONSENT_REQUIRED = "Ett ärende får bara sparas med invånarens samtycke."
DESCRIPTION_EMPTY = "Beskrivningen är tom efter att personuppgifter tagits bort."
