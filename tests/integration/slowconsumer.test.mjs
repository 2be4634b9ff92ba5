// Backpressure against a real confabd: a client that stops reading must cost the server
// no more than its outbound budget, must not hold anyone else up, and loses volatile
// events (typing) before it loses its connection. Two kinds of stalled reader: a
// long-polling client that never polls again (its backlog is entirely ours), and a
// WebSocket client that stops reading its socket (the kernel's buffers fill first).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { io } from "socket.io-client";
import WebSocket from "ws";
import { startConfabd, postJson, next, sample } from "../interop/support.mjs";

const BudgetKb = 256;
const text = "x".repeat(4000); // about 4.2 KB per message event on the wire

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
const metrics = async (server) => (await fetch(`${server.url}/metrics`)).text();

async function register(server, username) {
  return (await postJson(`${server.url}/api/v1/register`, { username, password: "slow-password" })).body.token;
}

async function connect(server, token) {
  const socket = io(server.url, { auth: { token }, reconnection: false, forceNew: true, transports: ["websocket"] });
  await next(socket, "connect");
  return socket;
}

// Sends count messages, 50 in flight at a time, each acked, in order. Returns the largest
// backlog of any one session the server reported meanwhile (confab_outbound_largest_queued_bytes).
async function send(server, socket, room, count, first = 0) {
  let largestBacklog = 0;
  for (let start = first; start < first + count; start += 50) {
    const batch = [];
    for (let i = start; i < Math.min(first + count, start + 50); ++i)
      batch.push(socket.timeout(10000).emitWithAck("message:send", { room, clientId: `m${i}`, text }));
    for (const answer of await Promise.all(batch)) assert.equal(answer.ok, true);
    largestBacklog = Math.max(largestBacklog, sample(await metrics(server), "confab_outbound_largest_queued_bytes"));
  }
  return largestBacklog;
}

// One session's backlog may pass the budget by at most the message that tipped it. (The
// total over all sessions would also count the reader's in-flight messages: up to 50 of
// them, which made a bound on it depend on how fast the reader was scheduled.)
const backlogLimit = BudgetKb * 1024 + 8 * 1024;
// RSS also holds the store's growth (every message is stored) and, under AddressSanitizer,
// its 8 MiB quarantine of freed memory (scripts/sanitize.sh); under ThreadSanitizer its
// shadow memory and access history (scripts/tsan.sh).
const rssBoundKb = (process.env.TSAN_OPTIONS ? 48 : process.env.ASAN_OPTIONS ? 20 : 10) * 1024;

// A sender and a reader who counts what arrives, in a new room.
async function senderAndReader(server, room) {
  const sender = await connect(server, await register(server, `${room}-sender`));
  await sender.timeout(5000).emitWithAck("room:create", { room });
  const reader = await connect(server, await register(server, `${room}-reader`));
  await reader.timeout(5000).emitWithAck("room:join", { room });
  const counted = { received: 0 };
  reader.on("message", () => { ++counted.received; });
  return { sender, reader, counted };
}

async function startServer() {
  return startConfabd({ args: ["--outbound-budget-kb", String(BudgetKb), "--events-per-second", "100000",
                               "--event-burst", "100000", "--ping-interval", "30000", "--ping-timeout", "30000"] });
}

test("a long-polling client that stops polling loses typing first, then its session; the others get everything", async () => {
  const server = await startServer();
  try {
    const { sender, reader, counted } = await senderAndReader(server, "firehose");

    // The stalled client, by hand: handshake, connect, join, then never poll again.
    const token = await register(server, "stalled");
    const base = `${server.url}/socket.io/?EIO=4&transport=polling`;
    const open = await (await fetch(base)).text();
    const sid = JSON.parse(open.slice(1)).sid;
    const post = (body) => fetch(`${base}&sid=${sid}`, { method: "POST", body });
    await post(`40${JSON.stringify({ token })}`);
    assert.match(await (await fetch(`${base}&sid=${sid}`)).text(), /^40/);
    await post(`420${JSON.stringify(["room:join", { room: "firehose" }])}`);

    const before = rssKb(server.child.pid);
    // Fill its backlog past half the budget (about 40 × 4.2 KB of 256 KB): typing to it is dropped.
    const halfFull = await send(server, sender, "firehose", 40);
    sender.emit("typing", { room: "firehose", active: true });
    await send(server, sender, "firehose", 1, 40); // after the typing, in order: the typing has been handled
    assert.ok(sample(await metrics(server), 'confab_outbound_dropped_total{reason="volatile"}') >= 1);
    assert.equal(sample(await metrics(server), "confab_slow_consumers_total"), 0);

    // Past the budget: its session is closed; many more messages cost the server nothing more.
    const backlog = Math.max(halfFull, await send(server, sender, "firehose", 3000, 41));
    assert.equal(sample(await metrics(server), "confab_slow_consumers_total"), 1);
    const grownKb = rssKb(server.child.pid) - before;
    console.log(`# 3041 messages of 4 KB (12.8 MB) to a stalled poller with a ${BudgetKb} KiB budget: ` +
                `largest backlog ${backlog} bytes, RSS grew ${grownKb} KiB`);
    assert.ok(backlog <= backlogLimit, `backlog ${backlog} bytes`);
    assert.ok(grownKb < rssBoundKb, `RSS grew ${grownKb} KiB`);
    const gone = await fetch(`${base}&sid=${sid}`);
    assert.equal(gone.status, 400); // the session is gone; a real client would reconnect and resync

    // The reader was never held up: every message arrived.
    while (counted.received < 3041) await next(reader, "message");
    assert.equal(counted.received, 3041);
    sender.close();
    reader.close();
  } finally {
    await server.kill();
  }
});

test("a WebSocket client that stops reading is closed at its budget; the server's memory stays bounded", async () => {
  const server = await startServer();
  try {
    const { sender, reader, counted } = await senderAndReader(server, "flood");

    const token = await register(server, "wstalled");
    const stalled = new WebSocket(`${server.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
    const frames = [];
    stalled.on("message", (data) => frames.push(String(data)));
    await new Promise((resolve) => stalled.once("open", resolve));
    stalled.send(`40${JSON.stringify({ token })}`);
    while (!frames.some((frame) => frame.startsWith("40"))) await new Promise((resolve) => stalled.once("message", resolve));
    stalled.send(`421${JSON.stringify(["room:join", { room: "flood" }])}`);
    while (!frames.some((frame) => frame.startsWith("431"))) await new Promise((resolve) => stalled.once("message", resolve));
    const closed = new Promise((resolve) => stalled.once("close", resolve));
    stalled._socket.pause(); // stop reading: the kernel's buffers fill, then the server's

    const before = rssKb(server.child.pid);
    let sent = 0, backlog = 0;
    while (sample(await metrics(server), "confab_slow_consumers_total") === 0) {
      backlog = Math.max(backlog, await send(server, sender, "flood", 500, sent));
      sent += 500;
      assert.ok(sent <= 20000, "the stalled WebSocket was never closed");
    }
    const grownKb = rssKb(server.child.pid) - before;
    console.log(`# ${sent} messages (${(sent * 4.2 / 1024).toFixed(1)} MB) until the stalled WebSocket passed its ` +
                `${BudgetKb} KiB budget: largest backlog ${backlog} bytes, RSS grew ${grownKb} KiB`);
    assert.ok(backlog <= backlogLimit, `backlog ${backlog} bytes`);
    assert.ok(grownKb < rssBoundKb, `RSS grew ${grownKb} KiB`);
    stalled._socket.resume();
    await closed;
    while (counted.received < sent) await next(reader, "message");
    assert.equal(counted.received, sent);
    sender.close();
    reader.close();
  } finally {
    await server.kill();
  }
});
