// Users on different nodes behave as if on one server: messages, typing, presence,
// membership changes and direct messages cross nodes through Redis; HAProxy routes
// long-polling by session id with no sticky cookie.
import { test, after } from "node:test";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import assert from "node:assert/strict";
import { startRedis, startCluster, redisCli, stopAll } from "./support.mjs";
import { ChatUser, register, waitFor } from "./chatclient.mjs";

const redis = await startRedis();
const { nodes, haproxy } = await startCluster({ redisUrl: `redis://127.0.0.1:${redis.port}` });
const users = [];
after(async () => {
  for (const user of users) user.close();
  await stopAll();
});

async function user(name, url, options) {
  const token = await register(nodes[0].url, name); // a token from n1 works on every node
  const chatUser = new ChatUser(url, name, token, options);
  users.push(chatUser);
  await chatUser.connected();
  return chatUser;
}

test("messages, typing and presence cross nodes", async () => {
  const ann = await user("ann", nodes[0].url);
  const ben = await user("ben", nodes[1].url);
  assert.equal((await ann.request("room:create", { room: "lobby" })).ok, true);
  const joined = waitFor(ann, "member", (m) => m.user === "ben" && m.action === "joined");
  assert.equal((await ben.request("room:join", { room: "lobby" })).ok, true);
  await joined;

  const delivered = waitFor(ben, "message", (m) => m.clientId === "ann-1");
  const ack = await ann.sendReliably("lobby", "hello from n1", "ann-1");
  assert.equal((await delivered).seq, ack.seq);

  const typing = waitFor(ann, "typing", (t) => t.user === "ben" && t.active);
  await ben.request("typing", { room: "lobby", active: true });
  await typing;

  const away = waitFor(ben, "presence", (p) => p.user === "ann" && p.status === "away");
  await ann.request("presence:set", { status: "away" });
  await away;
  const states = await ben.request("presence:get", { users: ["ann", "ben"] });
  assert.equal(states.presence.ann.status, "away");
  assert.equal(states.presence.ben.status, "online");

  // A third user on n3 joins; ann and ben see it, and a message reaches all three nodes.
  const cat = await user("cat", nodes[2].url);
  const seen = Promise.all([ann, ben].map((u) => waitFor(u, "member", (m) => m.user === "cat")));
  await cat.request("room:join", { room: "lobby" });
  await seen;
  const everywhere = Promise.all([ann, ben].map((u) => waitFor(u, "message", (m) => m.clientId === "cat-1")));
  await cat.sendReliably("lobby", "hello from n3", "cat-1");
  await everywhere;

  // Closing ben's only connection shows him offline on n1, with a lastSeen.
  const offline = waitFor(ann, "presence", (p) => p.user === "ben" && p.status === "offline");
  ben.close();
  assert.ok((await offline).lastSeen > 0);
});

test("a direct message opened on one node reaches the other user's node", async () => {
  const dee = await user("dee", nodes[0].url);
  const eve = await user("eve", nodes[1].url);
  const opened = await dee.request("dm:open", { user: "eve" });
  assert.equal(opened.ok, true);
  const room = opened.room.name;
  // eve's sockets on n1 join the room when n1 hears of it; then messages flow.
  const delivered = waitFor(eve, "message", (m) => m.room === room && m.text === "psst");
  for (let i = 0; !eve.received.get(room)?.size; ++i) {
    await dee.sendReliably(room, "psst", `dee-dm-${i}`);
    await Promise.race([delivered, new Promise((resolve) => setTimeout(resolve, 200))]);
  }
  assert.equal((await delivered).from, "dee");
});

test("long-polling through HAProxy finds its node by session id, then upgrades", async () => {
  const fay = await user("fay", haproxy.url, { transports: ["polling"] });
  assert.match(fay.socket.io.engine.id, /^n[123]\./);
  // Many polling round trips: each would fail with "unknown sid" on the wrong node.
  await fay.request("room:create", { room: "polled" });
  for (let i = 0; i < 20; ++i) await fay.sendReliably("polled", `poll ${i}`, `fay-${i}`);
  await fay.fill("polled");
  assert.deepEqual(fay.seqs("polled"), Array.from({ length: 20 }, (_, i) => i + 1));

  const gus = await user("gus", haproxy.url, { transports: ["polling", "websocket"] });
  await new Promise((resolve) => gus.socket.io.engine.transport.name === "websocket"
    ? resolve() : gus.socket.io.engine.once("upgrade", resolve));
  assert.equal(gus.socket.io.engine.transport.name, "websocket");
  assert.equal((await gus.request("room:list", {})).ok, true);
});

test("one publish per message, heard only by nodes with members", async () => {
  const hal = await user("hal", nodes[0].url);
  await hal.request("room:create", { room: "solo" });
  // Only n1 has a member of "solo": one subscriber on its channel.
  const subscribers = redisCli(redis.port, "PUBSUB", "NUMSUB", "confab:r:solo").split("\n")[1];
  assert.equal(subscribers, "1");
});

test("confabctl nodes lists every node of the cluster from any node", async () => {
  const confabctl = path.join(process.env.CONFAB_BINARY_DIR, "tools/confabctl/confabctl");
  const { stdout } = await promisify(execFile)(confabctl, ["--server", nodes[1].url, "nodes"],
                                               { env: { ...process.env, CONFAB_ADMIN_TOKEN: nodes[1].adminToken } });
  const listed = stdout.trim().split("\n").map((line) => JSON.parse(line)).sort((a, b) => a.node.localeCompare(b.node));
  assert.deepEqual(listed.map((n) => [n.node, n.alive, n.self]), [["n1", true, false], ["n2", true, true], ["n3", true, false]]);
  assert.ok(listed.every((n) => Number.isInteger(n.users)));
});
