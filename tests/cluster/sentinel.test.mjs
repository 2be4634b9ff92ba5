// The Redis master is killed under Sentinel while users send: the nodes follow the
// promoted replica, and with --redis-wait-replicas 1 no acknowledged message is lost.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startRedis, startSentinels, sentinelMasterPort, startCluster, stopAll, until } from "./support.mjs";
import { ChatUser, register } from "./chatclient.mjs";

const master = await startRedis();
const replicas = [await startRedis({ replicaOf: master.port }), await startRedis({ replicaOf: master.port })];
const sentinels = await startSentinels(master.port);
const redisUrl = `redis+sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(",")}/confab`;
const { nodes, haproxy } = await startCluster({ redisUrl, nodeArgs: ["--redis-wait-replicas", "1"] });
const users = [];
after(async () => {
  for (const user of users) user.close();
  await stopAll();
});

test("a Sentinel failover loses no acknowledged message", async () => {
  for (const [i, name] of ["s1", "s2", "s3", "s4"].entries()) {
    const token = await register(haproxy.url, name);
    users.push(new ChatUser(nodes[i % 3].url, name, token));
  }
  await Promise.all(users.map((u) => u.connected()));
  await users[0].request("room:create", { room: "failover" });
  for (const u of users.slice(1)) await u.request("room:join", { room: "failover" });
  for (const u of users) u.received.set("failover", new Map());

  let sending = true;
  const loops = users.map(async (u) => {
    for (let i = 0; sending; ++i) await u.sendReliably("failover", `${u.username} #${i}`, `${u.username}-${i}`);
  });
  await until(() => users.every((u) => u.acked.size >= 5), "sends before the failover");
  const before = new Map(users.map((u) => [u, u.acked.size]));
  await master.kill("SIGKILL");
  await until(() => sentinelMasterPort(sentinels[0]) !== master.port, "Sentinel to promote a replica", 60000);
  await until(() => users.every((u) => u.acked.size >= before.get(u) + 5), "sends after the failover", 60000);
  sending = false;
  await Promise.all(loops);

  const promoted = replicas.find((r) => r.port === sentinelMasterPort(sentinels[0]));
  assert.ok(promoted, "a replica became the master");
  // Every acknowledged message is in the new master's history, exactly once.
  const acked = new Map();
  for (const u of users) for (const [clientId, seq] of u.acked) acked.set(seq, clientId);
  for (const u of users) {
    await u.fill("failover");
    for (const [seq, clientId] of acked) assert.equal(u.received.get("failover").get(seq)?.clientId, clientId);
  }
  const metrics = await (await fetch(`${nodes[0].url}/metrics`)).text();
  assert.match(metrics, /confab_redis_up 1/);
  assert.ok(Number(/confab_redis_connects_total (\d+)/.exec(metrics)[1]) >= 2, "the node reconnected to the new master");
});
