// confab-bench storm on a real cluster (Redis, three nodes, HAProxy), at test scale: a
// node is killed under a few hundred clients and a publisher; every client that lost its
// node is back, and no message the cluster acknowledged is missing from the history.
// The 20,000-client run is a benchmark (bench/storm, docs/BENCHMARKS.md).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { startRedis, startCluster, stopAll } from "./support.mjs";

const run = promisify(execFile);
const bench = path.join(process.env.CONFAB_BINARY_DIR, "tools/bench/confab-bench");
const redis = await startRedis();
const { nodes, haproxy } = await startCluster({ redisUrl: `redis://127.0.0.1:${redis.port}`,
                                                nodeArgs: ["--max-sessions-per-address", "0"] });
after(stopAll);

test("a node killed under load: its clients come back and no acknowledged message is lost", async () => {
  const { stdout } = await run(bench, ["storm", "--urls", haproxy.url, "--node-urls", nodes.map((n) => n.url).join(","),
                                       "--clients", "300", "--processes", "2", "--kill-pid", String(nodes[0].child.pid),
                                       "--settle", "2", "--timeout", "60", "--publish-rate", "20"]);
  const result = JSON.parse(stdout);
  assert.equal(result.connected, 300);
  assert.ok(result.dropped > 0, "the killed node held clients");
  assert.equal(result.allBack, true);
  assert.ok(result.acked > 0, "the publisher was acknowledged");
  assert.equal(result.lostAcked, 0);
  assert.equal(result.unacked, 0);
});
