// Deterministic, realistic-looking package corpora. Every generator takes a seed, so the
// Synapse and Verdaccio sides (and every run) get exactly the same names, versions and sizes.

export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedOf(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Zipf(s=1.07) picker over a list: the head words are common, the tail rare. */
function zipf(list, random) {
  const weights = list.map((_, i) => 1 / Math.pow(i + 1, 1.07));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w / total));
  return () => {
    const r = random();
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1; else hi = mid;
    }
    return list[lo];
  };
}

export const NAME_WORDS = (
  'http json client server parser async react fs util utils core cli config log logger test stream ' +
  'data api web node type types plugin loader file path string date time crypto hash cache db sql ' +
  'query router event emitter promise queue task worker thread pool buffer binary image color css ' +
  'html markdown template render view component ui form input validate schema model orm redis mongo ' +
  'postgres sqlite auth token jwt oauth session cookie proxy socket tcp udp dns url uri mime zip tar ' +
  'gzip compress archive semver version build bundle compile lint format pretty print debug trace ' +
  'metrics monitor health retry timeout rate limit throttle batch scheduler cron job graph tree list ' +
  'map set array object deep merge clone diff patch watch glob match regex text unicode encode decode ' +
  'base64 uuid random math number big decimal matrix vector geo locale i18n env dotenv yaml toml ini ' +
  'csv xml protobuf grpc graphql rest rpc mock fixture bench perf memo lazy fast tiny simple micro mini ' +
  'lite smart super easy safe strict pure fluent open kit lib tools helper wrapper adapter bridge sdk'
).split(' ');

export const KEYWORDS = (
  'http json cli parser async stream testing logging config database orm cache crypto security ' +
  'auth web server client framework utility validation schema template markdown css html image ' +
  'compression archive networking graphql rest rpc metrics monitoring scheduler queue events ' +
  'filesystem path glob regex unicode i18n yaml toml csv xml math random uuid date time semver ' +
  'build bundler linter formatter debug performance benchmark mock fixtures redis postgres sqlite'
).split(' ');

const ADJECTIVES = (
  'fast small simple minimal modern robust lightweight tiny flexible powerful typed streaming ' +
  'zero-dependency composable portable embeddable declarative efficient safe strict pluggable ' +
  'ergonomic idiomatic battle-tested experimental extensible incremental lazy concurrent'
).split(' ');

const FEATURES = (
  'caching retries timeouts streaming support plugins middleware hooks schema validation ' +
  'pretty errors structured logging connection pooling backpressure cancellation tracing metrics ' +
  'hot reload source maps lazy loading batching compression encryption pagination sorting ' +
  'filtering localization fuzzy matching incremental parsing zero copy buffers typed results ' +
  'async iterators worker threads memoization deep equality'
).split(' ');

const DOMAINS = (
  'web servers command-line tools browsers microservices data pipelines test suites build ' +
  'systems mobile apps desktop apps embedded devices game engines scientific computing ' +
  'serverless functions static sites chat bots dashboards compilers databases'
).split(' ');

const SYLLABLES = 'ka ze vo ri lu mar tek qua zor ven bli dra nox pel sim tur gax fen hol jir'.split(' ');

/** Rare project-specific words ("zorvanek"): each shows up in a handful of descriptions at most. */
function pseudoWord(random) {
  const n = 2 + Math.floor(random() * 3);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
  return w;
}

function pickDistinct(pick, count) {
  const out = new Set();
  let guard = 0;
  while (out.size < count && guard++ < count * 20) out.add(pick());
  return [...out];
}

/**
 * Search-scale corpus: `count` packages with unique realistic names, a one-sentence
 * description and 1-5 keywords. Yields plain objects; also tracks word frequencies so the
 * query mix can pick common and rare words that really occur.
 */
export function* searchCorpus(count, seed = 42, stats = undefined) {
  const random = rng(seed);
  const nameWord = zipf(NAME_WORDS, random);
  const keyword = zipf(KEYWORDS, random);
  const adjective = zipf(ADJECTIVES, random);
  const feature = zipf(FEATURES, random);
  const domain = zipf(DOMAINS, random);
  const names = new Set();
  for (let i = 0; i < count; i++) {
    let name;
    for (let attempt = 0; ; attempt++) {
      const parts = pickDistinct(nameWord, random() < 0.55 ? 2 : 3);
      if (attempt > 3) parts.push(pseudoWord(random));
      if (attempt > 8) parts.push(String(i));
      name = parts.join('-');
      if (!/^[a-z]/.test(name)) name = 'x' + name;
      if (name.length <= 64 && !names.has(name)) break;
    }
    names.add(name);
    const words = name.split('-');
    let description = `A ${adjective()} ${words.join(' ')} library for ${domain()}, with ${feature()} and ${feature()}.`;
    if (random() < 0.35) description += ` Inspired by ${pseudoWord(random)}.`;
    const keywords = pickDistinct(keyword, 1 + Math.floor(random() * 5));
    if (stats) {
      for (const w of new Set(description.toLowerCase().match(/[a-z][a-z0-9]+/g))) {
        stats.set(w, (stats.get(w) ?? 0) + 1);
      }
    }
    yield { name, version: '1.0.0', description, keywords, payloadSize: 200 + Math.floor(random() * 600) };
  }
}

/** Realistic tarball payload sizes: log-normal around ~12 KB, clamped to 1 KB .. 400 KB. */
function payloadSize(random) {
  const u = Math.max(random(), 1e-9), v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(400_000, Math.max(1_000, Math.round(Math.exp(Math.log(12_000) + 1.0 * normal))));
}

const CATALOG_VERSIONS = ['1.0.0', '1.1.0', '1.2.0'];

/** The comparison catalog: `count` packages x 3 versions, no dependencies. */
export function catalog(count, seed = 7) {
  const random = rng(seed);
  const corpus = [...searchCorpus(count, seed)];
  return corpus.map((p) => ({
    name: `cat-${p.name}`.slice(0, 64).replace(/-$/, ''),
    description: p.description,
    keywords: p.keywords,
    versions: CATALOG_VERSIONS.map((version) => ({ version, deps: {}, payloadSize: payloadSize(random) })),
  }));
}

/**
 * The install graph: `count` packages (gph-000 .. gph-099) x 3 versions; each depends on 0-4
 * later packages with caret ranges (a DAG); the root project depends on every package nobody
 * else depends on, so an install brings in all `count`.
 */
export function installGraph(count = 100, seed = 11) {
  const random = rng(seed);
  const name = (i) => `gph-${String(i).padStart(3, '0')}`;
  const deps = Array.from({ length: count }, () => new Set());
  const hasParent = new Array(count).fill(false);
  for (let i = 0; i < count; i++) {
    const n = Math.floor(random() * 5);
    for (let k = 0; k < n && i + 1 < count; k++) {
      const j = i + 1 + Math.floor(random() * Math.min(25, count - i - 1));
      deps[i].add(j);
      hasParent[j] = true;
    }
  }
  const packages = deps.map((set, i) => ({
    name: name(i),
    description: `Install-benchmark package ${i} of ${count}.`,
    keywords: ['bench'],
    versions: CATALOG_VERSIONS.map((version) => ({
      version,
      deps: Object.fromEntries([...set].sort((a, b) => a - b).map((j) => [name(j), '^1.0.0'])),
      payloadSize: payloadSize(random),
    })),
  }));
  const rootDeps = Object.fromEntries(
    hasParent.flatMap((has, i) => (has ? [] : [[name(i), '^1.0.0']])),
  );
  return { packages, rootDeps };
}

export function payload(name, version, size) {
  const random = rng(seedOf(`${name}@${version}`));
  const buf = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += 4) buf.writeUInt32LE((random() * 4294967296) >>> 0, Math.min(i, size - 4));
  return buf;
}
