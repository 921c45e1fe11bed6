import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LocusError, USER_ID_PATTERN } from '@locus/protocol';
import type { JwtConfig } from './config.js';

export interface Identity {
  user: string;
  /** Token expiry, ms since the epoch. */
  exp: number;
  /** From the `roles` claim (array of strings); `operator` may write businesses and operator fences. */
  roles: readonly string[];
}

/**
 * Verifies bearer tokens. The algorithm is chosen by which key is configured, never by the token:
 * an HS256 token is checked only against the secret and an RS256 token only against the public key,
 * so neither `alg: none` nor the RS256→HS256 key-confusion trick can pass.
 */
export class TokenVerifier {
  // Parsed once: jsonwebtoken would otherwise build a KeyObject from the string on every verify,
  // which dominated the cost of an upgrade.
  private readonly secret: KeyObject | undefined;
  private readonly publicKey: KeyObject | undefined;

  constructor(private readonly cfg: JwtConfig) {
    this.secret = cfg.secret !== undefined ? createSecretKey(Buffer.from(cfg.secret, 'utf8')) : undefined;
    this.publicKey = cfg.publicKey !== undefined ? createPublicKey(cfg.publicKey) : undefined;
  }

  verify(token: string | undefined, now = Date.now()): Identity {
    if (!token) throw new LocusError('UNAUTHORIZED', 'missing token');
    const header = readHeader(token);
    let key: KeyObject | undefined;
    if (header === 'HS256') key = this.secret;
    else if (header === 'RS256') key = this.publicKey;
    if (key === undefined) throw new LocusError('UNAUTHORIZED', `token algorithm ${header ?? 'unknown'} not accepted`);
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [header as jwt.Algorithm],
        clockTimestamp: Math.floor(now / 1000),
        ...(this.cfg.issuer !== undefined ? { issuer: this.cfg.issuer } : {}),
        ...(this.cfg.audience !== undefined ? { audience: this.cfg.audience } : {}),
      });
    } catch (err) {
      const reason = err instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token';
      throw new LocusError('UNAUTHORIZED', reason);
    }
    if (typeof payload === 'string' || typeof payload.sub !== 'string' || !USER_ID_PATTERN.test(payload.sub)) {
      throw new LocusError('UNAUTHORIZED', 'token subject (sub) is missing or not a valid user id');
    }
    // Tokens without exp would never need refreshing; Locus requires them to expire.
    if (typeof payload.exp !== 'number') throw new LocusError('UNAUTHORIZED', 'token has no expiry (exp)');
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
    return { user: payload.sub, exp: payload.exp * 1000, roles };
  }
}

function readHeader(token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const h = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof h.alg === 'string' ? h.alg : undefined;
  } catch {
    return undefined;
  }
}

/** Mint a token (development helper, tests and load tools). */
export function mintToken(
  user: string,
  opts: { secret?: string; privateKey?: string; expiresInSec?: number; issuer?: string; audience?: string; roles?: string[] },
): string {
  const signOpts: jwt.SignOptions = { subject: user, expiresIn: opts.expiresInSec ?? 3600 };
  const claims = opts.roles && opts.roles.length > 0 ? { roles: opts.roles } : {};
  if (opts.issuer) signOpts.issuer = opts.issuer;
  if (opts.audience) signOpts.audience = opts.audience;
  if (opts.privateKey) return jwt.sign(claims, opts.privateKey, { ...signOpts, algorithm: 'RS256' });
  if (!opts.secret) throw new Error('mintToken needs a secret or a private key');
  return jwt.sign(claims, opts.secret, { ...signOpts, algorithm: 'HS256' });
}
