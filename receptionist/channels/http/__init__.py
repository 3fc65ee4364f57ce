"""The HTTP shim: public web chat (JSON + WebSocket + a static page/widget) and the staff booking API."""
