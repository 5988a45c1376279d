#!/usr/bin/env python3
"""Captures real SNMP datagrams from Net-SNMP as seeds for decode_message.

Starts snmpd on 127.0.0.1 (a free high port, a throwaway config), runs
snmpget / snmpgetnext / snmpbulkget / snmpset with -d (which hex-dumps every
datagram sent and received) and snmptrap / snmpinform towards a local UDP
socket, and writes each datagram to fuzz/corpus/decode_message/netsnmp-*.bin.
Only loopback is used. Usage: python3 fuzz/seeds/capture_netsnmp.py
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "corpus", "decode_message")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dumps(text):
    """Datagrams in `-d` output: a 'Sending'/'Received' line, then hex rows."""
    packets, cur = [], None
    for line in text.splitlines():
        if line.startswith(("Sending ", "Received ")):
            cur = bytearray()
            packets.append(cur)
        elif cur is not None and re.match(r"^[0-9]{4}: ", line):
            hexpart = line[6:6 + 52]
            cur.extend(bytes.fromhex(hexpart.replace(" ", "")))
        elif not line.strip():
            cur = None
    return [bytes(p) for p in packets if p]


def save(name, data, seen):
    if data in seen:
        return
    seen.add(data)
    with open(os.path.join(OUT, f"seed-netsnmp-{name}.bin"), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    seen = set()
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="oxsnmp-seeds-")
    conf = os.path.join(tmp, "snmpd.conf")
    with open(conf, "w") as f:
        f.write("rocommunity public 127.0.0.1\nrwcommunity private 127.0.0.1\n"
                "sysLocation seed lab\nsysContact nobody@example.net\n")
    agent = subprocess.Popen(
        ["snmpd", "-f", "-Lo", "-C", "-c", conf, "-p", os.path.join(tmp, "pid"),
         f"udp:127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        target = f"127.0.0.1:{port}"
        runs = {
            "v1-get": ["snmpget", "-v1", "-c", "public", target, "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.3.0"],
            "v1-nosuchname": ["snmpget", "-v1", "-c", "public", target, "1.3.6.1.2.1.1.99.0"],
            "v2c-get": ["snmpget", "-v2c", "-c", "public", target, "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.99.0"],
            "v2c-getnext": ["snmpgetnext", "-v2c", "-c", "public", target, "1.3.6.1.2.1.2.2.1.1"],
            "v2c-bulk": ["snmpbulkget", "-v2c", "-c", "public", "-Cn1", "-Cr12", target, "1.3.6.1.2.1.1.3", "1.3.6.1.2.1.2.2.1"],
            "v2c-bulk-end": ["snmpbulkget", "-v2c", "-c", "public", "-Cr3", target, "1.3.6.1.6.3.1.1.6.1.0"],
            "v2c-set-denied": ["snmpset", "-v2c", "-c", "public", target, "1.3.6.1.2.1.1.6.0", "s", "x"],
        }
        for name, cmd in runs.items():
            out = subprocess.run(cmd[:1] + ["-d", "-t", "1", "-r", "0"] + cmd[1:],
                                 capture_output=True, text=True)
            out = out.stdout + "\n" + out.stderr
            for i, p in enumerate(dumps(out)):
                save(f"{name}-{i}", p, seen)

        # Notifications to a local socket.
        sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sink.bind(("127.0.0.1", 0))
        sink.settimeout(2)
        trap_target = f"127.0.0.1:{sink.getsockname()[1]}"
        traps = {
            "v1-trap": ["snmptrap", "-v1", "-c", "public", trap_target, "1.3.6.1.4.1.8072.2.3.1",
                        "127.0.0.1", "6", "17", "4242", "1.3.6.1.2.1.1.5.0", "s", "router-1",
                        "1.3.6.1.2.1.2.2.1.10.1", "c", "4294967295"],
            "v1-coldstart": ["snmptrap", "-v1", "-c", "public", trap_target, "", "", "0", "0", ""],
            "v2c-trap": ["snmptrap", "-v2c", "-c", "public", trap_target, "4242", "1.3.6.1.6.3.1.1.5.3",
                         "1.3.6.1.2.1.2.2.1.1.3", "i", "3", "1.3.6.1.2.1.31.1.1.1.6.3", "C", "18446744073709551615",
                         "1.3.6.1.2.1.4.20.1.1.10.0.0.1", "a", "10.0.0.1", "1.3.6.1.2.1.1.2.0", "o", "1.3.6.1.4.1.8072"],
        }
        for name, cmd in traps.items():
            subprocess.run(cmd, capture_output=True)
            try:
                data, _ = sink.recvfrom(65535)
                save(name, data, seen)
            except socket.timeout:
                print(f"no datagram for {name}", file=sys.stderr)
        # An inform: answer nothing, just record the request.
        t = threading.Thread(target=lambda: subprocess.run(
            ["snmpinform", "-v2c", "-c", "public", "-t", "1", "-r", "0", trap_target, "", "1.3.6.1.6.3.1.1.5.1"],
            capture_output=True))
        t.start()
        try:
            data, _ = sink.recvfrom(65535)
            save("v2c-inform", data, seen)
        except socket.timeout:
            print("no inform", file=sys.stderr)
        t.join()
    finally:
        agent.terminate()
        agent.wait()
    print(f"{len(seen)} datagrams in {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
