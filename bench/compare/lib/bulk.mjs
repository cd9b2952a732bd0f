// Bulk seeding of the search corpus straight into a stopped registry's SQLite database, by cloning
// the rows that a real HTTP publish wrote for a template package. Only what is known from the
// template is rewritten (its name, description, keywords, sha256, size, ids); every other column is
// copied as the registry wrote it, so new columns keep working. Blobs are written too, in the
// template's storage layout, so a cloned version is as downloadable as a published one.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sha256Hex } from './tarball.mjs';
import { synapseTarball } from './registries.mjs';

const PACKAGE_TABLES = [
  // table, how its template rows are found
  ['Packages', 'Id = $pkg'],
  ['PackageOwners', 'PackageId = $pkg'],
  ['PackageVersions', 'PackageId = $pkg'],
  ['SearchIndex', 'PackageId = $pkg'],
];

function findFile(root, name) {
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (entry === name) return path;
    if (statSync(path).isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** "b1/03/b103f0..." for sha "b103f0...": each folder a consecutive slice of the hash, then the hash. */
function blobLayout(storage, sha) {
  const path = findFile(storage, sha);
  if (!path) throw new Error(`no blob named ${sha} under ${storage}: unknown storage layout`);
  const folders = relative(storage, path).split(sep).slice(0, -1);
  let at = 0;
  for (const folder of folders) {
    if (sha.slice(at, at + folder.length) !== folder) throw new Error(`blob path ${path} is not made of slices of its hash`);
    at += folder.length;
  }
  const widths = folders.map((f) => f.length);
  return (hash) => {
    let offset = 0;
    const parts = widths.map((w) => hash.slice(offset, (offset += w)));
    return join(storage, ...parts, hash);
  };
}

/**
 * Clones `template` (a package the registry published over HTTP; its corpus entry) into every
 * package of `packages`. Returns the number of packages written.
 */
export function bulkClone({ database, storage, template, packages }) {
  const db = new DatabaseSync(database);
  db.exec('PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;');
  const get = (sql, params = {}) => { const s = db.prepare(sql); s.setReadBigInts(true); return s.get(params); };
  const all = (sql, params = {}) => { const s = db.prepare(sql); s.setReadBigInts(true); return s.all(params); };
  const columns = (table) => db.prepare(`PRAGMA table_info("${table}")`).all().map((c) => c.name);
  const existing = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name));
  for (const [table] of PACKAGE_TABLES) {
    if (!existing.has(table)) throw new Error(`the registry database has no table ${table}: the bulk seeding mode needs updating (or use SEARCH_SEED=http)`);
  }

  const pkgRow = get('SELECT * FROM Packages WHERE Name = $name', { $name: template.name });
  if (!pkgRow) throw new Error(`template package ${template.name} is not in ${database}`);
  const versionRow = get('SELECT * FROM PackageVersions WHERE PackageId = $pkg', { $pkg: pkgRow.Id });
  const templateSha = versionRow.Sha256;
  const templateSize = versionRow.Size;
  const pathOf = blobLayout(storage, templateSha);
  const keywordFormats = [',', ' ', '\n', ', '].map((s) => [template.keywords.join(s), (k) => k.join(s)]);
  keywordFormats.push([JSON.stringify(template.keywords), (k) => JSON.stringify(k)]);

  const rows = Object.fromEntries(PACKAGE_TABLES.map(([table, where]) => [table, all(`SELECT * FROM "${table}" WHERE ${where}`, { $pkg: pkgRow.Id })]));
  const statements = Object.fromEntries(PACKAGE_TABLES.map(([table]) => {
    // an INTEGER PRIMARY KEY "Id" is left to SQLite (a new rowid); composite keys are copied
    const cols = columns(table).filter((c) => c !== 'Id');
    return [table, { cols, insert: db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(', ')})`) }];
  }));
  let audit;
  if (existing.has('AuditLog') && columns('AuditLog').includes('PackageName')) {
    const auditRows = all('SELECT * FROM AuditLog WHERE PackageName = $name', { $name: template.name });
    const cols = columns('AuditLog').filter((c) => c !== 'Id');
    audit = { rows: auditRows, cols, insert: db.prepare(`INSERT INTO AuditLog (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(', ')})`) };
  }

  const rewrite = (column, value, q, ids) => {
    if (typeof value !== 'string') return /size/i.test(column) && value === templateSize ? BigInt(ids.size) : value;
    if (value === template.description) return q.description;
    for (const [text, format] of keywordFormats) if (value === text) return format(q.keywords);
    return value.replaceAll(template.name, q.name).replaceAll(templateSha, ids.sha);
  };

  let written = 0;
  db.exec('BEGIN');
  try {
    for (const q of packages) {
      const tgz = synapseTarball(q, q.versions[0]);
      const ids = { sha: sha256Hex(tgz), size: tgz.length };
      const path = pathOf(ids.sha);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, tgz);
      const remap = (table, row, key) => {
        const { cols, insert } = statements[table];
        const values = cols.map((c) => {
          if (c === 'PackageId') return ids.pkg;
          if (c === 'PackageVersionId') return ids.version;
          return rewrite(c, row[c], q, ids);
        });
        const result = insert.run(...values);
        if (key) ids[key] = result.lastInsertRowid;
      };
      remap('Packages', rows.Packages[0], 'pkg');
      for (const row of rows.PackageOwners) remap('PackageOwners', row);
      for (const row of rows.PackageVersions) remap('PackageVersions', row, 'version');
      for (const row of rows.SearchIndex) remap('SearchIndex', row);
      if (audit) for (const row of audit.rows) audit.insert.run(...audit.cols.map((c) => rewrite(c, row[c], q, ids)));
      written++;
    }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  } finally {
    db.close();
  }
  return written;
}
