// "Last seen" is kept by the embedded store: presence:get answers it after a restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { startConfabd, postJson } from "../interop/support.mjs";

async function connect(url, token) {
  const socket = io(url, { auth: { token }, reconnection: false, forceNew: true, transports: ["websocket"] });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

const lastSeenOf = async (socket, user) =>
  (await socket.timeout(5000).emitWithAck("presence:get", { users: [user] })).presence[user];

test("lastSeen survives a restart", async () => {
  let server = await startConfabd();
  try {
    const tokens = {};
    for (const username of ["seen", "watcher"])
      tokens[username] = (await postJson(`${server.url}/api/v1/register`, { username, password: "correct horse" })).body.token;
    const seen = await connect(server.url, tokens.seen);
    await seen.timeout(5000).emitWithAck("presence:set", { status: "away" });
    let watcher = await connect(server.url, tokens.watcher);
    seen.disconnect();
    // The watcher sees the disconnect once the server has handled it.
    let before;
    for (;;) {
      before = await lastSeenOf(watcher, "seen");
      if (before.status === "offline") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(before.lastSeen > 0);
    watcher.disconnect();
    await server.kill("SIGTERM");

    server = await startConfabd({ dataDir: server.dataDir });
    watcher = await connect(server.url, tokens.watcher);
    const after = await lastSeenOf(watcher, "seen");
    assert.equal(after.status, "offline");
    assert.equal(after.lastSeen, before.lastSeen);
    watcher.disconnect();
  } finally {
    await server.kill("SIGTERM");
  }
});
