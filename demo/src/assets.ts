import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One static file of the demo page, as the gateway serves it. */
export interface DemoAsset {
  /** URL path the page asks for. */
  readonly path: string;
  readonly contentType: string;
  /** Our own sources change with every edit: revalidate each time (the ETag makes that a 304). */
  readonly cacheControl: string;
  /** Bytes and quoted strong ETag, read on first use and kept (the files do not change while serving). */
  load(): { bytes: Uint8Array; etag: string };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));
/** The page's own files, under /demo/ (index.html is also the answer at /). */
const OWN_FILES = ['index.html', 'app.js', 'socket.js', 'map-style.js', 'polyline.js', 'geo.js', 'panels.js', 'friends.js', 'search.js', 'navigation.js', 'style.css', 'favicon.svg'];
/**
 * MapLibre GL JS, served from node_modules so the page needs no CDN. Its main module finds its worker
 * beside itself (`./maplibre-gl-worker.mjs?v=<version>`), so both live in one folder.
 */
const MAPLIBRE_FILES = ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css'];

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
}

function asset(path: string, file: string, cacheControl: string): DemoAsset {
  let cached: { bytes: Uint8Array; etag: string } | undefined;
  return {
    path,
    contentType: contentTypeOf(file),
    cacheControl,
    load() {
      if (!cached) {
        const bytes = readFileSync(file);
        cached = { bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"` };
      }
      return cached;
    },
  };
}

function maplibreDir(): string {
  // The package exports ./package.json: its folder is where dist/ lives, wherever npm hoisted it.
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('maplibre-gl/package.json')), 'dist');
}

/**
 * Every file of the demo, by URL path. The page is static: everything live comes from the gateway's
 * public API and the socket, so these files hold nothing secret and the same for every visitor.
 */
export function demoAssets(): DemoAsset[] {
  const own = OWN_FILES.map((f) => asset(`/demo/${f}`, join(PUBLIC_DIR, f), 'no-cache'));
  const index = own[0]!;
  const vendorDir = maplibreDir();
  // A release changes the files but not their names: an hour fresh, then revalidated by ETag.
  const vendor = MAPLIBRE_FILES.map((f) => asset(`/demo/vendor/${f}`, join(vendorDir, f), 'public, max-age=3600'));
  return [{ ...index, path: '/' }, ...own, ...vendor];
}
