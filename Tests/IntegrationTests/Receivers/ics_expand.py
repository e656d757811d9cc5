#!/usr/bin/env python3
"""Reads an iCalendar file with the `icalendar` package and expands its events with
`recurring-ical-events` between two dates: an independent reading of deadlined's feed.
Prints JSON: each X-DEADLINED-KEY with its instances (UTC ISO 8601 for timed ones, the date
for all-day ones), the longest physical line in octets, and whether every physical line is
valid UTF-8 on its own (folding must not split a character). With --skip-cancelled, events
(and instances) with STATUS:CANCELLED are left out, as a calendar program shows them."""
import datetime
import json
import sys

import icalendar
import recurring_ical_events

skip_cancelled = "--skip-cancelled" in sys.argv
path, start, end = [a for a in sys.argv[1:] if a != "--skip-cancelled"][:3]
raw = open(path, "rb").read()
physical = raw.split(b"\r\n")
valid = True
for line in physical:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        valid = False
cal = icalendar.Calendar.from_ical(raw)
out = {}
for event in recurring_ical_events.of(cal).between(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)):
    if skip_cancelled and str(event.get("STATUS", "")).upper() == "CANCELLED":
        continue
    key = str(event.get("X-DEADLINED-KEY") or event.get("UID"))
    dt = event["DTSTART"].dt
    if isinstance(dt, datetime.datetime):
        text = dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        text = dt.isoformat()
    out.setdefault(key, []).append(text)
for key in out:
    out[key].sort()
print(json.dumps({
    "instances": out,
    "events": len(cal.walk("VEVENT")),
    "series": len([e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e]),
    # Meetings moved or changed out of a series (not cancelled ones), and their keys.
    "changed": len([e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e and str(e.get("STATUS", "")).upper() != "CANCELLED"]),
    "replacements": sorted(str(e.get("X-DEADLINED-KEY")) for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e and "X-DEADLINED-KEY" in e),
    "uids": {str(e.get("X-DEADLINED-KEY") or e.get("UID")): str(e.get("UID")) for e in cal.walk("VEVENT")},
    "alarms": {str(e.get("X-DEADLINED-KEY")): len(e.walk("VALARM")) for e in cal.walk("VEVENT")},
    "max_line_octets": max(len(line) for line in physical),
    "lines_valid_utf8": valid,
    "crlf_only": b"\n" not in raw.replace(b"\r\n", b""),
}, ensure_ascii=False))
