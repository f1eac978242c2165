"""Error messages returned by the API; tests import them instead of repeating the strings."""

INVALID_CREDENTIALS = "Fel användarnamn eller lösenord."
NOT_AUTHENTICATED = "Inloggning krävs."
FORBIDDEN = "Du saknar behörighet för detta."
INVALID_SERVICE_TOKEN = "Ogiltig tjänstetoken."  # noqa: S105 - an error message
INVALID_CHAT_SESSION = "Okänd chattsession. Starta ett nytt samtal."
CHAT_TEXT_EMPTY = "Meddelandet är tomt."
CHAT_TEXT_TOO_LONG = "Meddelandet är för långt (högst {limit} tecken)."
CHAT_TEXT_RESERVED = "Meddelandet kan inte skickas så. Använd knappen Avsluta samtalet för att avsluta."
BOT_UNAVAILABLE = "Chattroboten svarar inte just nu. Försök igen om en stund."
CONSENT_REQUIRED = "Ett ärende får bara sparas med invånarens samtycke."
DESCRIPTION_EMPTY = "Beskrivningen är tom efter att personuppgifter tagits bort."
UNKNOWN_THEMES = "Okända eller inaktiva teman: {codes}."
CONCERN_NOT_FOUND = "Ärendet finns inte."
CLASSIFIER_UNAVAILABLE = "Temamodellen är inte tränad ännu (kör make setup)."
LOGIN_LOCKED = "För många misslyckade inloggningar. Försök igen om {minutes} min."
CSRF_INVALID = "Formuläret har gått ut eller kom inte från den här sidan. Ladda om sidan och försök igen."
BODY_TOO_LARGE = "Förfrågan är för stor (högst {limit} byte)."
INVALID_REQUEST = "Ogiltig förfrågan: {errors}"
VALUE_OUT_OF_RANGE = (
    "Ogiltig förfrågan: ett värde är för stort, ligger utanför tillåtna datum eller innehåller otillåtna tecken."
)
RATE_LIMITED = "För många meddelanden på kort tid. Vänta {seconds} sekunder och försök igen."
CHAT_TEXT_TRUNCATED = (
    "Ditt meddelande var långt, så jag har tagit med de första {limit} tecknen. Skriv gärna resten i ett nytt "
    "meddelande."
)
