import type { OsmTags } from './osm-item.js';

/** Which directions of a way a car may drive; 'reversible' = changes with the time of day. */
export type Oneway = 'both' | 'forward' | 'backward' | 'reversible';

/**
 * oneway=* with the implied defaults: motorways, their links and roundabouts / circular junctions
 * are one-way in drawing direction unless tagged otherwise (oneway=no on a roundabout is respected).
 * Unknown values fall back to that default. Time-dependent oneways (reversible, alternating) cannot be
 * expressed by a static graph: the caller drops the way rather than route against the traffic.
 */
export function onewayOf(tags: OsmTags): Oneway {
  switch (tags.oneway) {
    case 'yes':
    case 'true':
    case '1':
      return 'forward';
    case '-1':
    case 'reverse':
      return 'backward';
    case 'no':
    case 'false':
    case '0':
      return 'both';
    case 'reversible':
    case 'alternating':
      return 'reversible';
    default:
      return impliedOneway(tags) ? 'forward' : 'both';
  }
}

export function isRoundabout(tags: OsmTags): boolean {
  return tags.junction === 'roundabout' || tags.junction === 'circular';
}

function impliedOneway(tags: OsmTags): boolean {
  return tags.highway === 'motorway' || tags.highway === 'motorway_link' || isRoundabout(tags);
}
