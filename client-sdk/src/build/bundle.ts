/* Builds dist/locus-sdk.js: one self-contained ESM file for browsers (the demo page loads it). */
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const bundleOptions: BuildOptions = {
  absWorkingDir: root,
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  // platform browser: a Node-only module anywhere in the graph fails the build.
  platform: 'browser',
  target: 'es2020',
  outfile: 'dist/locus-sdk.js',
  sourcemap: true,
  minify: true,
  metafile: true,
  legalComments: 'eof',
  logLevel: 'warning',
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await build(bundleOptions);
  const out = result.metafile?.outputs['dist/locus-sdk.js'];
  console.log(`dist/locus-sdk.js: ${out?.bytes ?? '?'} bytes`);
}
