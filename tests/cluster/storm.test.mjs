// confab-bench storm on a real cluster (Redis, three nodes, HAProxy), at test scale: a
// node is killed under a few hundred clients and a publisher; every client that lost its
// node is back, and no message the cluster acknowledged is missing from the history.
// The 20,000-client run is a benchmark (bench/storm, docs/BENCHMARKS.md). Then the same
// for protocol v2: a node dies under users who edit and react, and no acknowledged
// change is lost.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { startRedis, startCluster, stopAll, until } from "./support.mjs";
import { ChatUser, assertChangesKept, register } from "./chatclient.mjs";

const run = promisify(execFile);
const bench = path.join(process.env.CONFAB_BINARY_DIR, "tools/bench/confab-bench");
const redis = await startRedis();
const { nodes, haproxy } = await startCluster({ redisUrl: `redis://127.0.0.1:${redis.port}`,
                                                nodeArgs: ["--max-sessions-per-address", "0"] });
const users = [];
after(async () => {
  for (const user of users) user.close();
  await stopAll();
});

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

test("a node killed under users who edit and react: no acknowledged change is lost", async () => {
  const victim = nodes[1]; // n1 died in the test above; HAProxy spreads the users over n2 and n3
  for (let i = 0; i < 30; ++i) {
    const name = `e${i}`;
    // Most on WebSocket, some on long-polling: both must come back after the kill.
    users.push(new ChatUser(haproxy.url, name, await register(haproxy.url, name),
                            { transports: i % 3 === 2 ? ["polling"] : ["websocket"] }));
  }
  await Promise.all(users.map((u) => u.connected()));
  assert.equal((await users[0].request("room:create", { room: "changes" }, 10000)).ok, true);
  // 29 joins at once (each answered with the member list) can outlast one 3 s request
  // timeout on a slow build (ASan): joining is idempotent, so ask until answered.
  await Promise.all(users.slice(1).map((u) => u.requestReliably("room:join", { room: "changes" })));
  const sent = await Promise.all(users.map((u) => u.sendReliably("changes", `${u.username} is here`, `${u.username}-0`)));
  const ids = sent.map((ack) => ack.id);
  const onVictim = users.filter((u) => u.node() === victim.nodeId);
  assert.ok(onVictim.length > 0, "leastconn put users on the victim");

  // Each user edits its message again and again and reacts to the others' messages in
  // turn (10 emoji: at most 3 users per emoji on a message, all listed); each change
  // acknowledged before the next.
  const emoji = ["🍎", "🍐", "🍊", "🍋", "🍌", "🍉", "🍇", "🍓", "🍒", "🍑"];
  const changes = users.map(() => 0);
  let changing = true;
  const loops = users.map(async (u, n) => {
    for (let i = 1; changing; ++i) {
      await u.editReliably("changes", ids[n], `${u.username} edit #${i}`);
      await u.reactReliably("changes", ids[(n + i) % ids.length], emoji[n % emoji.length]);
      ++changes[n];
    }
  });
  // Every change reaches every member (message:update): slow under ASan on a busy machine.
  await until(() => changes.every((count) => count >= 3), "changes before the kill", 60000);
  const before = [...changes];
  await victim.kill("SIGKILL");
  await until(() => changes.every((count, n) => count >= before[n] + 3), "changes after the kill", 60000);
  changing = false;
  await Promise.all(loops);
  for (const u of onVictim) {
    assert.ok(u.reconnects >= 1, `${u.username} reconnected`);
    assert.notEqual(u.node(), victim.nodeId);
  }

  // Every acknowledged edit and reaction kept, every user caught up to the stored state.
  for (const [n, u] of users.entries()) assert.ok(u.edited.has(ids[n]), `${u.username} edited`);
  await assertChangesKept(users, "changes", (n) => emoji[n % emoji.length]);
});
