import { describe, expect, it } from 'vitest';
import { loadNativeUws, uws } from './uws.js';

describe('uWebSockets.js loader', () => {
  it('loads the native binary, not the JavaScript fallback', () => {
    // The fallback (dist/index.js) has no native helpers such as us_socket_local_port / getParts.
    expect(typeof uws.us_socket_local_port).toBe('function');
    expect(typeof (uws as unknown as { getParts?: unknown }).getParts).toBe('function');
  });

  it('fails with a clear message when the binary for this platform cannot load', () => {
    expect(() => loadNativeUws('uws_linux_x64_1.node')).toThrow(/native binary uws_linux_x64_1\.node could not be loaded.*JavaScript fallback/);
  });
});
