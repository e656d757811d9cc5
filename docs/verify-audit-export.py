#!/usr/bin/env python3
"""Checks a `deadlinectl audit export` file without deadlined: the hash chain of its entries and
the Ed25519 signatures of its checkpoints (docs/audit.md).

Usage: verify-audit-export.py FILE --key PUBLIC-KEY [--key OLD-KEY ...] [--partial]
  PUBLIC-KEY  base64, as `deadlinectl audit key` prints it; repeat --key for the keys
              used before a key change
  --partial   the file starts after entry 1 (an export --from a day)
Exit 0: every link and every checkpoint by those keys holds; 1: the first break is printed as
`broken: KIND at entry SEQ`. Needs Python 3 and the `cryptography` package.
"""
import argparse
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def field(value):
    if value is None:
        return b"~,"
    data = str(value).encode("utf-8")
    return str(len(data)).encode() + b":" + data + b","


def entry_hash(e):
    fields = [e["seq"], e["atMs"], e["uid"], e["pid"], e["command"], e["method"], e["target"],
              e.get("before"), e.get("after"), e["prev"]]
    return hashlib.sha256(b"deadlined-audit/1\n" + b"".join(field(f) for f in fields)).hexdigest()


def signed(c, keys):
    message = b"deadlined-checkpoint/1\n" + field(c["seq"]) + field(c["atMs"]) + field(c["hash"])
    try:
        keys[c["key"]].verify(base64.b64decode(c["signature"]), message)
        return True
    except (InvalidSignature, ValueError):
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--key", required=True, action="append")
    parser.add_argument("--partial", action="store_true")
    args = parser.parse_args()
    keys = {k: Ed25519PublicKey.from_public_bytes(base64.b64decode(k)) for k in args.key}
    with open(args.file, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    # Checkpoints by these keys, by the entry they sign; others are not trusted.
    pending = {}
    for c in records:
        if c["kind"] == "checkpoint" and c["key"] in keys:
            pending.setdefault(c["seq"], []).append(c)

    def broken(kind, seq):
        print(f"broken: {kind} at entry {seq}")
        return 1

    entries = [r for r in records if r["kind"] == "entry"]
    expected = None if args.partial else 1
    prev = "0" * 64
    head, checked = 0, 0
    for e in entries:
        if expected is None:
            expected, prev = e["seq"], e["prev"]
        if e["seq"] > expected:
            return broken("missing", expected)
        if e["seq"] < expected:
            return broken("inserted", expected)
        if entry_hash(e) != e["hash"]:
            return broken("edited", expected)
        if e["prev"] != prev:
            return broken("broken link", expected)
        for c in pending.pop(e["seq"], []):
            if not signed(c, keys):
                return broken("forged checkpoint", expected)
            if c["hash"] != e["hash"]:
                return broken("rewritten", expected)
            checked += 1
        prev, head, expected = e["hash"], e["seq"], expected + 1
    start = (expected or 1) - len(entries)
    for seq in sorted(s for s in pending if s >= start):
        if any(signed(c, keys) for c in pending[seq]):
            return broken("truncated", head + 1)
        return broken("forged checkpoint", seq)
    print(f"ok: {len(entries)} entries, head entry {head} {prev}; {checked} signed checkpoint(s) hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
