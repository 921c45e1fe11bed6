import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './auth.js';
import { startTestGateway } from './testing/test-gateway.js';
import { TestClient } from './testing/test-client.js';

const SECRET = 'a-test-secret-of-enough-length';
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

describe('gateway authentication at the upgrade', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_JWT_SECRET: SECRET, LOCUS_JWT_PUBLIC_KEY: publicKey });
  });
  afterAll(() => t.stop());

  const refused = async (opts: Parameters<typeof TestClient.connect>[1]) => {
    const err = (await TestClient.connect(t.url, opts).then(
      (c) => {
        c.close();
        throw new Error('connected');
      },
      (e: unknown) => e,
    )) as { status?: number; body?: string };
    return err;
  };

  it('accepts an HS256 token in the Authorization header and sends welcome then nearby', async () => {
    const c = await TestClient.connect(t.url, { token: mintToken('alice', { secret: SECRET }) });
    const w = await c.next('welcome');
    expect(w).toMatchObject({ v: 1, user: 'alice', radius: 8000 });
    await c.next('nearby');
    c.close();
  });

  it('accepts an RS256 token in ?token= (browsers)', async () => {
    const c = await TestClient.connect(t.url, { token: mintToken('bob', { privateKey }), query: true });
    expect(await c.next('welcome')).toMatchObject({ user: 'bob' });
    c.close();
  });

  it('refuses a missing token with 401', async () => {
    const e = await refused({});
    expect(e.status).toBe(401);
    expect(JSON.parse(e.body!)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses a forged token (wrong secret)', async () => {
    expect((await refused({ token: mintToken('alice', { secret: 'another-secret-entirely!!' }) })).status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const token = jwt.sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, { algorithm: 'HS256' });
    expect((await refused({ token })).status).toBe(401);
  });

  it('refuses alg: none', async () => {
    const token = jwt.sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 60 }, '', { algorithm: 'none' });
    expect((await refused({ token })).status).toBe(401);
  });

  it('refuses the RS256 → HS256 key-confusion trick', async () => {
    const token = jwt.sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 60 }, Buffer.from(publicKey), {
      algorithm: 'HS256',
      allowInsecureKeySizes: true,
    } as jwt.SignOptions);
    expect((await refused({ token })).status).toBe(401);
  });

  it('refuses a token whose sub is not a valid user id, or that never expires', async () => {
    expect((await refused({ token: mintToken('a{b}', { secret: SECRET }) })).status).toBe(401);
    expect((await refused({ token: jwt.sign({ sub: 'alice' }, SECRET, { algorithm: 'HS256' }) })).status).toBe(401);
  });

  it('refuses unsupported protocol versions with 400', async () => {
    const e = await refused({ token: mintToken('alice', { secret: SECRET }), protocols: ['locus.v99'] });
    expect(e.status).toBe(400);
    expect(JSON.parse(e.body!)).toMatchObject({ error: { code: 'UNSUPPORTED_VERSION' } });
  });

  it('negotiates JSON text frames by subprotocol', async () => {
    const c = await TestClient.connect(t.url, { token: mintToken('carol', { secret: SECRET }), protocols: ['locus.v1.json'], format: 'json' });
    expect(c.ws.protocol).toBe('locus.v1.json');
    expect(await c.next('welcome')).toMatchObject({ user: 'carol' });
    c.close();
  });
});

describe('token lifetime on an open socket', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_TOKEN_WARN_SEC: '1' });
  });
  afterAll(() => t.stop());

  it('warns before expiry, accepts a refresh, and closes an expired session with 4001', async () => {
    const c = await TestClient.connect(t.url, { token: t.token('dave', 2) });
    await c.next('welcome');
    await c.next('token_expiring', () => true, 4000);
    // A token for someone else is refused and changes nothing.
    expect(await c.request({ t: 'refresh', token: t.token('eve', 60) })).toMatchObject({ t: 'error', code: 'UNAUTHORIZED' });
    const ok = await c.request({ t: 'refresh', token: t.token('dave', 3) });
    expect(ok).toMatchObject({ t: 'ok', of: 'refresh' });
    const closed = await c.closed;
    expect(closed.code).toBe(4001);
    // It lived past the first token's expiry thanks to the refresh.
    expect(c.all('token_expiring').length).toBe(2);
  }, 15_000);
});
