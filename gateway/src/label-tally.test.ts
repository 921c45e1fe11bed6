import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelTally } from './label-tally.js';

describe('LabelTally', () => {
  it('moves what was counted since the last scrape into the counter, by label', async () => {
    const registry = new Registry();
    const tally = new LabelTally();
    const counter = new Counter({ name: 't_total', help: 'h', labelNames: ['type'], registers: [registry], collect() { tally.moveInto(this); } });
    for (let i = 0; i < 3; i++) tally.add('loc');
    tally.add('ping');
    const read = async () => Object.fromEntries((await counter.get()).values.map((v) => [v.labels.type, v.value]));
    expect(await read()).toEqual({ loc: 3, ping: 1 });
    // Nothing new: the same totals; then only the new counts are added.
    expect(await read()).toEqual({ loc: 3, ping: 1 });
    tally.add('loc');
    tally.add('nav_start');
    expect(await read()).toEqual({ loc: 4, ping: 1, nav_start: 1 });
    expect(await registry.metrics()).toContain('t_total{type="loc"} 4');
  });
});
