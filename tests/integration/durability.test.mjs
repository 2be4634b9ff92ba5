// kill -9 of confabd in the middle of 1,000 sends: every acked message is there after a restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { startConfabd, postJson } from "../interop/support.mjs";

test("acked messages survive kill -9 during 1,000 sends", async () => {
  // The per-connection rate limit is not under test here: lift it.
  const args = ["--events-per-second", "100000", "--event-burst", "100000"];
  let server = await startConfabd({ args });
  const { body } = await postJson(`${server.url}/api/v1/register`, { username: "durable", password: "durable-pass" });
  const token = body.token;
  const socket = io(server.url, { auth: { token }, reconnection: false, transports: ["websocket"] });
  await new Promise((resolve) => socket.once("connect", resolve));
  await socket.timeout(5000).emitWithAck("room:create", { room: "durable" });

  const acked = [];
  let sent = 0;
  const killed = new Promise((resolve) => {
    // Keep 20 sends in flight; kill the server once 300 are acked, mid-stream.
    const pump = () => {
      while (sent < 1000 && sent - acked.length < 20) {
        const clientId = `m${sent++}`;
        socket.timeout(5000).emitWithAck("message:send", { room: "durable", clientId, text: clientId })
          .then((answer) => {
            assert.equal(answer.ok, true, JSON.stringify(answer));
            acked.push({ clientId, seq: answer.seq, id: answer.id });
            if (acked.length === 300) resolve(server.kill("SIGKILL"));
            pump();
          })
          .catch(() => {}); // no answer: the server was killed before it acked
      }
    };
    pump();
  });
  await killed;
  socket.disconnect();
  assert.ok(acked.length >= 300);

  server = await startConfabd({ dataDir: server.dataDir, args });
  try {
    const reader = io(server.url, { auth: { token }, reconnection: false, transports: ["websocket"] });
    await new Promise((resolve) => reader.once("connect", resolve));
    const stored = new Map();
    for (let after = 0; ; ) {
      const page = await reader.timeout(5000).emitWithAck("history:fetch", { room: "durable", afterSeq: after, limit: 200 });
      assert.equal(page.ok, true);
      if (page.messages.length === 0) break;
      for (const message of page.messages) stored.set(message.clientId, message);
      after = page.messages.at(-1).seq;
    }
    for (const { clientId, seq, id } of acked) {
      const message = stored.get(clientId);
      assert.ok(message, `acked ${clientId} is missing`);
      assert.equal(message.seq, seq);
      assert.equal(message.id, id);
    }
    const seqs = [...stored.values()].map((m) => m.seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1)); // no gaps
    reader.disconnect();
  } finally {
    await server.kill("SIGTERM");
  }
});

test("acked edits and reactions survive kill -9 mid-stream, in rev order", async () => {
  const args = ["--events-per-second", "100000", "--event-burst", "100000"];
  let server = await startConfabd({ args });
  const { body } = await postJson(`${server.url}/api/v1/register`, { username: "changer", password: "durable-pass" });
  const token = body.token;
  const socket = io(server.url, { auth: { token }, reconnection: false, transports: ["websocket"] });
  await new Promise((resolve) => socket.once("connect", resolve));
  await socket.timeout(5000).emitWithAck("room:create", { room: "changes" });
  const ids = [];
  for (let i = 0; i < 300; ++i)
    ids.push((await socket.timeout(5000).emitWithAck("message:send", { room: "changes", clientId: `c${i}`, text: `draft ${i}` })).id);

  // Each message is edited and reacted to; 20 changes in flight; kill once 250 are acked.
  const acked = [];
  let next = 0;
  const killed = new Promise((resolve) => {
    const pump = () => {
      while (next < 600 && next - acked.length < 20) {
        const n = next++;
        const id = ids[n >> 1];
        const [event, payload] = n % 2 === 0 ? ["message:edit", { room: "changes", id, text: `edited ${n >> 1}` }]
                                             : ["reaction:set", { room: "changes", id, emoji: "✅", on: true }];
        socket.timeout(5000).emitWithAck(event, payload)
          .then((answer) => {
            assert.equal(answer.ok, true, JSON.stringify(answer));
            acked.push({ event, id, rev: answer.rev });
            if (acked.length === 250) resolve(server.kill("SIGKILL"));
            pump();
          })
          .catch(() => {});
      }
    };
    pump();
  });
  await killed;
  socket.disconnect();

  server = await startConfabd({ dataDir: server.dataDir, args });
  try {
    const reader = io(server.url, { auth: { token }, reconnection: false, transports: ["websocket"] });
    await new Promise((resolve) => reader.once("connect", resolve));
    const state = new Map();
    let lastRev = 0;
    for (let after = 0; ; ) {
      const page = await reader.timeout(5000).emitWithAck("updates:fetch", { room: "changes", afterRev: after, limit: 200 });
      assert.equal(page.ok, true);
      lastRev = page.lastRev;
      for (const message of page.messages) {
        assert.ok(message.rev > after, "ascending rev");
        after = message.rev;
        state.set(message.id, message);
      }
      if (page.messages.length < 200) break;
    }
    for (const { event, id, rev } of acked) {
      const message = state.get(id);
      assert.ok(message.rev >= rev, `${event} on ${id}: stored rev ${message.rev} < acked ${rev}`);
      if (event === "message:edit") assert.match(message.text, /^edited /);
      else assert.deepEqual(message.reactions?.map((r) => r.emoji), ["✅"]);
    }
    // Every rev the room handed out belongs to exactly one committed operation: the
    // 300 messages and the changes that reached the disk, with no gap.
    const revs = [...state.values()].map((m) => m.rev);
    assert.equal(new Set(revs).size, revs.length);
    assert.equal(lastRev, Math.max(...revs));
    assert.ok(lastRev >= 300 + acked.length);
    reader.disconnect();
  } finally {
    await server.kill("SIGTERM");
  }
});
