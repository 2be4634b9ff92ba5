// kill -9 of a node while everyone sends through HAProxy: its users reconnect to the
// other nodes, fill gaps with history:fetch, and no acknowledged message is missing
// for anyone; a user who does not come back is shown offline to the others.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startRedis, startCluster, stopAll, until } from "./support.mjs";
import { ChatUser, register, waitFor } from "./chatclient.mjs";

const redis = await startRedis();
const { nodes, haproxy } = await startCluster({ redisUrl: `redis://127.0.0.1:${redis.port}` });
const users = [];
after(async () => {
  for (const user of users) user.close();
  await stopAll();
});

test("no acknowledged message is lost when a node dies mid-conversation", async () => {
  const victim = nodes[0];
  const names = ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"];
  for (const [i, name] of names.entries()) {
    const token = await register(haproxy.url, name);
    // Most on WebSocket, some on long-polling: both must survive the node's death.
    users.push(new ChatUser(haproxy.url, name, token, { transports: i % 3 === 2 ? ["polling"] : ["websocket"] }));
  }
  await Promise.all(users.map((u) => u.connected()));
  await users[0].request("room:create", { room: "storm" });
  for (const u of users.slice(1)) assert.equal((await u.request("room:join", { room: "storm" })).ok, true);
  for (const u of users) u.received.set("storm", new Map());

  // A user on the victim who will not come back.
  const ghostToken = await register(haproxy.url, "ghost");
  const ghost = new ChatUser(victim.url, "ghost", ghostToken, { reconnection: false });
  await ghost.connected();
  await ghost.request("room:join", { room: "storm" });
  const onVictim = users.filter((u) => u.node() === victim.nodeId);
  assert.ok(onVictim.length > 0, "leastconn put some users on every node");

  // Each user sends, and reacts to what was sent before (edits and reactions must survive
  // the kill like messages: acknowledged means durable and seen by everyone).
  let sending = true;
  const emoji = ["😀", "😁", "😂", "🤣", "😃", "😄", "😅", "😆", "😉"];
  const loops = users.map(async (u, n) => {
    for (let i = 0; sending; ++i) {
      const ack = await u.sendReliably("storm", `${u.username} #${i}`, `${u.username}-${i}`);
      if (i % 2 === 1) await u.reactReliably("storm", ack.id, emoji[n]);
    }
  });
  await until(() => users.every((u) => u.acked.size >= 5), "sends before the kill");

  const ghostOffline = waitFor(users.find((u) => u.node() !== victim.nodeId), "presence",
                               (p) => p.user === "ghost" && p.status === "offline", 30000);
  const ackedBefore = new Map(users.map((u) => [u, u.acked.size]));
  await victim.kill("SIGKILL");
  // Everyone keeps sending; those who were on the victim do so from another node.
  await until(() => users.every((u) => u.acked.size >= ackedBefore.get(u) + 5), "sends after the kill", 60000);
  sending = false;
  await Promise.all(loops);
  await ghostOffline;

  for (const u of onVictim) {
    assert.ok(u.reconnects >= 1, `${u.username} reconnected`);
    assert.notEqual(u.node(), victim.nodeId);
  }
  // Every user holds every acknowledged message, in one gap-free sequence.
  const acked = new Map();
  for (const u of users) for (const [clientId, seq] of u.acked) acked.set(seq, clientId);
  const lastSeq = Math.max(...acked.keys());
  for (const u of users) {
    await u.fill("storm");
    const received = u.received.get("storm");
    for (const [seq, clientId] of acked) assert.equal(received.get(seq)?.clientId, clientId, `${u.username} has seq ${seq}`);
    assert.deepEqual(u.seqs("storm").slice(0, lastSeq), Array.from({ length: lastSeq }, (_, i) => i + 1));
  }
  // And no message was stored twice: one seq per clientId.
  const page = [];
  for (let after = 0; ; ) {
    const chunk = await users[1].request("history:fetch", { room: "storm", afterSeq: after, limit: 200 });
    page.push(...chunk.messages);
    if (chunk.messages.length < 200) break;
    after = chunk.messages.at(-1).seq;
  }
  const clientIds = page.map((m) => m.clientId);
  assert.equal(new Set(clientIds).size, clientIds.length);
  // Every acknowledged reaction is in the stored message, and every user's view of the
  // changes (live message:update, then updates:fetch) ends at the stored state.
  const stored = new Map(page.map((m) => [m.id, m]));
  for (const [n, u] of users.entries()) {
    for (const id of u.reacted.keys())
      assert.ok(stored.get(id).reactions?.some((r) => r.emoji === emoji[n] && r.users.includes(u.username)),
                `${u.username}'s reaction on ${id}`);
  }
  for (const u of users) {
    await u.fillUpdates("storm");
    for (const message of page)
      assert.equal(u.states.get("storm").get(message.id)?.rev, message.rev, `${u.username} sees ${message.id} at rev ${message.rev}`);
  }
});
