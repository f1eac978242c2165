"""Hand-written Swedish building blocks for the fictional demo concerns (`trygg seed-demo`, the benchmark generator).

Each theme has situations written the way residents describe them (without a final full stop), a few endings that
fit the theme, and the times of day it tends to happen. A concern is a situation + " vid <place>" + an ending,
sometimes with a second theme's situation joined by "och". Nothing here describes a real person or place.
"""

SITUATIONS: dict[str, list[str]] = {
    "narkotika": [
        "Det langas knark öppet",
        "Ungdomar säljer gräs bakom kiosken",
        "Det luktar cannabis i trapphuset varje kväll",
        "Vi hittade sprutor i sandlådan",
        "Samma bilar kommer och går hela kvällarna, det är uppenbart att det säljs droger",
        "Det sitter folk och röker på som inte bryr sig om att barn går förbi",
        "Nån har börjat dela ut små påsar till tonåringar",
        "Det ligger folie och små zippåsar överallt",
    ],
    "alkohol": [
        "Det sitter berusade personer och dricker hela dagarna",
        "Gäng som häller i sig sprit och skräller flaskor",
        "Det är fyllor och bråk när krogarna stänger",
        "Jag ser vuxna som köper ut öl till fjortonåringar",
        "Full folk som raglar runt och ropar efter en",
        "Folk kissar och spyr i portarna efter helgens fester",
        "Det dricks öppet på bänkarna och ingen säger nåt",
    ],
    "ordningsstorning": [
        "Det är skrik och oväsen till långt in på natten",
        "Stora grupper samlas och spelar hög musik",
        "Någon smäller raketer mitt i bostadsområdet",
        "Det blir bråk och knuffar nästan varje helg",
        "Folk hänger i trapphuset och för liv",
        "Det är slagsmål utan att nån ingriper",
        "Grannar har fester med tjo och tjim varje natt",
    ],
    "unga_kriminalitet": [
        "Ett gäng yngre killar rånar andra barn på mobiler",
        "Det är unga som hänger och verkar sälja åt äldre killar",
        "Min son har blivit erbjuden pengar för att springa ärenden åt ett gäng",
        "Tonåringar i grupp hotar de som går förbi",
        "Barnen är rädda för en grupp äldre ungdomar",
        "Det rekryteras ungdomar, alla vet om det men ingen gör något",
        "Unga tjejer och killar som dras in i kriminalitet",
    ],
    "vald_hot": [
        "Min granne blev nedslagen på väg hem",
        "Någon viftade med kniv och hotade folk",
        "Det har skjutits i området och jag vågar knappt gå ut",
        "Jag blev rånad på min plånbok",
        "Det är misshandel och slagsmål med blodiga följder",
        "En kille hotade min dotter och sa att han visste var vi bor",
        "Vi hörde en smäll mitt i natten, det var en sprängning",
    ],
    "sexuella_trakasserier": [
        "Tjejer blir antastade",
        "En man följer efter kvinnor och säger äckliga saker",
        "Min dotter blev tafsad på",
        "En man har blottat sig flera gånger",
        "Det ropas saker efter en och någon tog på mig i trängseln",
        "Jag blev förföljd hela vägen hem av en okänd man",
        "Tjejerna i klassen vågar inte gå själva för att de blir trakasserade",
    ],
    "inbrott_stold": [
        "Det har varit inbrott i flera förråd",
        "Min cykel blev stulen trots att den var låst",
        "Bilar blir uppbrutna nästan varje vecka",
        "Nån har brutit sig in i källaren igen",
        "Det stjäls från butikerna hela tiden",
        "Vi hade inbrott i lägenheten medan vi var bortresta",
        "Katalysatorer sågas av från bilarna på parkeringen",
    ],
    "skadegorelse": [
        "Busskuren krossas gång på gång",
        "Allt är fullt av klotter",
        "Nån har tänt eld på soptunnorna",
        "Bilar har fått däcken sönderskurna",
        "Det är krossat glas överallt efter helgerna",
        "Lekplatsen har blivit sönderslagen",
        "En bil brann upp mitt i natten",
    ],
    "nedskrapning": [
        "Det är fullt med skräp och pizzakartonger",
        "Soptunnorna är överfulla och det luktar",
        "Nån har dumpat gamla möbler och madrasser",
        "Det ligger fimpar och burkar precis överallt",
        "Måsarna sliter ut sopor ur korgarna",
        "Det är så skräpigt att man skäms",
    ],
    "fysisk_miljo": [
        "Det är kolsvart, lamporna har varit trasiga i månader",
        "Buskarna har vuxit igen så man ser inte vem som står där",
        "Gångtunneln är mörk och otäck",
        "Det finns ingen belysning alls på gångvägen",
        "Det är så mörkt att jag tar omvägar",
        "Det är en massa skymda hörn där vem som helst kan gömma sig",
        "Gatlyktorna slocknar vid tio",
    ],
    "trafik": [
        "Bilarna kör alldeles för fort",
        "Mopeder och EPA-traktorer buskör",
        "Folk parkerar på trottoaren så barnen måste gå i gatan",
        "Elsparkcyklar susar fram på gångbanan",
        "Det är livsfarligt att gå över vägen",
        "Det körs rally på nätterna",
        "Bilister stannar inte vid övergångsstället",
    ],
    "bedrageri": [
        "Min mamma blev uppringd av en falsk polis som ville ha hennes bankkod",
        "Äldre blir lurade av folk som knackar på och säger att de kommer från hemtjänsten",
        "Det kommer bluff-sms om paket som ska betalas",
        "En granne förlorade sina besparingar till nån som sa att han var från banken",
        "Det går runt folk och säljer saker som inte finns",
    ],
    "polisnarvaro": [
        "Man ser aldrig polisen här",
        "Det tog över en timme innan polisen kom när vi ringde",
        "Vi vill ha fler poliser som går runt och pratar med folk",
        "Polisen åker förbi men stannar aldrig",
        "Ingen bryr sig om våra problem här",
    ],
    "ovrigt": [
        "Det känns otryggt på ett sätt som är svårt att förklara",
        "En lösspringande hund skrämmer barnen",
        "Det är påträngande tiggeri utanför affären",
        "Det har flyttat in en granne som stör hela huset",
        "Jag känner mig otrygg sedan det hände grejer förra året",
    ],
}

ENDINGS: dict[str, list[str]] = {
    "narkotika": [" och barnen ser allt.", ", jag vill inte att mina barn växer upp så här.", "."],
    "alkohol": [" och man går en omväg.", ", det är obehagligt att gå förbi.", "."],
    "ordningsstorning": [" och ingen kan sova.", ", det har pågått i flera veckor.", "."],
    "unga_kriminalitet": [
        ", jag är orolig för vad som händer med de här ungdomarna.", " och föräldrarna vet inget.", ".",
    ],
    "vald_hot": [" och jag är rädd att gå ut.", ", jag vet inte vem jag ska prata med.", "."],
    "sexuella_trakasserier": [" och nu vågar jag inte gå ensam längre.", ", det måste bli ett slut på det.", "."],
    "inbrott_stold": [", försäkringen täcker inte allt.", " och ingen verkar göra något.", "."],
    "skadegorelse": [" och kommunen hinner inte laga.", ", det ser förfärligt ut.", "."],
    "nedskrapning": [" och det drar till sig råttor.", ", det är tråkigt att bo så.", "."],
    "fysisk_miljo": [" och jag undviker att gå där när det är mörkt.", ", särskilt nu på vintern.", "."],
    "trafik": [" och någon kommer att bli påkörd.", ", det är barn som går där varje morgon.", "."],
    "bedrageri": [", de äldre behöver mer information.", " och många skäms för att berätta.", "."],
    "polisnarvaro": [", det skulle kännas tryggare med synlig polis.", " och då slutar folk anmäla.", "."],
    "ovrigt": [", jag vet inte vem man ska vända sig till.", "."],
}

GENERAL_ENDINGS = [
    " Jag har bott här i tjugo år och det har aldrig varit så här.",
    " Jag känner mig inte trygg längre.",
    " Snälla gör något.",
    " Tack för att ni frågar.",
    "",
]

# When it tends to happen (answer codes of the bot), most likely first.
TIMES: dict[str, list[str]] = {
    "narkotika": ["kvall", "natt", "dag"],
    "alkohol": ["kvall", "natt", "dag"],
    "ordningsstorning": ["natt", "kvall"],
    "unga_kriminalitet": ["kvall", "dag"],
    "vald_hot": ["natt", "kvall"],
    "sexuella_trakasserier": ["kvall", "natt", "dag"],
    "inbrott_stold": ["natt", "hela_dygnet"],
    "skadegorelse": ["natt", "kvall"],
    "nedskrapning": ["hela_dygnet", "dag", "morgon"],
    "fysisk_miljo": ["kvall", "natt", "morgon"],
    "trafik": ["morgon", "dag", "kvall"],
    "bedrageri": ["dag", "hela_dygnet"],
    "polisnarvaro": ["hela_dygnet", "kvall"],
    "ovrigt": ["dag", "vet_inte"],
}

SUGGESTIONS: dict[str, list[str]] = {
    "narkotika": ["Fler poliser på kvällarna", "Kameror vid hållplatsen"],
    "alkohol": ["Ordningsvakter när krogarna stänger", "Mer kontroller av langning"],
    "ordningsstorning": ["Nattvandrare på helgerna", "Att fastighetsägaren gör något"],
    "unga_kriminalitet": ["Öppna fritidsgården på kvällarna", "Fler fältassistenter"],
    "vald_hot": ["Synlig polis", "Bättre belysning och kameror"],
    "sexuella_trakasserier": ["Mer belysning och folk i rörelse", "Att polisen tar det på allvar"],
    "inbrott_stold": ["Grannsamverkan", "Bättre lås på förråden"],
    "skadegorelse": ["Laga snabbare", "Kameror"],
    "nedskrapning": ["Fler och större soptunnor", "Tömma oftare"],
    "fysisk_miljo": ["Laga lamporna", "Klipp ner buskarna"],
    "trafik": ["Farthinder", "Hastighetskontroller vid skolan"],
    "bedrageri": ["Informationsträffar för äldre"],
    "polisnarvaro": ["Kommunpolisen borde ha mottagning här"],
    "ovrigt": [],
}

# Which themes dominate where (weights), so the demo lägesbild has a shape worth reading.
AREA_PROFILES: dict[str, dict[str, int]] = {
    "centrum": {"alkohol": 6, "ordningsstorning": 5, "narkotika": 3, "sexuella_trakasserier": 3, "nedskrapning": 3},
    "stationsomradet": {"narkotika": 6, "vald_hot": 4, "fysisk_miljo": 4, "sexuella_trakasserier": 3},
    "norrby": {"trafik": 6, "unga_kriminalitet": 4, "skadegorelse": 3},
    "soderang": {"unga_kriminalitet": 5, "narkotika": 4, "skadegorelse": 3, "polisnarvaro": 3},
    "ekbacken": {"fysisk_miljo": 5, "inbrott_stold": 3, "trafik": 2},
    "hamnen": {"fysisk_miljo": 4, "alkohol": 3, "vald_hot": 2, "nedskrapning": 3},
    "vastra_falten": {"inbrott_stold": 6, "trafik": 4, "skadegorelse": 2},
    "bjorkhagen": {"unga_kriminalitet": 5, "ordningsstorning": 3, "vald_hot": 3, "polisnarvaro": 3},
    "lindvik": {"bedrageri": 4, "inbrott_stold": 4, "trafik": 2},
    "kvarnbacka": {"fysisk_miljo": 4, "sexuella_trakasserier": 3, "nedskrapning": 2},
    "sjostaden": {"ordningsstorning": 3, "trafik": 3, "nedskrapning": 3},
    "tallmo": {"trafik": 4, "bedrageri": 3, "ovrigt": 2},
}
AREA_WEIGHTS = {
    "centrum": 18, "stationsomradet": 16, "norrby": 10, "soderang": 12, "ekbacken": 5, "hamnen": 6,
    "vastra_falten": 7, "bjorkhagen": 10, "lindvik": 4, "kvarnbacka": 5, "sjostaden": 4, "tallmo": 3,
}
# Felt safety (1 = very unsafe … 5 = very safe) leans lower for violence and harassment.
UNSAFE_THEMES = {"vald_hot", "sexuella_trakasserier", "unga_kriminalitet", "narkotika"}
