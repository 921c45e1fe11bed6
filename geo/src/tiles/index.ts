export { ROAD_CLASSES, ROAD_CLASS_MIN_ZOOM, roadClassOf, isRoadClass, type RoadClass } from './road-class.js';
export { tileAddress, tileBounds, isTileAddress, MAX_ADDRESS_ZOOM, MAX_MERCATOR_LAT, type TileAddress, type TileBounds } from './tile-address.js';
export { buildTileSource, TILE_EXTENT, SOURCE_MAX_ZOOM, type TileSource, type TileSourceOptions } from './tile-source.js';
export { encodeTile, etagOf, POI_MIN_ZOOM, type EncodedTile } from './tile-encoder.js';
export { TileService, type TileServiceOptions, type WarmOptions } from './tile-service.js';
export { TILE_SCHEMA_VERSION } from './data-version.js';
export type { RoadProperties, PoiProperties } from './tile-features.js';
