/**
 * A Redis Cluster on loopback made of redis-server processes: what `npm run cluster:up` starts for
 * development and what the cluster tests start (or reuse) for themselves. 3 masters + 3 replicas by
 * default, each node on two spare ports (client + cluster bus), data in a fresh temp dir.
 *
 * The configuration is tuned for tests, not for production durability: no persistence, a 1 s node
 * timeout (failover in ~2 s instead of ~15 s), and `cluster-require-full-coverage no` so that losing
 * one shard's master leaves the other shards serving (what production should run with, too).
 *
 * No vitest import here: scripts/cluster-up.ts uses it outside tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const HOST = '127.0.0.1';
const SLOTS = 16_384;

export interface LocalClusterOptions {
  masters?: number;
  /** Replicas per master (0 or more). */
  replicasPerMaster?: number;
  /** cluster-node-timeout in ms: how long a silent master takes to be declared failed. */
  nodeTimeoutMs?: number;
  /** Spawn the servers detached, so they outlive this process (the cluster:up CLI). */
  detached?: boolean;
  /** How long start() may take before it gives up (and stops what it started). */
  startTimeoutMs?: number;
}

export interface LocalClusterNode {
  port: number;
  busPort: number;
  pid: number;
}

/** What cluster:up leaves behind for cluster:down and for tests that reuse the cluster. */
export interface LocalClusterState {
  dir: string;
  nodes: LocalClusterNode[];
  nodeTimeoutMs: number;
}

export interface NodeRole {
  port: number;
  id: string;
  role: 'master' | 'replica';
  /** For a replica: the port of its master. */
  masterPort?: number;
  /** false when the cluster marks it failed (or it does not answer). */
  up: boolean;
}

/** Where cluster:up records its cluster (one per machine user; tests look here to reuse it). */
export const CLUSTER_STATE_FILE = join(tmpdir(), 'locus-cluster-up.json');

export class LocalCluster {
  private readonly children = new Map<number, ChildProcess>();

  private constructor(
    readonly dir: string,
    readonly nodes: LocalClusterNode[],
    readonly nodeTimeoutMs: number,
    private readonly detached: boolean,
  ) {}

  /** Starts the servers, creates the cluster with redis-cli, and waits until it is fully up. */
  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    ensureRedisBinaries();
    const masters = options.masters ?? 3;
    const replicas = options.replicasPerMaster ?? 1;
    const count = masters * (1 + replicas);
    const dir = mkdtempSync(join(tmpdir(), 'locus-cluster-'));
    const nodes: LocalClusterNode[] = [];
    const cluster = new LocalCluster(dir, nodes, options.nodeTimeoutMs ?? 1_000, options.detached ?? false);
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    // A test process that dies before stop() leaves no data dir behind either.
    if (!cluster.detached) removeOnExit(dir);
    try {
      for (let i = 0; i < count; i++) {
        const [port, busPort] = await freePorts(2);
        nodes.push({ port: port!, busPort: busPort!, pid: 0 });
      }
      for (const node of nodes) cluster.spawnNode(node);
      for (const node of nodes) {
        // A port can still be taken between choosing and binding it (another test's server): the
        // node then exits at once; give it fresh ports.
        await waitFor(
          async () => {
            if (await answersAs(node.port, node.pid)) return true;
            if (!isAlive(node.pid)) {
              [node.port, node.busPort] = (await freePorts(2)) as [number, number];
              cluster.spawnNode(node);
            }
            return false;
          },
          deadline,
          `node ${node.port} to answer`,
        );
      }
      const create = spawnSync(
        'redis-cli',
        ['--cluster', 'create', ...nodes.map((n) => `${HOST}:${n.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'],
        { encoding: 'utf8', timeout: Math.max(1_000, deadline - Date.now()) },
      );
      if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
      await cluster.waitUntilHealthy(Math.max(1_000, deadline - Date.now()));
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** The cluster a state file describes (started detached by another process), whether or not it runs. */
  static fromState(state: LocalClusterState): LocalCluster {
    return new LocalCluster(state.dir, state.nodes, state.nodeTimeoutMs, true);
  }

  /** A cluster started elsewhere (cluster:up), if its state file exists and the cluster answers healthy. */
  static async attach(stateFile = CLUSTER_STATE_FILE): Promise<LocalCluster | undefined> {
    let state: LocalClusterState | undefined;
    try {
      state = readClusterState(stateFile);
    } catch {
      return undefined;
    }
    if (state === undefined) return undefined;
    const cluster = LocalCluster.fromState(state);
    try {
      await cluster.waitUntilHealthy(1_000);
      return cluster;
    } catch {
      return undefined;
    }
  }

  /** Startup nodes for ioredis / LOCUS_REDIS_CLUSTER_NODES. */
  get startupNodes(): { host: string; port: number }[] {
    return this.nodes.map((n) => ({ host: HOST, port: n.port }));
  }

  /** "127.0.0.1:p1,127.0.0.1:p2,…": the LOCUS_REDIS_CLUSTER_NODES value. */
  get nodesEnv(): string {
    return this.nodes.map((n) => `${HOST}:${n.port}`).join(',');
  }

  state(): LocalClusterState {
    return { dir: this.dir, nodes: this.nodes, nodeTimeoutMs: this.nodeTimeoutMs };
  }

  /** Roles as the cluster sees them (CLUSTER NODES from the first node that answers). */
  async roles(): Promise<NodeRole[]> {
    for (const node of this.nodes) {
      const text = await command(node.port, ['CLUSTER', 'NODES']).catch(() => undefined);
      if (typeof text === 'string') return parseClusterNodes(text);
    }
    throw new Error('no cluster node answers');
  }

  async masters(): Promise<number[]> {
    return (await this.roles()).filter((r) => r.role === 'master' && r.up).map((r) => r.port);
  }

  /** The port of a replica of the master on `masterPort` (the one that would be promoted). */
  async replicaOf(masterPort: number): Promise<number> {
    const replica = (await this.roles()).find((r) => r.role === 'replica' && r.masterPort === masterPort && r.up);
    if (replica === undefined) throw new Error(`master ${masterPort} has no replica`);
    return replica.port;
  }

  /** The master that owns `slot`. */
  async ownerOf(slot: number): Promise<number> {
    for (const node of this.nodes) {
      const reply = await command(node.port, ['CLUSTER', 'SHARDS']).catch(() => undefined);
      if (reply === undefined) continue;
      for (const shard of reply as unknown[][]) {
        const fields = toRecord(shard);
        const ranges = fields.slots as number[];
        let owns = false;
        for (let i = 0; i + 1 < ranges.length; i += 2) if (slot >= ranges[i]! && slot <= ranges[i + 1]!) owns = true;
        if (!owns) continue;
        for (const n of fields.nodes as unknown[][]) {
          const nf = toRecord(n);
          if (nf.role === 'master' && nf.health === 'online') return Number(nf.port);
        }
      }
    }
    throw new Error(`no master owns slot ${slot}`);
  }

  /** What the node on `port` says it is (INFO replication), or 'down' when it does not answer. */
  async role(port: number): Promise<'master' | 'replica' | 'down'> {
    const info = await command(port, ['INFO', 'replication']).catch(() => undefined);
    if (typeof info !== 'string') return 'down';
    return info.includes('role:master') ? 'master' : 'replica';
  }

  /** Kills one node (SIGKILL by default: no goodbye to its clients) and waits until it is gone. */
  async kill(port: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const node = this.node(port);
    const child = this.children.get(port);
    const exited = child !== undefined && child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined;
    try {
      process.kill(node.pid, signal);
    } catch {
      return;
    }
    if (exited !== undefined) await exited;
    else await waitFor(async () => !isAlive(node.pid), Date.now() + 10_000, `pid ${node.pid} to exit`);
  }

  /** Starts a killed node again on the same ports and config file: it rejoins (a former master as replica). */
  async restart(port: number): Promise<void> {
    const node = this.node(port);
    this.spawnNode(node);
    await waitFor(() => answersAs(port, node.pid), Date.now() + 10_000, `node ${port} to answer`);
  }

  /**
   * Waits until every node answers, agrees the cluster is ok with all slots assigned, knows every
   * other node, and every replica's link to its master is up (a replica still syncing could not be
   * promoted: failover tests need that).
   */
  async waitUntilHealthy(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let reason: string | undefined = 'not checked';
    await waitFor(
      async () => (reason = await this.unhealthyReason()) === undefined,
      deadline,
      () => `the cluster to be healthy (last: ${reason})`,
    );
  }

  /** Stops every node it can reach (SIGTERM, then SIGKILL) and removes the data dir. */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        if (node.pid === 0 || !isAlive(node.pid)) return;
        try {
          process.kill(node.pid, 'SIGTERM');
        } catch {
          return;
        }
        const gone = await waitFor(async () => !isAlive(node.pid), Date.now() + 5_000, '').then(
          () => true,
          () => false,
        );
        if (!gone) {
          try {
            process.kill(node.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** undefined when healthy, else what is not yet (kept for the timeout's message). */
  private async unhealthyReason(): Promise<string | undefined> {
    for (const node of this.nodes) {
      const info = await command(node.port, ['CLUSTER', 'INFO']).catch(() => undefined);
      if (typeof info !== 'string') return `node ${node.port} does not answer`;
      if (!info.includes('cluster_state:ok')) return `node ${node.port}: ${infoField(info, 'cluster_state')}`;
      if (!info.includes(`cluster_slots_assigned:${SLOTS}`)) return `node ${node.port}: ${infoField(info, 'cluster_slots_assigned')}`;
      if (!info.includes(`cluster_known_nodes:${this.nodes.length}`)) return `node ${node.port}: ${infoField(info, 'cluster_known_nodes')}`;
    }
    const roles = await this.roles();
    const down = roles.filter((r) => !r.up).map((r) => r.port);
    if (down.length > 0) return `nodes marked failed: ${down.join(', ')}`;
    for (const r of roles) {
      if (r.role !== 'replica') continue;
      const repl = await command(r.port, ['INFO', 'replication']).catch(() => '');
      if (typeof repl !== 'string' || !repl.includes('master_link_status:up')) {
        return `replica ${r.port}: ${typeof repl === 'string' ? infoField(repl, 'master_link_status') : 'no reply'}`;
      }
    }
    return undefined;
  }

  private node(port: number): LocalClusterNode {
    const node = this.nodes.find((n) => n.port === port);
    if (node === undefined) throw new Error(`no node on port ${port}`);
    return node;
  }

  private spawnNode(node: LocalClusterNode): void {
    const args = [
      '--port', String(node.port),
      '--bind', HOST,
      '--cluster-enabled', 'yes',
      '--cluster-port', String(node.busPort),
      '--cluster-config-file', `nodes-${node.port}.conf`,
      '--cluster-node-timeout', String(this.nodeTimeoutMs),
      '--cluster-require-full-coverage', 'no',
      '--save', '',
      '--appendonly', 'no',
      // Replicas sync at once (the default waits 5 s for more replicas to share one transfer).
      '--repl-diskless-sync-delay', '0',
      '--dir', this.dir,
      '--logfile', `node-${node.port}.log`,
    ];
    const child = spawn('redis-server', args, { stdio: 'ignore', detached: this.detached });
    if (child.pid === undefined) throw new Error('could not spawn redis-server');
    node.pid = child.pid;
    if (this.detached) child.unref();
    else {
      this.children.set(node.port, child);
      killOnExit(child);
    }
    child.on('error', () => {});
  }
}

/** Servers (and data dirs) to remove if this process exits before cleaning up: one exit listener for all. */
const leftovers = { children: new Set<ChildProcess>(), dirs: new Set<string>(), hooked: false };

function hookExit(): void {
  if (leftovers.hooked) return;
  leftovers.hooked = true;
  // Exit handlers must be synchronous: SIGKILL and rmSync are.
  process.once('exit', () => {
    for (const child of leftovers.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of leftovers.dirs) rmSync(dir, { recursive: true, force: true });
  });
}

/**
 * A test's servers must not outlive it when it dies before its cleanup (a crash, a timeout that kills
 * the worker): they are SIGKILLed when this process exits.
 */
export function killOnExit(child: ChildProcess): void {
  hookExit();
  leftovers.children.add(child);
  child.once('exit', () => leftovers.children.delete(child));
}

/** A data dir removed when this process exits (rm -f: harmless when stop() removed it already). */
function removeOnExit(dir: string): void {
  hookExit();
  leftovers.dirs.add(dir);
}

/** redis-server and redis-cli on PATH, installed with apt-get (as root) when missing, as the test setup does. */
export function ensureRedisBinaries(): void {
  const has = (bin: string): boolean => {
    const r = spawnSync(bin, ['--version'], { stdio: 'ignore' });
    return r.error === undefined && r.status === 0;
  };
  if (has('redis-server') && has('redis-cli')) return;
  if (process.getuid?.() !== 0) {
    throw new Error('redis-server / redis-cli not found: install them (e.g. `apt-get install redis-server redis-tools`)');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'redis-server', 'redis-tools']]) {
    const r = spawnSync('apt-get', args, { stdio: 'ignore', env });
    if (r.error !== undefined || r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed: install redis-server and redis-tools`);
  }
  if (!has('redis-server') || !has('redis-cli')) throw new Error('apt-get ran but redis-server / redis-cli are still missing');
}

export function writeClusterState(cluster: LocalCluster, stateFile = CLUSTER_STATE_FILE): void {
  writeFileSync(stateFile, `${JSON.stringify(cluster.state(), null, 2)}\n`);
}

export function removeClusterState(stateFile = CLUSTER_STATE_FILE): void {
  if (existsSync(stateFile)) unlinkSync(stateFile);
}

/** The state cluster:up recorded, whether or not the cluster still runs. */
export function readClusterState(stateFile = CLUSTER_STATE_FILE): LocalClusterState | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as LocalClusterState;
}

function parseClusterNodes(text: string): NodeRole[] {
  const lines = text.trim().split('\n');
  const byId = new Map<string, { port: number }>();
  const rows = lines.map((line) => {
    const [id, address, flags, master] = line.split(' ') as [string, string, string, string];
    const port = Number(address.split('@')[0]!.split(':')[1]);
    byId.set(id, { port });
    return { id, port, flags: flags.split(','), master };
  });
  return rows.map((r) => {
    const role: NodeRole = {
      port: r.port,
      id: r.id,
      role: r.flags.includes('master') ? 'master' : 'replica',
      up: !r.flags.includes('fail') && !r.flags.includes('fail?') && !r.flags.includes('noaddr'),
    };
    if (role.role === 'replica' && r.master !== '-') {
      const masterPort = byId.get(r.master)?.port;
      if (masterPort !== undefined) role.masterPort = masterPort;
    }
    return role;
  });
}

/** "field:value" from an INFO reply, or "field missing". */
function infoField(info: string, field: string): string {
  const line = info.split(/\r?\n/).find((l) => l.startsWith(`${field}:`));
  return line ?? `${field} missing`;
}

function toRecord(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/** One command on a short-lived connection that never retries (a dead node must fail fast). */
async function command(port: number, args: string[]): Promise<unknown> {
  const redis = new Redis({ host: HOST, port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await redis.call(args[0]!, ...args.slice(1));
  } finally {
    redis.disconnect();
  }
}

/**
 * Whether the server on `port` is the process `pid`. A PING alone is not enough: two test files
 * choosing ports at the same moment can pick the same one, and then the other file's server answers
 * while ours has exited on its failed bind (and redis-cli would put a stranger into our cluster).
 */
export async function answersAs(port: number, pid: number): Promise<boolean> {
  const info = await command(port, ['INFO', 'server']).catch(() => undefined);
  return typeof info === 'string' && infoField(info, 'process_id') === `process_id:${pid}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean>, deadline: number, what: string | (() => string)): Promise<void> {
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Distinct free ports below the kernel's ephemeral range (32768+ on Linux), so no outgoing connection
 * of this machine (they take ephemeral local ports) can grab one between choosing and binding it.
 * Random within 20000–32767, each checked by binding it.
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_700);
    if (ports.includes(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, HOST, () => srv.close(() => resolve(true)));
    });
    if (free) ports.push(port);
  }
  return ports;
}
