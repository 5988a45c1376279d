/*
 * The peer of benches/format.rs: Net-SNMP's snprint_objid (the library
 * behind snmpwalk's OID column) formatting the same five OIDs in-process,
 * Net-SNMP's default -OS style. Not built by cargo; see BENCHMARKS.md:
 *
 *   apt-get install libsnmp-dev
 *   cc -O2 -o /tmp/netsnmp_format mib/benches/netsnmp_format.c -lnetsnmp
 *   MIBS=ALL MIBDIRS=DIR:DIR /tmp/netsnmp_format [ITERATIONS]
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *const TEXTS[] = {
    ".1.3.6.1.2.1.1.1.0",
    ".1.3.6.1.2.1.1.9.1.3.7",
    ".1.3.6.1.6.3.16.1.2.1.3.3.4.117.115.101.114",
    ".1.3.6.1.6.3.15.1.2.2.1.3.12.128.0.31.136.128.1.2.3.4.5.6.7.5.97.108.105.99.101",
    ".1.3.6.1.4.1.99999.1.2.3",
};
#define COUNT (sizeof(TEXTS) / sizeof(TEXTS[0]))

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 200000;
    oid oids[COUNT][MAX_OID_LEN];
    size_t lens[COUNT];
    char buf[1024];
    struct timespec t0, t1;
    double seconds;
    size_t i;
    long n;

    init_snmp("netsnmp_format");
    for (i = 0; i < COUNT; i++) {
        lens[i] = MAX_OID_LEN;
        if (!read_objid(TEXTS[i], oids[i], &lens[i])) {
            fprintf(stderr, "cannot parse %s\n", TEXTS[i]);
            return 1;
        }
        snprint_objid(buf, sizeof(buf), oids[i], lens[i]);
        printf("%s\n", buf);
    }
    for (n = 0; n < iterations / 10; n++)
        for (i = 0; i < COUNT; i++)
            snprint_objid(buf, sizeof(buf), oids[i], lens[i]);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (n = 0; n < iterations; n++)
        for (i = 0; i < COUNT; i++)
            snprint_objid(buf, sizeof(buf), oids[i], lens[i]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%.0f OIDs/s, %.1f ns per OID\n", (double)(iterations * COUNT) / seconds,
           seconds * 1e9 / (double)(iterations * COUNT));
    return 0;
}
