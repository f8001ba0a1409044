#!/usr/bin/env python3
"""Python peer of arenawatch's flight-payload reader (stdlib only).

Reads the page that BenchmarkSideFlight writes (see bench/README.md), finds
the Next.js flight chunks with a regular expression, decodes each with
json, joins them, decodes the rows that mention a board object, and takes
the board text/overall (style control) with the most entries. It prints
the entry count and the best time of several runs. It does not check what
arenawatch checks (HTML structure, tolerant reading, validation): it is
the cheapest honest scan of the same bytes, a yardstick, not a reader.

    python3 bench/flight_peer.py /tmp/arena-5mb.html [runs]
"""
import json
import re
import sys
import time

PUSH = re.compile(rb'self\.__next_f\.push\(\[1,("(?:[^"\\]|\\.)*")\]\)')
ROW = re.compile(r'([0-9a-fA-F]{1,16}):')


def boards(v):
    """Yield every object with "entries" and "arenaSlug"/"leaderboardSlug"."""
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if isinstance(x.get("entries"), list) and ("arenaSlug" in x or "leaderboardSlug" in x):
                yield x
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)


def scan(page):
    stream = "".join(json.loads(m.group(1)) for m in PUSH.finditer(page))
    dec = json.JSONDecoder()
    best = None
    for line in stream.split("\n"):
        if '"entries"' not in line or "Slug" not in line:
            continue
        m = ROW.match(line)
        if not m:
            continue
        try:
            v, _ = dec.raw_decode(line, m.end())
        except ValueError:
            continue
        for b in boards(v):
            params = b.get("params") or {}
            if b.get("arenaSlug") == "text" and params.get("category") == "overall" and params.get("styleControl") is True:
                if best is None or len(b["entries"]) > len(best["entries"]):
                    best = b
    return best


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with open(path, "rb") as f:
        page = f.read()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        board = scan(page)
        times.append(time.perf_counter() - t)
    if board is None:
        sys.exit("no text/overall board found")
    top = board["entries"][0]
    print(f"page {len(page)} bytes; {len(board['entries'])} entries; first {top.get('modelDisplayName')!r} {top.get('rating')}")
    print(f"best of {runs}: {min(times) * 1000:.1f} ms ({len(page) / min(times) / 1e6:.1f} MB/s); median {sorted(times)[len(times) // 2] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
