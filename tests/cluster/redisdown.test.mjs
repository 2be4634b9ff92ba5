// Redis stops for 10 s and comes back: nodes keep their connections, users on the same
// node keep seeing each other type, sends are refused `unavailable` (the client keeps
// them) and go through afterwards, nothing acknowledged is lost, and presence
// converges, including for a user who left while Redis was down.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { startRedis, startNode, stopAll, until } from "./support.mjs";
import { signUp, waitFor } from "./chatclient.mjs";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const redis = await startRedis();
const redisUrl = `redis://127.0.0.1:${redis.port}`;
const secretFile = path.join(mkdtempSync(path.join(os.tmpdir(), "confab-secret-")), "token-secret");
const n1 = await startNode({ redisUrl, nodeId: "n1", secretFile });
const n2 = await startNode({ redisUrl, nodeId: "n2", secretFile });
const users = [];
after(async () => {
  for (const user of users) user.close();
  await stopAll();
});

async function metric(node, name) {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
}

test("a Redis outage loses nothing acknowledged and presence converges", async () => {
  const make = (name, node) => signUp(node, name, users);
  const amy = await make("amy", n1);
  const bob = await make("bob", n1);
  const cal = await make("cal", n2);
  await amy.request("room:create", { room: "outage" });
  await bob.request("room:join", { room: "outage" });
  await cal.request("room:join", { room: "outage" });
  const before = await amy.sendReliably("outage", "before", "amy-before");
  const reactedBefore = await bob.reactReliably("outage", before.id, "👍");

  await redis.kill("SIGKILL");
  const outageStart = Date.now();
  await until(async () => (await fetch(`${n1.url}/readyz`)).status === 503, "n1 to report not ready");
  // The command connection finds out at its next call (the presence heartbeat at the latest).
  await until(async () => await metric(n1, "confab_redis_up") === 0, "n1 to count Redis down");

  // Same-node users still see each other type.
  const typing = waitFor(bob, "typing", (t) => t.user === "amy");
  await amy.request("typing", { room: "outage", active: true });
  await typing;
  // A send cannot be made durable: refused as retryable, not lost, not "forbidden".
  const refused = await amy.request("message:send", { room: "outage", text: "during", clientId: "amy-during" });
  assert.equal(refused.error.code, "unavailable");
  // So is a change: never acknowledged and lost.
  const refusedChange = await amy.request("reaction:set", { room: "outage", id: before.id, emoji: "🎉", on: true });
  assert.equal(refusedChange.error.code, "unavailable");
  // New sessions are told to come back later.
  const handshake = await fetch(`${n1.url}/socket.io/?EIO=4&transport=polling`);
  assert.equal(handshake.status, 503);
  assert.ok(handshake.headers.get("retry-after"));
  // cal leaves while Redis cannot hear of it.
  cal.close();
  // The connections of amy and bob stay up through the outage.
  await sleep(Math.max(0, 10000 - (Date.now() - outageStart)));
  assert.equal(amy.socket.connected && bob.socket.connected, true);
  assert.equal(amy.reconnects + bob.reconnects, 0);

  await redis.restart();
  await until(async () => (await fetch(`${n1.url}/readyz`)).status === 200, "n1 to be ready again");
  // The message refused during the outage goes through with its clientId; bob gets it.
  const delivered = waitFor(bob, "message", (m) => m.clientId === "amy-during");
  await amy.sendReliably("outage", "during", "amy-during");
  await delivered;
  // The refused reaction goes through now and reaches bob as an update of the message.
  const updated = waitFor(bob, "message:update", (m) => m.id === before.id && m.reactions?.length === 2);
  const reactedAfter = await amy.reactReliably("outage", before.id, "🎉");
  assert.equal(reactedAfter.rev > reactedBefore.rev, true);
  await updated;
  // Nothing acknowledged before the outage was lost (AOF, fsync always).
  await bob.fill("outage");
  // In seq order: "before" may have reached bob live or only now by the fill, as Redis
  // could die between the ack and the publish.
  const outage = bob.received.get("outage");
  assert.deepEqual(bob.seqs("outage").map((seq) => outage.get(seq).clientId), ["amy-before", "amy-during"]);
  // Presence converges: cal is offline for everyone, amy and bob online.
  await until(async () => {
    const states = await bob.request("presence:get", { users: ["amy", "bob", "cal"] });
    return states.ok && states.presence.cal.status === "offline" && states.presence.amy.status === "online"
      && states.presence.bob.status === "online";
  }, "presence to converge");
  assert.ok(await metric(n1, "confab_bus_local_only_total") > 0);
});
