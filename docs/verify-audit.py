#!/usr/bin/env python3
"""Checks the hash chain of a deadlined SQLite store's audit trail without deadlined.

Usage: verify-audit.py STORE.sqlite   (exit 0: every link holds; 1: the first break is printed)
Works on a copy; opens the file read-only. The encoding is described in docs/audit.md.
"""
import hashlib
import sqlite3
import sys


def field(value):
    if value is None:
        return b"~,"
    data = str(value).encode("utf-8")
    return str(len(data)).encode() + b":" + data + b","


def entry_hash(row, seq, prev):
    fields = [seq, row["at_ms"], row["uid"], row["pid"], row["command"], row["method"], row["target"],
              row["before"], row["after"], prev]
    return hashlib.sha256(b"deadlined-audit/1\n" + b"".join(field(f) for f in fields)).hexdigest()


def main(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    expected, prev = 1, "0" * 64
    for row in db.execute("SELECT * FROM audit ORDER BY id"):
        where = f"id {row['id']}, expected entry {expected}"
        if row["seq"] is None or row["seq"] != expected:
            print(f"{where}: found entry {row['seq']} (an entry missing, inserted or moved)")
            return 1
        if entry_hash(row, row["seq"], row["prev_hash"]) != row["hash"]:
            print(f"{where}: its fields do not match its hash (edited)")
            return 1
        if row["prev_hash"] != prev:
            print(f"{where}: does not follow the entry before it")
            return 1
        prev, expected = row["hash"], expected + 1
    print(f"ok: {expected - 1} entries, head {prev}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
