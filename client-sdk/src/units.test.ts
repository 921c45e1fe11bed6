import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { LocusClientError } from './errors.js';
import { LocationBuffer } from './location-buffer.js';
import { RateGate } from './rate-gate.js';
import { httpBaseOf, socketUrlWithToken } from './urls.js';

describe('backoffDelay (exponential, full jitter)', () => {
  it('is uniform below a cap that doubles up to the maximum', () => {
    const o = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, o, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(5, o, () => 0)).toBe(0);
    fc.assert(
      fc.property(fc.nat(60), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, o, () => r);
        return d >= 0 && d < Math.min(1000, 100 * 2 ** attempt);
      }),
    );
  });
});

describe('urls', () => {
  it('derives the HTTP base from the socket URL', () => {
    expect(httpBaseOf('ws://127.0.0.1:8080/v1/ws')).toBe('http://127.0.0.1:8080');
    expect(httpBaseOf('wss://locus.example.com/v1/ws?x=1')).toBe('https://locus.example.com');
    expect(httpBaseOf('wss://example.com/locus/v1/ws')).toBe('https://example.com/locus');
  });
  it('puts the token in the query', () => {
    expect(socketUrlWithToken('ws://h:1/v1/ws?format=json', 'a.b.c')).toBe('ws://h:1/v1/ws?format=json&token=a.b.c');
  });
});

describe('LocusClientError', () => {
  it('carries server codes with their status, SDK codes with 0, unknown codes as INTERNAL', () => {
    expect(new LocusClientError('RATE_LIMITED')).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(new LocusClientError('TIMEOUT')).toMatchObject({ code: 'TIMEOUT', status: 0 });
    expect(LocusClientError.fromServer({ code: 'SHINY_NEW', message: 'm' })).toMatchObject({ code: 'INTERNAL', details: { serverCode: 'SHINY_NEW' } });
  });
});

describe('RateGate', () => {
  it('stays below the server bucket: 80 % of the burst, then 90 % of the rate', () => {
    let now = 0;
    const g = new RateGate(20, 40, () => now);
    let n = 0;
    while (g.take()) n++;
    expect(n).toBe(32);
    expect(g.waitMs()).toBe(56);
    now += 1000;
    n = 0;
    while (g.take()) n++;
    expect(n).toBe(18);
  });
});

describe('LocationBuffer', () => {
  it('numbers fixes by the clock, strictly increasing', () => {
    let now = 1_000;
    const b = new LocationBuffer(10, 60_000, () => now);
    const s1 = b.add({ lat: 1, lng: 1 }).fix.seq;
    const s2 = b.add({ lat: 1, lng: 1 }).fix.seq;
    now = 2_000;
    const s3 = b.add({ lat: 1, lng: 1 }).fix.seq;
    expect([s1, s2, s3]).toEqual([1_000_000, 1_000_001, 2_000_000]);
  });

  it('drops the oldest beyond its size and fixes beyond its age', () => {
    let now = 10_000;
    const b = new LocationBuffer(3, 5_000, () => now);
    const ts = [3_000, 4_000, 6_000, 7_000];
    const dropped = [1, 2, 3, 4].flatMap((i) => b.add({ lat: i, lng: 0, ts: ts[i - 1]! }).dropped);
    expect(dropped.map((f) => f.lat)).toEqual([1]);
    now += 1;
    expect(b.expire().map((f) => f.lat)).toEqual([2]);
    expect(b.size).toBe(2);
  });

  /**
   * The protocol in miniature: a server that applies a seq only above the highest it accepted, and
   * a connection that can drop any time, losing frames and acknowledgements in flight. Whatever
   * happens, every fix is applied exactly once and in order, as long as nothing is refused.
   */
  it('with the server rule "apply only above the highest seq", loses and repeats nothing across drops', () => {
    type Step = { kind: 'add' } | { kind: 'send' } | { kind: 'deliver'; ack: boolean } | { kind: 'drop' };
    const step = fc.oneof(
      fc.constant<Step>({ kind: 'add' }),
      fc.constant<Step>({ kind: 'send' }),
      fc.boolean().map<Step>((ack) => ({ kind: 'deliver', ack })),
      fc.constant<Step>({ kind: 'drop' }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        let now = 1;
        const b = new LocationBuffer(10_000, 1e12, () => now);
        const applied: number[] = [];
        let highest = -1;
        let link = 1;
        let wire: number[] = []; // seqs in flight to the server, in order
        const added: number[] = [];
        const run = (s: Step): void => {
          now++;
          if (s.kind === 'add') added.push(b.add({ lat: 0, lng: 0 }).fix.seq);
          else if (s.kind === 'send') {
            for (let f = b.nextUnsent(); f; f = b.nextUnsent()) {
              b.markSent(f, link);
              wire.push(f.seq);
            }
          } else if (s.kind === 'deliver') {
            const seq = wire.shift();
            if (seq === undefined) return;
            if (seq > highest) {
              highest = seq;
              applied.push(seq);
            }
            if (s.ack) b.remove(seq);
          } else {
            wire = [];
            b.unsend(link);
            link++;
          }
        };
        steps.forEach(run);
        // Finally a good connection: everything goes through.
        run({ kind: 'drop' });
        run({ kind: 'send' });
        while (wire.length > 0) run({ kind: 'deliver', ack: true });
        expect(applied).toEqual(added);
        expect(b.size).toBe(0);
      }),
    );
  });
});
