import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersAs } from '../redis-cluster/local-cluster.js';
import { LocalRedis } from './local-redis.js';

// Two test files can choose the same spare port at once; a server's start must then not be taken for
// the other file's server answering on that port (CI once built a cluster that never became healthy).
describe('a local server is recognised by its process, not by a PING on its port', () => {
  let redis: LocalRedis;
  beforeAll(async () => {
    redis = await LocalRedis.start();
  }, 20_000);
  afterAll(() => redis.stop());

  it('answers as its own pid and not as any other', async () => {
    const pid = redis.pid!;
    expect(await answersAs(redis.port, pid)).toBe(true);
    expect(await answersAs(redis.port, pid + 1)).toBe(false);
    expect(await answersAs(redis.port, process.pid)).toBe(false);
  });

  it('a port nobody listens on answers as no one', async () => {
    const pid = redis.pid!;
    await redis.kill();
    expect(await answersAs(redis.port, pid)).toBe(false);
    await redis.restart();
    expect(await answersAs(redis.port, redis.pid!)).toBe(true);
  });
});
