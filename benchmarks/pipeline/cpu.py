#!/usr/bin/env python3
"""Where the CPU goes during a pipeline benchmark: every 2 s, the CPU seconds used so far by each Loupe service, by
PostgreSQL (all its processes) and by the benchmark's JVM (the embedded broker and the clients), from /proc.

    cpu.py sample LOG SECONDS     # writes one line per sample until SECONDS have passed (run.sh starts it with CPU=1)
    cpu.py rates LOG              # prints each interval's use, in cores, one line per sample
"""
import os
import sys
import time

SERVICES = ['label-service', 'embedding-service', 'dataset-service', 'augment-service', 'trainer-service']


def owner(cmd):
    for service in SERVICES:
        if f'{service}/target/quarkus-app' in cmd:
            return service
    if 'surefire' in cmd or 'failsafe' in cmd:
        return 'benchmark-jvm'
    if 'postgres' in cmd.split(' ')[0] or cmd.startswith('postgres:'):
        return 'postgres'
    return None


def sample(log, seconds):
    hz = os.sysconf('SC_CLK_TCK')
    end = time.time() + seconds
    with open(log, 'w') as out:
        while time.time() < end:
            used = {}
            for pid in filter(str.isdigit, os.listdir('/proc')):
                try:
                    cmd = open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\0', b' ').decode(errors='ignore')
                    stat = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
                except OSError:
                    continue  # ended meanwhile
                name = owner(cmd)
                if name:
                    used[name] = used.get(name, 0) + (int(stat[11]) + int(stat[12])) / hz
            out.write('%.1f %s\n' % (time.time(), ' '.join(f'{k}={v:.2f}' for k, v in sorted(used.items()))))
            out.flush()
            time.sleep(2)


def rates(log):
    rows = []
    for line in open(log):
        parts = line.split()
        rows.append((float(parts[0]), {k: float(v) for k, v in (p.split('=') for p in parts[1:])}))
    for (t0, a), (t1, b) in zip(rows, rows[1:]):
        # a process that ended (PostgreSQL's backends) leaves its total: count only what grew
        use = {k: max(0.0, b[k] - a.get(k, 0)) / (t1 - t0) for k in b}
        print('%6.0f s  total %.2f  %s' % (t1 - rows[0][0], sum(use.values()),
                                           '  '.join(f'{k} {v:.2f}' for k, v in sorted(use.items()))))


if __name__ == '__main__':
    if sys.argv[1] == 'sample':
        sample(sys.argv[2], float(sys.argv[3]))
    else:
        rates(sys.argv[2])
