#!/usr/bin/python3
"""Where a check's instructions go, by stage, from a callgrind profile.

Usage:
  valgrind --tool=callgrind --callgrind-out-file=cg.out \\
      --toggle-collect='deter::Filter::check*' \\
      build/prof/deter check --lists LISTS -f QUERIES >/dev/null
  bench/stages.py cg.out $(wc -l < QUERIES)

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


def main():
    profile, queries = sys.argv[1], int(sys.argv[2])
    inclusive = annotate('--inclusive=yes', profile)
    exclusive = annotate(profile)

    def largest(pat):
        return max((c for c, name in cost_lines(inclusive) if re.search(pat, name)), default=0)

    def summed(pat):
        return sum(c for c, name in cost_lines(exclusive) if re.search(pat, name))

    # normalize_base also runs inside original_span (offsets of hits): that
    # part belongs to the offsets' row, not the base form's.
    calling = annotate('--inclusive=yes', '--tree=calling', profile)
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
    print(f"{'stage':55s} {'instr/check':>12s} {'share':>6s}")
    print(f"{'whole check':55s} {whole / queries:12,.0f} {100.0:5.1f}%")
    for name, v in rows:
        print(f'{name:55s} {v / queries:12,.0f} {100 * v / whole:5.1f}%')


if __name__ == '__main__':
    main()
