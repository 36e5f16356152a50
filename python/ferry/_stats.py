"""Translation-cost statistics: switched on by FERRY_STATS=1 or `pypy3 -m ferry
run --stats`; printed at exit (FERRY_STATS_JSON=path also writes them as JSON)."""
import atexit
import json
import os
import sys


def enable(json_path=None):
    import ferry
    host = ferry._host()
    host.stats(True)
    atexit.register(_report, host, json_path or os.environ.get('FERRY_STATS_JSON'))


def collect():
    import ferry
    return json.loads(ferry._host().stats())


def _report(host, json_path):
    data = json.loads(host.stats())
    if json_path:
        with open(json_path, 'w') as f:
            json.dump(data, f, indent=2, sort_keys=True)
    print(format_report(data), file=sys.stderr)


def format_report(data):
    lines = ['ferry statistics', '']
    lines.append('%-28s %10s %12s %12s %8s' % ('extension module', 'calls', 'total ms', 'layer ms',
                                                'layer %'))
    for name, m in sorted(data['modules'].items(), key=lambda kv: -kv[1]['total_ns']):
        share = 100.0 * m['layer_ns'] / m['total_ns'] if m['total_ns'] else 0.0
        lines.append('%-28s %10d %12.3f %12.3f %7.1f%%' % (name[:28], m['calls'], m['total_ns'] / 1e6,
                                                         m['layer_ns'] / 1e6, share))
    lines.append('')
    lines.append('%-28s %10s %12s' % ('C API family', 'calls', 'ms'))
    for name, f in sorted(data['api_families'].items(), key=lambda kv: -kv[1]['ns']):
        lines.append('%-28s %10d %12.3f' % (name, f['calls'], f['ns'] / 1e6))
    lines.append('')
    functions = sorted(data.get('api_functions', {}).items(), key=lambda kv: -kv[1]['ns'])
    lines.append('%-28s %10s %12s %10s' % ('C API function (top %d)' % min(len(functions), 20),
                                          'calls', 'ms', 'ns/call'))
    for name, f in functions[:20]:
        lines.append('%-28s %10d %12.3f %10.0f' % (name[:28], f['calls'], f['ns'] / 1e6,
                                                 f['ns'] / f['calls'] if f['calls'] else 0))
    lines.append('')
    for title, key in (('proxies materialized', 'materialized'),
                       ('managed copies (syncs to the host)', 'managed_copies')):
        lines.append('%-28s %10s %12s' % (title, 'count', 'bytes'))
        for name, v in sorted(data[key].items(), key=lambda kv: -kv[1]['count']):
            lines.append('  %-26s %10d %12d' % (name, v['count'], v['bytes']))
        lines.append('')
    lines.append('identity hits %d, host calls %d, list syncs %d (%d items)' % (
        data['identity_hits'], data['host_calls'], data['list_syncs']['count'],
        data['list_syncs']['items']))
    return '\n'.join(lines)
