"""Structured, content-free logs: one JSON object per line on stderr (journald keeps them).

Callers' names, numbers and words are never passed to log calls at INFO or above; they live in the
conversation store. `redact()` is a last line of defence for anything that looks like a phone number.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time

_PHONE = re.compile(r"\+?\d[\d\s\-]{6,}\d")


def redact(text: str) -> str:
    return _PHONE.sub("[number]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiohttp.access",):
        logging.getLogger(noisy).setLevel(logging.WARNING)
