/**
 * npm run load:smoke [-- --target http://HOST:PORT] [--scenarios presence,nearby,routing]
 *
 * Runs each artillery scenario for a few seconds (environment `smoke`) and fails (exit 1) on any
 * error, any failed virtual user, any unexpected response, or a scenario that did nothing. Without
 * --target it starts a local gateway process (memory engine, Monaco data) on a free loopback port
 * and stops it afterwards.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET } from '@locus/gateway';
import { startGatewayProcess } from '@locus/gateway/testing/gateway-process';
import { SCENARIO_DIR, spawnArtillery } from './artillery-cli.js';
import { smokeProblems, type Counters } from './smoke-verdict.js';

const SCENARIOS = ['presence', 'nearby', 'routing'] as const;

const { values: args } = parseArgs({
  options: {
    target: { type: 'string' },
    scenarios: { type: 'string', default: SCENARIOS.join(',') },
  },
});

function runArtillery(scenario: string, target: string, out: string): Promise<number | null> {
  const child = spawnArtillery(['run', '-e', 'smoke', '--target', target, '-o', out, join(SCENARIO_DIR, `${scenario}.yml`)], {
    LOCUS_JWT_SECRET: process.env.LOCUS_JWT_SECRET ?? DEV_JWT_SECRET,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0) console.error(output.slice(-4000));
      resolve(code);
    }),
  );
}

const gateway = args.target ? undefined : await startGatewayProcess({ LOCUS_ENGINE: 'memory', LOCUS_LOG_LEVEL: 'info' });
const target = args.target ?? gateway!.http;
const tmp = mkdtempSync(join(tmpdir(), 'locus-smoke-'));
let failed = 0;
try {
  // In parallel: each artillery process spends most of its ~8 s loading itself.
  const results = await Promise.all(
    args.scenarios!.split(',').map(async (scenario) => {
      const out = join(tmp, `${scenario}.json`);
      const t0 = performance.now();
      const code = await runArtillery(scenario, target, out);
      let counters: Counters = {};
      try {
        counters = (JSON.parse(readFileSync(out, 'utf8')) as { aggregate: { counters: Counters } }).aggregate.counters;
      } catch {
        // no report: the exit code says why
      }
      const problems = smokeProblems(scenario, counters);
      if (code !== 0) problems.unshift(`artillery exited with ${code}`);
      return { scenario, problems, counters, seconds: ((performance.now() - t0) / 1000).toFixed(1) };
    }),
  );
  for (const { scenario, problems, counters, seconds } of results) {
    const summary = Object.entries(counters)
      .filter(([k]) => k.startsWith('locus.') || k === 'vusers.completed' || k.startsWith('http.codes.'))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    if (problems.length) {
      failed++;
      console.log(`load:smoke ${scenario}: FAILED in ${seconds} s — ${problems.join('; ')}`);
    } else {
      console.log(`load:smoke ${scenario}: ok in ${seconds} s — ${summary}`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
  await gateway?.stop();
}
process.exit(failed ? 1 : 0);
