"""Bookings made through the real chat page in headless Chromium, by clicking quick replies and typing."""

from __future__ import annotations

import json
from datetime import date

from aiohttp import web

from receptionist.booking.models import StayRequest
from tests.http.shim import Shim, shim_config
from tests.web.conftest import artifact

TIMEOUT = 15_000


async def bot_says(page, text: str) -> None:
    await page.locator(".rc-msg.rc-bot", has_text=text).last.wait_for(timeout=TIMEOUT)


async def type_message(page, text: str) -> None:
    await page.get_by_label("Your message").fill(text)
    await page.keyboard.press("Enter")  # keyboard operable: Enter sends


async def test_english_booking_by_clicking_and_typing(browser_context, served):
    shim, url = served
    page = await browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(url + "/chat")
    log = page.get_by_role("log")
    assert await log.get_attribute("aria-live") == "polite"
    await page.locator(".rc-msg.rc-bot").first.wait_for(timeout=TIMEOUT)  # the greeting

    await type_message(page, "Hello, I would like to book a room")
    await bot_says(page, "dog or a cat")
    await page.get_by_role("button", name="dog room").click()
    await bot_says(page, "check in")
    await type_message(page, "from December 10 to 15")
    await bot_says(page, "€175")
    await type_message(page, "Max")
    await bot_says(page, "phone number")
    await type_message(page, "+372 5123 4567")
    await bot_says(page, "Shall I book it?")
    yes = page.get_by_role("button", name="Yes, book it")
    await yes.focus()
    await page.keyboard.press("Enter")  # a quick reply chosen with the keyboard
    await bot_says(page, "Your booking is confirmed")
    code = await page.locator(".rc-chat").get_attribute("data-booking")
    assert code and code.startswith("BK-")
    assert await page.get_by_role("button", name="Yes, book it").count() == 0  # options cleared
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a 375px screen ({width}px)"
    await page.screenshot(path=str(artifact("web-chat-en.png")), full_page=True)
    assert errors == []

    booking = (await shim.calendar(lambda cal: cal.find("pawsome", code=code)))[0]
    assert booking.request == StayRequest("dog", date(2026, 12, 10), date(2026, 12, 15))
    assert booking.details.get("pet_name") == "Max" and booking.channel == "web" and booking.language == "en"


async def test_russian_booking(browser_context, served):
    shim, url = served
    page = await browser_context.new_page()
    await page.goto(url + "/")
    await page.locator(".rc-msg.rc-bot").first.wait_for(timeout=TIMEOUT)
    await type_message(page, "Здравствуйте, хочу забронировать комнату")
    await bot_says(page, "для собаки или для кошки")
    await page.get_by_role("button", name="комната для кошек").click()
    await bot_says(page, "заселить")
    await type_message(page, "с 10 по 12 декабря")
    await bot_says(page, "50 евро")
    await type_message(page, "Мурка")
    await bot_says(page, "номеру телефона")
    await type_message(page, "+372 5123 4567")
    await page.get_by_role("button", name="Да, бронировать").click()
    await bot_says(page, "Ваша бронь подтверждена")
    assert await page.locator(".rc-chat").get_attribute("lang") == "ru"
    code = await page.locator(".rc-chat").get_attribute("data-booking")
    await page.screenshot(path=str(artifact("web-chat-ru.png")), full_page=True)

    booking = (await shim.calendar(lambda cal: cal.find("pawsome", code=code)))[0]
    assert booking.request == StayRequest("cat", date(2026, 12, 10), date(2026, 12, 12))
    assert booking.language == "ru" and booking.details.get("pet_name") == "Мурка"


async def test_widget_embeds_with_one_script_tag(browser_context, tmp_path, clock):
    """A shop page on another origin embeds the widget: floating button, panel, reply over the WebSocket. The
    published address (staff API on its own listener) serves the chat but not the staff API."""
    pages: dict[str, str] = {}
    shop = web.Application()

    async def shop_page(request: web.Request) -> web.Response:
        return web.Response(text=pages["/"], content_type="text/html")

    shop.router.add_get("/", shop_page)
    runner = web.AppRunner(shop)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    shop_origin = "http://127.0.0.1:%d" % runner.addresses[0][1]
    shim = Shim(shim_config(tmp_path, allowed_origins=(shop_origin,), staff_listen=("127.0.0.1", 0)), clock)
    url = await shim.serve()
    pages["/"] = f'<!doctype html><html><body><h1>Shop</h1><script src="{url}/widget.js" data-tenant="pawsome"></script>' \
           '</body></html>'
    try:
        page = await browser_context.new_page()
        await page.goto(shop_origin + "/")
        launcher = page.get_by_role("button", name="Chat with us")
        assert await launcher.get_attribute("aria-expanded") == "false"
        await launcher.click()
        assert await launcher.get_attribute("aria-expanded") == "true"
        await page.locator(".rc-msg.rc-bot").first.wait_for(timeout=TIMEOUT)
        await type_message(page, "I want to book a room for my cat")
        await bot_says(page, "check in")
        await page.screenshot(path=str(artifact("web-chat-widget.png")))
        await page.keyboard.press("Escape")
        assert await page.locator("#rc-panel").is_hidden()
        assert (await page.request.get(url + "/api/v1/bookings")).status == 404
    finally:
        await shim.close()
        await runner.cleanup()


async def test_a_quick_reply_clicked_as_soon_as_it_shows_is_sent(browser_context, served):
    """The server sends the reply frame before its typing-off frame; a visitor who clicks in between must not
    lose the click. The typing-off frames are held back here, so only the reply can end the busy state."""
    shim, url = served
    page = await browser_context.new_page()

    def hold_typing_off(ws) -> None:
        server = ws.connect_to_server()

        def to_page(message) -> None:
            frame = json.loads(message)
            if not (frame.get("type") == "typing" and not frame.get("on")):
                ws.send(message)
        server.on_message(to_page)

    await page.route_web_socket("**/api/v1/chat/ws*", hold_typing_off)
    await page.goto(url + "/chat")
    await page.locator(".rc-msg.rc-bot").first.wait_for(timeout=TIMEOUT)
    await type_message(page, "I would like to book a room")
    await bot_says(page, "dog or a cat")
    await page.get_by_role("button", name="cat room").click()
    await bot_says(page, "check in")
    assert await page.locator(".rc-msg.rc-user").count() == 2
