import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { smokeProblems } from './smoke-verdict.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('smoke verdict', () => {
  const good = { 'vusers.created': 2, 'vusers.completed': 2, 'vusers.failed': 0, 'http.codes.200': 4, 'locus.search_ok': 4 };

  it('passes a run where every user completed with only 200s', () => {
    expect(smokeProblems('nearby', good)).toEqual([]);
  });

  it('fails on errors, failed users, other status codes, or a scenario that did nothing', () => {
    expect(smokeProblems('nearby', { ...good, 'errors.ETIMEDOUT': 1 })).toContain('ETIMEDOUT ×1');
    expect(smokeProblems('nearby', { ...good, 'http.codes.422': 1 })).toContain('codes.422 ×1');
    expect(smokeProblems('nearby', { ...good, 'vusers.failed': 1, 'vusers.completed': 1 })).toHaveLength(2);
    expect(smokeProblems('nearby', {})).toContain('no virtual users ran');
    expect(smokeProblems('routing', good)).toContain('no locus.route_ok');
  });

  it('fails a presence run where an acknowledged update never reached the friend', () => {
    const presence = { 'vusers.created': 1, 'vusers.completed': 1, 'locus.sessions': 1, 'locus.friendships': 1, 'locus.loc_acked': 5, 'locus.friend_loc': 4 };
    expect(smokeProblems('presence', presence)).toEqual(['an acknowledged update did not reach the friend']);
    expect(smokeProblems('presence', { ...presence, 'locus.friend_gone': 1 })).toEqual([]);
  });
});

// The real thing, bounded: a gateway process and the three artillery scenarios for ~3 s each.
describe('npm run load:smoke', () => {
  it('runs every scenario against a local gateway without an error or unexpected response', async () => {
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', 'load/src/smoke.ts'], { cwd: ROOT, timeout: 110_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stdout}\n${stderr.slice(-3000)}`)) : resolve({ stdout }),
      );
    });
    for (const s of ['presence', 'nearby', 'routing']) expect(stdout).toMatch(new RegExp(`load:smoke ${s}: ok`));
  }, 120_000);
});
