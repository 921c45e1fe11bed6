import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../testing/test-gateway.js';
import { launchChromium } from './testing/chromium.js';

/** Where a person can look at what the test saw (git-ignored). */
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
// Route from Port Hercule to the Casino: long enough to have a way around a closure in its middle.
const PORT_HERCULE = { lat: 43.7347, lng: 7.4206 };
const CASINO = { lat: 43.7394, lng: 7.4283 };
const CARS = 3;

type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;

/**
 * The page's globals as the functions passed to page.evaluate see them in the browser (this file is
 * type-checked without the DOM library, which the rest of the tree must not see).
 */
interface DemoHandle {
  ready?: boolean;
  map: {
    queryRenderedFeatures(o: object): unknown[];
    areTilesLoaded(): boolean;
    project(p: [number, number]): { x: number; y: number };
    jumpTo(o: object): void;
    isMoving(): boolean;
  };
  roadLayers: string[];
  me(): { lat: number; lng: number };
  nav: { route: { edges: number[] } | null };
}
interface Row {
  dataset: Record<string, string | undefined>;
}
declare const window: { demo: DemoHandle };
declare const document: { querySelectorAll(selector: string): Iterable<Row> & { length: number } };

interface FriendRow {
  user: string;
  lat: number;
  lng: number;
  updates: number;
}

/**
 * The browser demo end to end, in real headless Chromium against a Monaco gateway with the
 * simulator on: the steps run in order on one page, as a person would use it.
 */
describe('browser demo (headless Chromium)', () => {
  let t: TestGateway;
  let tiles: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];
  let navigation: 'navigating' | 'unavailable' = 'unavailable';

  beforeAll(async () => {
    tiles = await mkdtemp(join(tmpdir(), 'locus-demo-tiles-'));
    t = await startTestGateway({
      LOCUS_SEED_OSM: MONACO,
      LOCUS_ROUTING_TILES_DIR: tiles,
      LOCUS_DEMO: 'on',
      LOCUS_DEMO_SIM: 'on',
      LOCUS_DEMO_SIM_CARS: String(CARS),
      LOCUS_DEMO_SIM_TICK_MS: '300',
      // Progress pushes every second, so the drive step sees them soon.
      LOCUS_NAV_PROGRESS_MS: '1000',
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.on('request', (r) => requests.push(r.url()));
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // A Content-Security-Policy violation shows up as a console error.
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (tiles) await rm(tiles, { recursive: true, force: true });
  });

  const friends = (): Promise<FriendRow[]> =>
    page.$$eval('#friends li', (items) =>
      items.map((li) => {
        const d = (li as unknown as Row).dataset;
        return { user: d.user ?? '', lat: Number(d.lat), lng: Number(d.lng), updates: Number(d.updates) };
      }),
    );

  async function jumpTo(p: { lat: number; lng: number }, zoom: number): Promise<void> {
    await page.evaluate(([lat, lng, z]) => {
      window.demo.map.jumpTo({ center: [lng, lat], zoom: z });
    }, [p.lat, p.lng, zoom]);
  }

  /** Clicks the map canvas where (lat, lng) is drawn, as a person would. */
  async function clickMapAt(p: { lat: number; lng: number }): Promise<void> {
    const box = (await page.locator('#map canvas').boundingBox())!;
    const xy = await page.evaluate(([lng, lat]) => {
      const map = window.demo.map;
      return map.project([lng!, lat!]);
    }, [p.lng, p.lat]);
    expect(xy.x).toBeGreaterThan(0);
    expect(xy.x).toBeLessThan(box.width);
    expect(xy.y).toBeGreaterThan(0);
    expect(xy.y).toBeLessThan(box.height);
    await page.mouse.click(box.x + xy.x, box.y + xy.y);
  }

  it('loads the page and draws our own vector tiles, asking nothing of any other origin', async () => {
    await page.goto(`${t.http}/`);
    await page.waitForFunction(() => window.demo?.ready === true, null, { timeout: 60_000 });
    // Roads rendered from /v1/tiles: the style's road layers hold features on screen.
    await page.waitForFunction(
      () => {
        const d = window.demo;
        return d.map.areTilesLoaded() && d.map.queryRenderedFeatures({ layers: d.roadLayers }).length > 100;
      },
      null,
      { timeout: 60_000 },
    );
    expect(requests.some((u) => u.includes('/v1/tiles/'))).toBe(true);
    const foreign = requests.filter((u) => !u.startsWith(t.http) && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.waitForSelector('#conn[data-state=open]', { timeout: 20_000 });
  }, 120_000);

  it('shows the simulated friends appear and move', async () => {
    await page.waitForFunction((n) => document.querySelectorAll('#friends li').length === n, CARS, { timeout: 30_000 });
    const first = await friends();
    expect(first.map((f) => f.user).sort()).toEqual(['car-ana', 'car-bruno', 'car-chloe']);
    expect(await page.locator('.friend-marker').count()).toBe(CARS);
    // Every friend reports again, and at least one has moved along a road.
    await page.waitForFunction(
      (before) => {
        const rows = [...document.querySelectorAll('#friends li')];
        const moved = rows.some((li) => {
          const b = before.find((f) => f.user === li.dataset.user);
          return b !== undefined && (Number(li.dataset.lat) !== b.lat || Number(li.dataset.lng) !== b.lng);
        });
        const again = rows.every((li) => Number(li.dataset.updates) >= (before.find((f) => f.user === li.dataset.user)?.updates ?? 0) + 2);
        return moved && again;
      },
      first,
      { timeout: 30_000 },
    );
  }, 60_000);

  it('runs a nearby search and lists the results on the map', async () => {
    await page.fill('#search-category', '');
    await page.selectOption('#search-radius', '3000');
    await page.click('#search-form button[type=submit]');
    await page.waitForSelector('#search-results[data-state=done]', { timeout: 15_000 });
    const count = Number(await page.getAttribute('#search-results', 'data-count'));
    expect(count).toBeGreaterThan(0);
    expect(await page.locator('#search-results li').count()).toBe(count);
    expect(await page.locator('.result-marker').count()).toBe(count);
  }, 30_000);

  it('moves You to the port and routes to a click on the Casino, with an ETA', async () => {
    // Drag the You marker to Port Hercule (a real drag: the page sends the new position over the socket).
    const start = await page.evaluate(() => window.demo.me());
    await jumpTo({ lat: (start.lat + PORT_HERCULE.lat) / 2, lng: (start.lng + PORT_HERCULE.lng) / 2 }, 14);
    const me = await page.locator('.me-marker .car').boundingBox();
    const box = (await page.locator('#map canvas').boundingBox())!;
    const to = await page.evaluate(([lng, lat]) => window.demo.map.project([lng!, lat!]), [PORT_HERCULE.lng, PORT_HERCULE.lat]);
    await page.mouse.move(me!.x + me!.width / 2, me!.y + me!.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + to.x, box.y + to.y, { steps: 12 });
    await page.mouse.up();
    const moved = await page.evaluate(() => window.demo.me());
    expect(Math.abs(moved.lat - PORT_HERCULE.lat)).toBeLessThan(0.0005);
    expect(Math.abs(moved.lng - PORT_HERCULE.lng)).toBeLessThan(0.0005);

    await jumpTo({ lat: (PORT_HERCULE.lat + CASINO.lat) / 2, lng: (PORT_HERCULE.lng + CASINO.lng) / 2 }, 15);
    await clickMapAt(CASINO);
    await page.waitForSelector('#route-info[data-state=done]', { timeout: 20_000 });
    expect(Number(await page.getAttribute('#route-info', 'data-distance'))).toBeGreaterThan(500);
    expect(Number(await page.getAttribute('#route-info', 'data-duration'))).toBeGreaterThan(30);
    expect(await page.locator('#route-info').textContent()).toMatch(/arrive \d/);
    await page.waitForFunction(() => {
      const d = window.demo;
      return d.map.queryRenderedFeatures({ layers: ['route'] }).length > 0;
    }, null, { timeout: 10_000 });
    // The navigation session: a nav_route (reason start) if the gateway navigates, else a clear notice.
    await page.waitForSelector('#nav-info[data-state=navigating], #nav-info[data-state=unavailable]', { timeout: 15_000 });
    navigation = (await page.getAttribute('#nav-info', 'data-state')) as typeof navigation;
    // The test gateway routes, so it navigates: the "unavailable" notice would be a regression here.
    expect(navigation).toBe('navigating');
    expect(await page.getAttribute('#nav-info', 'data-reason')).toBe('start');
  }, 60_000);

  it('puts a closure on the route and shows the reroute around it', async () => {
    const before = await page.evaluate(() => window.demo.nav.route!.edges);
    await page.click('#closure-btn');
    await page.waitForSelector('#closure-info[data-edges]', { timeout: 10_000 });
    const closed = (await page.getAttribute('#closure-info', 'data-edges'))!.split(',').map(Number);
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((e) => before.includes(e))).toBe(true);
    // Live navigation: the server pushes nav_route {reason: "closure"}; without it, the page asks /v1/route again.
    await page.waitForSelector('#nav-info[data-reason=closure]', { timeout: 20_000 });
    expect(Number(await page.getAttribute('#nav-info', 'data-reroutes'))).toBe(1);
    await page.waitForFunction(
      (edges) => {
        const r = window.demo.nav.route;
        return r !== null && r.edges.length > 0 && !edges.some((e) => r.edges.includes(e));
      },
      closed,
      { timeout: 10_000 },
    );
    await page.waitForFunction(() => {
      const d = window.demo;
      return d.map.queryRenderedFeatures({ layers: ['route-old'] }).length > 0 && d.map.queryRenderedFeatures({ layers: ['closure'] }).length > 0;
    }, null, { timeout: 10_000 });
    await mkdir(ARTIFACTS, { recursive: true });
    // The page frames the old and new routes: let that animation and its tiles finish first.
    await page.waitForFunction(() => !window.demo.map.isMoving() && window.demo.map.areTilesLoaded(), null, { timeout: 10_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'demo.png') });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('reroutes the live navigation session with reason "closure"', async () => {
    expect(await page.getAttribute('#nav-info', 'data-state')).toBe('rerouted');
    expect(await page.getAttribute('#nav-info', 'data-source')).toBeNull();
    await page.waitForFunction(() => /rerouted the navigation/.test((document.querySelectorAll('#closure-info') as unknown as { textContent: string }[])[0]?.textContent ?? ''), null, { timeout: 5000 });
  });

  it('drives You along the new route: the server pushes navigation progress', async () => {
    const start = await page.evaluate(() => window.demo.me());
    await page.click('#drive-btn');
    await page.waitForFunction(() => {
      const d = (document.querySelectorAll('#nav-info') as unknown as Row[])[0];
      return Number(d?.dataset.progress ?? 0) >= 2;
    }, null, { timeout: 20_000 });
    const now = await page.evaluate(() => window.demo.me());
    expect(now).not.toEqual(start);
    expect(await page.getAttribute('#nav-info', 'data-off-route')).toBe('false');
    expect(await page.locator('#nav-info').textContent()).toMatch(/left/);
    await page.click('#drive-btn'); // stop
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
