import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleOptions } from './build/bundle.js';

const SRC = fileURLToPath(new URL('.', import.meta.url));
const SERVER_PACKAGES = ['gateway', 'presence', 'geo', 'routing', 'engine', 'load'];

/** The SDK's own sources: tests, test helpers and the build script may use server code and Node. */
function sdkSources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' || name === 'build' ? [] : sdkSources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

describe('client-sdk stays a client', () => {
  it('imports no server package and no Node built-in', () => {
    const files = sdkSources();
    expect(files.length).toBeGreaterThan(5);
    const bad: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const server = SERVER_PACKAGES.some((p) => spec === `@locus/${p}` || spec.startsWith(`@locus/${p}/`) || new RegExp(`(^|/)\\.\\./(\\.\\./)*${p}/`).test(spec));
        const node = spec.startsWith('node:') || ['fs', 'net', 'http', 'https', 'path', 'os', 'child_process', 'worker_threads', 'ws'].includes(spec);
        if (server || node) bad.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the import scan sees the forms of import it has to see', () => {
    expect(importsOf(`import { x } from '@locus/gateway';\nimport type { Y } from "../../presence/src/a.js";\nexport * from './b.js';\nconst m = import('node:fs');\nimport 'side';`)).toEqual([
      '@locus/gateway',
      '../../presence/src/a.js',
      './b.js',
      'node:fs',
      'side',
    ]);
  });

  it('bundles for browsers with no server code or Node module, and the bundle works as ESM', async () => {
    // platform "browser": importing a Node built-in anywhere in the graph fails this build.
    const result = await build({ ...bundleOptions, write: false, sourcemap: false, logLevel: 'silent' });
    // What ends up in the output (the metafile's inputs also list files read and then shaken off).
    const out = Object.values(result.metafile!.outputs).find((o) => o.entryPoint !== undefined)!;
    const inputs = Object.entries(out.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([p]) => p);
    expect(inputs.some((p) => p.includes('msgpackr'))).toBe(true);
    expect(inputs.filter((p) => SERVER_PACKAGES.some((s) => p.startsWith(`${s}/`) || p.includes(`@locus/${s}/`)))).toEqual([]);
    // The schemas (zod) are the server's business: the browser gets only the codec.
    expect(inputs.filter((p) => p.includes('node_modules/zod'))).toEqual([]);
    const js = result.outputFiles!.find((f) => f.path.endsWith('.js'))!;
    const dir = mkdtempSync(join(tmpdir(), 'locus-sdk-bundle-'));
    try {
      const file = join(dir, 'locus-sdk.mjs');
      writeFileSync(file, js.contents);
      const mod = (await import(pathToFileURL(file).href)) as typeof import('./index.js');
      expect(typeof mod.connect).toBe('function');
      expect(new mod.LocusClientError('NOT_FRIEND').status).toBe(403);
      expect(mod.httpBaseOf('wss://x.example/app/v1/ws')).toBe('https://x.example/app');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
