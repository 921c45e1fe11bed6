/**
 * The stranger channel of one geohash cell: opted-in users publish on the cell they are in and subscribe
 * to the cells around them. The hash tag is the cell (`{g:…}`), as every Locus name carries one.
 *
 * Belongs in engine/src/keys.ts as `channels.strangers(geohash)`; kept here until it moves there.
 */
export const strangerChannel = (geohash: string): string => `ch:geo:{g:${geohash}}`;
