import { describe, expect, it } from 'vitest';
import type { OsmRelation } from './osm-item.js';
import { restriction } from './osm-fixture.js';
import { readTurnRestriction } from './turn-restriction.js';

describe('readTurnRestriction', () => {
  it('reads no_* and only_* via-node restrictions in any member order', () => {
    expect(readTurnRestriction(restriction(1, 'no_left_turn', 10, 5, 12))).toEqual({ id: 1, only: false, fromWays: [10], viaNode: 5, toWays: [12] });
    const r = restriction(2, 'only_straight_on', 10, 5, 11);
    const shuffled: OsmRelation = { ...r, members: [...r.members].reverse() };
    expect(readTurnRestriction(shuffled)).toEqual({ id: 2, only: true, fromWays: [10], viaNode: 5, toWays: [11] });
  });

  it('prefers restriction:motorcar and honours except=motorcar', () => {
    const both = restriction(3, 'no_right_turn', 10, 5, 13, { 'restriction:motorcar': 'only_left_turn' });
    expect(readTurnRestriction(both)).toMatchObject({ only: true });
    expect(readTurnRestriction(restriction(4, 'no_left_turn', 10, 5, 12, { except: 'psv;motorcar' }))).toBe('notForCars');
    const hgv: OsmRelation = { ...restriction(5, 'x', 10, 5, 12), tags: { type: 'restriction', 'restriction:hgv': 'no_left_turn' } };
    expect(readTurnRestriction(hgv)).toBe('notForCars');
  });

  it('skips what a node-level turn ban cannot express, or is broken', () => {
    const viaWay: OsmRelation = {
      type: 'relation',
      id: 6,
      tags: { type: 'restriction', restriction: 'no_u_turn' },
      members: [
        { type: 'way', ref: 10, role: 'from' },
        { type: 'way', ref: 11, role: 'via' },
        { type: 'way', ref: 12, role: 'to' },
      ],
    };
    expect(readTurnRestriction(viaWay)).toBe('viaWay');
    expect(readTurnRestriction(restriction(7, 'give_way', 10, 5, 12))).toBe('unsupported');
    const noTo: OsmRelation = { ...restriction(8, 'no_left_turn', 10, 5, 12), members: restriction(8, 'no_left_turn', 10, 5, 12).members.slice(0, 2) };
    expect(readTurnRestriction(noTo)).toBe('malformed');
  });

  it('ignores relations that are not restrictions', () => {
    expect(readTurnRestriction({ type: 'relation', id: 9, members: [], tags: { type: 'route', route: 'bus' } })).toBeNull();
    expect(readTurnRestriction({ type: 'relation', id: 10, members: [] })).toBeNull();
  });
});
