import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS, missingNodeFlags } from './node-flags.js';
import { startGatewayProcess } from './testing/gateway-process.js';

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
  /** A gateway's log lines up to listening, started with these Node options (none from NODE_OPTIONS). */
  async function startupLogs(nodeFlags: readonly string[]): Promise<Record<string, unknown>[]> {
    const g = await startGatewayProcess({ NODE_OPTIONS: '', LOCUS_ENGINE: 'memory', LOCUS_DEMO: 'off', LOCUS_DEMO_SIM: 'off', LOCUS_DRAIN_MS: '0' }, [], undefined, nodeFlags);
    await g.stop();
    return g.logs;
  }
  const warning = (l: Record<string, unknown>): boolean => String(l.msg).startsWith('started without the Node options');

  it('names the missing option when the gateway is started without it', async () => {
    const logs = await startupLogs([]);
    expect(logs.find(warning)?.missing).toEqual([...GATEWAY_NODE_FLAGS]);
  }, 30_000);

  it('is not given when the options are there', async () => {
    const logs = await startupLogs(GATEWAY_NODE_FLAGS);
    expect(logs.some((l) => l.msg === 'locus gateway listening')).toBe(true);
    expect(logs.some(warning)).toBe(false);
  }, 30_000);
});
