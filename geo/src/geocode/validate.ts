import { LocusError } from '@locus/protocol';

/** Input checks shared by forward and reverse: every failure is a 400 naming the field. */
export function checkLatLng(lat: number, lng: number, field = ''): void {
  const f = (name: string): string => (field ? `${field}.${name}` : name);
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new LocusError('BAD_REQUEST', `${f('lat')}: a number from -90 to 90`, { field: f('lat') });
  }
  if (typeof lng !== 'number' || !Number.isFinite(lng) || lng < -180 || lng > 180) {
    throw new LocusError('BAD_REQUEST', `${f('lng')}: a number from -180 to 180`, { field: f('lng') });
  }
}

export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 10;

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new LocusError('BAD_REQUEST', `limit: an integer from 1 to ${MAX_LIMIT}`, { field: 'limit' });
  }
}
