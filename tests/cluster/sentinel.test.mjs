// The Redis master is killed under Sentinel while users send: the nodes follow the
// promoted replica, and with --redis-wait-replicas 1 no acknowledged message, edit or
// reaction is lost.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startRedis, startSentinels, sentinelMasterPort, startCluster, stopAll, until } from "./support.mjs";
import { ChatUser, assertChangesKept, register } from "./chatclient.mjs";

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

test("a Sentinel failover loses no acknowledged message, edit or reaction", async () => {
  for (const [i, name] of ["s1", "s2", "s3", "s4"].entries()) {
    const token = await register(haproxy.url, name);
    users.push(new ChatUser(nodes[i % 3].url, name, token));
  }
  await Promise.all(users.map((u) => u.connected()));
  await users[0].request("room:create", { room: "failover" });
  for (const u of users.slice(1)) await u.request("room:join", { room: "failover" });
  for (const u of users) u.received.set("failover", new Map());
  const statuses = [];
  for (const u of users) statuses.push((await u.sendReliably("failover", `${u.username} is here`, `${u.username}-s`)).id);

  // Each user sends, edits what it sent, edits its status message to say so and reacts to
  // the latest message it received from someone else: each step acknowledged before the next.
  let sending = true;
  const emoji = ["🍎", "🍐", "🍊", "🍋"];
  const loops = users.map(async (u, n) => {
    for (let i = 0; sending; ++i) {
      const sent = await u.sendReliably("failover", `${u.username} #${i}`, `${u.username}-${i}`);
      await u.editReliably("failover", sent.id, `${u.username} #${i}, edited`);
      await u.editReliably("failover", statuses[n], `${u.username} sent #${i}`);
      const theirs = [...u.received.get("failover").values()].findLast((m) => m.from !== u.username);
      if (theirs) await u.reactReliably("failover", theirs.id, emoji[n]);
    }
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
  // Every acknowledged edit and reaction kept, every user caught up to the stored state.
  for (const u of users) assert.ok(u.edited.size > 0 && u.reacted.size > 0, `${u.username} edited and reacted`);
  await assertChangesKept(users, "failover", (n) => emoji[n]);
  const metrics = await (await fetch(`${nodes[0].url}/metrics`)).text();
  assert.match(metrics, /confab_redis_up 1/);
  assert.ok(Number(/confab_redis_connects_total (\d+)/.exec(metrics)[1]) >= 2, "the node reconnected to the new master");
});
