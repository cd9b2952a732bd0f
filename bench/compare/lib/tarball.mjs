// Minimal deterministic ustar writer + gzip: enough to build valid package archives
// (regular files only, fixed mtime/owner/mode) without spawning `tar` per package.
import { gzipSync } from 'node:zlib';
import { createHash as hash } from 'node:crypto';

const BLOCK = 512;
const FIXED_MTIME = 0o17500000000; // 2024-01-01, like a deterministic pack

function octal(value, width) {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name, size) {
  const buf = Buffer.alloc(BLOCK, 0);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  buf.write(name, 0, 100, 'utf8');
  buf.write(octal(0o644, 8), 100, 8, 'ascii');
  buf.write(octal(0, 8), 108, 8, 'ascii');
  buf.write(octal(0, 8), 116, 8, 'ascii');
  buf.write(octal(size, 12), 124, 12, 'ascii');
  buf.write(octal(FIXED_MTIME, 12), 136, 12, 'ascii');
  buf.write('        ', 148, 8, 'ascii');
  buf.write('0', 156, 1, 'ascii');
  buf.write('ustar\0', 257, 6, 'ascii');
  buf.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of buf) sum += byte;
  buf.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return buf;
}

/** files: [{ name, data: Buffer|string }] in the order given. Returns the .tgz bytes. */
export function makeTarball(files) {
  const parts = [];
  for (const { name, data } of files) {
    const body = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    parts.push(header(name, body.length), body);
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return gzipSync(Buffer.concat(parts), { level: 6 });
}

export function sha256Hex(bytes) {
  return hash('sha256').update(bytes).digest('hex');
}

export function sha1Hex(bytes) {
  return hash('sha1').update(bytes).digest('hex');
}

export function sha512Integrity(bytes) {
  return 'sha512-' + hash('sha512').update(bytes).digest('base64');
}
