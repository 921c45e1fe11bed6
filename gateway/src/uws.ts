import { createRequire } from 'node:module';
import type * as UWS from '@trufflesuite/uws-js-unofficial';

/**
 * Load the native uWebSockets.js binary directly. The package's own entry point silently falls back
 * to a pure-JS implementation when the binary does not load (wrong Node ABI, wrong glibc, or
 * UWS_USE_FALLBACK set); Locus refuses to run on that fallback, because every capacity figure we
 * publish assumes the native server.
 */
export function loadNativeUws(name = `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`): typeof UWS {
  const require = createRequire(import.meta.url);
  const pkgDir = require.resolve('@trufflesuite/uws-js-unofficial/package.json').replace(/package\.json$/, '');
  const path = `${pkgDir}binaries/${name}`;
  try {
    return require(path) as typeof UWS;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(
      `uWebSockets.js native binary ${name} could not be loaded (${reason}). ` +
        `Locus needs @trufflesuite/uws-js-unofficial@20.30.0-unofficial.0 on Node 20 (ABI 115) with glibc ≥ 2.36; ` +
        `it does not run on the slower JavaScript fallback.`,
    );
  }
}

export const uws = loadNativeUws();
export type { HttpRequest, HttpResponse, RecognizedString, TemplatedApp, WebSocket, us_listen_socket } from '@trufflesuite/uws-js-unofficial';
