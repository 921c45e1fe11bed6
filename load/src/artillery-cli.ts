/**
 * Runs artillery with what Locus's scenarios need: telemetry off (also the one event artillery 2.0.21
 * posts anyway: see artillery/no-telemetry.cjs) and no browser download. Arguments go to `artillery`:
 *   npm run load:artillery -- run -e release --target https://locus.example.com load/src/artillery/presence.yml
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTILLERY_BIN = join(createRequire(import.meta.url).resolve('artillery/package.json'), '..', 'bin', 'run');
export const SCENARIO_DIR = fileURLToPath(new URL('./artillery/', import.meta.url));
const NO_TELEMETRY = join(SCENARIO_DIR, 'no-telemetry.cjs');

export function spawnArtillery(args: string[], env: Record<string, string> = {}, stdio: 'inherit' | 'pipe' = 'pipe') {
  return spawn(process.execPath, ['--require', NO_TELEMETRY, ARTILLERY_BIN, ...args], {
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ...env },
    stdio: ['ignore', stdio, stdio],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  spawnArtillery(process.argv.slice(2), {}, 'inherit').on('exit', (code) => process.exit(code ?? 1));
}
