import { describe, expect, it } from 'vitest';
import { contentTypeOf, demoAssets } from './assets.js';

describe('demo assets', () => {
  const assets = demoAssets();

  it('serves the page at / and under /demo/, and MapLibre from node_modules', () => {
    const paths = assets.map((a) => a.path);
    expect(paths).toContain('/');
    expect(paths).toContain('/demo/index.html');
    expect(paths).toContain('/demo/app.js');
    expect(paths).toContain('/demo/vendor/maplibre-gl.mjs');
    expect(paths).toContain('/demo/vendor/maplibre-gl-worker.mjs');
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('every file exists, has a content type and a stable strong ETag', () => {
    for (const a of assets) {
      const { bytes, etag } = a.load();
      expect(bytes.byteLength, a.path).toBeGreaterThan(0);
      expect(etag).toMatch(/^"[\w-]{22}"$/);
      expect(a.load().etag).toBe(etag);
      expect(a.contentType).not.toBe('application/octet-stream');
    }
    const root = assets.find((a) => a.path === '/')!;
    expect(root.contentType).toBe('text/html; charset=utf-8');
    expect(root.load().etag).toBe(assets.find((a) => a.path === '/demo/index.html')!.load().etag);
  });

  it('knows the content types a browser insists on for modules and styles', () => {
    expect(contentTypeOf('x.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('x.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
