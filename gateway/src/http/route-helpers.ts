import { LocusError } from '@locus/protocol';
import type { z } from 'zod';
import type { HttpCall } from './http-types.js';

/** The caller's user id (routes with auth always have an identity). */
export function me(call: HttpCall): string {
  if (!call.identity) throw new LocusError('UNAUTHORIZED');
  return call.identity.user;
}

export function requireRole(call: HttpCall, role: string): void {
  me(call);
  if (!call.identity!.roles.includes(role)) throw new LocusError('FORBIDDEN', `needs the ${role} role`);
}

/** Validate a JSON body; the first issue names its field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const i = r.error.issues[0];
    const field = i && i.path.length > 0 ? i.path.join('.') : 'body';
    throw new LocusError('BAD_REQUEST', `${field}: ${i?.message ?? 'invalid'}`, { field });
  }
  return r.data;
}

/** A numeric query parameter: `fallback` when absent; BAD_REQUEST when not a finite number in range. */
export function numberParam(call: HttpCall, name: string, fallback: number | undefined, min: number, max: number): number {
  const raw = call.query.get(name);
  if (raw === null || raw.trim() === '') {
    if (fallback === undefined) throw new LocusError('BAD_REQUEST', `${name} is required`, { field: name });
    return fallback;
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new LocusError('BAD_REQUEST', `${name}: a number in [${min}, ${max}]`, { field: name });
  }
  return v;
}

/** `If-Match: "12"` → 12; absent → undefined; anything else → BAD_REQUEST. */
export function ifMatchVersion(call: HttpCall): number | undefined {
  const h = call.headers.ifMatch.trim();
  if (h === '') return undefined;
  const m = /^(?:W\/)?"(\d{1,16})"$/.exec(h);
  if (!m) throw new LocusError('BAD_REQUEST', 'If-Match must be the ETag of the business, e.g. "3"', { field: 'If-Match' });
  return Number(m[1]);
}
