// Names carry "geocode" because @locus/geo re-exports this module next to other services.
export { GeocodeIndex, type GeocodeStats } from './geocode-index.js';
export { normalize as normalizeGeocodeText } from './normalize.js';
export { MAX_QUERY_CHARS as GEOCODE_MAX_QUERY_CHARS } from './query.js';
export { ADDRESS_RADIUS_M as GEOCODE_ADDRESS_RADIUS_M, STREET_RADIUS_M as GEOCODE_STREET_RADIUS_M } from './reverse-search.js';
export { GEOCODE_FORMAT, GEOCODE_FORMAT_VERSION } from './serialize.js';
export type { GeocodeAddress, GeocodeForwardOptions, GeocodeKind, GeocodeResult, ReverseGeocodeResult } from './types.js';
export { DEFAULT_LIMIT as GEOCODE_DEFAULT_LIMIT, MAX_LIMIT as GEOCODE_MAX_LIMIT } from './validate.js';
