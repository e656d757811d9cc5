#!/usr/bin/env python3
"""Scrapes deadlined's metrics as Prometheus would, and parses them with prometheus_client's own
parser (an independent reading of the text format).

Usage: metrics_scrape.py http://127.0.0.1:PORT/PATH | unix:/path/to/socket[:/PATH]
Prints one JSON object: {"status": HTTP status, "type": Content-Type, "samples": [[name, labels, value], ...]}
(samples only for a 200).
"""
import http.client
import json
import socket
import sys
import urllib.parse

from prometheus_client.parser import text_string_to_metric_families


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self.unix_path)


def main():
    target = sys.argv[1]
    if target.startswith("unix:"):
        path, _, resource = target[len("unix:"):].partition(":")
        conn, resource = UnixConnection(path), resource or "/metrics"
    else:
        url = urllib.parse.urlsplit(target)
        conn, resource = http.client.HTTPConnection(url.hostname, url.port, timeout=10), url.path or "/"
    conn.request("GET", resource)
    response = conn.getresponse()
    body = response.read().decode("utf-8")
    out = {"status": response.status, "type": response.getheader("Content-Type"), "samples": []}
    if response.status == 200:
        for family in text_string_to_metric_families(body):
            for s in family.samples:
                out["samples"].append([s.name, s.labels, s.value])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
