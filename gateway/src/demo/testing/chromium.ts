import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: playwright-core drives it; no browser is ever downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless with no GPU: WebGL then runs on SwiftShader (software), which MapLibre renders with.
 * The rest keeps the browser from phoning home: the demo must work with no internet.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Installs Debian's chromium when it is missing (a fresh CI machine; .ci/run does the same first).
 * Idempotent and quiet; throws with the reason when it cannot.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  try {
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 600_000,
    });
  } catch (err) {
    throw new Error(`chromium is missing and apt-get could not install it: ${(err as Error).message}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is not there`);
  return CHROMIUM;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_FLAGS, headless: true });
}
