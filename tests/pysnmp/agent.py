"""A PySNMP 7.1 SNMPv3 agent for oxsnmp's interop tests.

Usage: agent.py PORT ENGINE_ID_HEX USERS_JSON
USERS_JSON is a list of {"name", "auth", "auth_pass", "priv", "priv_pass"}
with oxsnmp's protocol names (auth: MD5 SHA SHA-224 SHA-256 SHA-384 SHA-512
or null; priv: DES 3DES AES AES-192 AES-256 AES-192C AES-256C or null).
Serves PySNMP's own SNMPv2-MIB and SNMP-FRAMEWORK-MIB objects read-only to
every user at the level its keys allow, on 127.0.0.1:PORT. Prints "ready"
once listening.
"""

import asyncio
import json
import sys

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdrsp, context
from pysnmp.proto.api import v2c

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


def main():
    port = int(sys.argv[1])
    engine_id = bytes.fromhex(sys.argv[2])
    users = json.loads(sys.argv[3])
    snmp_engine = engine.SnmpEngine(snmpEngineID=v2c.OctetString(engine_id))
    config.add_transport(
        snmp_engine,
        udp.DOMAIN_NAME,
        udp.UdpTransport().open_server_mode(("127.0.0.1", port)),
    )
    for u in users:
        config.add_v3_user(
            snmp_engine,
            u["name"],
            AUTH[u.get("auth")],
            u.get("auth_pass") if u.get("auth") else None,
            PRIV[u.get("priv")],
            u.get("priv_pass") if u.get("priv") else None,
        )
        level = "authPriv" if u.get("priv") else ("authNoPriv" if u.get("auth") else "noAuthNoPriv")
        config.add_vacm_user(snmp_engine, 3, u["name"], level, (1, 3, 6))
    snmp_context = context.SnmpContext(snmp_engine)
    cmdrsp.GetCommandResponder(snmp_engine, snmp_context)
    cmdrsp.NextCommandResponder(snmp_engine, snmp_context)
    cmdrsp.BulkCommandResponder(snmp_engine, snmp_context)
    snmp_engine.transport_dispatcher.job_started(1)
    print("ready", flush=True)
    try:
        snmp_engine.open_dispatcher()
    finally:
        snmp_engine.close_dispatcher()


if __name__ == "__main__":
    main()
