#!/usr/bin/env python3
"""A minimal search-service integration in Python: load the lists once,
check every request, and reload when the list directory changes.

    PYTHONPATH=build/release/python python3 examples/service.py lists/demo < queries.txt

Requests are lines on stdin; each answer is one line on stdout:
"<action>\\t<category>\\t<entry ids>". The query itself is never written.
A broken list never stops the service: the previous lists keep serving.
"""

import os
import sys
import time

import deter

# How often, at most, the directory is looked at for changes.
POLL_SECONDS = 1.0
# A change is loaded only once no list file has changed for this long: a
# list still being written is not read half-way (a list published by a
# rename, or sealed by `deter checksum`, is safe anyway; see lists/README.md).
QUIET_SECONDS = 0.5


def list_set_stamp(directory):
    """The newest modification time among the directory and its list files:
    editing a file in place changes the file, adding or removing one changes
    the directory."""
    stamps = [os.stat(directory).st_mtime_ns]
    with os.scandir(directory) as entries:
        for e in entries:
            if e.name.endswith(".list") or e.name == "messages.toml":
                stamps.append(e.stat().st_mtime_ns)
    return max(stamps)


class Service:
    def __init__(self, directory):
        self.directory = directory
        self.stamp = list_set_stamp(directory)
        self.filter = deter.Filter(directory)  # load once; DeterError if broken
        self.next_poll = time.monotonic() + POLL_SECONDS

    def maybe_reload(self):
        now = time.monotonic()
        if now < self.next_poll:
            return
        self.next_poll = now + POLL_SECONDS
        try:
            stamp = list_set_stamp(self.directory)
        except OSError as e:
            print(f"cannot look at {self.directory}: {e}", file=sys.stderr)
            return
        if stamp == self.stamp:
            return
        quiet_for = time.time_ns() - stamp
        if quiet_for < QUIET_SECONDS * 1e9:
            # Still changing: look again once it may have settled.
            self.next_poll = now + QUIET_SECONDS - quiet_for / 1e9
            return
        self.stamp = stamp
        try:
            # Swapping the attribute is atomic: a request sees the old or the new filter.
            self.filter = deter.Filter(self.directory)
            print(f"reloaded {self.directory}", file=sys.stderr)
        except deter.DeterError as e:
            print(f"reload failed, keeping the previous lists: {e}", file=sys.stderr)

    def handle(self, query):
        self.maybe_reload()
        d = self.filter.check(query)
        return f"{d.action}\t{d.category}\t{','.join(m.entry_id for m in d.matches)}"


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} LIST_DIR < queries", file=sys.stderr)
        return 2
    try:
        service = Service(argv[1])
    except deter.DeterError as e:
        print(e, file=sys.stderr)
        return 1
    for line in sys.stdin:
        print(service.handle(line.rstrip("\n")), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
