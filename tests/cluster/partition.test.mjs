// A network partition between one node and Redis: no RST, no FIN, the packets simply stop
// (tests/cluster/blackhole.mjs), under traffic through both nodes. The partitioned node
// finds out by its own deadlines, turns /readyz 503 and answers sends `unavailable` (never
// acknowledged and lost); the other node carries on; once the network heals the node is
// ready again within 15 s with its subscriptions back, and every user, filling gaps by
// seq, holds every acknowledged message.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startRedis, startNode, stopAll, until } from "./support.mjs";
import { startBlackholeProxy } from "./blackhole.mjs";
import { signUp, waitFor, traffic, percentile, assertHoldsEveryAck } from "./chatclient.mjs";

const redis = await startRedis();
const proxy = await startBlackholeProxy(redis.port);
const secretFile = path.join(mkdtempSync(path.join(os.tmpdir(), "confab-secret-")), "token-secret");
// n1 reaches Redis only through the proxy; n2 directly.
const n1 = await startNode({ redisUrl: `redis://127.0.0.1:${proxy.port}`, nodeId: "n1", secretFile });
const n2 = await startNode({ redisUrl: `redis://127.0.0.1:${redis.port}`, nodeId: "n2", secretFile });
const users = [];
after(async () => {
  for (const user of users) user.close();
  proxy.close();
  await stopAll();
});

async function metric(node, name) {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
}
const readyz = async (node) => (await fetch(`${node.url}/readyz`)).status;
test("a partition from Redis is detected by deadlines, refuses sends, and heals by itself", { timeout: 120000 }, async () => {
  const make = (name, node) => signUp(node, name, users);
  const amy = await make("amy", n1);
  const bob = await make("bob", n1);
  const cal = await make("cal", n2);
  const dan = await make("dan", n2);
  assert.equal((await amy.request("room:create", { room: "split" })).ok, true);
  for (const user of [bob, cal, dan]) assert.equal((await user.request("room:join", { room: "split" })).ok, true);
  await amy.sendReliably("split", "before", "amy-before");

  const flows = new Map(users.map((user) => [user, traffic(user, "split")]));
  await until(() => [...flows.values()].every((flow) => flow.sent > 5), "traffic from everyone");
  const n2Before = [cal, dan].flatMap((user) => flows.get(user).latencies.splice(0));

  proxy.blackhole();
  const cut = Date.now();
  await until(async () => (await readyz(n1)) === 503, "n1 to find Redis gone", 10000);
  const detectedMs = Date.now() - cut;
  // Sends on n1 are refused as retryable meanwhile; none is acknowledged without Redis.
  const refusal = await amy.request("message:send", { room: "split", text: "cut", clientId: "amy-cut" }, 8000);
  assert.equal(refusal.error?.code, "unavailable");
  const ackedOnN1 = amy.acked.size + bob.acked.size;
  const n2AckedBefore = cal.acked.size + dan.acked.size;
  // n2 is untouched: its users' messages are acknowledged throughout.
  await until(() => cal.acked.size + dan.acked.size >= n2AckedBefore + 20, "n2 to keep acknowledging");
  // The pub/sub link only reads: its own PINGs going unanswered are what tells it.
  await until(async () => (await metric(n1, "confab_redis_subscriber_up")) === 0, "n1's subscriber to count Redis gone", 10000);
  const subscriberDetectedMs = Date.now() - cut;
  assert.equal(amy.acked.size + bob.acked.size, ackedOnN1, "n1 acknowledged nothing while partitioned");
  assert.equal(flows.get(cal).refusals + flows.get(dan).refusals, 0, "n2 refused nothing");
  assert.equal(await readyz(n2), 200);
  const n2During = [cal, dan].flatMap((user) => flows.get(user).latencies.splice(0));

  proxy.heal();
  const healed = Date.now();
  await until(async () => (await readyz(n1)) === 200, "n1 to be ready again", 15000);
  const recoveredMs = Date.now() - healed;
  // Subscriptions are back: a message from n2 reaches amy on n1 live.
  const live = waitFor(amy, "message", (m) => m.clientId === "dan-after");
  await dan.sendReliably("split", "after", "dan-after");
  await live;
  // n1 acknowledges again.
  await until(() => amy.acked.size + bob.acked.size > ackedOnN1, "n1 to acknowledge again");
  await amy.sendReliably("split", "cut", "amy-cut");

  for (const flow of flows.values()) flow.running = false;
  await Promise.all([...flows.values()].map((flow) => flow.done));
  console.log(`n1 not ready ${detectedMs} ms after the cut, its subscriber down after ${subscriberDetectedMs} ms; ready ${recoveredMs} ms after healing; ` +
              `n2 ack p50/p99 before ${percentile(n2Before, 0.5)}/${percentile(n2Before, 0.99)} ms, ` +
              `during ${percentile(n2During, 0.5)}/${percentile(n2During, 0.99)} ms; ` +
              `refusals on n1: ${flows.get(amy).refusals + flows.get(bob).refusals}`);

  await assertHoldsEveryAck(users, "split");
});
