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
