#!/usr/bin/env python3
"""Where a JFR recording's CPU samples and allocations go, by layer.

Usage: jfr-breakdown.py recording.jfr

A sample (or allocation) counts as Jackson/CBOR if any frame of its stack is Jackson's, otherwise
by its top frames: the gossip core, gossip-pekko, Pekko IO/Streams, Pekko actors, other.
"""
import collections
import re
import subprocess
import sys

FRAME = re.compile(r"^\s+([\w$./<>]+)\(.*?\)\s+line:", re.M)
UNITS = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}


def layer(frames):
    if any("jackson" in f for f in frames):
        return "Jackson/CBOR (codec bodies)"
    for f in frames[:8]:
        if f.startswith("dev.gossip.core"):
            return "gossip core"
        if f.startswith("dev.gossip.pekko"):
            return "gossip-pekko"
        if f.startswith("org.apache.pekko.io") or f.startswith("org.apache.pekko.stream"):
            return "Pekko IO/Streams (TCP)"
        if f.startswith("org.apache.pekko"):
            return "Pekko actors (mailboxes, dispatch, typed interceptors)"
    return "other (JDK, Scala collections)"


def events(path, name, depth):
    out = subprocess.run(
        ["jfr", "print", "--events", name, "--stack-depth", str(depth), path],
        check=True, capture_output=True, text=True).stdout
    return out.split(name)[1:]


def main(path):
    cpu = collections.Counter()
    for e in events(path, "jdk.ExecutionSample", 64):
        frames = FRAME.findall(e)
        if frames:
            cpu[layer(frames)] += 1
    total = sum(cpu.values())
    print(f"CPU: {total} execution samples")
    for k, v in cpu.most_common():
        print(f"  {v / total * 100:5.1f}%  {k}")
    alloc = collections.Counter()
    sites = collections.Counter()
    for e in events(path, "jdk.ObjectAllocationSample", 64):
        m = re.search(r"weight = ([\d.]+) (\w+)", e)
        frames = FRAME.findall(e)
        if not m or not frames:
            continue
        weight = float(m.group(1)) * UNITS.get(m.group(2), 1)
        alloc[layer(frames)] += weight
        sites[frames[0]] += weight
    total = sum(alloc.values())
    print(f"Allocation: {total / 1e9:.2f} GB sampled weight")
    for k, v in alloc.most_common():
        print(f"  {v / total * 100:5.1f}%  {k}")
    print("Top allocating frames:")
    for k, v in sites.most_common(6):
        print(f"  {v / 1e6:7.0f} MB  {k}")


if __name__ == "__main__":
    main(sys.argv[1])
