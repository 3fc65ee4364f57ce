"""Estonian reply templates (kirjutatud käsitsi) and rendering grammar."""

from __future__ import annotations

from datetime import date

# adessive forms ("millal?"): esmaspäeval, 10. detsembril
WEEKDAYS = ("esmaspäeval", "teisipäeval", "kolmapäeval", "neljapäeval", "reedel", "laupäeval",
            "pühapäeval")
MONTHS = ("jaanuaril", "veebruaril", "märtsil", "aprillil", "mail", "juunil", "juulil", "augustil",
          "septembril", "oktoobril", "novembril", "detsembril")
MONTHS_NOM = ("jaanuar", "veebruar", "märts", "aprill", "mai", "juuni", "juuli", "august", "september",
              "oktoober", "november", "detsember")
PET_TYPES = {"dog": "koer", "cat": "kass"}

WEEKDAYS_NOM = ("esmaspäev", "teisipäev", "kolmapäev", "neljapäev", "reede", "laupäev", "pühapäev")


def day(d: date, with_year: bool = False) -> str:
    return f"{WEEKDAYS[d.weekday()]}, {d.day}. {MONTHS[d.month - 1]}" + (f" {d.year}" if with_year else "")


def day_short(d: date) -> str:
    return f"{d.day}. {MONTHS_NOM[d.month - 1]}"


def nights(n: int) -> str:
    return f"{n} öö" if n == 1 else f"{n} ööd"


def price(amount: str, currency: str) -> str:
    return f"{amount.replace('.', ',')} €" if currency == "EUR" else f"{amount} {currency}"


T = {
    "greeting": "Tere, siin {assistant}, {business}. Kuidas saan aidata?",
    "how_can_i_help": "Kuidas saan teid aidata?",
    "ask_pet_type": "Kas see on koerale või kassile?",
    "ask_pet_name": "Mis on teie lemmiku nimi?",
    "ask_start_date": "Mis päeval soovite lemmiku tuua?",
    "ask_end_date": "Ja mis päeval tulete lemmikule järele?",
    "ask_phone": "Mis telefoninumbril saame teiega ühendust võtta?",
    "ask_patient_name": "Palun öelge patsiendi ees- ja perekonnanimi.",
    "ask_service": "Millist teenust soovite: {services}?",
    "ask_date": "Mis päeval soovite tulla?",
    "ask_time": "Mis kellaaeg sobiks teile {date}?",
    "stay_available": "Hea uudis: {room} on vaba, saabumine {start} ja lahkumine {end}, {nights}, kokku {price}.",
    "stay_full": "Vabandust, {room} ei ole vaba, kui saabumine on {start} ja lahkumine {end}.",
    "appt_available": "{service} {date} kell {time} on vaba. Hind on {price}.",
    "appt_full": "Vabandust, {service} {date} kell {time} ei ole vaba.",
    "alternatives": "Lähimad vabad ajad on: {alternatives}. Kas mõni neist sobib?",
    "no_alternatives": "Ma ei leidnud lähedalt vaba aega. Kas sooviksite proovida teisi kuupäevi?",
    "closed": "Vabandust, {date} oleme suletud. Milline teine päev teile sobiks?",
    "past_date": "See kuupäev on juba möödas. Millist kuupäeva mõtlesite?",
    "invalid_date": "Vabandust, need kuupäevad ei sobi: järeletulemise päev peab olema pärast saabumist. Palun öelge kuupäevad uuesti.",
    "too_long": "Vabandust, võtame lemmikuid vastu kuni {max} ööks. Palun valige lühem periood.",
    "outside_hours": "Vabandust, see aeg jääb väljapoole meie lahtiolekuaegu. Milline teine aeg sobiks?",
    "summary_stay": "Kordan üle: {room} lemmikule {name}, saabumine {start}, lahkumine {end}, {nights}, kokku {price}. Saabuda saab alates kella {check_in} ja lahkuda tuleb kella {check_out}-ks. Teie telefoninumber on {phone}. Kas broneerin?",
    "summary_appt": "Kordan üle: {service}, patsient {name}, {date} kell {time}, vastuvõtt: {practitioner}, hind {price}. Teie telefoninumber on {phone}. Kas broneerin?",
    "booked": "Teie broneering on kinnitatud. Teie broneeringu number on {code}.",
    "sms_sent": "Saadame teile ka SMS-i koos üksikasjadega.",
    "ask_what_to_change": "Pole probleemi. Mida soovite muuta?",
    "confirm_yes_no": "Palun öelge jah, kui broneerin, või öelge, mida muuta.",
    "ask_code_or_phone": "Muidugi. Mis on teie broneeringu number või telefoninumber, millega broneerisite?",
    "not_found": "Ma ei leidnud sellist broneeringut. Palun kontrollige broneeringu numbrit või telefoninumbrit.",
    "several_found": "Leidsin mitu broneeringut: {bookings}. Millise numbriga on tegu?",
    "confirm_cancel": "Leidsin broneeringu {code}: {summary}. Kas tühistan selle?",
    "cancelled": "Broneering {code} on tühistatud.",
    "kept": "Hästi, ma ei muutnud midagi.",
    "ask_new_dates": "Leidsin broneeringu {code}: {summary}. Millised on uued kuupäevad?",
    "confirm_move": "Seega broneering {code} muutub: {summary}. Kas muudan?",
    "moved": "Tehtud. Broneering {code} on nüüd: {summary}.",
    "callback_ask_phone": "Muidugi. Mis numbrile võib kolleeg teile tagasi helistada?",
    "callback_taken": "Aitäh. Kolleeg helistab teile esimesel võimalusel numbrile {phone}.",
    "handoff": "Ühendan teid kohe kolleegiga.",
    "backend_down": "Vabandust, ma ei saa praegu broneerimissüsteemiga ühendust.",
    "backend_down_callback": "Panin teie soovi kirja ja kolleeg helistab teile numbrile {phone}, et broneering lõpetada.",
    "clarify": "Vabandust, broneerimissüsteem ei võtnud seda vastu. Palun öelge andmed uuesti.",
    "invalid_phone": "See telefoninumber ei tundu õige. Palun öelge see uuesti, vajadusel koos riigikoodiga.",
    "dont_know": "Vabandust, seda ma ei tea. Kas võin teie numbri üles kirjutada, et kolleeg saaks teile tagasi helistada?",
    "not_understood": "Vabandust, ma ei saanud päris aru. Saan teha broneeringu, vastata küsimustele või muuta broneeringut.",
    "goodbye": "Aitäh, et võtsite ühendust: {business}. Head päeva!",
    "welcome": "Pole tänu väärt!",
    "holding": "Üks hetk, ma kontrollin.",
    # understanding (issue 10): no loops, date problems, acknowledgements
    "noted": "Aitäh, panin selle kirja.",
    "not_caught": "Vabandust, ma ei saanud sellest aru.",
    "example_pet_type": "Näiteks: koer.",
    "example_start_date": "Näiteks: 10. detsember või järgmine reede.",
    "example_end_date": "Näiteks: 15. detsember või pühapäev.",
    "example_pet_name": "Ainult nimi, näiteks: Muki.",
    "example_phone": "Näiteks: 5123 4567 või suunakoodiga +372 5123 4567.",
    "example_service": "Palun nimetage üks teenustest.",
    "example_date": "Näiteks: 10. detsember või järgmine teisipäev.",
    "example_time": "Näiteks: kell 10.30 või kell 14.",
    "example_patient_name": "Näiteks: Mari Tamm.",
    "loop_offer_person": "Vabandust, mul ei õnnestu sellest aru saada.",
    "callback_offer_known": "Kas kolleeg võib teile broneeringu lõpetamiseks tagasi helistada numbril {phone}?",
    "end_before_start": "Lemmikule järeletulemise päev peab olema pärast toomise päeva ({start}).",
    "nothing_pending": "Aitan hea meelega. Kas soovite broneerida või on teil küsimus?",
    "error": "Vabandust, minu poolel läks midagi valesti.",
    "unknown_service": "Vabandust, sellist teenust meil ei ole. Pakume: {services}.",
    "only_in_language": "See info on mul ainult teises keeles:",
    "opt_yes": "Jah, broneeri",
    "opt_no": "Ei, muuda midagi",
    "opt_yes_plain": "Jah",
    "opt_no_plain": "Ei",
    "list_and": " või ",
    "price_item_stay": "{room} maksab {price} öö eest",
    "price_item_service": "{service} ({minutes} minutit) maksab {price}",
    "price_list": "Meie hinnad: {items}.",
    "opt_other": "Muud kuupäevad",
    "hours_list": "Oleme avatud: {items}.",
    "closed_days": "Suletud: {days}.",
    "check_times": "Saabuda saab alates kella {check_in} ja lahkuda tuleb kella {check_out}-ks.",
    # kes tohib broneeringut muuta (receptionist/agent/verify.py)
    "ask_code_and_phone": "Muidugi. Teie broneeringu kaitseks öelge palun broneeringu number ja telefoninumber, millega broneering tehti.",
    "ask_booking_phone": "Ja millise telefoninumbriga broneering tehti?",
    "ask_code_only": "Ja mis on broneeringu number?",
    "not_verified": "Ma ei leidnud nende andmetega broneeringut. Palun kontrollige broneeringu numbrit ja telefoninumbrit ning öelge mõlemad uuesti.",
    "otp_sent": "Aitäh. Saatsin broneeringu telefoninumbrile tekstisõnumiga 6-kohalise koodi. Palun öelge mulle see kood.",
    "otp_ask": "Palun öelge tekstisõnumis olev 6-kohaline kood.",
    "otp_wrong": "See kood ei ole õige. Palun proovige uuesti.",
    "otp_failed": "Kahjuks ei ole ka see kood õige, seega ei saa ma broneeringut siin muuta. Kolleeg saab teid aidata: millisele numbrile võiks ta teile tagasi helistada?",
    "otp_expired": "See kood on aegunud. Palun öelge broneeringu number ja telefoninumber uuesti, siis saadan uue koodi.",
    "verified": "Aitäh, kood on õige.",
    "verify_callback": "Teie turvalisuse huvides ei saa ma broneeringut siin muuta. Kolleeg helistab teile tagasi broneeringu telefoninumbrile.",
    "none_for_caller": "Ma ei leidnud teie telefoninumbriga ühtegi eelseisvat broneeringut. Mis on broneeringu number?",
    "pick_booking": "Millise broneeringuga on tegu? Palun öelge selle number.",
    "not_changeable": "Broneering {code} on juba tühistatud või möödas, seega pole seal midagi muuta.",
    "lookup_locked": "Vabandust, ma ei saa siin rohkem broneeringuid otsida. Kolleeg saab teid aidata: millisele numbrile võiks ta teile tagasi helistada?",
    "otp_sms": "{business}: teie broneeringu muutmise kood on {otp}. Kehtib {minutes} min. Ärge andke seda kellelegi teisele.",
}
