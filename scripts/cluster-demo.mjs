// The body of scripts/cluster-demo (see there). Uses the same starters as the tests.
import { parseArgs } from "node:util";
import { startRedis, startSentinels, startCluster, stopAll } from "../tests/cluster/support.mjs";

const { values } = parseArgs({ options: { port: { type: "string", default: "8080" } } });
const master = await startRedis();
const replicas = [await startRedis({ replicaOf: master.port }), await startRedis({ replicaOf: master.port })];
const sentinels = await startSentinels(master.port);
const redisUrl = `redis+sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(",")}/confab`;
const { nodes, haproxy } = await startCluster({ redisUrl, nodeArgs: ["--redis-wait-replicas", "1"],
                                                lbPort: Number(values.port) });
console.log(`Redis master :${master.port}, replicas :${replicas.map((r) => r.port).join(", :")}`);
console.log(`Sentinels ${sentinels.map((s) => `:${s.port}`).join(", ")} (master name "confab")`);
for (const node of nodes) console.log(`confabd ${node.nodeId} ${node.url} (admin token ${node.adminToken})`);
console.log(`\nConfab cluster ready at ${haproxy.url}  (Ctrl-C stops everything)`);
for (const signal of ["SIGINT", "SIGTERM"])
  process.on(signal, async () => { await stopAll(); process.exit(0); });
