#!/usr/bin/env python3
"""An independent Varlink client (the `varlink` package from PyPI) against deadlined: it
parses our IDL, then calls GetInfo, Status, AddItem, ListItems and Watch, and prints what it
got as one JSON object. Usage: varlink_client.py SOCKET DUE_ISO"""
import json
import sys

import varlink

socket_path, due = sys.argv[1], sys.argv[2]
out = {}
with varlink.Client(address="unix:" + socket_path) as client:
    # Client.open fetches GetInterfaceDescription and parses it with varlink's own scanner.
    with client.open("org.varlink.service") as service:
        info = service.GetInfo()
        out["info"] = {"vendor": info["vendor"], "interfaces": info["interfaces"]}
    iface = client.get_interface("io.deadlined")
    out["methods"] = sorted(iface.members.keys())
    with client.open("io.deadlined", namespaced=False) as d:
        out["status_pending_before"] = d.Status()["pending"]
        added = d.AddItem(kind="meeting", title="ประชุมติดตามผล", at=due, key="py-1", leads=["0"])
        out["added"] = {"key": added["item"]["key"], "reminders": len(added["item"]["reminders"])}
        out["listed"] = [i["key"] for i in d.ListItems()["items"]]
        try:
            d.AddItem(kind="meeting", title="x", at="not a date")
        except varlink.VarlinkError as e:
            out["bad_date_error"] = e.error()
            out["bad_date_input"] = e.parameters().get("input")
    # Watch on a connection of its own: it stays in flight until we close it.
with varlink.Client(address="unix:" + socket_path) as client:
    with client.open("io.deadlined", namespaced=False) as d:
        events = []
        for reply in d.Watch(_more=True):
            events.append(reply["event"])
            if reply["event"]["kind"] == "reminder_sent":
                break
        out["events"] = events
print(json.dumps(out, ensure_ascii=False))
