// Hostile clients against a running confabd: malformed HTTP, Engine.IO and Socket.IO,
// oversize frames, event floods, slow headers, session floods and hostile uploads and
// downloads (lying lengths, path names, stalled bodies), in repeated waves,
// while two ordinary users keep chatting. Their conversation must be complete and the
// server's memory must stop growing once the first wave has warmed it up.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import net from "node:net";
import { once } from "node:events";
import WebSocket from "ws";
import { io } from "socket.io-client";
import { startConfabd, postJson } from "../interop/support.mjs";

let server;
before(async () => {
  server = await startConfabd({ args: ["--max-sessions-per-address", "40", "--max-members-per-room", "3",
                                       "--max-payload", "65536", "--events-per-second", "20", "--event-burst", "40"] });
});
after(async () => { await server.kill("SIGTERM"); });

const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, "utf8"))[1]);

async function token(username) {
  return (await postJson(`${server.url}/api/v1/register`, { username, password: "password123" })).body.token;
}

function connect(auth, options = {}) {
  const socket = io(server.url, { auth, transports: ["websocket"], reconnection: false, ...options });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => reject(error));
  });
}

// Sends raw bytes on a TCP connection; resolves when the server closed it.
async function rawHttp(bytes) {
  const socket = net.connect(server.port, "127.0.0.1");
  await once(socket, "connect");
  socket.on("data", () => {});
  socket.on("error", () => {});
  socket.write(bytes);
  await once(socket, "close");
}

// Sends raw bytes and resolves once the answer's status line came (then hangs up: a
// refused upload's body would be read and dropped, and this one has none to send).
async function httpAnswer(bytes, expectedStatus) {
  const socket = net.connect(server.port, "127.0.0.1");
  socket.on("error", () => {});
  await once(socket, "connect");
  socket.write(bytes);
  const [chunk] = await once(socket, "data");
  socket.destroy();
  assert.equal(chunk.toString("latin1").split(" ")[1], String(expectedStatus), bytes.slice(0, 80));
}

// A raw Engine.IO WebSocket: resolves with the close code after sending `frames`.
async function rawEngineIo(frames) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`);
  ws.on("error", () => {});
  await once(ws, "open");
  for (const frame of frames) ws.send(frame);
  const [code] = await once(ws, "close");
  return code;
}

async function wave(attackerToken) {
  const attacks = [];
  // Malformed and oversized HTTP.
  for (let i = 0; i < 30; ++i) {
    attacks.push(rawHttp("GARBAGE\r\n\r\n"));
    attacks.push(rawHttp(`GET / HTTP/1.1\r\nX: ${"a".repeat(20000)}\r\n\r\n`));
    attacks.push(rawHttp("POST /api/v1/login HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"));
  }
  // Malformed Engine.IO and Socket.IO packets, an oversize frame: each closes its own connection.
  for (let i = 0; i < 10; ++i) {
    attacks.push(rawEngineIo(["9nonsense"]));
    attacks.push(rawEngineIo(["40", '42["unterminated']));
    attacks.push(rawEngineIo(["4" + "x".repeat(70000)]));
  }
  // An authenticated event flood: answered rate_limited, never crashing anything.
  attacks.push((async () => {
    const flooder = await connect({ token: attackerToken });
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) =>
      flooder.timeout(10000).emitWithAck("typing", { room: "nowhere", active: i % 2 === 0 }).catch(() => ({ timeout: true }))));
    flooder.disconnect();
    assert.ok(answers.some((a) => a.error?.code === "rate_limited"), "the flood met the rate limit");
  })());
  // Malformed protocol v2 events, each answered with bad_request (or forbidden for a room
  // the attacker is not in), none closing the connection or touching anyone's messages.
  attacks.push((async () => {
    const attacker = await connect({ token: attackerToken });
    const huge = "x".repeat(5000);
    const malformed = [
      ["message:edit", { room: "calm", id: "../../etc", text: "x" }], ["message:edit", { room: "calm", id: "a", text: huge }],
      ["message:edit", { room: "calm", id: "a", text: null }], ["message:delete", { room: ["calm"], id: "a" }],
      ["message:delete", { room: "calm", id: "a".repeat(500) }], ["reaction:set", { room: "calm", id: "a", emoji: "\u0000", on: true }],
      ["reaction:set", { room: "calm", id: "a", emoji: "🎉".repeat(20), on: true }], ["reaction:set", { room: "calm", id: "a", emoji: "👍", on: "yes" }],
      ["updates:fetch", { room: "calm", afterRev: 1e300 }], ["updates:fetch", { room: "calm", afterRev: 0, limit: 100000 }],
      ["room:reads", { room: 42 }], ["message:send", { room: "calm", clientId: "x", text: "hi", replyTo: { id: "a" } }],
      ["message:edit", "not an object"], ["reaction:set", [1, 2, 3]],
      ["search", { query: "\" ** ()" }], ["search", { query: "x", room: "calm" }], ["search", { query: huge }],
      ["search", { query: ["a"] }], ["search", { query: "a", limit: 1e300 }],
    ];
    const answers = await Promise.all(malformed.map(([event, payload]) =>
      attacker.timeout(10000).emitWithAck(event, payload).catch(() => ({ timeout: true }))));
    for (const [i, answer] of answers.entries())
      assert.ok(["bad_request", "too_large", "forbidden", "rate_limited"].includes(answer.error?.code),
                `${malformed[i][0]} ${JSON.stringify(malformed[i][1]).slice(0, 60)}: ${JSON.stringify(answer).slice(0, 120)}`);
    assert.equal(attacker.connected, true);
    attacker.disconnect();
  })());
  // Files: lying lengths, names that are paths, traversal in ids, odd Range headers; each
  // answered with its status at once. Slow uploads stall mid-body and are cut below.
  const auth = `Authorization: Bearer ${attackerToken}\r\n`;
  for (let i = 0; i < 5; ++i) {
    attacks.push(httpAnswer(`POST /api/v1/files?name=big HTTP/1.1\r\n${auth}Content-Length: 999999999999\r\n\r\n`, 413));
    attacks.push(httpAnswer(`POST /api/v1/files?name=..%2F..%2Fadmin-token HTTP/1.1\r\n${auth}Content-Length: 3\r\n\r\nabc`, 400));
    attacks.push(httpAnswer(`POST /api/v1/files?name=a%0Ab HTTP/1.1\r\n${auth}Content-Length: 3\r\n\r\nabc`, 400));
    attacks.push(httpAnswer(`POST /api/v1/files?name=x HTTP/1.1\r\n${auth}Content-Type: text/html\r\nX\r\n\r\n`, 400));
    attacks.push(httpAnswer("POST /api/v1/files?name=x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 401));
    attacks.push(httpAnswer(`GET /api/v1/files/..%2F..%2Fadmin-token HTTP/1.1\r\n${auth}\r\n`, 404));
    attacks.push(httpAnswer(`GET /api/v1/files/x HTTP/1.1\r\n${auth}Range: bytes=-99999999999999999999999\r\nIf-None-Match: ${"\"a\",".repeat(1000)}\r\n\r\n`, 404));
  }
  const stalled = [];
  for (let i = 0; i < 5; ++i) {
    const socket = net.connect(server.port, "127.0.0.1");
    socket.on("error", () => {});
    socket.write(`POST /api/v1/files?name=slow${i} HTTP/1.1\r\n${auth}Content-Length: 1048576\r\n\r\n${"x".repeat(1000)}`);
    stalled.push(socket);
  }
  // Slow headers: half a request, then silence; the head deadline closes them later.
  const slow = [];
  for (let i = 0; i < 20; ++i) {
    const socket = net.connect(server.port, "127.0.0.1");
    socket.on("error", () => {});
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    slow.push(socket);
  }
  await Promise.all(attacks);
  for (const socket of [...slow, ...stalled]) socket.destroy();
}

test("other users keep chatting and memory stays bounded through waves of abuse", async () => {
  const alice = await connect({ token: await token("h-alice") });
  const bob = await connect({ token: await token("h-bob") });
  const attackerToken = await token("h-mallory");
  assert.equal((await alice.emitWithAck("room:create", { room: "calm" })).ok, true);
  assert.equal((await bob.emitWithAck("room:join", { room: "calm" })).ok, true);
  const received = [];
  bob.on("message", (m) => received.push(m.text));
  let sent = 0;
  const chat = async () => {
    const ack = await alice.emitWithAck("message:send", { room: "calm", clientId: `c${sent}`, text: `msg ${sent}` });
    assert.equal(ack.ok, true);
    ++sent;
  };

  const samples = [];
  for (let round = 0; round < 6; ++round) {
    await Promise.all([wave(attackerToken), chat()]);
    await chat();
    samples.push(rssKiB());
  }
  // All of alice's messages reached bob, in order.
  await new Promise((resolve) => (received.length === sent ? resolve() : bob.on("message", () => received.length === sent && resolve())));
  assert.deepEqual(received, Array.from({ length: sent }, (_, i) => `msg ${i}`));
  // After the first wave (allocator warm-up), five more identical waves add little.
  const growthKiB = samples.at(-1) - samples[0];
  console.log(`confabd RSS after each wave (KiB): ${samples.join(", ")}; growth after wave 1: ${growthKiB} KiB`);
  // Under ThreadSanitizer (scripts/tsan.sh) its shadow memory grows with what it has seen.
  const boundKiB = (process.env.TSAN_OPTIONS ? 32 : 16) * 1024;
  assert.ok(growthKiB < boundKiB, `RSS grew ${growthKiB} KiB over five waves`);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  // The stalled uploads left nothing: their temporaries go when their connections close.
  const temporaries = path.join(server.dataDir, "files", "tmp");
  for (let i = 0; i < 100 && readdirSync(temporaries).length > 0; ++i) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(readdirSync(temporaries), []);
  alice.disconnect();
  bob.disconnect();
});

test("a room holds at most --max-members-per-room members", async () => {
  const users = await Promise.all(["m-1", "m-2", "m-3", "m-4"].map(async (name) => connect({ token: await token(name) })));
  await users[0].emitWithAck("room:create", { room: "small" });
  assert.equal((await users[1].emitWithAck("room:join", { room: "small" })).ok, true);
  assert.equal((await users[2].emitWithAck("room:join", { room: "small" })).ok, true);
  const full = await users[3].emitWithAck("room:join", { room: "small" });
  assert.equal(full.error.code, "forbidden");
  assert.match(full.error.message, /full/);
  for (const user of users) user.disconnect();
});

test("every HTTP answer carries the security headers", async () => {
  for (const path of ["/healthz", "/nowhere", "/socket.io/?EIO=4&transport=polling"]) {
    const response = await fetch(`${server.url}${path}`);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    assert.match(response.headers.get("content-security-policy"), /default-src 'none'/);
    assert.equal(response.headers.get("referrer-policy"), "no-referrer");
    assert.equal(response.headers.get("cache-control"), "no-store");
  }
});

// Last: the sessions it opens hold the address's quota until they time out.
test("sessions per address are capped, and X-Forwarded-For from an untrusted peer changes nothing", async () => {
  const handshakes = [];
  for (let i = 0; i < 45; ++i)
    handshakes.push(await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`,
                                { headers: { "X-Forwarded-For": `10.0.0.${i}` } }));
  const refused = handshakes.filter((r) => r.status === 429);
  assert.ok(refused.length >= 5, `${refused.length} refused`);
  assert.ok(refused[0].headers.get("retry-after"));
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /confab_engine_refused_total\{reason="sessions_per_address"\} [1-9]/);
});
