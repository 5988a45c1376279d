"""A PySNMP 7.1 SNMPv3 command generator for oxsnmp's interop tests.

Usage: manager.py PORT USERS_JSON OID
USERS_JSON is a list of {"name", "auth", "auth_pass", "priv", "priv_pass"}
(see agent.py for the protocol names). For each user in turn, GETs OID from
127.0.0.1:PORT and prints one tab-separated line: NAME, OK or ERR, then the
value's prettyPrint() text or the error.
"""

import asyncio
import json
import sys

from pysnmp.hlapi.v3arch.asyncio import (
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    get_cmd,
)
from pysnmp.entity import config

AUTH = {
    None: config.USM_AUTH_NONE,
    "MD5": config.USM_AUTH_HMAC96_MD5,
    "SHA": config.USM_AUTH_HMAC96_SHA,
    "SHA-224": config.USM_AUTH_HMAC128_SHA224,
    "SHA-256": config.USM_AUTH_HMAC192_SHA256,
    "SHA-384": config.USM_AUTH_HMAC256_SHA384,
    "SHA-512": config.USM_AUTH_HMAC384_SHA512,
}
PRIV = {
    None: config.USM_PRIV_NONE,
    "DES": config.USM_PRIV_CBC56_DES,
    "3DES": config.USM_PRIV_CBC168_3DES,
    "AES": config.USM_PRIV_CFB128_AES,
    "AES-192": config.USM_PRIV_CFB192_AES_BLUMENTHAL,
    "AES-256": config.USM_PRIV_CFB256_AES_BLUMENTHAL,
    "AES-192C": config.USM_PRIV_CFB192_AES,
    "AES-256C": config.USM_PRIV_CFB256_AES,
}


async def get(port, u, oid):
    user = UsmUserData(
        u["name"],
        authKey=u.get("auth_pass") if u.get("auth") else None,
        privKey=u.get("priv_pass") if u.get("priv") else None,
        authProtocol=AUTH[u.get("auth")],
        privProtocol=PRIV[u.get("priv")],
    )
    target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=2, retries=2)
    error_indication, error_status, _, var_binds = await get_cmd(
        SnmpEngine(), user, target, ContextData(), ObjectType(ObjectIdentity(oid))
    )
    if error_indication:
        return "ERR", str(error_indication)
    if error_status:
        return "ERR", error_status.prettyPrint()
    return "OK", var_binds[0][1].prettyPrint()


async def run():
    port = int(sys.argv[1])
    users = json.loads(sys.argv[2])
    oid = sys.argv[3]
    for u in users:
        status, text = await get(port, u, oid)
        print(f"{u['name']}\t{status}\t{text}", flush=True)


asyncio.run(run())
