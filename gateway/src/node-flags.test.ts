import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS, missingNodeFlags } from './node-flags.js';

describe('missingNodeFlags', () => {
  it('names every flag when nothing sets them', () => {
    expect(missingNodeFlags([], undefined)).toEqual([...GATEWAY_NODE_FLAGS]);
    expect(missingNodeFlags(['--import', 'tsx'], '')).toEqual([...GATEWAY_NODE_FLAGS]);
  });

  it('finds them on the command line or in NODE_OPTIONS', () => {
    expect(missingNodeFlags([...GATEWAY_NODE_FLAGS, '--import', 'tsx'], undefined)).toEqual([]);
    expect(missingNodeFlags(['--import', 'tsx'], `  --enable-source-maps ${GATEWAY_NODE_FLAGS.join(' ')} `)).toEqual([]);
  });

  it("takes an operator's own value, in either spelling, as set", () => {
    expect(missingNodeFlags(['--max-semi-space-size=128'], undefined)).toEqual([]);
    expect(missingNodeFlags([], '--max_semi_space_size=32')).toEqual([]);
  });

  it('does not take a value or another option for the flag', () => {
    expect(missingNodeFlags(['max-semi-space-size=64', '--max-old-space-size=4096'], '--max-semi-space')).toEqual([...GATEWAY_NODE_FLAGS]);
  });
});

describe('the gateway process', () => {
  it('is started by npm start with GATEWAY_NODE_FLAGS', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    const node = pkg.scripts.start.split(/\s+/);
    const at = node.indexOf('node');
    expect(missingNodeFlags(node.slice(at + 1, node.indexOf('gateway/src/main.ts')), undefined)).toEqual([]);
  });
});

describe('the start-up warning', () => {
  /** A gateway's JSON log lines until it listens (then SIGTERM), started with these Node options. */
  async function startupLogs(nodeArgs: string[]): Promise<{ msg?: string; missing?: string[] }[]> {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const env: NodeJS.ProcessEnv = { ...process.env, LOCUS_HOST: '127.0.0.1', LOCUS_PORT: '0', LOCUS_ENGINE: 'memory', LOCUS_DEMO: 'off', LOCUS_DEMO_SIM: 'off', LOCUS_DRAIN_MS: '0' };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const logs: { msg?: string; missing?: string[] }[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (!line.startsWith('{')) return;
          const entry = JSON.parse(line) as { msg?: string };
          logs.push(entry);
          if (entry.msg === 'locus gateway listening') resolve();
        });
      });
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
    return logs;
  }
  const warning = (l: { msg?: string }): boolean => l.msg?.startsWith('started without the Node options') === true;

  it('names the missing option when the gateway is started without it', async () => {
    const logs = await startupLogs([]);
    expect(logs.find(warning)?.missing).toEqual([...GATEWAY_NODE_FLAGS]);
  }, 30_000);

  it('is not given when the options are there', async () => {
    const logs = await startupLogs([...GATEWAY_NODE_FLAGS]);
    expect(logs.some((l) => l.msg === 'locus gateway listening')).toBe(true);
    expect(logs.some(warning)).toBe(false);
  }, 30_000);
});
