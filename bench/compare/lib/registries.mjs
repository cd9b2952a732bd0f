// The two registries' publish/auth APIs, spoken directly over HTTP (no `npm publish` or
// `synapse pkg publish` process per package: seeding thousands of versions must be fast).
import { makeTarball, sha256Hex, sha1Hex, sha512Integrity } from './tarball.mjs';
import { payload } from './corpus.mjs';

const toml = (s) => JSON.stringify(s); // a JSON string literal is a valid TOML basic string for our ASCII text

export function synapseManifest(pkg, v) {
  const lines = [
    '[package]',
    `name = ${toml(pkg.name)}`,
    `version = ${toml(v.version)}`,
    `description = ${toml(pkg.description)}`,
    'license = "MIT"',
    `keywords = [${pkg.keywords.map(toml).join(', ')}]`,
    '',
    '[dependencies]',
    ...Object.entries(v.deps ?? {}).map(([n, r]) => `${n} = ${toml(r)}`),
    '',
  ];
  return lines.join('\n');
}

export function synapseTarball(pkg, v) {
  return makeTarball([
    { name: 'synapse.toml', data: synapseManifest(pkg, v) },
    { name: 'lib/payload.bin', data: payload(pkg.name, v.version, v.payloadSize) },
  ]);
}

export function npmManifest(pkg, v) {
  return {
    name: pkg.name,
    version: v.version,
    description: pkg.description,
    keywords: pkg.keywords,
    license: 'MIT',
    dependencies: v.deps ?? {},
  };
}

export function npmTarball(pkg, v) {
  return makeTarball([
    { name: 'package/package.json', data: JSON.stringify(npmManifest(pkg, v), null, 2) + '\n' },
    { name: 'package/lib/payload.bin', data: payload(pkg.name, v.version, v.payloadSize) },
  ]);
}

async function expectOk(res, what) {
  if (res.ok) return res;
  const text = await res.text().catch(() => '');
  throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 400)}`);
}

export const synapse = {
  async register(base, username, password = 'bench-password-123') {
    const res = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, email: `${username}@example.org`, password }),
    });
    await expectOk(res, `synapse register ${username}`);
    return (await res.json()).token;
  },

  multipart(tgz, fileName, boundary = '----synapsebench' + sha1Hex(tgz).slice(0, 16)) {
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="sha256"\r\n\r\n${sha256Hex(tgz)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="tarball"; filename="${fileName}"\r\n` +
        'Content-Type: application/gzip\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    return { body: Buffer.concat([head, tgz, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
  },

  async publish(base, token, pkg, v) {
    const tgz = synapseTarball(pkg, v);
    const { body, contentType } = synapse.multipart(tgz, `${pkg.name}-${v.version}.tgz`);
    const res = await fetch(`${base}/api/v1/packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
    });
    await expectOk(res, `synapse publish ${pkg.name}@${v.version}`);
    await res.arrayBuffer();
    return tgz.length;
  },
};

export const verdaccio = {
  async addUser(base, name, password = 'bench-password-123') {
    const res = await fetch(`${base}/-/user/org.couchdb.user:${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [] }),
    });
    await expectOk(res, `verdaccio adduser ${name}`);
    return (await res.json()).token;
  },

  publishDocument(base, pkg, v, tgz) {
    const file = `${pkg.name}-${v.version}.tgz`;
    return {
      _id: pkg.name,
      name: pkg.name,
      description: pkg.description,
      'dist-tags': { latest: v.version },
      versions: {
        [v.version]: {
          ...npmManifest(pkg, v),
          _id: `${pkg.name}@${v.version}`,
          dist: {
            shasum: sha1Hex(tgz),
            integrity: sha512Integrity(tgz),
            tarball: `${base}/${pkg.name}/-/${file}`,
          },
        },
      },
      _attachments: {
        [file]: { content_type: 'application/octet-stream', data: tgz.toString('base64'), length: tgz.length },
      },
    };
  },

  async publish(base, token, pkg, v) {
    const tgz = npmTarball(pkg, v);
    const res = await fetch(`${base}/${encodeURIComponent(pkg.name)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(verdaccio.publishDocument(base, pkg, v, tgz)),
    });
    await expectOk(res, `verdaccio publish ${pkg.name}@${v.version}`);
    await res.arrayBuffer();
    return tgz.length;
  },
};

/** Runs `worker(item)` over items with at most `concurrency` in flight; stops on the first error. */
export async function pool(items, concurrency, worker) {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await worker(item);
    }
  });
  await Promise.all(runners);
}
