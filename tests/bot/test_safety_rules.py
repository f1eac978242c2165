"""Tests for the deterministic safety net (bot/components/safety_rules.py + nlu_data/safety/patterns.yml).

Pure Python: runs under the Rasa venv (Python 3.10) and the API venv (Python 3.11).
These are development examples written for the rules; the honest measurement is
scripts/eval_emergency.py on tests/bot/emergency_heldout.yml, which the rules were not tuned on.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.components.safety_rules import (
    ALWAYS,
    ANY_TENSE,
    DEFAULT_PATTERNS_FILE,
    NOW,
    UNMARKED,
    SafetyRules,
    classify,
    fold,
    load_rules,
    normalise,
)

# -- Development examples ------------------------------------------------------------------------

EMERGENCIES = [
    "hjälp!!",
    "HJÄLP",
    "hjalp hjalp",
    "Hjälp, det är någon i min lägenhet",
    "snälla hjälp mig han slår sönder dörren",
    "någon slår ner en kille utanför Gallerian Kronan just nu",
    "det brinner i trappuppgången, vad ska jag göra",
    "Det brinner i en bil på Infartsparkeringen!",
    "det brinner!!!",
    "det brinner i soprummet, det har hänt förut också",
    "nagon slar ner en gammal man vid busstorget nu",
    "han har en kniv och står och skriker vid Busstorget",
    "en kille viftar med kniv på Stortorget",
    "ring polisen det är skottlossning i Norrby",
    "det skjuts i Björkhagen, jag hör smällarna härifrån",
    "jag hör skott utanför fönstret",
    "två killar rånar en tjej i Stationstunneln",
    "jag blev precis rånad vid Resecentrum, de sprang mot Järnvägsparken",
    "min kompis är knivhuggen och blöder jättemycket",
    "någon försöker bryta sig in i vår lägenhet",
    "det är någon inne i huset, jag gömmer mig i badrummet",
    "en man följer efter mig sen busshållplatsen och jag är livrädd",
    "det ligger en man vid Kajen som inte andas",
    "grannen ligger medvetslös i trappan",
    "de slåss med knivar utanför fritidsgården nu",
    "pågående slagsmål på Kvarnbacka torg",
    "massslagsmål vid Lindviksbadet, typ 20 pers",
    "skicka polis till Tallmo centrum",
    "ett gäng jagar en kille genom Stadsparken",
    "någon har tänt eld på soprummet i vårt hus",
    "det ryker ur fönstret hos grannen",
    "en bil körde på ett barn vid Norrbyskolan, barnet ligger kvar på marken",
    "ett barn har blivit påkört på Norrbyvägen",
    "det är en rattfull som kör runt på Storgatan just nu",
    "hittar inte min dotter, hon badade vid Lindviks strand",
    "call the police, someone is attacking my neighbour",
    "help! a man has a knife",
    "dom sparkar på en kille som ligger ner vid Hamnplan",
    "någon tafsar på mig på bussen nu vad gör jag",
    "han står utanför dörren och sparkar på den, jag e så rädd",
    "min granne skriker på hjälp",
    "det luktar rök i trapphuset och brandvarnaren piper",
    "någon håller på att drunkna vid Söderängsbadet",
    "han drog en pistol mot vakten i gallerian",
    "jag blir hotad av ett gäng vid Busstorget",
    "kom fort det är inbrott hos grannen",
    "inbrott pågår på Industrivägen, ser två personer med ficklampor",
    "nån bryter sig in i bilar på pendlarparkeringen just nu",
    "det är bråk i trapphuset just nu, nån skriker",
    "ja blev nyss nedslagen vid stationen",
    "en tjej blir släpad in i en bil på Strandvägen",
    "Skottlossning vid Ekbackens centrum!!",
    "min pappa har tagit en massa tabletter och vaknar inte",
    "pappa slår mamma just nu och jag är jätterädd",
    "min sambo stryper mig hjälp",
    "grannen misshandlar sin fru just nu, jag hör henne skrika",
    "jag har blivit rånad",
    "de har precis rånat kiosken vid Norrby centrum",
    "brand i trapphuset på Tallmovägen",
    "mitt barn är borta, hon försvann vid Kvarnbäcken",
    "det är en man med kniv i tunneln vid stationen",
    "I går var det bråk men nu slåss de igen utanför",
    "jag vill anmäla ett rån som pågår just nu vid ICA",
    "dom hotar kassörskan med kniv",
    "ngn knivhögg min bror nyss vid kiosken",
    "hjälp mig, en kille säger att han ska skjuta mig",
    "någon knackar och försöker ta sig in genom fönstret",
    "min son har blivit knivhuggen",
    "jag är 14 år och ensam hemma, någon bankar på dörren",
    "snälla skynda er, han slår henne i trappan",
    "dom har kniv och jagar min son mot Ekskogen",
    "jag ser rök från Lindviks skola",
    "det har skett en olycka på Tallmovägen, en cyklist ligger still",
    "Någon har blivit skjuten vid Hamnplan!",
    "vi blev rånade av tre killar vid bankomaten för fem minuter sen",
    "jag är instängd i ett rum och han låter mig inte gå",
    "mannen i lägenheten bredvid har en pistol och hotar sin fru",
    "en kvinna skriker rakt ut i Ängsparken, låter som någon attackerar henne",
    "det brinner i skogen vid motionsspåret",
    "en bil brinner på parkeringen",
    "det är en man som försöker dra med sig ett barn",
    "min mamma har ramlat och blöder från huvudet",
    "han slog sönder rutan och är inne i butiken nu",
    "typ 15 pers slåss vid busstorget asap",
    "Det pågår ett slagsmål i tunneln under Stationsgatan",
    "nån har blivit nerslagen utanför Max, han rör sig inte",
    "akut!! en kille blöder på perrongen",
    "vakterna på Resecentrum brottar ner en man och han skriker att han inte får luft",
    "Min granne har fallit från balkongen",
    "jag är inlåst på toaletten på Gallerian, tre tjejer väntar utanför och säger att de ska slå mig",
    "tre maskerade killar står vid porten med basebollträn",
    "vi hör någon skrika hjälp från Ekskogen",
    "det har gått ett larm och folk springer ut från Gallerian Kronan",
    "bussen har kört på en cyklist vid Rådhusplan",
    "det är en man som hotar att hoppa från taket på parkeringshuset",
    "någon sparkar på dörren och skriker att han ska döda mig",
    "Det luktar gas i trapphuset",
    "gänget kastar sten på bussen just nu",
    "en kvinna ligger i vattnet vid Kajen",
    "kan ni skicka en ambulans till Kvarnbacka IP",
    "min kompis andas konstigt efter att ha druckit en massa",
    "det står en kille och tittar in genom mitt fönster",
    "ett gäng har omringat min son vid Norrby bollplan och tar hans jacka",
    "just nu slåss de på torget",
    "det pågående slagsmålet vid torget blir bara värre",
    "killarna på gården slår varandra nu",
]

NOT_EMERGENCIES = [
    "förra veckan blev grannen rånad",
    "förra veckan blev grannen rånad, och nu är alla rädda",
    "det brinner ofta i soprummen i Norrby",
    "Det var skottlossning i Björkhagen i somras och sen dess går jag inte ut på kvällen",
    "för ett år sen blev min son knivhuggen vid Resecentrum",
    "i fredags slogs ett gäng utanför puben på Storgatan",
    "det är ofta slagsmål på Stortorget på helgerna",
    "ungdomar brukar slåss vid fritidsgården",
    "jag är rädd att bli rånad när jag går genom Stationstunneln",
    "tänk om någon blir knivhuggen i Ekskogen, det är så mörkt där",
    "vad ska man göra om man ser någon bli misshandlad?",
    "det känns otryggt i tunneln vid stationen, dålig belysning",
    "det langas knark i trappuppgången",
    "mopeder kör som galningar på gångvägen",
    "mycket klotter på Busstorget",
    "det slår mig att ingen bryr sig om parken",
    "vi har haft flera inbrott i förråden",
    "häromdagen hörde jag skott från skogen vid Tallmo",
    "när jag var liten var det lugnt här, nu är det bråkigt",
    "min cykel blev stulen i går vid Resecentrum",
    "jag vill att polisen patrullerar mer vid Stortorget",
    "hur länge sparas det jag skriver?",
    "det har varit många rån i tunneln senaste året",
    "folk blir rånade i Järnvägsparken",
    "det skjuts raketer varje nyår vid Kajen",
    "skottlossningen i Norrby har gjort alla rädda",
    "vi borde ha fler vuxna ute på kvällarna",
    "kan ni sätta upp bättre belysning innan någon blir överfallen",
    "brandlarmet gick i skolan i torsdags",
    "jag går inte ut efter mörkrets inbrott",
    "Det brann i en bil på Industrivägen förra helgen",
    "min granne blev misshandlad för två veckor sen och vågar inte gå ut",
    "ungarna skjuter smällare mot bussarna",
    "I vintras var det flera rånförsök vid bankomaten",
    "det är mycket bus och skadegörelse vid Norrbyskolan",
    "de säljer knark öppet vid Busstorget varje kväll",
    "nu när det är mörkt tidigt känns det otryggt att gå hem",
    "mopedgängen kör på gångbanan och har nästan kört på folk",
    "min dotter blev förföljd av en man från bussen i höstas",
    "Det var ett knivslagsmål utanför Fritidsgården Björken för några veckor sedan",
    "grannarna bråkar och skriker varje natt",
    "jag såg två killar bryta sig in i en bil förra helgen",
    "det har brunnit i soprummet tre gånger i år",
    "de har slagit sönder busskuren igen",
    "tjena, hur funkar det här?",
    "vad är ett medborgarlöfte",
    "Ekskogen är läskig när det är mörkt, man hör folk skrika ibland",
    "gatlamporna på Kyrkogatan har varit trasiga i månader",
    "förut kunde man gå överallt, nu för tiden blir folk rånade i Sjöstadsparken",
    "det var brand i en lägenhet på Björkhagsvägen i våras",
    "jag är orolig för att någon ska bli påkörd vid övergångsstället",
    "när det är fotboll på Kvarnbacka IP brukar det bli slagsmål efteråt",
    "det skjuter upp nya pizzerior överallt i Hamnen",
    "det finns inga vuxna som ingriper när ungdomarna hotar folk på helgerna",
    "i have been robbed last week near the station",
    "Det står en kille och pissar i hissen",
    "Det var mycket stök vid Busstorget förra fredagen",
    "min son blev hotad med kniv av ett gäng i våras och vågar inte gå ut",
    "på somrarna är det slagsmål nästan varje helg vid Lindviksbadet",
    "grannens hund attackerar folk ibland",
    "jag har hört att folk blir rånade vid Stationsgatan",
    "I höstas brann det i tre bilar på Industrivägen",
    "jag tycker att det är jobbigt när ungdomarna hotar personalen på ICA",
    "man vågar inte gå ut efter skottlossningen förra året",
    "min bil blev vandaliserad i natt",
    "Tidigare i år blev en tjej våldtagen i Ekskogen, det är hemskt",
    "vi hörde skottlossning för ett par år sedan vid Tallmo centrum",
    "det finns knivar i skolan, eleverna bär kniv",
    "om någon skulle bli knivhuggen här skulle ingen märka det",
    "Jag har sett killar med vapen vid Norrby centrum flera gånger",
    "folk röker på bakom fritidsgården",
    "jag blir rädd när gänget står utanför porten på kvällarna",
    "det kommer att hända en olycka vid skolan om inget görs",
    "han hotade mig med kniv förra sommaren",
    "det känns som att någon förföljer mig när jag går hem från jobbet",
    "det går en man i parken som blottar sig ibland",
    "förra veckan slog några killar ner en tjej i parken",
    "jag blev misshandlad vid Stortorget en natt i julas",
    "tjejerna på skolan blir ofta tafsade på i korridoren",
    "det kan bli dödsolyckor vid den här korsningen",
    "hade polisen kommit snabbare hade ingen blivit skadad",
    "vi har haft problem med inbrott i flera år",
    "det var en man som blottade sig vid badet för ett tag sen",
    "varje sommar brinner det i papperskorgarna vid stranden",
    "en gång blev jag nästan rånad i tunneln",
    "Folk slåss och kastar flaskor när krogarna stänger",
    "de hotar folk som säger till dem",
    "jag blev rånad på min telefon när jag gick hem från bussen",
    "I början av månaden knivhöggs en kille vid Busstorget",
    "förra vintern dog en man av en överdos i Järnvägsparken",
    "vi hörde skott i natt",
    "Just nu är det mycket bråk i Norrby",
    "nu är det mycket inbrott i förråden igen",
    "nu ska jag berätta om när jag blev rånad",
    "kan polisen komma och kolla på kvällarna, de slåss ofta",
    "hjälp! det är så mycket nedskräpning",
    "hjälp oss att få bort langarna från torget",
    "de står utanför porten och langar varje kväll",
    "det är ett gäng som står utanför porten och röker",
]

CRISES = [
    "jag orkar inte leva längre",
    "vill inte leva mer, allt är skit",
    "jag tänker ta livet av mig i kväll",
    "har haft självmordstankar hela veckan",
    "jag skär mig när det blir för jobbigt",
    "ingen skulle sakna mig om jag försvann",
    "jag vill bara dö",
    "ja vill inte finnas",
    "tänker hoppa från bron vid Kajen",
    "jag skadar mig själv ibland",
    "orkar inte mer.",
    "i want to kill myself",
    "funderar på självmord",
    "livet är meningslöst och jag vill försvinna för alltid",
    "jag vill inte leva om det ska vara så här",
    "jag har tänkt på att ta mitt liv",
    "känner mig så ensam att jag vill sluta finnas",
    "har skurit mig i armarna igen",
    "min kompis skriver att hon ska ta livet av sig",
    "jag mår skit och vill bara sova för alltid",
]

CHILDREN_IN_NEED = [
    "jag är 13 och pappa slår mig",
    "jag e 12 o min styvpappa slår mig när han är full",
    "mamma och hennes kille slår mig",
    "jag vågar inte gå hem efter skolan",
    "jag får stryk hemma om jag kommer hem sent",
    "dom i min klass mobbar mig och sparkar mig i korridoren",
    "jag blir mobbad varje dag på Ekbackeskolan",
    "en vuxen man på snap vill att jag ska skicka bilder",
    "grannens barn blir slagna, jag hör dem skrika genom väggen",
    "jag är 15 och rädd för min pappa",
    "min storebror slår mig hela tiden och mamma gör inget",
    "pappa slog mig igår och jag har blåmärken",
    "jag vill göra en orosanmälan om ett barn i huset",
    "my dad hits me",
    "jag är 11 och mammas kille tar på mig när mamma jobbar",
    "Min mamma super och skriker på mig varje kväll",
    "jag är 10 och pappa har en kniv",
    "styvfarsan tar på mig på nätterna",
    "Jag är 16 och min kille slår mig",
    "Han slår sina barn, jag har sett det",
]

DOMESTIC_VIOLENCE = [
    "min sambo slår mig",
    "min man hotar att döda mig om jag lämnar honom",
    "min kille kontrollerar min telefon och vem jag träffar",
    "mitt ex förföljer mig och står utanför jobbet",
    "jag hör grannen slå sin fru varje helg",
    "min pojkvän tvingade mig till sex",
    "jag vågar inte lämna honom",
    "det är hedersvåld i familjen, de vill gifta bort mig",
    "min fru slår mig när hon har druckit",
    "min sambo ströp mig igår",
    "my husband beats me",
    "vart vänder man sig om man utsätts för våld i nära relation",
    "min f.d. sambo hotar mig via sms",
    "Min man tar all min lön och jag får inte träffa mina vänner",
    "pojkvännen säger att han dödar mig om jag gör slut",
    "Min exman står utanför mitt hus varje kväll",
    "jag lever med en man som slår mig",
    "jag hör hur grannen misshandlar sin sambo genom väggen",
    "hennes kille har slagit henne flera gånger",
]

REPORT_CRIME = [
    "jag vill anmäla ett brott",
    "hur polisanmäler man en cykelstöld",
    "kan jag tipsa polisen om en langare",
    "jag vet vem som sålde knark vid skolan",
    "vill göra en anmälan om skadegörelse på min bil",
    "hur kontaktar jag polisen om inbrottet",
    "jag har filmat när de langade, vem ska jag skicka det till",
    "jag vill anmäla grannen",
    "jag blev rånad i går och vill polisanmäla det",
    "hur anmäler man",
    "vad är numret till polisen, 114 14?",
    "i want to report a crime",
    "jag var vittne till misshandeln på Storgatan i lördags",
    "kan jag lämna ett anonymt tips",
    "jag vill polisanmäla min granne för hot",
    "kan jag ringa polisen och tipsa om en bil som används för knarkförsäljning",
    "jag vet var de gömmer vapnen",
    "vart ska jag vända mig för att göra en anmälan om bedrägeri?",
    "tips: de langar från en vit Volvo vid Busstorget",
]

NOTHING = [
    "jag orkar inte mer med nedskräpningen i parken",
    "Mind Självmordslinjen borde synas mer",
    "jag slår mig alltid på trottoarkanten vid Storgatan",
    "folk dör av överdoser här och ingen gör något",
    "jag är 15 och tycker att parken är läskig på kvällen",
    "barnen spelar fotboll på Norrby bollplan",
    "mamma tycker det är otryggt vid stationen",
    "min sambo och jag känner oss otrygga vid Kajen",
    "min man tycker också att belysningen är dålig",
    "min fru blev rånad i Stadsparken för en månad sen",
    "jag vill anmäla mig till dialogmötet",
    "jag vill felanmäla en trasig gatlampa på Tallmovägen",
    "får polisen se vad jag skriver?",
    "varför syns aldrig polisen i Lindvik",
    "hej! jag vill berätta om Ekskogen",
    "behöver ni hjälp med något mer?",
    "hur många anmälningar om inbrott görs i Lindvik",
    "Kommunen borde anmäla hyresvärden",
    "jag vill lämna synpunkter om parken",
    "hjälp mig att formulera mitt svar",
    "kan du hjälpa mig?",
]

# -- Second round: kinds of emergency the first rules missed, and more past/recurring markers -----
# (medical collapse and poisoning, missing children and confused elderly, fire and gas, weapons shown,
# vehicles into people, someone about to jump, abduction, burglars inside, held captive, drowning,
# threats for tonight). Each sentence names the rule that should catch it.

EMERGENCY_RULES = [
    ("Min morfar har fallit ihop i trädgården", "emergency.danger.medical_collapse"),
    ("tjejen bredvid mig på perrongen har kollapsat", "emergency.danger.medical_collapse"),
    ("han har fått kramper och skummar om munnen", "emergency.danger.medical_collapse"),
    ("bebisen är alldeles blå och helt slapp", "emergency.danger.medical_collapse"),
    ("min treåring har svalt ett knappcellsbatteri", "emergency.danger.medical_collapse"),
    ("var son drack lampolja ur flaskan pa balkongen", "emergency.danger.medical_collapse"),
    ("grannen ligger i soprummet och går inte att väcka", "emergency.danger.medical_collapse"),
    ("hon har tappat medvetandet på toaletten på Resecentrum", "emergency.danger.medical_collapse"),
    ("my dad is having a heart attack", "emergency.danger.medical_collapse"),
    ("AMBULANSS!!!", "emergency.always.ambulance_needed"),
    ("vi behöver en ambulans till Tallmovägen 4", "emergency.always.ambulance_needed"),
    ("snälla ring efter en ambulanss", "emergency.always.ambulance_needed"),
    ("please call an ambulance, she collapsed", "emergency.always.ambulance_needed"),
    ("nödläge på Kajen", "emergency.always.alarm_words"),
    ("vår son på fem år har försvunnit på Stortorget", "emergency.danger.missing_child_or_elder"),
    ("jag hittar inte min lilla dotter i Gallerian Kronan", "emergency.danger.missing_child_or_elder"),
    ("morfar är dement och har gått ut i snön utan jacka", "emergency.danger.missing_child_or_elder"),
    ("en förvirrad äldre dam står vid busshållplatsen i nattlinne", "emergency.danger.missing_child_or_elder"),
    ("flicka 7 år saknas vid Lindviksbadet", "emergency.danger.missing_child_or_elder"),
    ("köket brinner", "emergency.danger.fire_or_gas"),
    ("det stinker gas i källaren på Kyrkogatan", "emergency.danger.fire_or_gas"),
    ("de tänder på bilarna på Industrivägen", "emergency.danger.fire_or_gas"),
    ("någon har kastat in en brandbomb i lägenheten på bottenplan", "emergency.danger.fire_or_gas"),
    ("grannen häller tändvätska på sin dörr och skriker", "emergency.danger.fire_or_gas"),
    ("the school is on fire", "emergency.danger.fire_or_gas"),
    ("en snubbe har plockat fram en machete vid Kajen", "emergency.danger.weapon_shown"),
    ("dom e beväpnade och står i porten", "emergency.danger.weapon_shown"),
    ("det står en övergiven väska som tickar på perrongen", "emergency.danger.weapon_shown"),
    ("någon har lagt sprängämnen vid porten", "emergency.danger.weapon_shown"),
    ("a man is pointing a gun at the cashier", "emergency.danger.weapon_shown"),
    ("en bil har kört in i folkmassan på Stortorget", "emergency.danger.vehicle_into_people"),
    ("olycka på Tallmovägen, en cyklist ligger kvar på marken", "emergency.danger.vehicle_into_people"),
    ("bussen har voltat och folk sitter fast", "emergency.danger.vehicle_into_people"),
    ("en bil har rullat ner i hamnen med en familj i", "emergency.danger.vehicle_into_people"),
    ("someone drove into people outside the mall", "emergency.danger.vehicle_into_people"),
    ("en tjej står på fel sida av räcket på bron", "emergency.danger.person_at_risk"),
    ("min kompis har klättrat över broräcket vid Kajen", "emergency.danger.person_at_risk"),
    ("he is threatening to jump off the roof", "emergency.danger.person_at_risk"),
    ("de knuffar in en kille i bakluckan på en vit bil", "emergency.danger.abduction"),
    ("ett barn tvingas in i en skåpbil vid Norrbyskolan", "emergency.danger.abduction"),
    ("someone dragged a girl into a car", "emergency.danger.abduction"),
    ("två killar klättrar in genom källarfönstret hos grannen", "emergency.danger.intruder_inside"),
    ("jag hör fotsteg på övervåningen och jag är ensam hemma", "emergency.danger.intruder_inside"),
    ("någon bänder upp altandörren", "emergency.danger.intruder_inside"),
    ("inbrottslarmet tjuter hos grannen och nån springer i trädgården", "emergency.danger.intruder_inside"),
    ("de låter henne inte gå ut ur lägenheten", "emergency.danger.held_captive"),
    ("jag hålls inlåst i ett förråd", "emergency.danger.held_captive"),
    ("they won't let me leave the flat", "emergency.danger.held_captive"),
    ("en kille har gått under vattnet vid bryggan", "emergency.danger.drowning"),
    ("someone fell into the water at the harbour", "emergency.danger.drowning"),
    ("de har sagt att de ska spränga vår port inatt", "emergency.danger.imminent_threat"),
    ("gänget säger att min kusin är död om han kommer till Norrby", "emergency.danger.imminent_threat"),
    ("en gubbe på bussen hotar att hugga chauffören", "emergency.danger.assault_more"),
    ("en hund biter en pojke på Norrby bollplan", "emergency.danger.assault_more"),
    ("en bebis ligger ensam i en bil i solen på Infartsparkeringen", "emergency.danger.assault_more"),
    ("nån kör mot körriktningen på Strandvägen", "emergency.danger.assault_more"),
    ("tre killar står och väntar på mig utanför skolan just nu", "emergency.with_now.waiting_or_aimed_at_people"),
    ("de skjuter raketer mot balkongerna på Björkhagsvägen nu", "emergency.with_now.waiting_or_aimed_at_people"),
]

MORE_EMERGENCIES = [
    "kan ni skicka ambulans, morfar tar sig för bröstet",
    "han svingar med ett järnrör mot bilarna på parkeringen",
    "han skriver att han ska knivhugga mig när jag slutar jobbet ikväll",
    "han säger att han ska hoppa från balkongen nu",
    "min lillebror har sprungit iväg vid Färjeterminalen och vi hittar honom inte",
    "han står utanför min dörr med kniv just nu, han har hotat mig tidigare",
    "nu brinner det i soprummet för andra gången",
    "grannen har tagit alla sina tabletter",
    "de ska komma hit i natt och bränna ner huset",
]

MORE_NOT_EMERGENCIES = [
    "det har brunnit i cykelrummet två gånger i år",
    "min bror har blivit rånad tre gånger på väg från träningen",
    "om man cyklar genom Ekskogen på kvällen blir man rånad",
    "det har varit skottlossning vid Tallmo centrum tidigare och folk är oroliga",
    "det är lugnt just nu men det blir bråk när fritids stänger",
    "just nu är det stilla, men på helgnätterna slåss de utanför puben",
    "vår granne blev påkörd på övergångsstället i mars",
    "en kille blev skjuten på Tallmovägen och sen dess går jag inte ut",
    "en gång blev jag jagad av ett gäng i Stationstunneln",
    "tidigare har det varit knivbråk utanför fritidsgården",
    "hon har blivit hotad med kniv tidigare av samma kille",
    "det brinner i containrarna för tredje gången i år",
    "min syster blev överfallen medan hon väntade på bussen",
    "i helgen tog en kille fram en kniv på bussen",
    "grannen ramlade ihop på gården i förrgår men han mår bra nu",
    "en gammal man med demens gick vilse i Ekskogen i höstas",
    "det luktar gas i trapphuset då och då och hyresvärden gör inget",
    "förra månaden körde en bil in i uteserveringen på Stortorget",
    "det kan bli en katastrof om nån häller bensin i trapphuset",
    "vi har haft problem med att folk bryter sig in i källaren",
    "vissa nätter hörs skottlossning från Björkhagen",
    "efter branden i soprummet har hyresvärden satt upp kameror",
    "min granne hade inbrott och nu är alla i huset rädda",
    "it is quiet right now but people fight outside the pub on fridays",
    "my neighbour was attacked twice last year",
]

MORE_CRISES = [
    "jag är bara en börda för min familj",
    "jag ser ingen annan utväg längre",
    "everyone would be better off without me",
    "jag förtjänar att dö efter allt jag har gjort",
]

MORE_CHILDREN_IN_NEED = [
    "jag bor i ett fosterhem där de slår mig när jag gör fel",
    "min tränare tar på mig efter träningen",
    "jag är 14 och blev utkastad hemifrån i går",
    "de äldre killarna tvingar mig att förvara grejer åt dem",
]

MORE_DOMESTIC_VIOLENCE = [
    "min svärmor hotar mig och tar mina pengar",
    "min man har installerat en app så han ser var jag är",
    "hennes sambo läser alla hennes sms och hon får inte jobba",
    "my mother-in-law controls everything i do",
]

MORE_NOTHING = [
    "mer polis!!",
    "det tar alldeles för lång tid innan ambulansen kommer till Tallmo",
    "förr i tiden kunde barnen leka ute hela kvällarna",
    "vi borde ha en hjärtstartare vid Kvarnbacka IP",
    "jag har installerat en app för att se busstiderna",
    "snön ligger på taket och istappar faller ner på trottoaren",
    "mamma säger att hon ska ta mig till simhallen",
    "jag försöker öppna porten men koden funkar inte",
    "hissen kommer inte upp till femte våningen",
    "ungdomarna slänger in skräp i bilen som står övergiven",
    "jag har kramper i magen",
]

ALL_EXAMPLES = (
    EMERGENCIES
    + NOT_EMERGENCIES
    + CRISES
    + CHILDREN_IN_NEED
    + DOMESTIC_VIOLENCE
    + REPORT_CRIME
    + NOTHING
    + [text for text, _ in EMERGENCY_RULES]
    + MORE_EMERGENCIES
    + MORE_NOT_EMERGENCIES
    + MORE_CRISES
    + MORE_CHILDREN_IN_NEED
    + MORE_DOMESTIC_VIOLENCE
    + MORE_NOTHING
)


def _category(text: str) -> str | None:
    match = classify(text)
    return match.category if match else None


def test_examples_are_distinct() -> None:
    normalised = [normalise(text) for text in ALL_EXAMPLES]
    assert len(normalised) == len(set(normalised))


@pytest.mark.parametrize("text", EMERGENCIES)
def test_emergency(text: str) -> None:
    assert _category(text) == "emergency"


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_past_recurring_or_feared_events_are_not_emergencies(text: str) -> None:
    assert _category(text) != "emergency"


@pytest.mark.parametrize("text", CRISES)
def test_crisis(text: str) -> None:
    assert _category(text) == "crisis"


@pytest.mark.parametrize("text", CHILDREN_IN_NEED)
def test_child_in_need(text: str) -> None:
    assert _category(text) == "child_in_need"


@pytest.mark.parametrize("text", DOMESTIC_VIOLENCE)
def test_domestic_violence(text: str) -> None:
    assert _category(text) == "domestic_violence"


@pytest.mark.parametrize("text", REPORT_CRIME)
def test_report_crime(text: str) -> None:
    assert _category(text) == "report_crime"


@pytest.mark.parametrize("text", NOTHING)
def test_no_safety_category(text: str) -> None:
    assert classify(text) is None


@pytest.mark.parametrize(("text", "rule"), EMERGENCY_RULES)
def test_emergency_kinds_added_in_the_second_round(text: str, rule: str) -> None:
    match = classify(text)
    assert match is not None
    assert (match.category, match.rule) == ("emergency", rule)


@pytest.mark.parametrize("text", MORE_EMERGENCIES)
def test_more_emergencies(text: str) -> None:
    assert _category(text) == "emergency"


@pytest.mark.parametrize("text", MORE_NOT_EMERGENCIES)
def test_more_past_recurring_and_calm_now_messages_are_not_emergencies(text: str) -> None:
    assert _category(text) != "emergency"


@pytest.mark.parametrize(
    ("text", "category"),
    [(text, "crisis") for text in MORE_CRISES]
    + [(text, "child_in_need") for text in MORE_CHILDREN_IN_NEED]
    + [(text, "domestic_violence") for text in MORE_DOMESTIC_VIOLENCE],
)
def test_more_support_categories(text: str, category: str) -> None:
    assert _category(text) == category


@pytest.mark.parametrize("text", MORE_NOTHING)
def test_more_messages_without_a_safety_category(text: str) -> None:
    assert classify(text) is None


# -- Third round: kinds of emergency and tip the first rounds missed (own phrasings, not the held-out texts) ----

THIRD_ROUND_EMERGENCIES = [
    ("jag har gömt mig i tvättstugan, de letar efter mig", "emergency.danger.hiding_or_hunted"),
    ("han håller i min arm och jag kommer inte loss", "emergency.danger.hiding_or_hunted"),
    ("någon skriker mord bakom garagen", "emergency.danger.hiding_or_hunted"),
    ("de sprayar pepparspray på folk i kön", "emergency.danger.attacks_with_substances"),
    ("en man står och onanerar vid lekparken", "emergency.danger.indecent_exposure_or_groping"),
    ("en pojke har ramlat ner på spåret vid stationen", "emergency.danger.people_on_tracks_or_roads"),
    ("ett litet barn går ensamt mitt på stora vägen", "emergency.always.small_child_in_traffic"),
    ("en bil kör som en dåre mot folk på gågatan", "emergency.always.vehicle_at_people"),
    ("en kille springer omkring på torget med en machete", "emergency.danger.armed_person_roaming"),
    ("tre maskerade typer står vid bankomaten", "emergency.danger.armed_person_roaming"),
    ("det är blod överallt i trapphuset och en man ligger där", "emergency.danger.blood_and_injury"),
    ("det är inbrott hos grannen, larmet går och jag ser ficklampor", "emergency.danger.break_in_now"),
    ("vår dotter på sex år är borta, vi har letat överallt", "emergency.danger.missing_person"),
    ("någon släpar iväg med en tjej som skriker", "emergency.danger.abduction"),
    ("en tjej blev inknuffad i en skåpbil vid hamnen", "emergency.danger.abduction"),
    ("de försöker sätta eld på porten", "emergency.danger.fire_or_smoke"),
    ("de kastar molotovcocktails mot bussen", "emergency.danger.fire_or_smoke"),
    ("polisen hit!!", "emergency.always.alarm_words"),
]

THIRD_ROUND_NOT_EMERGENCIES = [
    "det brinner i knutarna med allt just nu",  # an idiom
    "jag skulle bli förstörd om mitt barn blev påkört där",  # what if
    "om jag ser någon med ett vapen, vem ringer jag då",
    "förra året blev flera cyklister påkörda vid korsningen",
    "det finns en gubbe som brukar blotta sig vid badet",
    "larmet i butiken går hela tiden utan anledning",
    "min vän skadar sig själv ibland och jag vet inte vad jag ska göra",
]

THIRD_ROUND_SUPPORT = [
    ("jag blir slagen av min sambo", "domestic_violence"),
    ("min kusin är gift med en man som kontrollerar allt hon gör", "domestic_violence"),
    ("jag är 13 och blir hotad av några i nian", "child_in_need"),
    ("jag vill tipsa om var de förvarar knarket", "report_crime"),
    ("kan ni föra det här vidare till polisen", "report_crime"),
    ("jag vet vilka som slog sönder bussen, vart vänder jag mig", "report_crime"),
    ("hur tipsar jag om en olaglig klubb", "report_crime"),
]


@pytest.mark.parametrize(("text", "rule"), THIRD_ROUND_EMERGENCIES)
def test_emergency_kinds_added_in_the_third_round(text: str, rule: str) -> None:
    match = classify(text)
    assert match is not None
    assert match.rule == rule


@pytest.mark.parametrize("text", THIRD_ROUND_NOT_EMERGENCIES)
def test_third_round_counterexamples_are_not_emergencies(text: str) -> None:
    assert _category(text) != "emergency"


@pytest.mark.parametrize(("text", "category"), THIRD_ROUND_SUPPORT)
def test_third_round_support_and_tips(text: str, category: str) -> None:
    assert _category(text) == category


# Fourth round: written from what the rules missed in the first three held-out files (they are development data
# now); tests/bot/emergency_heldout_4.yml was written independently to measure this round.
FOURTH_ROUND_EMERGENCIES = [
    ("HJÄLP OSS", "emergency.always.cry_for_help"),
    ("hjälp mig snälla han slår sönder allt", "emergency.always.cry_for_help"),
    ("två killar håller på att råna en gammal dam vid bankomaten", "emergency.always.in_progress"),
    ("de försöker knuffa ner honom från perrongen", "emergency.always.in_progress"),
    ("two guys are beating a man by the station", "emergency.always.in_progress"),
    ("nåt som brinner ligger i brevinkastet", "emergency.always.fire"),
    ("elden sprider sig till grannens förråd", "emergency.always.fire"),
    ("en kvinna står längst ut på bron och verkar vilja hoppa", "emergency.always.about_to_jump"),
    ("en kille hotar kassörskan i kiosken med en trasig flaska", "emergency.always.weapon_in_hand"),
    ("han sticker en annan kille med en kniv vid kiosken", "emergency.danger.stabbing_and_threats"),
    ("en snubbe kommer rakt emot oss med ett järnrör", "emergency.danger.stabbing_and_threats"),
    ("han sa att han ska hämta en pistol hemma", "emergency.danger.stabbing_and_threats"),
    ("en man har knivhuggits på perrongen", "emergency.danger.stabbing_and_threats"),
    ("nån sparkar in vår dörr", "emergency.danger.door_kicked_in_or_followed"),
    ("det är någon som klättrar upp på vår balkong", "emergency.danger.door_kicked_in_or_followed"),
    ("en man har följt efter mig från stationen", "emergency.danger.door_kicked_in_or_followed"),
    ("mormor har ramlat i badrummet och svarar inte", "emergency.danger.fall_or_collapse"),
    ("killen på bänken inte går att väcka", "emergency.danger.fall_or_collapse"),
    ("en pojke hoppade i sjön och har inte kommit upp", "emergency.danger.fall_or_collapse"),
    ("en gammal dam sitter ute i bara nattlinne i snön", "emergency.danger.fall_or_collapse"),
    ("det kommer in rök under dörren", "emergency.danger.fall_or_collapse"),
    ("grannens altan brinner", "emergency.danger.fire_or_gas"),
    ("det står en väska som piper under bänken", "emergency.danger.weapon_shown"),
    ("de sköt mot fönstret precis nyss", "emergency.with_now.violence_just_happened"),
]

FOURTH_ROUND_NOT_EMERGENCIES = [
    "hjälp mig förstå vad ni gör med svaren",
    "de hotar folk som går förbi vid torget",  # a recurring problem, not an act now
    "gänget brukar försöka råna folk vid tunneln",
    "förra veckan försökte någon sparka in dörren till förrådet",
    "jag är rädd att nån ska följa efter mig hem",
    "det brann i skogen i somras och elden spred sig",
    "mina barn vill hoppa från bryggan på sommaren",
]


@pytest.mark.parametrize(("text", "rule"), FOURTH_ROUND_EMERGENCIES)
def test_emergency_kinds_added_in_the_fourth_round(text: str, rule: str) -> None:
    match = classify(text)
    assert match is not None
    assert match.rule == rule


@pytest.mark.parametrize("text", FOURTH_ROUND_NOT_EMERGENCIES)
def test_fourth_round_counterexamples_are_not_emergencies(text: str) -> None:
    assert _category(text) != "emergency"


def test_a_threat_shouted_now_beats_domestic_violence() -> None:
    # "min sambo hotar att döda mig" alone is domestic violence; shouted through the wall it is happening now
    assert _category("grannens kille skriker att han ska döda henne") == "emergency"


@pytest.mark.parametrize(
    ("text", "no_event"),
    [
        ("vad gör man om det börjar brinna i förrådet", True),
        ("vilket nummer ska jag ringa om det inte är akut", True),
        ("brinner ni verkligen för det här", True),
        ("kommunen borde göra något åt alla bilbränder", True),
        ("det är en mördarbacke för barnen på cykel", True),
        ("vad ska jag göra, han står utanför dörren just nu", False),  # a now marker wins
        ("en man slår en kvinna vid busshållplatsen", False),
    ],
)
def test_general_questions_and_figures_of_speech(text: str, no_event: bool) -> None:
    assert load_rules().tells_of_no_event(text) is no_event


# -- How the decision is made --------------------------------------------------------------------


def test_match_says_which_rule_fired() -> None:
    match = classify("någon slår ner en kille utanför just nu")
    assert match is not None
    assert match.category == "emergency"
    assert match.rule == "emergency.danger.violence_now"
    assert match.matched == "slår ner en kille"
    assert match.tense == NOW
    assert match.as_dict()["rule"] == match.rule


@pytest.mark.parametrize(
    ("text", "tense"),
    [
        ("det brinner i källaren", ALWAYS),
        ("jag har blivit rånad", UNMARKED),
        ("det är bråk utanför porten just nu", NOW),
        ("min sambo slår mig", ANY_TENSE),
    ],
)
def test_tense_verdict(text: str, tense: str) -> None:
    match = classify(text)
    assert match is not None
    assert match.tense == tense


def test_support_category_beats_an_emergency_without_a_now_marker() -> None:
    match = classify("min sambo slår mig")
    assert match is not None
    assert (match.category, match.also) == ("domestic_violence", ("emergency",))


def test_emergency_with_a_now_marker_beats_support_categories() -> None:
    match = classify("min sambo slår mig just nu")
    assert match is not None
    assert match.category == "emergency"
    assert "domestic_violence" in match.also


def test_now_in_another_clause_does_not_undo_a_past_marker() -> None:
    assert classify("förra veckan blev grannen rånad, och nu är alla rädda") is None
    assert _category("förra veckan blev grannen rånad och han blöder nu") == "emergency"


def test_always_phrase_is_only_vetoed_within_its_own_clause() -> None:
    assert _category("det brinner i soprummet, det har hänt förut") == "emergency"
    assert _category("det brinner ofta i soprummet") is None


def test_a_threat_for_tonight_counts_as_now_but_last_night_does_not() -> None:
    match = classify("han har skrivit att han ska bränna ner vår lägenhet i natt")
    assert match is not None
    assert (match.category, match.tense) == ("emergency", NOW)
    assert classify("någon har tänt eld på en bil i natt vid Kajen") is None


def test_calm_just_nu_is_not_a_now_marker() -> None:
    assert classify("just nu är det lugnt men på helgerna är det slagsmål vid Hamnplan") is None
    assert classify("det är tyst just nu, men på kvällarna bråkar de vid porten") is None
    assert _category("just nu slåss två killar vid porten") == "emergency"


def test_aftermath_after_nu_does_not_make_a_past_event_current() -> None:
    assert _category("min kusin blev rånad förra veckan och nu vågar hon inte gå ut") is None
    assert _category("min kusin blev rånad förra veckan och nu blöder hon igen") == "emergency"


def test_letters_without_dots_match_the_same_patterns() -> None:
    assert _category("min sambo slar mig") == "domestic_violence"
    assert _category("jag har sjalvmordstankar") == "crisis"
    assert _category("nagon forsoker bryta sig in") == "emergency"


@pytest.mark.parametrize("text", ["hjälp!!", "HJÄÄÄÄLP!!", "  hjälp\u200b!! ", "hja\u0308lp!!"])
def test_normalisation_of_case_repeats_spacing_and_decomposed_letters(text: str) -> None:
    match = classify(text)
    assert match is not None
    assert match.rule == "emergency.always.cry_for_help"


def test_normalise_and_fold() -> None:
    assert normalise("  Hja\u0308a\u0308a\u0308lp   MIG ") == "hjälp mig"
    assert normalise("snällllla") == "snälla"
    assert fold("Åsa är på ön") == "Asa ar pa on"
    assert len(fold("åäö")) == 3


def test_empty_text() -> None:
    assert classify("") is None
    assert classify("   ") is None


# -- The data file ---------------------------------------------------------------------------------


def test_project_patterns_file_loads() -> None:
    rules = load_rules(DEFAULT_PATTERNS_FILE)
    assert rules.priority[0] == "emergency"
    assert set(rules.rules) == {"emergency", "crisis", "child_in_need", "domestic_violence", "report_crime"}
    assert all(rules.rules.values())


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "patterns.yml"
    path.write_text(body, encoding="utf-8")
    return path


MINIMAL_TENSE = """\
tense:
  now_anywhere: ['just nu']
  now_in_clause: ['nu']
  past_or_recurring: ['i går']
  hypothetical: ['tänk om']
"""


def test_small_patterns_file_with_vocab(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        MINIMAL_TENSE
        + textwrap.dedent(
            """\
            vocab:
              animal: 'varg|björn'
            categories:
              emergency:
                danger:
                  wild_animals: ['en (?:<animal>) i trädgården']
            """
        ),
    )
    rules = SafetyRules.from_file(path)
    assert rules.classify("det står en björn i trädgården")
    assert rules.classify("det stod en varg i trädgården i går") is None
    assert rules.classify("tänk om en varg i trädgården") is None


def test_unknown_placeholder_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL_TENSE + "categories:\n  crisis:\n    always:\n      x: ['<nope>']\n")
    with pytest.raises(ValueError, match="nope"):
        SafetyRules.from_file(path)


def test_unknown_tier_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL_TENSE + "categories:\n  crisis:\n    danger:\n      x: ['dö']\n")
    with pytest.raises(ValueError, match="tiers"):
        SafetyRules.from_file(path)


def test_missing_tense_lists_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "categories: {}\n")
    with pytest.raises(ValueError, match="tense"):
        SafetyRules.from_file(path)


# -- scripts/eval_emergency.py -------------------------------------------------------------------


def test_evaluate_counts_recall_and_false_alarms() -> None:
    from scripts.eval_emergency import evaluate

    examples = [
        {"text": "a", "emergency": True},
        {"text": "b", "emergency": True},
        {"text": "c", "emergency": False},
        {"text": "d", "emergency": False},
        {"text": "e", "emergency": False},
    ]
    result = evaluate(examples, lambda text: text in {"a", "c"})

    assert (result["recall"], result["false_alarm_rate"], result["precision"]) == (0.5, 0.3333, 0.5)
    assert (result["missed_texts"], result["false_alarm_texts"]) == (["b"], ["c"])


def test_load_examples_checks_the_shape(tmp_path: Path) -> None:
    from scripts.eval_emergency import load_examples, rules_predict

    good = _write(tmp_path, "examples:\n  - text: det brinner i källaren\n    emergency: true\n")
    [example] = load_examples(good)
    assert rules_predict(example["text"]) is True

    bad = _write(tmp_path, "examples:\n  - text: hej\n    emergency: kanske\n")
    with pytest.raises(ValueError, match="emergency"):
        load_examples(bad)


# Fifth round: written from what the rules missed in held-out files 1-5 after tests/bot/emergency_heldout_5.yml had
# measured the fourth round blind (full pipeline recall 95.2 %, false alarms 6.8 %); all five files are development
# data from here on, so the next round needs a new independently written file.
FIFTH_ROUND_EMERGENCIES = [
    ("en liten pojke går alldeles ensam på körbanan vid rondellen", "emergency.always.small_child_in_traffic"),
    ("en tvååring sitter själv på bryggan vid hamnen", "emergency.always.small_child_in_traffic"),
    ("folk bråkar på perrongen och en gubbe har trillat ner på spåret", "emergency.danger.people_on_tracks_or_roads"),
    ("jag tror nån har hällt nåt i mitt glas, allt snurrar", "emergency.always.drugged"),
    ("min kompis har blivit drogad på festen", "emergency.always.drugged"),
    ("en skåpbil kör rakt in i folkmassan på torget", "emergency.always.vehicle_at_people"),
    ("en bil kör mot folk på torget, flera har blivit påkörda", "emergency.always.vehicle_at_people"),
    ("en man har följt efter mig ända från stationen, han går bakom mig", "emergency.always.followed_still"),
    ("tre tjejer blir rånade vid tunneln", "emergency.danger.violence_now"),
    ("nån skjuter vid skolan och jag hör skott hela tiden nu", "emergency.danger.shooting_or_explosion"),
]

FIFTH_ROUND_NOT_EMERGENCIES = [
    "jag blev rånad vid stationen i våras och tar en annan väg dit nu",
    "förra veckan blev en granne nerslagen men han mår bra nu",
    "jag hörde om en skjutning i stan, händer sånt här också?",
    "om någon rånar mig vid bankomaten, ska jag bara ge dem kortet?",
    "ungarna slåss och filmar det och lägger ut på tiktok",
    "mopederna kör rakt mot folk på gångbanan varje kväll",
    "en man följde efter mig hela vägen hem förra veckan",
    "barnen leker ensamma på gatan hela tiden",
]

FIFTH_ROUND_SUPPORT = [
    ("ungarna i huset bredvid lämnas ensamma hemma i flera dagar", "child_in_need"),
    ("killen i min klass verkar inte få någon mat hemma", "child_in_need"),
    ("en 13-åring sover i trapphuset och har ingenstans att ta vägen", "child_in_need"),
    ("en ledare på fotbollen tar på min dotter på ett sätt hon inte gillar", "child_in_need"),
]


@pytest.mark.parametrize(("text", "rule"), FIFTH_ROUND_EMERGENCIES)
def test_emergency_kinds_added_in_the_fifth_round(text: str, rule: str) -> None:
    match = classify(text)
    assert match is not None
    assert match.rule == rule


@pytest.mark.parametrize("text", FIFTH_ROUND_NOT_EMERGENCIES)
def test_fifth_round_counterexamples_are_not_emergencies(text: str) -> None:
    assert _category(text) != "emergency"


@pytest.mark.parametrize(("text", "category"), FIFTH_ROUND_SUPPORT)
def test_fifth_round_children_in_need(text: str, category: str) -> None:
    assert _category(text) == category


def test_news_and_a_calm_now_do_not_make_a_past_event_urgent() -> None:
    rules = load_rules()
    assert rules.tells_of_the_past("för länge sen brann det på skolan, är den säker nu?")
    assert rules.tells_of_no_event("skjutningarna i stan oroar mig mycket")
    assert rules.tells_of_the_past("för ett år sen blev en man knivhuggen vid kiosken och nu går ingen dit")
    assert rules.tells_of_no_event("vad händer om det börjar brinna i skolan när alla är där")


# Support lines found from the held-out intent test's confusions (worded differently here): a partner named with
# "sin", in-laws in the indefinite form, a partner who decides everything, bullying at the places of a school day,
# and "göra slut på allt" as a suicidal idiom. A danger that is happening now still outranks them.
SIXTH_ROUND_SUPPORT = [
    ("grannen blir nog slagen av sin sambo, man hör det genom väggen", "domestic_violence"),
    ("min svärfamilj tar mina pengar och hotar mig", "domestic_violence"),
    ("min pojkvän bestämmer vad jag får ha på mig", "domestic_violence"),
    ("de sparkar mig på skolgården varje dag", "child_in_need"),
    ("två killar knuffar mig i korridoren och skrattar", "child_in_need"),
    ("de hotar mig på rasterna och säger att jag ska dö", "child_in_need"),
    ("jag tänker göra slut på mitt liv", "crisis"),
    ("i just want to end it all", "crisis"),
]
SIXTH_ROUND_NOT_SUPPORT = [
    "jag ska göra slut med min kille, hur gör man det snyggt",
    "kommunen borde göra slut på klottret vid tunneln",
]


@pytest.mark.parametrize(("text", "category"), SIXTH_ROUND_SUPPORT)
def test_sixth_round_support_lines(text: str, category: str) -> None:
    assert _category(text) == category


@pytest.mark.parametrize("text", SIXTH_ROUND_NOT_SUPPORT)
def test_sixth_round_counterexamples_need_no_support_line(text: str) -> None:
    assert _category(text) is None


def test_bullying_happening_now_is_still_an_emergency() -> None:
    assert _category("de slår mig på rasten just nu, hjälp") == "emergency"


def test_a_small_child_gone_missing_is_an_emergency() -> None:
    assert _category("min treåring gick iväg från lekplatsen och jag hittar henne inte") == "emergency"
    assert _category("vår 6-åring har försvunnit i affären") == "emergency"
    assert _category("vi hittar honom inte på kartan, var ligger gatan") is None


def test_not_wanting_to_exist_is_a_crisis() -> None:
    assert _category("jag vill inte existera längre") == "crisis"


# Sixth blind file (tests/bot/emergency_heldout_6.yml): its misses and false alarms, in other words.
SIXTH_ROUND_EMERGENCIES = [
    ("en moped har följt efter mig ända från skolan och saktar in varje gång jag stannar",
     "emergency.always.followed_still"),
    ("killen som slog mig i fredags står utanför vårt fönster och glor", "emergency.always.harmer_at_the_door"),
    ("jag har aldrig sagt nåt förut men nu har han hållit oss instängda sen i morse", "emergency.always.held_now"),
    ("pappa har misshandlat mig och han e kvar i köket", "emergency.always.harmer_still_here"),
]
SIXTH_ROUND_NOT_EMERGENCIES = [
    "mopederna skjuter iväg från övergångsstället som raketer",
    "barnen sitter med ett spel där man skjuter hela dagarna",
    "trodde det var skott men det var bara fyrverkerier från festen",
    "han slog mig för flera år sen och han är kvar i samma trappuppgång",
]


@pytest.mark.parametrize(("text", "rule"), SIXTH_ROUND_EMERGENCIES)
def test_emergency_kinds_added_in_the_sixth_round(text: str, rule: str) -> None:
    match = classify(text)
    assert match is not None
    assert match.rule == rule


@pytest.mark.parametrize("text", SIXTH_ROUND_NOT_EMERGENCIES)
def test_sixth_round_counterexamples_are_not_emergencies(text: str) -> None:
    assert _category(text) != "emergency"


def test_a_teenagers_parent_telling_of_pressure_gets_the_child_line() -> None:
    assert _category("min son är 14 och ett gäng pressar honom att langa åt dem") == "child_in_need"


def test_what_if_questions_and_help_with_the_form_tell_of_no_event() -> None:
    rules = load_rules()
    assert rules.tells_of_no_event("tänk om någon sätter eld på förrådet, täcker försäkringen det?")
    assert rules.tells_of_no_event("kan du hjälpa mig med att fylla i det här")
    assert rules.tells_of_no_event("vi saknar fler gatlampor på vägen till skolan")
    # the rules' own emergency is never vetoed by it
    assert _category("tänk om han kommer in, han står utanför min dörr med en kniv") == "emergency"


# Seventh blind file (tests/bot/emergency_heldout_7.yml): its misses and wrong triage, in other words.
SEVENTH_ROUND = [
    ("min kille har just slagit mig och han är fortfarande här", "emergency", "emergency.always.harmer_still_here"),
    ("sen vänder den och kör den rakt mot barnen på skolgården", "emergency", "emergency.always.vehicle_at_people"),
    ("jag har tagit typ 30 sömntabletter", "emergency", "emergency.danger.medical"),
    ("ungarna i huset mittemot blir slagna, det hörs genom väggarna", "child_in_need",
     "child_in_need.always.child_harmed"),
    ("en tjej i min dotters klass har blåmärken på armarna", "child_in_need", "child_in_need.always.child_harmed"),
    ("i våras slog min sambo mig och nu vågar jag inte vara hemma", "domestic_violence",
     "domestic_violence.always.partner_violence"),
    ("mina bröder säger att jag drar skam över släkten när jag går ut", "domestic_violence",
     "domestic_violence.always.named_forms"),
]


SEVENTH_ROUND_NOT_EMERGENCIES = ["varje morgon kör han mot rött vid korsningen", "jag skulle döda för en glass nu",
                                 "kan man köpa en brandvarnare billigt via kommunen"]


# Eighth blind file (tests/bot/emergency_heldout_8.yml): its misses and wrong triage, in other words.
EIGHTH_ROUND = [
    ("pappa har jätteont i bröstet och det strålar ut i vänstra armen", "emergency",
     "emergency.danger.medical_collapse"),
    ("min son har svalt blekmedel", "emergency", "emergency.danger.medical_collapse"),
    ("det luktar otroligt mycket av gas i källaren", "emergency", "emergency.danger.fire_or_gas"),
    ("det sitter en främling i vårt vardagsrum", "emergency", "emergency.danger.intruder_inside"),
    ("en tjej står utanför räcket uppe på bron", "emergency", "emergency.danger.person_at_risk"),
    ("ibland tänker jag att döden vore bättre", "crisis", "crisis.always.despair"),
    ("en liten flicka i huset går runt själv ute på nätterna", "child_in_need", "child_in_need.always.child_harmed"),
    ("mitt ex ringer hela tiden fast jag lämnade honom för ett år sen", "domestic_violence",
     "domestic_violence.always.partner_violence"),
]


EIGHTH_ROUND_NOT_EMERGENCIES = [
    "jag hade ont i bröstet förra året men nu är det bra",
    "ungdomar sitter på räcket vid bron och röker varje kväll",
    "min kompis fick panikångest på tentan i fredags",
    "det är en man i mitt hus varje dag, hemtjänsten",
]


# Ninth blind file (tests/bot/emergency_heldout_9.yml): its misses and wrong triage, in other words.
NINTH_ROUND = [
    ("en gubbe har trillat i ån och han kan inte simma", "emergency", "emergency.always.in_the_water"),
    ("blodet sprutar ur handen på honom", "emergency", "emergency.always.heavy_bleeding"),
    ("skott hördes nyss vid torget", "emergency", "emergency.always.shots_now"),
    ("det ryker från elskåpet i trapphuset", "emergency", "emergency.always.fire"),
    ("ring nån! en bil har vält", "emergency", "emergency.always.call_emergency_services"),
    ("mopedisten nerslagen vid rondellen, ligger helt still", "emergency", "emergency.danger.lying_injured"),
    ("pappa har diabetes och han svarar inte när jag pratar med honom", "emergency", "emergency.danger.unresponsive"),
    ("två män rycker i bildörren och bankar på rutan", "emergency", "emergency.danger.trying_to_get_at_me"),
    ("jag ser ingen mening med nånting", "crisis", "crisis.always.despair"),
    ("mitt barnbarn har blåmärken på armarna och säger att hon ramlat", "child_in_need",
     "child_in_need.always.child_harmed"),
    ("min sambo tog stryptag på mig i förrgår", "domestic_violence", "domestic_violence.always.partner_violence"),
    ("jag vill anmäla en cykeltjuv", "report_crime", "report_crime.always.tip_the_police"),
]


NINTH_ROUND_NOT_EMERGENCIES = [
    "i fortnite blev jag skjuten tre gånger i rad",
    "min syster kommer döda mig om jag glömmer hennes födelsedag haha",
    "såg en film om ett rån och nu är jag lite skärrad",
    "det ryker inte längre från fabriken",
    "en pojke berättade att han blir slagen av sin pappa, vad gör jag",
]


# Tenth blind file (tests/bot/emergency_heldout_10.yml): its misses, false alarms and wrong triage, in other words.
TENTH_ROUND = [
    ("det luktar väldigt mycket kemikalier i labbet och eleverna hostar och gråter", "emergency",
     "emergency.danger.fire_or_gas"),
    ("en pytteliten unge i pyjamas går själv längs vägen mot motorvägen", "emergency",
     "emergency.always.small_child_in_traffic"),
    ("mest är det bussarna som är sena varje morgon. men nu har en gubbe vid hållplatsen ramlat och kan inte resa sig",
     "emergency", "emergency.always.fallen_and_hurt"),
    ("jag skar mig i armen igår och skäms", "crisis", "crisis.always.self_harm"),
    ("ungen i lägenheten bredvid springer runt ute utan mat, hans föräldrar har inte varit hemma på flera dygn",
     "child_in_need", "child_in_need.always.neglect_and_exploitation"),
    ("mitt barnbarn hotar mig när han vill ha pengar", "domestic_violence",
     "domestic_violence.always.by_own_grown_child"),
    ("ens tjej går igenom ens sms varje kväll, är det okej?", "domestic_violence",
     "domestic_violence.always.partner_violence"),
    ("någon har repat vår bil, var anmäler vi det", "report_crime", "report_crime.always.file_report"),
    ("farfar har stått i solen hela dagen och svarar inte riktigt när vi pratar med honom", "emergency",
     "emergency.danger.heat_or_cold"),
    ("vi körde elverket inomhus i garaget och nu är båda barnen yra", "emergency", "emergency.danger.fire_or_gas"),
]


TENTH_ROUND_NOT_EMERGENCIES = [
    "läste att någon blivit knivhuggen i stan, är det farligt här?",
    "farsan kommer slå ihjäl mig om jag missar bussen igen haha",
    "vi hade rån i butiken förra vintern och har larm nu",
    "i boken jag läser blir en tjej skjuten vid tåget, händer sånt här?",
    "jag skar mig på en glasbit vid lekplatsen",
    "kommunen svarar inte riktigt på mina mejl om lamporna",
]


ELEVENTH_ROUND = [
    ("det sitter en gubbe på bänken vid torget som inte rör sig alls och det snöar på honom", "emergency",
     "emergency.danger.medical"),
    ("there's a guy beating a woman outside the pizzeria", "emergency", "emergency.always.in_progress"),
    ("någon ropar efter hjälp nere vid kanalen", "emergency", "emergency.danger.violence_now"),
    ("en tjej sitter uppe på balkongräcket och vinglar, hon är full", "emergency", "emergency.danger.person_at_risk"),
    ("dottern åt en kaka med nötter och nu svullnar läpparna och hon har svårt att svälja", "emergency",
     "emergency.danger.allergic_reaction"),
    ("fick ett getingstick i nacken och tungan sväller, jag är allergisk", "emergency",
     "emergency.danger.allergic_reaction"),
    ("my boyfriend slapped me again on saturday", "domestic_violence", "domestic_violence.always.named_forms"),
    ("sometimes i think about ending my life", "crisis", "crisis.always.suicidal"),
    ("someone broke my car window and took the bag, i want to report this", "report_crime",
     "report_crime.always.tip_the_police"),
    ("det har kommit tjock rök in i källargången och nåt brinner där nere", "emergency", "emergency.always.fire"),
    ("kan inte ringa nu hon står i hallen och skriker", "emergency", "emergency.danger.hiding_or_hunted"),
    ("killar med järnrör på parkeringen vid coop", "emergency", "emergency.danger.armed_person_roaming"),
]


ELEVENTH_ROUND_NOT_EMERGENCIES = [
    "jag är allergisk mot nötter, finns det nötfria alternativ i skolmatsalen?",
    "min son har nötallergi och har alltid epipen med sig",
    "om larmet går i natt, vem ska jag ringa?",
    "på fredag har vi utrymningsövning så larmet tjuter vid nio",
    "nu har de börjat sälja knark vid skolan igen",
    "förra året fick min kompis allergichock på en fest",
    "hon brinner för att få bort klottret i området",
    "killar med knivar i skolan är ett stort problem här, vad gör ni åt det?",
]


TWELFTH_ROUND = [
    ("there are two guys trying to break into the house next door right now", "emergency",
     "emergency.danger.intruder_or_stalker"),
    ("he is trying to kick open my door, please", "emergency", "emergency.danger.intruder_or_stalker"),
    ("min pappa ramlade från stegen och kan inte röra benen", "emergency", "emergency.always.fallen_and_hurt"),
    ("jag vurpade med mopeden vid rondellen och känner inte benen", "emergency", "emergency.always.fallen_and_hurt"),
    ("snälla kom snabbt, han har en kniv", "emergency", "emergency.always.cry_for_help"),
]

TWELFTH_ROUND_NOT_EMERGENCIES = [
    "polisen kom snabbt när grannen blev rånad, men ingen har hörts av sen",
    "en kille svimmade på bussen, ambulansen kom direkt och han klarade sig, men busshållplatsen är helt mörk",
    "jag hittade en skadad fågel en gång, det var tre år sedan, men nu undrar jag om parken har belysning",
    "vi har hlr-kurs på jobbet och övningsdockan heter Anne, haha nej men dockan har slutat andas sa läraren",
    "ungarna lekte krig med vattenpistoler och skrek hjälp hela tiden, det var så gulligt",
    "min bror sa på skämt att han ska döda mig om jag äter hans godis",
    "han vet var jag bor nu och skickar meddelanden hela tiden",
]


THIRTEENTH_ROUND = [
    ("jag jobbar nattetid i lagret och det ryker plötsligt ur elskåpet, det svider i ögonen", "emergency",
     "emergency.always.fire"),
    ("Lamporna har varit släckta förut, men nu ligger en kvinna på marken och hon andas inte, jag sitter hos henne",
     "emergency", "emergency.danger.medical"),
    ("a bus just hit him at the crossing and he cant get up", "emergency", "emergency.always.hurt_or_robbed_english"),
    ("three guys cornered me behind the mall and said give your phone or die", "emergency",
     "emergency.always.hurt_or_robbed_english"),
    ("two men outside the pub, they have knives and theyre still here", "emergency", "emergency.danger.armed_english"),
    ("det flyter en kille med ansiktet nedåt i kanalen", "emergency", "emergency.always.in_the_water"),
    ("min syster blir slagen av sin nya sambo", "domestic_violence", "domestic_violence.always.named_forms"),
]

THIRTEENTH_ROUND_NOT_EMERGENCIES = [
    "det kör så fort förbi förskolan att snart blir något barn påkört",
    "det brann i soprummet i höstas och nu har hyresvärden fortfarande inte satt upp någon brandvarnare",
    "what happens when you call 112 from a Swedish number?",
]


def test_thirteenth_round_model_alarms_that_ask_for_repairs_or_tell_of_practice_are_overruled() -> None:
    rules = load_rules()
    assert rules.tells_of_no_event("hjälp, hur felanmäler jag en trasig gatlampa?")
    assert rules.tells_of_no_event("det ligger glas och sprutor vid gungorna, kan någon städa bort det?")
    assert rules.tells_of_no_event("we practise evacuation every spring at the school, is that enough?")
    assert rules.tells_of_no_event("vi övade på att göra hlr i dag på jobbet")
    assert not rules.tells_of_no_event("hjälp, han har en kniv")
    assert _category("hjälp, hur kommer jag härifrån, han har en kniv och jagar mig") == "emergency"

def test_tenth_round_model_alarms_that_are_drills_or_over_or_recurring_are_overruled() -> None:
    rules = load_rules()
    assert rules.tells_of_no_event("utrymningsövning på jobbet i dag, vi stod ute en timme")
    assert rules.tells_of_no_event("det var ingen fara, brandkåren kollade och åkte")
    assert rules.tells_of_no_event("en fladdermus flög in i köket, kan den ha rabies")
    assert rules.tells_of_the_past("det stinker från avloppet när det regnar, kan man bli sjuk?")
    assert _category("det var ingen fara sa de, men nu brinner det igen i köket") == "emergency"


def test_figures_of_speech_and_what_if_questions_overrule_a_model_alarm() -> None:
    rules = load_rules()
    assert rules.tells_of_no_event("kön på Storgatan dödar mig varje morgon")
    assert rules.tells_of_no_event("om det börjar brinna på bibblan, vart ska vi gå?")
    assert _category("det brinner i bibblan, vart ska vi gå?") == "emergency"  # never vetoes a rule


@pytest.mark.parametrize(
    ("text", "category", "rule"),
    SEVENTH_ROUND + EIGHTH_ROUND + NINTH_ROUND + TENTH_ROUND + ELEVENTH_ROUND + TWELFTH_ROUND
    + THIRTEENTH_ROUND,
)
def test_kinds_added_in_later_rounds(text: str, category: str, rule: str) -> None:
    match = classify(text)
    assert match is not None
    assert (match.category, match.rule) == (category, rule)


@pytest.mark.parametrize(
    "text",
    SEVENTH_ROUND_NOT_EMERGENCIES
    + EIGHTH_ROUND_NOT_EMERGENCIES
    + NINTH_ROUND_NOT_EMERGENCIES
    + TENTH_ROUND_NOT_EMERGENCIES
    + ELEVENTH_ROUND_NOT_EMERGENCIES
    + TWELFTH_ROUND_NOT_EMERGENCIES
    + THIRTEENTH_ROUND_NOT_EMERGENCIES,
)
def test_later_round_counterexamples_are_not_emergencies(text: str) -> None:
    assert _category(text) != "emergency"
