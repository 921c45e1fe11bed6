import { USER_ID_PATTERN } from '@locus/protocol';
import { z } from 'zod';
import { OpeningHours } from './opening-hours.js';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const text = (max: number) => z.string().trim().min(1).max(max);

export const BUSINESS_ID_PATTERN = USER_ID_PATTERN;
export const CATEGORY_PATTERN = /^[a-z0-9_]{1,64}$/;

export const Address = z
  .object({
    street: text(200).optional(),
    housenumber: text(20).optional(),
    postcode: text(20).optional(),
    city: text(100).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'country: ISO 3166-1 alpha-2, e.g. MC').optional(),
  })
  .strict();

/** What a client sends to create or replace a business. Unknown fields are refused (typos surface). */
export const BusinessInput = z
  .object({
    name: text(200),
    lat: finite.refine((v) => v >= -90 && v <= 90, 'lat must be in [-90, 90]'),
    lng: finite.refine((v) => v >= -180 && v <= 180, 'lng must be in [-180, 180]'),
    category: z.string().regex(CATEGORY_PATTERN, 'category: 1-64 of a-z 0-9 _ (e.g. restaurant)'),
    hours: OpeningHours.optional(),
    address: Address.optional(),
    phone: text(40).optional(),
    website: z.string().url().max(500).optional(),
  })
  .strict();
export type BusinessInput = z.infer<typeof BusinessInput>;

/** A stored business: the input plus identity and a version for optimistic concurrency. */
export interface Business extends BusinessInput {
  id: string;
  /** Grows with every write (see nextVersion); PUT/DELETE with If-Match: "<version>" fail with 409 when it moved on. */
  version: number;
  updatedAt: number;
}
