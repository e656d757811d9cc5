#!/usr/bin/env python3
"""A webhook receiver for the channel tests: records every POST (headers and body) as one
JSON line, answers with the statuses given on the command line in turn (the last repeats),
and prints its port once it listens. Loopback only."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

record_path = sys.argv[1]
statuses = [int(s) for s in sys.argv[2].split(",")]
calls = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global calls
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        with open(record_path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"path": self.path, "headers": dict(self.headers.items()), "body": body}) + "\n")
        status = statuses[min(calls, len(statuses) - 1)]
        calls += 1
        # A careless server that echoes the credential it was sent: the daemon must not repeat it.
        answer = ("refused: " + self.headers.get("Authorization", "")).encode() if status >= 300 else b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
