// Starts the real parts of a cluster for the tests, bench/cluster.mjs and scripts/cluster-demo:
// redis-server (with AOF, fsync always), a replica, redis-sentinel, confabd nodes and
// HAProxy with packaging/haproxy/confab.cfg. Every process is killed when the test
// process exits.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { once } from "node:events";

const root = new URL("../..", import.meta.url).pathname;
const binaryDir = process.env.CONFAB_BINARY_DIR ?? path.join(root, "build");
const children = new Set();
process.on("exit", () => { for (const child of children) child.kill("SIGKILL"); });

// Stops everything this process started (call it from the test file's after()).
export async function stopAll() {
  await Promise.all([...children].map((child) => killer(child)("SIGKILL")));
}

export function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function track(child) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

function killer(child) {
  return async (signal = "SIGKILL") => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await once(child, "exit");
  };
}

export function redisCli(port, ...args) {
  const result = spawnSync("redis-cli", ["-p", String(port), ...args], { encoding: "utf8" });
  return result.stdout.trim();
}

async function until(condition, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
export { until };

// A Redis server; { replicaOf: port } makes it a replica. Resolves once it serves
// (and, for a replica, once its link to the master is up).
export async function startRedis({ port, dir, replicaOf } = {}) {
  port ??= await freePort();
  dir ??= mkdtempSync(path.join(os.tmpdir(), "confab-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "",
                "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--loglevel", "warning",
                "--enable-debug-command", "local"]; // DEBUG SLEEP stands in for a stalled Redis
  if (replicaOf) args.push("--replicaof", "127.0.0.1", String(replicaOf));
  const child = track(spawn("redis-server", args, { stdio: ["ignore", "ignore", "inherit"] }));
  await until(() => redisCli(port, "PING") === "PONG", `redis on ${port}`);
  if (replicaOf)
    await until(() => /master_link_status:up/.test(redisCli(port, "INFO", "replication")), `replica ${port} in sync`);
  return { port, dir, child, kill: killer(child), restart: () => startRedis({ port, dir, replicaOf }) };
}

// `count` Sentinels watching the master "confab" with a quorum of 2 and fast failover.
export async function startSentinels(masterPort, count = 3) {
  const sentinels = [];
  for (let i = 0; i < count; ++i) {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), "confab-sentinel-"));
    const config = path.join(dir, "sentinel.conf");
    writeFileSync(config, [`port ${port}`, "bind 127.0.0.1", `dir ${dir}`,
                           `sentinel monitor confab 127.0.0.1 ${masterPort} 2`,
                           "sentinel down-after-milliseconds confab 1000",
                           "sentinel failover-timeout confab 5000", "sentinel parallel-syncs confab 1", ""].join("\n"));
    const child = track(spawn("redis-sentinel", [config], { stdio: ["ignore", "ignore", "inherit"] }));
    await until(() => redisCli(port, "PING") === "PONG", `sentinel on ${port}`);
    sentinels.push({ port, child, kill: killer(child) });
  }
  // Every Sentinel has found the others before the test goes on.
  await until(() => sentinels.every((s) => Number(sentinelInfo(s.port)["num-other-sentinels"]) === count - 1),
              "sentinels to know each other", 30000);
  return sentinels;
}

// SENTINEL MASTER confab as an object (the reply alternates names and values).
function sentinelInfo(port) {
  const lines = redisCli(port, "SENTINEL", "master", "confab").split("\n");
  const info = {};
  for (let i = 0; i + 1 < lines.length; i += 2) info[lines[i]] = lines[i + 1];
  return info;
}

// Where the Sentinels say the master is: its port.
export function sentinelMasterPort(sentinel) {
  return Number(redisCli(sentinel.port, "SENTINEL", "get-master-addr-by-name", "confab").split("\n")[1]);
}

// A confabd cluster node. Resolves with { url, port, nodeId, kill }.
export async function startNode({ redisUrl, nodeId, secretFile, port = 0, args = [] }) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `confabd-${nodeId}-`));
  const child = track(spawn(process.env.CONFAB_CONFABD || path.join(binaryDir, "server/confabd"),
    ["--listen", `127.0.0.1:${port}`, "--data-dir", dataDir, "--redis", redisUrl, "--node-id", nodeId,
     "--token-secret-file", secretFile, "--scrypt-cost", "12", "--ping-interval", "1000", "--ping-timeout", "1000",
     "--events-per-second", "1000", "--event-burst", "1000", ...args],
    { stdio: ["ignore", "pipe", "inherit"] }));
  const listening = await new Promise((resolve, reject) => {
    child.on("exit", (code) => reject(new Error(`confabd ${nodeId} exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /listening on http:\/\/[^ ]+:(\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return { nodeId, port: listening, url: `http://127.0.0.1:${listening}`, child, dataDir,
           adminToken: readFileSync(path.join(dataDir, "admin-token"), "utf8").trim(), kill: killer(child) };
}

// HAProxy with the shipped configuration in front of exactly three nodes n1..n3.
export async function startHaproxy(nodes, port) {
  port ??= await freePort();
  const env = { ...process.env, CONFAB_LB_BIND: `127.0.0.1:${port}` };
  nodes.forEach((node, i) => { env[`CONFAB_N${i + 1}`] = `127.0.0.1:${node.port}`; });
  const child = track(spawn("haproxy", ["-db", "-f", path.join(root, "packaging/haproxy/confab.cfg")],
                            { env, stdio: ["ignore", "ignore", "inherit"] }));
  const url = `http://127.0.0.1:${port}`;
  await until(async () => {
    try { return (await fetch(`${url}/readyz`)).status === 200; } catch { return false; }
  }, "haproxy");
  return { port, url, child, kill: killer(child) };
}

// Redis, three nodes n1..n3 and HAProxy: the whole cluster of scripts/cluster-demo.
export async function startCluster({ redisUrl, nodeArgs = [], lbPort } = {}) {
  const secretDir = mkdtempSync(path.join(os.tmpdir(), "confab-secret-"));
  const secretFile = path.join(secretDir, "token-secret");
  const filesDir = path.join(secretDir, "files"); // shared, as a network filesystem would be
  const nodes = [];
  for (const nodeId of ["n1", "n2", "n3"])
    nodes.push(await startNode({ redisUrl, nodeId, secretFile,
                                 args: ["--trusted-proxies", "127.0.0.1", "--files-dir", filesDir, ...nodeArgs] }));
  const haproxy = await startHaproxy(nodes, lbPort);
  return { nodes, haproxy, secretFile, filesDir };
}
