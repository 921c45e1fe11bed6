export * from './avoid.js';
export * from './car-costing.js';
export * from './cost-model.js';
export { edgeRecords, emptyEdgeRecords, writeEdgeRecord, BEARING_UNITS, RESTRICTED_BIT, type EdgeRecords } from './edge-records.js';
export * from './partial.js';
export * from './penalty-costing.js';
export * from './route-eta.js';
export * from './turn-penalties.js';
