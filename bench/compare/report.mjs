#!/usr/bin/env node
// Turns the result files of run.sh into the "## Synapse vs Verdaccio" markdown section.
//   report.mjs RESULTS_DIR                  print the section
//   report.mjs RESULTS_DIR --into FILE      replace the generated part of that section in FILE (or append the section)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, flag, target] = process.argv.slice(2);
if (!dir || (flag && (flag !== '--into' || !target))) {
  console.error('usage: report.mjs RESULTS_DIR [--into docs/BENCHMARKS.md]');
  process.exit(2);
}
const file = (name) => join(dir, name);
const json = (name) => (existsSync(file(name)) ? JSON.parse(readFileSync(file(name), 'utf8')) : undefined);
const jsonl = (name) =>
  existsSync(file(name)) ? readFileSync(file(name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const machine = Object.fromEntries(
  (existsSync(file('machine.txt')) ? readFileSync(file('machine.txt'), 'utf8') : '')
    .split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

const ms = (us) => (us / 1000).toFixed(us < 10_000 ? 2 : 1);
const num = (n) => Math.round(n).toLocaleString('en-US');
const mb = (kb) => (kb / 1024).toFixed(0);
const rate = (r) => r.requests / (r.duration_us / 1e6);
const cpu = (seconds, r) => `${((100 * seconds) / (r.duration_us / 1e6)).toFixed(0)}%`;
const errors = (r) => Object.values(r.errors).reduce((a, b) => a + b, 0);
const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**');

const http = jsonl('http.jsonl');
const search = jsonl('search.jsonl');
const targets = [];
const out = [];
const say = (...lines) => out.push(...(lines.length ? lines : ['']));

say('Side-by-side on one machine in one run: `synapse-registry` (its Release publish, with deploy/Dockerfile\'s');
say('`MALLOC_ARENA_MAX=2`) on its embedded default (SQLite + files, rate limits off) against Verdaccio 6.10.4');
say('(Node 24, no uplinks, htpasswd + JWT tokens, storage on local');
say('disk), and `synapse pkg install` against `npm install` pointed at that Verdaccio. Both servers listen on');
say('127.0.0.1 and share the two cores with the load tool.');
say();
say(`- Date: ${machine.date_utc ?? '?'}; commit ${machine.git ?? '?'}`);
say(`- Machine: ${machine.nproc ?? '?'} cores (${machine.cpu ?? '?'}), ${machine.memory ?? '?'} RAM, Linux ${machine.kernel ?? '?'}`);
if (machine.load) say(`- Load average (1/5/15 min) of the machine: ${machine.load} — anything above ~2 means other work shared the cores`);
say(`- Tools: .NET SDK ${machine.dotnet ?? '?'}; Verdaccio on Node ${machine.node_verdaccio ?? '?'}; npm ${machine.npm ?? '?'} on Node ${machine.node_npm ?? '?'}; wrk ${machine.wrk ?? '?'}; hyperfine ${machine.hyperfine ?? '?'}`);
say('- Command: `bench/compare/run.sh --write-docs` (defaults; knobs in `run.sh --help`)');
const parts = ['http', 'install', 'search'].filter((p) => existsSync(file(`part-${p}.txt`)))
  .map((p) => `  - ${p}: ${readFileSync(file(`part-${p}.txt`), 'utf8').trim()}`);
if (parts.length) say('- Parts, when measured and with which settings:', ...parts);
say();

const seed = json('seed-stats.json');
if (seed?.synapse && seed?.verdaccio) {
  say(`Both registries hold the same ${seed.synapse.packages} packages / ${seed.synapse.versions} versions (same names, versions and payloads;`);
  say(`tarballs ${(seed.synapse.tarball_bytes / 1048576).toFixed(2)} MiB for Synapse, ${(seed.verdaccio.tarball_bytes / 1048576).toFixed(2)} MiB for npm — they differ only by the manifest file).`);
  say(`Seeding over HTTP (${machine.seed_concurrency ?? '?'} in flight): Synapse ${seed.synapse.seconds.toFixed(1)} s, Verdaccio ${seed.verdaccio.seconds.toFixed(1)} s.`);
  say();
}

if (http.length) {
  const find = (server, endpoint) => http.find((r) => r.server === server && r.endpoint === endpoint);
  const label = {
    metadata: 'package metadata GET (`/api/v1/packages/{name}` vs `/{name}` full packument)',
    versions: 'resolver metadata GET (`/api/v1/packages/{name}/versions` vs abbreviated packument)',
    tarball: 'tarball GET',
    search: 'search GET (catalog of ~300 packages)',
    publish: 'publish (a new package per request)',
  };
  say('### HTTP load (wrk)');
  say();
  say('Each row: a warm-up, then a fixed-length wrk run; reads rotate over every seeded package/version;');
  say('publish replays pre-built requests, each a new package. CPU is per cent of one core over the run');
  say('(the machine has 200%). Peak RSS is the server\'s VmHWM, reset before each row.');
  say();
  say('| endpoint | conns | Synapse req/s | Verdaccio req/s | ratio S/V | Synapse p50 / p99 ms | Verdaccio p50 / p99 ms | Synapse peak RSS MB | Verdaccio peak RSS MB | CPU Synapse / wrk | CPU Verdaccio / wrk | errors S / V |');
  say('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const endpoint of ['metadata', 'versions', 'tarball', 'search', 'publish']) {
    const s = find('synapse', endpoint), v = find('verdaccio', endpoint);
    if (!s || !v) continue;
    say(`| ${label[endpoint]} | ${s.connections} | ${num(rate(s))} | ${num(rate(v))} | ${(rate(s) / rate(v)).toFixed(1)}× | ` +
      `${ms(s.latency_us.p50)} / ${ms(s.latency_us.p99)} | ${ms(v.latency_us.p50)} / ${ms(v.latency_us.p99)} | ` +
      `${mb(s.peak_rss_kb)} | ${mb(v.peak_rss_kb)} | ${cpu(s.server_cpu_s, s)} / ${cpu(s.tool_cpu_s, s)} | ` +
      `${cpu(v.server_cpu_s, v)} / ${cpu(v.tool_cpu_s, v)} | ${errors(s)} / ${errors(v)} |`);
  }
  say();
  const s = (e) => find('synapse', e), v = (e) => find('verdaccio', e);
  const ratio = (e) => (s(e) && v(e) ? rate(s(e)) / rate(v(e)) : undefined);
  if (ratio('metadata') !== undefined) targets.push(['metadata GET ≥ 10× Verdaccio req/s', `${ratio('metadata').toFixed(1)}×`, ratio('metadata') >= 10]);
  if (ratio('tarball') !== undefined) targets.push(['tarball GET ≥ 5× Verdaccio req/s', `${ratio('tarball').toFixed(1)}×`, ratio('tarball') >= 5]);
  if (s('publish') && v('publish')) {
    const failed = errors(s('publish')) ? ` (${errors(s('publish'))} failed requests)` : '';
    targets.push(['publish p50 ≤ Verdaccio p50, no failures', `${ms(s('publish').latency_us.p50)} ms vs ${ms(v('publish').latency_us.p50)} ms${failed}`,
      s('publish').latency_us.p50 <= v('publish').latency_us.p50 && errors(s('publish')) === 0]);
  }
}
const synapseRows = [...http.filter((r) => r.server === 'synapse'), ...search];
if (synapseRows.length) {
  const rss = Math.max(...synapseRows.map((r) => r.peak_rss_kb));
  targets.push(['registry peak RSS under load ≤ 150 MB (every row above)', `${mb(rss)} MB`, rss / 1024 <= 150]);
}

const install = ['synapse-cold', 'synapse-warm', 'npm-cold', 'npm-warm'].map((k) => json(`install-${k}.json`)?.results?.[0]);
if (install.every(Boolean)) {
  const [sc, sw, nc, nw] = install;
  const t = (r) => `${(r.mean * 1000).toFixed(0)} ± ${(r.stddev * 1000).toFixed(0)} ms`;
  const count = (k) => (existsSync(file(`install-${k}-count.txt`)) ? readFileSync(file(`install-${k}-count.txt`), 'utf8').trim() : '?');
  say('### Install (hyperfine)');
  say();
  say(`The same ${count('synapse')}-package graph (synapse_packages) / ${count('npm')} packages (node_modules), 3 versions`);
  say('each, caret ranges. Cold: empty cache, no lock file, no installed packages before each run. Warm: cache and');
  say('lock file kept from the previous run, installed packages removed. npm runs with `--no-audit --no-fund');
  say('--ignore-scripts`.');
  if (existsSync(file('install-cli.txt'))) say(`The CLI: ${readFileSync(file('install-cli.txt'), 'utf8').trim()}.`);
  say();
  say('| scenario | `synapse pkg install` | `npm install` via Verdaccio | speed-up |');
  say('|---|---:|---:|---:|');
  say(`| cold | ${t(sc)} | ${t(nc)} | ${(nc.mean / sc.mean).toFixed(1)}× |`);
  say(`| warm | ${t(sw)} | ${t(nw)} | ${(nw.mean / sw.mean).toFixed(1)}× |`);
  say();
  // CPU time moves much less than wall time when other work shares the cores
  const cpu = (r) => `${((r.user + r.system) * 1000).toFixed(0)} ms`;
  say(`CPU per run (user + system, mean): synapse cold ${cpu(sc)}, warm ${cpu(sw)}; npm cold ${cpu(nc)}, warm ${cpu(nw)}.`);
  say();
  // a speed-up only counts if both tools really installed the whole graph
  const complete = count('synapse') === count('expected') && count('npm') === count('expected');
  if (!complete) say(`**Incomplete install: expected ${count('expected')} packages; the speed-ups below do not count.**\n`);
  targets.push(['cold install ≥ 3× faster than npm', `${(nc.mean / sc.mean).toFixed(1)}×`, complete && nc.mean / sc.mean >= 3]);
  targets.push(['warm install ≥ 10× faster than npm', `${(nw.mean / sw.mean).toFixed(1)}×`, complete && nw.mean / sw.mean >= 10]);
}

if (search.length) {
  const seeded = json('search-seed-stats.json');
  const examples = json('search-examples.json') ?? {};
  say(`### Search at ${num(seeded?.packages ?? 0)} packages (Synapse)`);
  say();
  const sd = seeded ?? {};
  say(`${num(sd.packages ?? 0)} generated packages (realistic names, one-sentence descriptions, 1-5 keywords), on top of the`);
  say(`comparison catalog. Seeding mode: ${num(sd.http ?? 0)} published over the HTTP API (${(sd.http_seconds ?? 0).toFixed(0)} s, registry under`);
  say('`eatmydata` so fsync is a no-op)' + (sd.bulk ? `, then ${num(sd.bulk)} cloned in ${(sd.bulk_seconds ?? 0).toFixed(0)} s from the last one's database rows and blob with` : '') +
    (sd.bulk ? '' : ';'));
  if (sd.bulk) say('the registry stopped (`bench/compare/lib/bulk.mjs`; durable one-by-one publishing of 100,000 packages takes longer than the');
  if (sd.bulk) say('whole run); a probe then checks that both kinds are served, downloadable and found.');
  say('The registry is restarted normally before measuring. One connection, each kind for a');
  say('fixed time, rotating over 300 queries of that kind; `per_page=20`.');
  say();
  say('| kind | examples | req/s | p50 ms | p99 ms | peak RSS MB | CPU Synapse / wrk | errors |');
  say('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of search) {
    const ex = (examples[r.endpoint] ?? []).slice(0, 3).map((q) => `\`${decodeURIComponent(q.replace(/^.*q=([^&]*).*$/, '$1'))}\``).join(', ');
    say(`| ${r.endpoint} | ${ex} | ${num(rate(r))} | ${ms(r.latency_us.p50)} | ${ms(r.latency_us.p99)} | ${mb(r.peak_rss_kb)} | ${cpu(r.server_cpu_s, r)} / ${cpu(r.tool_cpu_s, r)} | ${errors(r)} |`);
  }
  say();
  const p50 = Math.max(...search.map((r) => r.latency_us.p50)), p99 = Math.max(...search.map((r) => r.latency_us.p99));
  targets.push([`search p50 ≤ 5 ms at ${num(seeded?.packages ?? 0)} (worst kind)`, `${ms(p50)} ms`, p50 <= 5000 && search.every((r) => errors(r) === 0)]);
  targets.push([`search p99 ≤ 25 ms at ${num(seeded?.packages ?? 0)} (worst kind)`, `${ms(p99)} ms`, p99 <= 25000]);
}

if (targets.length) {
  say('### Targets');
  say();
  say('| target | measured | |');
  say('|---|---:|---|');
  for (const [name, value, ok] of targets) say(`| ${name} | ${value} | ${verdict(ok)} |`);
  say();
}

// The generated part sits between markers, so a hand-written analysis after it survives re-runs.
const BEGIN = '<!-- bench/compare/run.sh: generated, begin -->', END = '<!-- bench/compare/run.sh: generated, end -->';
const section = `${BEGIN}\n${out.join('\n')}\n${END}`;
if (flag === '--into') {
  let doc = existsSync(target) ? readFileSync(target, 'utf8') : '# Benchmarks\n\nMeasured results of the Synapse benchmarks; each section says how to reproduce it.\n';
  const start = doc.indexOf(BEGIN), end = doc.indexOf(END);
  if (start >= 0 && end > start) doc = doc.slice(0, start) + section + doc.slice(end + END.length);
  else doc = doc.replace(/\n*$/, '\n\n') + `## Synapse vs Verdaccio\n\n${section}\n`;
  writeFileSync(target, doc);
} else {
  process.stdout.write('## Synapse vs Verdaccio\n\n' + out.join('\n') + '\n');
}
