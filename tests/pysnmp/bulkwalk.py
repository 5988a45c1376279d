"""A GETBULK walker on PySNMP 7.1's bulk_walk_cmd: the Python peer of
`oxsnmp bulkwalk` in the walk benchmark (tests/examples/bench_walk.rs).

Usage: bulkwalk.py HOST:PORT COMMUNITY MAXREP ROOT

Walks the subtree under ROOT (SNMPv2c) with a fixed max-repetitions and
writes one line per varbind to stdout, `.OID = value` with the value's
prettyPrint(): about the work of printing, through one buffered stdout.
MIB lookup is off (lookupMib=False), as the other walkers load no MIBs.
"""

import asyncio
import sys

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    bulk_walk_cmd,
)


async def walk(host, port, community, reps, root):
    engine = SnmpEngine()
    target = await UdpTransportTarget.create((host, port), timeout=5, retries=1)
    out = sys.stdout
    count = 0
    async for error_indication, error_status, error_index, var_binds in bulk_walk_cmd(
        engine,
        CommunityData(community, mpModel=1),
        target,
        ContextData(),
        0,
        reps,
        ObjectType(ObjectIdentity(root)),
        lexicographicMode=False,
        lookupMib=False,
    ):
        if error_indication:
            print(f"bulkwalk.py: {error_indication}", file=sys.stderr)
            return 1
        if error_status:
            print(f"bulkwalk.py: {error_status.prettyPrint()} at {error_index}", file=sys.stderr)
            return 1
        for name, value in var_binds:
            out.write(f".{name} = {value.prettyPrint()}\n")
            count += 1
    out.flush()
    engine.close_dispatcher()
    return 0 if count else 1


def main():
    if len(sys.argv) != 5:
        print("usage: bulkwalk.py HOST:PORT COMMUNITY MAXREP ROOT", file=sys.stderr)
        return 1
    host, _, port = sys.argv[1].rpartition(":")
    return asyncio.run(walk(host, int(port), sys.argv[2], int(sys.argv[3]), sys.argv[4].lstrip(".")))


sys.exit(main())
