#!/usr/bin/env python3
"""An SMTP server for the e-mail channel test (aiosmtpd): each message is decoded with
Python's own e-mail parser and written as one JSON line (envelope, headers, the subject and
body as decoded text). Prints its port once it listens. Loopback only."""
import json
import socket
import sys
import time
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller

record_path = sys.argv[1]


class Recorder:
    async def handle_DATA(self, server, session, envelope):
        msg = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        entry = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(msg["Subject"]),
            "raw_headers": envelope.original_content.decode("ascii", "replace").replace("\r\n", "\n").split("\n\n", 1)[0],
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "cc": str(msg["Cc"]) if msg["Cc"] else None,
            "message_id": str(msg["Message-ID"]),
            "auto_submitted": str(msg["Auto-Submitted"]),
            "content_type": msg.get_content_type(),
            "charset": msg.get_content_charset(),
            "body": msg.get_content(),
        }
        with open(record_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return "250 OK"


# aiosmtpd cannot listen on port 0 (it connects to itself to check), so take a free port first.
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
controller = Controller(Recorder(), hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
