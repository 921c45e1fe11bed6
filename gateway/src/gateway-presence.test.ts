import { afterAll, beforeAll, describe } from 'vitest';
import { presenceScenarios, ttlScenario, type Side } from './testing/presence-scenarios.js';
import { startTestGateway } from './testing/test-gateway.js';

describe('nearby friends on one gateway (memory engine)', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.stop());
  const side = (): Side => ({ url: t.url, token: t.token });
  presenceScenarios(() => [side(), side()]);
});

describe('location TTL (memory engine)', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_LOCATION_TTL_SEC: '1' });
  });
  afterAll(() => t.stop());
  const side = (): Side => ({ url: t.url, token: t.token });
  ttlScenario(() => [side(), side()]);
});
