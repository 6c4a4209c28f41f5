// The obscenity baseline for bench/ (see bench/README.md).
//
//   node run.js export OUT.list    writes obscenity's English dataset as a deter list
//   node run.js bench QUERIES      times obscenity on QUERIES (one per line), prints JSON
//
// The dataset is an English profanity list. It is read from the installed
// package at run time and written only into the build directory: its terms
// are never part of this repository.
'use strict';
const fs = require('fs');
const {
  RegExpMatcher,
  SyntaxKind,
  englishDataset,
  englishRecommendedTransformers,
} = require('obscenity');

// Every spelling an obscenity pattern stands for: each optional part [x]
// present or absent. A wildcard (?) becomes "any character" (regex `.`).
function expand(nodes) {
  let variants = [[]];
  for (const node of nodes) {
    const next = [];
    for (const v of variants) {
      if (node.kind === SyntaxKind.Optional) {
        next.push(v);
        next.push(v.concat([node.childNode]));
      } else {
        next.push(v.concat([node]));
      }
    }
    variants = next;
  }
  return variants;
}

function escapeRegex(s) {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// One deter entry for one spelling. Word boundaries map onto deter's forms:
// both ends: phrase; start only: prefix (w*); neither: substring (*w*); end
// only: a regex ending at a token boundary (the base view is space padded).
function toEntry(variant, atStart, atEnd) {
  const hasWildcard = variant.some((n) => n.kind === SyntaxKind.Wildcard);
  const text = (n) => (n.kind === SyntaxKind.Wildcard ? null : String.fromCodePoint(...n.chars));
  if (hasWildcard || (atEnd && !atStart)) {
    const body = variant.map((n) => (n.kind === SyntaxKind.Wildcard ? '.' : escapeRegex(text(n)))).join('');
    return '/' + (atStart ? '\\x20' : '') + body + (atEnd ? '\\x20' : '') + '/';
  }
  const word = variant.map(text).join('');
  if (atStart && atEnd) return word;
  if (atStart) return word + '*';
  return '*' + word + '*';
}

function exportList(out) {
  const data = englishDataset.build();
  const entries = new Set();
  for (const term of data.blacklistedTerms) {
    const p = term.pattern;
    for (const v of expand(p.nodes)) {
      // A spelling needs at least one literal character: a lone wildcard
      // would match every query.
      if (!v.some((n) => n.kind === SyntaxKind.Literal && n.chars.length > 0)) continue;
      entries.add(toEntry(v, p.requireWordBoundaryAtStart, p.requireWordBoundaryAtEnd));
    }
  }
  // Whitelisted terms suppress the matches they overlap, as in obscenity.
  const exceptions = new Set();
  for (const w of data.whitelistedTerms) {
    const t = w.trim();
    if (t !== '') exceptions.add('@@*' + t + '*');
  }
  const lines = [
    '! deter-list 1',
    '! name: obscenity-en',
    '! language: en',
    '! category: profanity',
    '! action: prompt',
    '! description: generated at bench time from the obscenity package (englishDataset); not part of the repository',
    ...entries,
    ...exceptions,
  ];
  fs.writeFileSync(out, lines.join('\n') + '\n');
  process.stdout.write(JSON.stringify({ entries: entries.size, exceptions: exceptions.size }) + '\n');
}

function bench(path) {
  const queries = fs.readFileSync(path, 'utf8').split('\n').filter((q) => q.length > 0);
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  let hits = 0;
  for (const q of queries) if (matcher.hasMatch(q)) hits++;  // also warms the JIT
  // Whole passes until at least two seconds have been measured; each pass
  // must find the same number of hits.
  let passes = 0;
  let checked = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 2.0) {
    let h = 0;
    for (const q of queries) if (matcher.hasMatch(q)) h++;
    if (h !== hits) throw new Error(`hit count changed: ${h} != ${hits}`);
    passes++;
    checked += queries.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  process.stdout.write(JSON.stringify({
    package: 'obscenity',
    version: JSON.parse(fs.readFileSync(require('path').join(__dirname, 'node_modules/obscenity/package.json'), 'utf8')).version,
    node: process.version,
    queries: queries.length,
    hits,
    passes,
    seconds: elapsed,
    queries_per_second: checked / elapsed,
  }) + '\n');
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'export' && arg) exportList(arg);
else if (mode === 'bench' && arg) bench(arg);
else {
  process.stderr.write('usage: node run.js export OUT.list | bench QUERIES\n');
  process.exit(2);
}
