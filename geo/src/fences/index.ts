export * from './fence-shape.js';
export * from './fence-index.js';
export * from './fence-store.js';
export * from './fence-directory.js';
export * from './fence-tracker.js';
