#!/usr/bin/env node
// Seeding and request-list generation for bench/compare/run.sh. Subcommands:
//   compare        publish the same catalog + install graph to Synapse and Verdaccio; write wrk path lists
//   publish-bodies pre-build the publish requests wrk replays (distinct new packages, same sizes both sides)
//   projects       write the install-benchmark projects (synapse.toml / package.json)
//   search-seed    the search-scale corpus, Synapse only (--phase http: publish; --phase bulk: clone rows); query mix
//   probe          check that HTTP-published and bulk-cloned search packages are served and found
import { mkdirSync, writeFileSync, openSync, writeSync, closeSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { catalog, installGraph, searchCorpus, rng } from './lib/corpus.mjs';
import { synapse, verdaccio, synapseTarball, npmTarball, pool } from './lib/registries.mjs';
import { sha256Hex } from './lib/tarball.mjs';

const { positionals, values: opt } = parseArgs({
  allowPositionals: true,
  options: {
    synapse: { type: 'string' },
    verdaccio: { type: 'string' },
    out: { type: 'string', default: '.' },
    catalog: { type: 'string', default: '200' },
    count: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '8' },
    'graph-size': { type: 'string', default: '100' },
    'http-count': { type: 'string' },
    phase: { type: 'string', default: 'http' },
    database: { type: 'string' },
    storage: { type: 'string' },
  },
});

const out = opt.out;
mkdirSync(out, { recursive: true });
const lines = (file, list) => writeFileSync(join(out, file), list.join('\n') + '\n');
const log = (...a) => console.error('[seed]', ...a);
const need = (key) => {
  if (!opt[key]) throw new Error(`--${key} is required for '${positionals[0]}'`);
  return opt[key].replace(/\/$/, '');
};

const SEARCH_WORDS = ['http', 'json', 'parser', 'client', 'cache', 'stream', 'logger', 'async', 'test', 'config'];

async function seedOne(label, packages, concurrency, publishVersion) {
  const started = Date.now();
  let versions = 0, bytes = 0;
  // versions of one package in order (sequentially), packages in parallel
  await pool(packages, concurrency, async (pkg) => {
    for (const v of pkg.versions) {
      const size = await publishVersion(pkg, v);
      bytes += size;
      versions++;
    }
  });
  const seconds = (Date.now() - started) / 1000;
  log(`${label}: ${packages.length} packages, ${versions} versions, ${(bytes / 1048576).toFixed(1)} MiB of tarballs in ${seconds.toFixed(1)} s`);
  return { packages: packages.length, versions, tarball_bytes: bytes, seconds };
}

async function compare() {
  // either side may be left out (--synapse or --verdaccio omitted), e.g. to check the harness
  const syn = opt.synapse?.replace(/\/$/, ''), ver = opt.verdaccio?.replace(/\/$/, '');
  const packages = [...catalog(Number(opt.catalog)), ...installGraph(Number(opt['graph-size'])).packages];
  const synToken = syn && await synapse.register(syn, 'bench');
  const verToken = ver && await verdaccio.addUser(ver, 'bench');
  writeFileSync(join(out, 'tokens.json'), JSON.stringify({ synapse: synToken, verdaccio: verToken }));
  const concurrency = Number(opt.concurrency);
  const stats = {
    synapse: syn && await seedOne('synapse', packages, concurrency, (p, v) => synapse.publish(syn, synToken, p, v)),
    verdaccio: ver && await seedOne('verdaccio', packages, concurrency, (p, v) => verdaccio.publish(ver, verToken, p, v)),
  };
  writeFileSync(join(out, 'seed-stats.json'), JSON.stringify(stats, null, 2));

  const random = rng(99);
  const shuffled = (list) => list.map((x) => [random(), x]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  const names = shuffled(packages.map((p) => p.name));
  const versions = shuffled(packages.flatMap((p) => p.versions.map((v) => [p.name, v.version])));
  lines('synapse-metadata.txt', names.map((n) => `/api/v1/packages/${n}`));
  lines('verdaccio-metadata.txt', names.map((n) => `/${n}`));
  lines('synapse-versions.txt', names.map((n) => `/api/v1/packages/${n}/versions`));
  lines('verdaccio-versions.txt', names.map((n) => `/${n}`));
  lines('synapse-tarball.txt', versions.map(([n, v]) => `/api/v1/packages/${n}/${v}/tarball`));
  lines('verdaccio-tarball.txt', versions.map(([n, v]) => `/${n}/-/${n}-${v}.tgz`));
  lines('synapse-search.txt', SEARCH_WORDS.map((w) => `/api/v1/search?q=${w}&per_page=20`));
  lines('verdaccio-search.txt', SEARCH_WORDS.map((w) => `/-/v1/search?text=${w}&size=20`));
}

// One file of concatenated bodies + an index "path offset length" per request, for wrk/publish.lua.
function writeBodies(file, requests) {
  const fd = openSync(join(out, `${file}.bin`), 'w');
  const index = [];
  let offset = 0;
  for (const { path, body } of requests) {
    writeSync(fd, body);
    index.push(`${path} ${offset} ${body.length}`);
    offset += body.length;
  }
  closeSync(fd);
  lines(`${file}.idx`, index);
}

const PUBLISH_BOUNDARY = '----synapse-bench-boundary-7d1f0c9a3b6e4f21';

function publishBodies() {
  const ver = need('verdaccio');
  const count = Number(opt.count);
  const corpus = catalog(count, 1234).map((p, i) => ({ ...p, name: `pub-${String(i).padStart(5, '0')}`, versions: [p.versions[0]] }));
  writeBodies('synapse-publish', corpus.map((p) => {
    const tgz = synapseTarball(p, p.versions[0]);
    // one fixed boundary, so wrk sends the same Content-Type header with every request
    const { body } = synapse.multipart(tgz, `${p.name}-1.0.0.tgz`, PUBLISH_BOUNDARY);
    return { path: '/api/v1/packages', body };
  }));
  writeBodies('verdaccio-publish', corpus.map((p) => {
    const tgz = npmTarball(p, p.versions[0]);
    return { path: `/${p.name}`, body: Buffer.from(JSON.stringify(verdaccio.publishDocument(ver, p, p.versions[0], tgz))) };
  }));
  log(`publish bodies: ${count} per registry`);
}

function projects() {
  const ver = need('verdaccio');
  const { rootDeps } = installGraph(Number(opt['graph-size']));
  mkdirSync(join(out, 'synapse-project'), { recursive: true });
  mkdirSync(join(out, 'npm-project'), { recursive: true });
  writeFileSync(join(out, 'synapse-project', 'synapse.toml'), [
    '[package]', 'name = "bench-app"', 'version = "0.1.0"', 'license = "MIT"', '', '[dependencies]',
    ...Object.entries(rootDeps).map(([n, r]) => `${n} = "${r}"`), '',
  ].join('\n'));
  writeFileSync(join(out, 'npm-project', 'package.json'), JSON.stringify(
    { name: 'bench-app', version: '0.1.0', private: true, license: 'MIT', dependencies: rootDeps }, null, 2) + '\n');
  writeFileSync(join(out, 'npm-project', '.npmrc'), `registry=${ver}/\naudit=false\nfund=false\nupdate-notifier=false\n`);
  log(`projects: root depends on ${Object.keys(rootDeps).length} packages (whole graph: ${opt['graph-size']})`);
}

// Phase "http" publishes the first --http-count packages of the corpus over HTTP (the last one is the
// template); phase "bulk" (registry stopped) clones the template's rows for the rest of the corpus.
async function searchSeed() {
  const count = Number(opt.count);
  const httpCount = Math.min(count, Number(opt['http-count'] ?? count));
  const stats = new Map();
  const corpus = [...searchCorpus(count, 42, stats)].map((p) => ({ ...p, versions: [{ version: p.version, deps: {}, payloadSize: p.payloadSize }] }));
  const statsFile = join(out, 'search-seed-stats.json');
  const previous = existsSync(statsFile) ? JSON.parse(readFileSync(statsFile, 'utf8')) : {};
  const started = Date.now();
  if (opt.phase === 'bulk') {
    const { bulkClone } = await import('./lib/bulk.mjs');
    const written = bulkClone({ database: need('database'), storage: need('storage'), template: corpus[httpCount - 1], packages: corpus.slice(httpCount) });
    const seconds = (Date.now() - started) / 1000;
    log(`search corpus: ${written} packages cloned into the database in ${seconds.toFixed(1)} s`);
    writeFileSync(statsFile, JSON.stringify({ ...previous, packages: count, bulk: written, bulk_seconds: seconds }));
  } else {
    const syn = need('synapse');
    const token = await synapse.register(syn, 'search-bench');
    let done = 0;
    const head = corpus.slice(0, httpCount - 1);
    await pool(head, Number(opt.concurrency), async (p) => {
      await synapse.publish(syn, token, p, p.versions[0]);
      if (++done % 5000 === 0) log(`search corpus: ${done}/${httpCount} (${(done / ((Date.now() - started) / 1000)).toFixed(0)}/s)`);
    });
    // the template last and alone, so it is the newest row of every table
    await synapse.publish(syn, token, corpus[httpCount - 1], corpus[httpCount - 1].versions[0]);
    const seconds = (Date.now() - started) / 1000;
    log(`search corpus: ${httpCount} packages published over HTTP in ${seconds.toFixed(1)} s (${(httpCount / seconds).toFixed(0)}/s)`);
    writeFileSync(statsFile, JSON.stringify({ packages: count, http: httpCount, http_seconds: seconds }));
  }
  writeFileSync(join(out, 'search-probe.json'), JSON.stringify({ http: corpus[0].name, bulk: corpus[count - 1].name }));

  const random = rng(2024);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const stop = new Set(['library', 'for', 'with', 'and', 'by', 'inspired', 'a']);
  const byFrequency = [...stats].filter(([w]) => !stop.has(w)).sort((a, b) => b[1] - a[1]);
  const common = byFrequency.slice(0, 25).map(([w]) => w);
  const rare = byFrequency.filter(([, n]) => n <= 3).map(([w]) => w);
  const names = corpus.map((p) => p.name);
  const q = (text) => `/api/v1/search?q=${encodeURIComponent(text)}&per_page=20`;
  const N = 300;
  const kinds = {
    exact: Array.from({ length: N }, () => pick(names)),
    prefix: Array.from({ length: N }, () => { const n = pick(names); return n.slice(0, 3 + Math.floor(random() * Math.min(5, n.length - 2))); }),
    common: Array.from({ length: N }, () => pick(common)),
    rare: Array.from({ length: N }, () => pick(rare)),
    multi: Array.from({ length: N }, () => {
      const p = pick(corpus);
      const words = p.description.toLowerCase().match(/[a-z][a-z0-9]+/g).filter((w) => !stop.has(w));
      return [pick(words), pick(words), pick(p.keywords)].filter((w, i, a) => a.indexOf(w) === i).join(' ');
    }),
  };
  for (const [kind, list] of Object.entries(kinds)) lines(`search-${kind}.txt`, list.map(q));
  writeFileSync(join(out, 'search-examples.json'), JSON.stringify(Object.fromEntries(Object.entries(kinds).map(([k, l]) => [k, l.slice(0, 4)]))));
}

// After the search seeding: a package published over HTTP and a cloned one must both be readable,
// downloadable with the right hash, and found first by an exact-name search.
async function probe() {
  const syn = need('synapse');
  const names = JSON.parse(readFileSync(join(out, 'search-probe.json'), 'utf8'));
  for (const [how, name] of Object.entries(names)) {
    const doc = await expectJson(`${syn}/api/v1/packages/${name}/1.0.0`, `${how}-seeded ${name}`);
    const tgz = Buffer.from(await (await fetch(`${syn}/api/v1/packages/${name}/1.0.0/tarball`)).arrayBuffer());
    if (sha256Hex(tgz) !== doc.sha256) throw new Error(`${how}-seeded ${name}: tarball hash ${sha256Hex(tgz)} differs from the registry's ${doc.sha256}`);
    const found = await expectJson(`${syn}/api/v1/search?q=${encodeURIComponent(name)}&per_page=5`, `search ${name}`);
    if (found.results?.[0]?.name !== name) throw new Error(`${how}-seeded ${name}: an exact-name search returns ${JSON.stringify(found.results?.map((r) => r.name))}`);
  }
  log(`probe: ${Object.values(names).join(', ')} readable, downloadable and found`);
}

async function expectJson(url, what) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${what}: GET ${url} answered ${res.status} ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

const commands = { compare, probe, 'publish-bodies': publishBodies, projects, 'search-seed': searchSeed };
const command = commands[positionals[0]];
if (!command) {
  console.error(`usage: seed.mjs <${Object.keys(commands).join('|')}> [--synapse URL] [--verdaccio URL] [--out DIR] ...`);
  process.exit(2);
}
try {
  await command();
} catch (error) {
  console.error(`[seed] ${positionals[0]} failed: ${error.message}`);
  process.exit(1);
}
