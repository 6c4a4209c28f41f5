// Turns the files bench/run.sh writes into the results section of
// bench/README.md: every figure as a ratio to deter, measured in one run.
//
//   node bench/report.js DIR                          prints the markdown
//   node bench/report.js --update-readme README MD    replaces README's results section
'use strict';
const fs = require('fs');
const path = require('path');

const BEGIN = '<!-- results:begin (written by bench/run.sh) -->';
const END = '<!-- results:end -->';

if (process.argv[2] === '--update-readme') {
  const [readme, md] = process.argv.slice(3);
  const text = fs.readFileSync(readme, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${readme}: no results markers`);
  fs.writeFileSync(readme, text.slice(0, a + BEGIN.length) + '\n' + fs.readFileSync(md, 'utf8') + text.slice(b));
  process.exit(0);
}

const dir = process.argv[2];
const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
// Google Benchmark writes NaN and inf for some aggregates (the spread of a
// counter that is always 0): not JSON, and not used here.
const json = (f) => JSON.parse(read(f).replace(/:\s*-?(nan|NaN|inf|Infinity)\b/g, ': null'));
const peakKB = (f) => Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(read(f))[1]);

const suite = json('suite.json');
const rows = new Map(suite.benchmarks.map((b) => [b.name, b]));
const repetitions = Math.max(...suite.benchmarks.map((b) => b.repetitions || 1));
// A row: the median of its repetitions, or its only run.
function bench(name) {
  const b = rows.get(`${name}_median`) || rows.get(name) || rows.get(`${name}/repeats:1`);
  if (!b) throw new Error(`benchmark ${name} missing from suite.json`);
  if (b.error_occurred) throw new Error(`benchmark ${name} failed: ${b.error_message}`);
  return b;
}
const qps = (name) => bench(name).items_per_second;
const hits = (name) => bench(name).hits;

const fmtRate = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k/s` : `${x.toFixed(1)} /s`);
const fmtNs = (x) => `${Math.round(1e9 / x).toLocaleString('en-US')} ns`;
const fmtRatio = (x) => (x >= 100 ? `${Math.round(x).toLocaleString('en-US')}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`);
const verdict = (ok) => (ok ? '**met**' : '**missed**');

const out = [];
const sizes = [1000, 10000, 100000];
const label = (n) => `${n / 1000}k`;

const p50 = (name) => (bench(name).p50_ns === undefined ? '' : `${Math.round(bench(name).p50_ns).toLocaleString('en-US')} ns`);
out.push('| benchmark | entries | queries/s | mean per query | median per query | deter ÷ it | hits | goal | |');
out.push('|---|---:|---:|---:|---:|---:|---:|---|---|');
for (const n of sizes) {
  const deter = qps(`BM_Check/${n}`);
  const row = (what, name, goal, ok) => {
    const r = deter / qps(name);
    out.push(`| ${what} | ${label(n)} | ${fmtRate(qps(name))} | ${fmtNs(qps(name))} | ${p50(name)} | ${fmtRatio(r)} | ${hits(name)} | ${goal} | ${ok === undefined ? '' : verdict(ok(r))} |`);
  };
  const median = bench(`BM_Check/${n}`).p50_ns;
  const goal = n === 10000 ? ['≥ 2M/s, median ≤ 500 ns', () => deter >= 2e6 && median <= 500]
             : n === 100000 ? ['≥ 1M/s', () => deter >= 1e6] : ['', undefined];
  row('**deter check()**, every view', `BM_Check/${n}`, goal[0], goal[1]);
  row('deter check(), base view only', `BM_CheckBaseView/${n}`, '');
  row('deter\'s matcher alone (token index), base view, pre-normalized', `BM_MatchOnly/${n}`, '');
  row('floor: bare hs_scan, pre-normalized', `BM_FloorScan/${n}`, 'within 3× (≥ 0.33×)', (r) => r >= 1 / 3);
  row('RE2::Set, pre-normalized', `BM_RE2Set/${n}`, '≥ 10×', (r) => r >= 10);
  row('RE2::Set, normalizing each query (timed)', `BM_RE2SetWithNormalize/${n}`, '');
  row('naive find per entry, pre-normalized', `BM_Naive/${n}`, '≥ 100×', (r) => r >= 100);
}
const obscenity = json('obscenity.json');
const exported = json('obscenity-export.json');
{
  const deter = qps('BM_ObscenityList');
  const r = deter / obscenity.queries_per_second;
  out.push(`| **deter check()**, obscenity's English dataset as a list | ${bench('BM_ObscenityList').entries} | ${fmtRate(deter)} | ${fmtNs(deter)} | ${p50('BM_ObscenityList')} | 1.00× | ${hits('BM_ObscenityList')} | | |`);
  out.push(`| obscenity ${obscenity.version} (node ${obscenity.node}), englishDataset + recommended transformers | ${exported.entries}+${exported.exceptions} | ${fmtRate(obscenity.queries_per_second)} | ${fmtNs(obscenity.queries_per_second)} | | ${fmtRatio(r)} | ${obscenity.hits} | ≥ 50× | ${verdict(r >= 50)} |`);
}
out.push('');
out.push('Queries: all four real query sets interleaved (11,326 queries; the obscenity rows: the 3,547 English ones). ' +
         '"deter ÷ it" is deter\'s queries/s divided by the row\'s, at the same list size; "hits" counts the queries with a match (deter rows: a decision other than allow), ' +
         'the mean is CPU time over the whole loop, and the median is each query\'s own latency (timed alone, median of three timings, less the clock\'s own cost) at the middle of all queries; ' +
         'and every benchmark verified its own count before reporting. ' +
         (repetitions > 1 ? `Figures are medians of ${repetitions} runs of each benchmark, in CPU time.` : 'Figures are from one run of each benchmark, in CPU time.'));
out.push('');

// The CLI on the real log, memory, compile time.
out.push('| `deter bench` on the real log (one thread) | entries | queries/s | p50 | p90 | p99 | p99.9 | load + compile | peak memory | goal | |');
out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
for (const n of [10000, 100000]) {
  const c = json(`cli-${n}.json`);
  const mb = peakKB(`cli-${n}.time`) / 1024;
  const goals = [];
  let ok = true;
  if (n === 10000) {
    goals.push('p50 ≤ 500 ns, p99 ≤ 5 µs');
    ok = c.latency_ns.p50 <= 500 && c.latency_ns.p99 <= 5000;
  } else {
    goals.push('≤ 100 MB, p99 ≤ 5 µs');
    ok = mb <= 100 && c.latency_ns.p99 <= 5000;
  }
  out.push(`| deter bench --lists list-${label(n)} | ${label(n)} | ${fmtRate(c.queries_per_second)} | ${c.latency_ns.p50} ns | ${c.latency_ns.p90} ns | ${c.latency_ns.p99} ns | ${c.latency_ns.p99_9} ns | ${c.load_seconds.toFixed(2)} s | ${mb.toFixed(0)} MB | ${goals.join('')} | ${verdict(ok)} |`);
}
{
  const compile = bench('BM_Compile/100000/iterations:1');
  const s = compile.real_time / (compile.time_unit === 'ms' ? 1e3 : 1e9);
  out.push(`| compile 100k entries (BM_Compile) | 100k | | | | | | ${s.toFixed(2)} s | | ≤ 10 s | ${verdict(s <= 10)} |`);
  const db = bench('BM_Check/100000').database_bytes / 2 ** 20;
  out.push(`| compiled matchers (token index and Hyperscan), 100k entries (every view) | 100k | | | | | | | ${db.toFixed(1)} MB | ≤ 100 MB | ${verdict(db <= 100)} |`);
  out.push(`| the whole benchmark suite (RE2 sets and all) | | | | | | | | ${(peakKB('suite.time') / 1024).toFixed(0)} MB | | |`);
}
out.push('');

// Per view and per language, 10k entries (bench/views_bench.cc).
out.push('Per view, 10k entries, all query sets: `check()` with the base view and one other view (`BM_CheckView`), ' +
         'and the text of the views alone (`BM_BuildViews`: base form plus that view, no matching).');
out.push('');
out.push('| views on | check() mean | check() median | ÷ base view alone | building the scan text |');
out.push('|---|---:|---:|---:|---:|');
{
  const base = qps('BM_CheckView/base');
  for (const v of ['base', 'leet', 'squeeze', 'spaced', 'joined', 'homoglyph', 'phonetic', 'fuzzy']) {
    const name = `BM_CheckView/${v}`;
    const built = v === 'base' || v === 'joined' ? '' : fmtNs(qps(`BM_BuildViews/${v}`));
    out.push(`| ${v === 'base' ? 'base only' : 'base + ' + v} | ${fmtNs(qps(name))} | ${p50(name)} | ${fmtRatio(base / qps(name))} | ${built} |`);
  }
  out.push(`| every view | ${fmtNs(qps('BM_Check/10000'))} | ${p50('BM_Check/10000')} | ${fmtRatio(base / qps('BM_Check/10000'))} | ${fmtNs(qps('BM_BuildViews/all'))} |`);
}
out.push('');
out.push('Per language, 10k entries, every view (Kannada: the phrase set, there is no Kannada query set); ' +
         'the floor is a bare `hs_scan` of the pre-normalized queries of that language.');
out.push('');
out.push('| queries | check() mean | check() median | floor | check() ÷ floor | goal | |');
out.push('|---|---:|---:|---:|---:|---|---|');
for (const l of ['en', 'hi', 'bn', 'id', 'kn_phrases']) {
  const name = `BM_CheckAllViews/${l}`;
  const r = qps(`BM_FloorScanLanguage/${l}`) / qps(name);
  const median = bench(name).p50_ns;
  out.push(`| ${l} | ${fmtNs(qps(name))} | ${p50(name)} | ${fmtNs(qps(`BM_FloorScanLanguage/${l}`))} | ${fmtRatio(r)} | median ≤ 500 ns, within 3× | ${verdict(median <= 500 && r <= 3)} |`);
}
out.push('');

out.push(`Where deter's time goes: normalizing a query alone (\`BM_Normalize\`) takes ${fmtNs(qps('BM_Normalize/en'))} for an English query ` +
         `and ${fmtNs(qps('BM_Normalize/hi'))} for a Hindi one; \`check()\` at 10k entries takes ` +
         ['en', 'hi', 'bn', 'id'].map((l) => `${fmtNs(qps('BM_CheckLanguage/' + l))} (${l}, median ${p50('BM_CheckLanguage/' + l)})`).join(', ') + '.');
out.push('');

const st = json('stream.json');
const perSec = (ns) => st.lines / ((ns - st.startup_ns) / 1e9);
out.push(`Streaming, ${st.lines.toLocaleString('en-US')} query lines through \`deter check --lists list-10k\` (start-up of ${(st.startup_ns / 1e6).toFixed(0)} ms subtracted): ` +
         `jsonl ${fmtRate(perSec(st.check_jsonl_j1_ns))} lines on one thread, ${fmtRate(perSec(st.check_jsonl_j2_ns))} with \`-j 2\`, ` +
         `tsv ${fmtRate(perSec(st.check_tsv_j1_ns))}; \`cat\` of the same file: ${fmtRate(st.lines / (st.cat_ns / 1e9))}.`);
out.push('');
out.push('Machine (`build/release/bench/results/machine.txt` of this run):');
out.push('');
out.push('```');
out.push(read('machine.txt').trim());
out.push('```');
console.log(out.join('\n'));
