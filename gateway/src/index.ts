export { createGateway, type Gateway } from './server.js';
export { loadConfig, ConfigError, DEV_JWT_SECRET, type Config } from './config.js';
export { mintToken, TokenVerifier, type Identity } from './auth.js';
export { createLogger } from './logger.js';
export { HelperThreadPriority } from './helper-priority.js';
export { GATEWAY_NODE_FLAGS } from './node-flags.js';
