#!/usr/bin/python3
"""Where a check's instructions (and cache misses) go, by stage, from a callgrind profile.

Usage:
  valgrind --tool=callgrind --callgrind-out-file=cg.out \\
      --toggle-collect='deter::Filter::check*' \\
      build/prof/deter check --lists LISTS -f QUERIES >/dev/null
  bench/stages.py cg.out $(wc -l < QUERIES)

With callgrind's cache simulation (add --cache-sim=yes, and the machine's
caches: --D1=49152,12,64 --LL=2097152,16,64 takes its L1 and L2 as the two
levels), each stage's data misses a check are printed too: D1mr+D1mw at the
first level, DLmr+DLmw at the second. They are counted, not timed, so they
compare two builds on a machine whose timings drift (a miss of the second
level here is a load from the shared L3, tens of nanoseconds; software
prefetches are not simulated, so what they hide still counts). A stage's
misses are read like its instructions, by the largest entry of its functions;
inlining makes the entries overlap a little, so "the rest" can come out a
miss or so below zero.

build/prof is a Release build with -g (cmake -DCMAKE_BUILD_TYPE=Release
-DCMAKE_CXX_FLAGS=-g), so that inlined code keeps its function's name.
Prints instructions a check for each stage of FilterImpl::check and its share.

A function's inclusive cost is the largest of its entries: callgrind_annotate
lists a function once for its own file and once more for each header inlined
into it, and the entry of its own file already holds the others. Self costs
(the token index, inlined into policy::scan) are summed over all entries.
"""
import re
import subprocess
import sys


def annotate(*args):
    return subprocess.run(['callgrind_annotate', *args], capture_output=True, text=True,
                          check=True).stdout


def cost_lines(text, marker=''):
    """(instructions, rest of line) of each cost line, `marker` after the cost."""
    pattern = re.compile(r'\s*([\d,]+) \(\s*[\d.]+%\)\s+' + re.escape(marker) + r'\s*(.*)')
    for line in text.splitlines():
        m = pattern.match(line)
        if m:
            yield int(m.group(1).replace(',', '')), m.group(2)


def stage_costs(profile, event):
    """(whole, [(stage, cost)]) for one event of the profile ('Ir', 'DLmr', ...)."""
    show = f'--show={event}'
    inclusive = annotate('--inclusive=yes', show, profile)
    exclusive = annotate(show, profile)

    def largest(pat):
        return max((c for c, name in cost_lines(inclusive) if re.search(pat, name)), default=0)

    def summed(pat):
        return sum(c for c, name in cost_lines(exclusive) if re.search(pat, name))

    # normalize_base also runs inside original_span (offsets of hits): that
    # part belongs to the offsets' row, not the base form's.
    calling = annotate('--inclusive=yes', '--tree=calling', show, profile)
    in_spans = 0
    inside = False
    for line in calling.splitlines():
        if re.search(r'\*\s+\S*QueryViews::original_span\(unsigned long, unsigned long, '
                     r'unsigned long\) \[', line):
            inside = True
            continue
        if inside:
            if not line.strip():
                break
            for c, name in cost_lines(line, '>'):
                if 'normalize_base' in name:
                    in_spans += c

    whole = largest(r'deter::FilterImpl::check\(')
    rows = [
        ('base form (normalize_base, outside original_span)',
         largest(r'deter::text::normalize_base\(') - in_spans),
        ('phonetic section (write_phonetic)', largest(r'QueryViews::write_phonetic\(')),
        ('spaced section (write_spaced)', largest(r'QueryViews::write_spaced\(')),
        ('fuzzy section (write_fuzzy)', largest(r'QueryViews::write_fuzzy\(')),
        ('fuzzy of folded words (add_fuzzy_folded)', largest(r'QueryViews::add_fuzzy_folded\(')),
        ('composed sections (add_composed)', largest(r'QueryViews::add_composed\(')),
        ('squeeze section (write_squeeze)', largest(r'QueryViews::write_squeeze\(')),
        ('leet and look-alike sections (write_view)',
         largest(r'\(anonymous namespace\)::write_view\(')),
        ('token index (scan, inlined)',
         summed(r'token_index\.h:deter::policy::scan\(|TokenIndex::report<')),
        ('resolve', largest(r'deter::policy::resolve\(')),
        ('offsets of hits (original_span)',
         largest(r'QueryViews::original_span\(unsigned long, unsigned long, unsigned long\) \[')),
    ]
    rows.append(('the rest (ASCII path, tokens, hints, build, policy)',
                 whole - sum(v for _, v in rows)))
    return whole, rows


def events_of(profile):
    with open(profile, encoding='utf-8', errors='replace') as f:
        for line in f:
            if line.startswith('events:'):
                return line.split()[1:]
    return []


def main():
    profile, queries = sys.argv[1], int(sys.argv[2])
    whole, rows = stage_costs(profile, 'Ir')
    events = events_of(profile)
    # Misses of each level, reads and writes together, when simulated.
    levels = [(name, [e for e in pair if e in events])
              for name, pair in (('L1 miss', ('D1mr', 'D1mw')), ('L2 miss', ('DLmr', 'DLmw')))]
    levels = [(name, pair) for name, pair in levels if pair]
    misses = []
    for name, pair in levels:
        per_stage = None
        total = 0
        for event in pair:
            w, r = stage_costs(profile, event)
            total += w
            per_stage = [v for _, v in r] if per_stage is None else [
                a + v for a, (_, v) in zip(per_stage, r)]
        misses.append((name, total, per_stage))
    header = f"{'stage':55s} {'instr/check':>12s} {'share':>6s}"
    for name, _, _ in misses:
        header += f' {name + "/check":>14s}'
    print(header)
    line = f"{'whole check':55s} {whole / queries:12,.0f} {100.0:5.1f}%"
    for _, total, _ in misses:
        line += f' {total / queries:14,.2f}'
    print(line)
    for i, (name, v) in enumerate(rows):
        line = f'{name:55s} {v / queries:12,.0f} {100 * v / whole:5.1f}%'
        for _, _, per_stage in misses:
            line += f' {per_stage[i] / queries:14,.2f}'
        print(line)


if __name__ == '__main__':
    main()
