"""English reply templates and the grammar code needs to render facts."""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
PET_TYPES = {"dog": "dog", "cat": "cat"}

WEEKDAYS_NOM = WEEKDAYS


def day(d: date, with_year: bool = False) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if with_year else "")


def day_short(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1][:3]}"


def nights(n: int) -> str:
    return f"{n} night" if n == 1 else f"{n} nights"


def price(amount: str, currency: str) -> str:
    return f"€{amount}" if currency == "EUR" else f"{amount} {currency}"


T = {
    "greeting": "Hello, this is {assistant} at {business}. How can I help you?",
    "how_can_i_help": "How can I help you?",
    "ask_pet_type": "Is it for a dog or a cat?",
    "ask_pet_name": "What is your {pet}'s name?",
    "ask_start_date": "On which day would you like to check in?",
    "ask_end_date": "And on which day will you pick your pet up?",
    "ask_phone": "What phone number can we reach you on?",
    "ask_patient_name": "May I have the patient's full name?",
    "ask_service": "Which service would you like: {services}?",
    "ask_date": "On which day would you like to come?",
    "ask_time": "At what time would suit you on {date}?",
    "stay_available": "Good news: we have a {room} free from {start} to {end}, {nights}, {price} in total.",
    "stay_full": "I'm sorry, we have no {room} free from {start} to {end}.",
    "appt_available": "{service} on {date} at {time} is free. It costs {price}.",
    "appt_full": "I'm sorry, {service} on {date} at {time} is not available.",
    "alternatives": "The nearest free options are: {alternatives}. Would one of those suit you?",
    "no_alternatives": "I couldn't find a free alternative nearby. Would you like to try other dates?",
    "closed": "I'm sorry, we are closed on {date}. Which other day would suit you?",
    "past_date": "That date is already in the past. Which date did you mean?",
    "invalid_date": "Sorry, those dates don't work: the pick-up day must come after the check-in day. Could you tell me the dates again?",
    "too_long": "I'm sorry, we can take stays of up to {max} nights. Could you choose shorter dates?",
    "outside_hours": "I'm sorry, that time is outside our opening hours. Which other time would suit you?",
    "summary_stay": "Let me confirm: a {room} for {name} from {start} to {end}, {nights}, {price} in total. Check-in is from {check_in} and check-out by {check_out}. Your phone number is {phone}. Shall I book it?",
    "summary_appt": "Let me confirm: {service} for {name} on {date} at {time} with {practitioner}, {price}. Your phone number is {phone}. Shall I book it?",
    "booked": "Your booking is confirmed. Your confirmation number is {code}.",
    "sms_sent": "We'll also send you a text message with the details.",
    "ask_what_to_change": "No problem. What would you like to change?",
    "confirm_yes_no": "Please say yes to book it, or tell me what to change.",
    "ask_code_or_phone": "Of course. What is your confirmation number, or the phone number you booked with?",
    "not_found": "I couldn't find a booking with that. Could you check the confirmation number or the phone number?",
    "several_found": "I found several bookings: {bookings}. Which confirmation number is it?",
    "confirm_cancel": "I found booking {code}: {summary}. Shall I cancel it?",
    "cancelled": "Booking {code} is cancelled.",
    "kept": "All right, I haven't changed anything.",
    "ask_new_dates": "I found booking {code}: {summary}. What are the new dates?",
    "confirm_move": "So booking {code} moves to {summary}. Shall I change it?",
    "moved": "Done. Booking {code} is now {summary}.",
    "callback_ask_phone": "Of course. What number should a colleague call you back on?",
    "callback_taken": "Thank you. A colleague will call you back on {phone} as soon as possible.",
    "handoff": "I'll put you through to a colleague now.",
    "backend_down": "I'm sorry, I can't reach our booking system right now.",
    "backend_down_callback": "I've noted your request, and a colleague will call you back on {phone} to finish the booking.",
    "clarify": "Sorry, the booking system didn't accept that. Could you tell me the details again?",
    "invalid_phone": "That phone number doesn't look right. Could you say it again, with the country code if it isn't local?",
    "dont_know": "I'm sorry, I don't know that. May I take your number so a colleague can call you back?",
    "not_understood": "Sorry, I didn't quite understand. I can make a booking, answer questions, or change a booking.",
    "goodbye": "Thank you for contacting {business}. Goodbye!",
    "welcome": "You're welcome!",
    "holding": "One moment, I'm checking.",
    # understanding (issue 10): no loops, date problems, acknowledgements
    "noted": "Thank you, I've noted that.",
    "not_caught": "Sorry, I didn't catch that.",
    "example_pet_type": "For example: a dog.",
    "example_start_date": "For example: the 10th of December, or next Friday.",
    "example_end_date": "For example: the 15th of December, or Sunday.",
    "example_pet_name": "Just the name, for example: Max.",
    "example_phone": "For example: 5123 4567, or with the country code, +372 5123 4567.",
    "example_service": "Please name one of the services.",
    "example_date": "For example: the 10th of December, or next Tuesday.",
    "example_time": "For example: at 10:30, or at 2 pm.",
    "example_patient_name": "For example: Mari Tamm.",
    "loop_offer_person": "I'm sorry, I'm not getting this right.",
    "callback_offer_known": "Shall a colleague call you back on {phone} to finish the booking?",
    "end_before_start": "The pick-up day must be after the check-in day, {start}.",
    "nothing_pending": "Happy to help. Would you like to make a booking, or do you have a question?",
    "error": "I'm sorry, something went wrong on my side.",
    "unknown_service": "Sorry, we don't offer that. We have: {services}.",
    "only_in_language": "I only have this information in another language:",
    "opt_yes": "Yes, book it",
    "opt_no": "No, change something",
    "opt_yes_plain": "Yes",
    "opt_no_plain": "No",
    "list_and": " or ",
    "price_item_stay": "a {room} costs {price} per night",
    "price_item_service": "{service} ({minutes} minutes) costs {price}",
    "price_list": "Our prices: {items}.",
    "opt_other": "Other dates",
    "hours_list": "We are open {items}.",
    "closed_days": "Closed: {days}.",
    "check_times": "Check-in is from {check_in} and check-out by {check_out}.",
    # who may manage a booking (receptionist/agent/verify.py)
    "ask_code_and_phone": "Of course. To keep your booking safe, please tell me the confirmation number and the phone number the booking was made with.",
    "ask_booking_phone": "And what is the phone number the booking was made with?",
    "ask_code_only": "And what is the confirmation number?",
    "not_verified": "I couldn't match those details to a booking. Please check the confirmation number and the phone number on the booking and tell me both again.",
    "otp_sent": "Thank you. I've sent a 6-digit code by text message to the phone number on the booking. Please tell me that code.",
    "otp_ask": "Please tell me the 6-digit code from the text message.",
    "otp_wrong": "That code isn't right. Please try again.",
    "otp_failed": "I'm sorry, that code isn't right either, so I can't change the booking here. A colleague can help you: what number should they call you back on?",
    "otp_expired": "That code has expired. Please tell me the confirmation number and the phone number on the booking again, and I'll send a new one.",
    "verified": "Thank you, that's the right code.",
    "verify_callback": "For your security I can't change the booking here. A colleague will call you back on the phone number on the booking.",
    "none_for_caller": "I couldn't find an upcoming booking for your phone number. What is the confirmation number?",
    "pick_booking": "Which booking is it? Please tell me its confirmation number.",
    "not_changeable": "Booking {code} is already cancelled or in the past, so there is nothing to change.",
    "lookup_locked": "I'm sorry, I can't look up bookings here any more. A colleague can help you: what number should they call you back on?",
    "otp_sms": "{business}: {otp} is your code to change your booking. Valid for {minutes} min. Do not share it with anyone else.",
}
