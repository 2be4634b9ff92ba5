// Overload protection and drain against real confabd processes, with stock
// socket.io-client users: a full node refuses new handshakes (503 + Retry-After) and
// turns /readyz 503; an overloaded node (its event loop stalled) sheds connections with
// server:advice before closing them; an operator can move N clients off a node; SIGTERM
// and `confabctl drain` advise everyone, empty the node and exit 0.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { promisify } from "node:util";
import { io } from "socket.io-client";
import { startConfabd, postJson, next, sample } from "../interop/support.mjs";

const run = promisify(execFile);
const confabctl = path.join(process.env.CONFAB_BINARY_DIR, "tools/confabctl/confabctl");

async function until(condition, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const handshake = (server) => fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
const readyz = async (server) => (await fetch(`${server.url}/readyz`)).status;
const metrics = async (server) => (await fetch(`${server.url}/metrics`)).text();

// Connected users, half on WebSocket and half on long-polling, each recording its advice.
async function connectUsers(server, count, prefix) {
  const users = [];
  for (let i = 0; i < count; ++i) {
    const { body } = await postJson(`${server.url}/api/v1/register`, { username: `${prefix}${i}`, password: "load-password" });
    const socket = io(server.url, { auth: { token: body.token }, reconnection: false, forceNew: true,
                                    transports: i % 2 ? ["polling"] : ["websocket"] });
    const user = { socket, advice: null, disconnected: false };
    socket.on("server:advice", (advice) => { user.advice = advice; });
    socket.on("disconnect", () => { user.disconnected = true; });
    await next(socket, "connect");
    users.push(user);
  }
  return users;
}

test("a full node refuses new handshakes with 503 + Retry-After and turns /readyz 503", async () => {
  const server = await startConfabd({ args: ["--max-connections", "3"] });
  try {
    assert.equal(await readyz(server), 200);
    for (let i = 0; i < 3; ++i) assert.equal((await handshake(server)).status, 200);
    assert.equal(await readyz(server), 503);
    const refused = await handshake(server);
    assert.equal(refused.status, 503);
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    assert.equal(sample(await metrics(server), 'confab_admission_refused_total{reason="max_connections"}'), 1);
    // The three sessions never poll, so they time out; then the node takes work again.
    await until(async () => (await readyz(server)) === 200, "/readyz 200 after the sessions expired");
    assert.equal((await handshake(server)).status, 200);
  } finally {
    await server.kill();
  }
});

test("an overloaded node sheds connections: server:advice first, then the transport closes", async () => {
  // Long heartbeats so the stall below does not time the clients out by itself.
  const server = await startConfabd({ args: ["--lag-high-ms", "150", "--lag-critical-ms", "250",
                                             "--ping-interval", "10000", "--ping-timeout", "10000"] });
  try {
    const users = await connectUsers(server, 4, "shed");
    // Stall the event loop for 1.5 s: the lag monitor sees it and the node goes critical.
    server.child.kill("SIGSTOP");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server.child.kill("SIGCONT");
    await until(() => users.some((user) => user.disconnected), "a shed connection");
    const shed = users.filter((user) => user.disconnected);
    for (const user of shed) {
      assert.equal(user.advice?.reason, "overloaded");
      assert.ok(user.advice.reconnectAfterMs >= 500 && user.advice.reconnectAfterMs <= 5000);
    }
    assert.ok(shed.length < users.length, "shedding is gradual, not everyone at once");
    assert.ok(sample(await metrics(server), "confab_connections_shed_total") >= 1);
    // The lag passes: the node is ready again and the survivors still chat.
    await until(async () => (await readyz(server)) === 200, "/readyz 200 after the stall");
    const survivor = users.find((user) => !user.disconnected);
    const answer = await survivor.socket.timeout(5000).emitWithAck("room:list", {});
    assert.equal(answer.ok, true);
    users.forEach((user) => user.socket.close());
  } finally {
    await server.kill();
  }
});

test("confabctl shed moves N clients off the node and leaves the rest", async () => {
  const server = await startConfabd();
  try {
    const users = await connectUsers(server, 4, "rebalance");
    const { stdout } = await run(confabctl, ["--server", server.url, "--admin-token-file", path.join(server.dataDir, "admin-token"),
                                             "shed", "2"]);
    assert.equal(JSON.parse(stdout).advised, 2);
    await until(() => users.filter((user) => user.disconnected).length === 2, "two clients moved");
    for (const user of users.filter((u) => u.disconnected)) assert.equal(user.advice.reason, "rebalancing");
    assert.equal(users.filter((user) => user.advice === null).length, 2);
    users.forEach((user) => user.socket.close());
  } finally {
    await server.kill();
  }
});

for (const how of ["SIGTERM", "confabctl drain"]) {
  test(`${how} advises every client, empties the node and exits 0`, async () => {
    const server = await startConfabd({ args: ["--drain-seconds", "2"] });
    const users = await connectUsers(server, 4, how === "SIGTERM" ? "term" : "drain");
    const exited = once(server.child, "exit");
    if (how === "SIGTERM") server.child.kill("SIGTERM");
    else await run(confabctl, ["--server", server.url, "--admin-token-file", path.join(server.dataDir, "admin-token"), "drain"]);
    const [code, signal] = await exited;
    assert.equal(signal, null);
    assert.equal(code, 0);
    await until(() => users.every((user) => user.disconnected), "every client disconnected");
    for (const user of users) assert.equal(user.advice?.reason, "draining");
  });
}

test("a store behind pauses reading from clients, and nothing sent meanwhile is lost", async () => {
  // --pause-reads-at 1: every append in flight pauses reading until the store has it.
  const server = await startConfabd({ args: ["--pause-reads-at", "1", "--events-per-second", "1000", "--event-burst", "1000"] });
  try {
    const [writer, reader] = await connectUsers(server, 2, "pauser");
    // connectUsers puts the second user on long-polling; both must be members.
    assert.equal((await writer.socket.emitWithAck("room:create", { room: "paused" })).ok, true);
    assert.equal((await reader.socket.emitWithAck("room:join", { room: "paused" })).ok, true);
    const received = [];
    reader.socket.on("message", (message) => received.push(message.text));
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      writer.socket.emitWithAck("message:send", { room: "paused", clientId: `p${i}`, text: `m${i}` })));
    assert.ok(replies.every((reply) => reply.ok), "every message acknowledged");
    assert.deepEqual(replies.map((reply) => reply.seq), Array.from({ length: 200 }, (_, i) => i + 1));
    await until(() => received.length === 200, "the reader's 200 messages");
    assert.deepEqual(received, Array.from({ length: 200 }, (_, i) => `m${i}`));
    const text = await metrics(server);
    assert.ok(sample(text, "confab_read_pauses_total") >= 1, "reading paused at least once");
    assert.equal(sample(text, "confab_reading_paused"), 0);
    assert.equal(sample(text, "confab_store_appends_in_flight"), 0);
    for (const user of [writer, reader]) user.socket.close();
  } finally {
    await server.kill("SIGTERM");
  }
});
