// Chat protocol v1 against a real confabd process, driven by the stock socket.io-client.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { startConfabd, postJson, next } from "../interop/support.mjs";

let server;
const clients = [];
let userCounter = 0;

before(async () => {
  server = await startConfabd();
});

after(async () => {
  for (const client of clients) client.disconnect();
  await server.kill("SIGTERM");
});

async function newUser(prefix = "user") {
  const username = `${prefix}${++userCounter}`;
  const { status, body } = await postJson(`${server.url}/api/v1/register`, { username, password: "correct horse" });
  assert.equal(status, 201);
  return { username, token: body.token };
}

async function connectAs(user, options = {}) {
  const socket = io(server.url, { auth: { token: user.token }, reconnection: false, forceNew: true,
                                  transports: ["websocket"], ...options });
  clients.push(socket);
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

// The v1 fields with exactly these values; a v2 server adds fields (rev, lastRev, …), which
// a v1 client ignores.
function assertV1(actual, expected) {
  assert.ok(actual, "present");
  assert.deepEqual(Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key]])), expected);
}

const call = (socket, event, payload) => socket.timeout(5000).emitWithAck(event, payload);

// Resolves with the first `event` payload that satisfies `predicate`.
function waitFor(socket, event, predicate = () => true) {
  return new Promise((resolve) => {
    const handler = (payload) => {
      if (!predicate(payload)) return;
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

test("register and login answer the contract's codes", async () => {
  const user = await newUser("acct");
  assert.equal((await postJson(`${server.url}/api/v1/register`, { username: user.username, password: "another one" })).status, 409);
  assert.equal((await postJson(`${server.url}/api/v1/register`, { username: "Bad Name", password: "long enough" })).status, 400);
  assert.equal((await postJson(`${server.url}/api/v1/register`, { username: "shortpw", password: "short" })).status, 400);
  const login = await postJson(`${server.url}/api/v1/login`, { username: user.username, password: "correct horse" });
  assert.equal(login.status, 200);
  assert.equal(login.body.user, user.username);
  assert.ok(login.body.expiresAt > Date.now());
  assert.equal((await postJson(`${server.url}/api/v1/login`, { username: user.username, password: "wrong horse" })).status, 401);
});

test("login is throttled after repeated failures", async () => {
  const user = await newUser("throttle");
  let status = 401;
  for (let i = 0; i < 20 && status === 401; i++)
    ({ status } = await postJson(`${server.url}/api/v1/login`, { username: user.username, password: "wrong horse" }));
  assert.equal(status, 429);
});

test("a missing or bad token gets connect_error unauthorized", async () => {
  for (const auth of [{}, { token: "nonsense" }, { token: "a.b.c" }]) {
    const socket = io(server.url, { auth, reconnection: false, forceNew: true, transports: ["websocket"] });
    clients.push(socket);
    const [error] = await next(socket, "connect_error");
    assert.equal(error.message, "unauthorized");
  }
});

test("rooms: create, join, list, leave, with member events", async () => {
  const alice = await newUser("alice");
  const bob = await newUser("bob");
  const a = await connectAs(alice);
  const b = await connectAs(bob);
  const created = await call(a, "room:create", { room: `lobby-${userCounter}`, topic: "Hello" });
  assert.equal(created.ok, true);
  const room = created.room.name;
  // v1's fields as v1 had them (v2 adds each member's role: additive).
  assert.equal(created.room.members.length, 1);
  assertV1(created.room.members[0], { user: alice.username, status: "online" });
  assert.equal((await call(a, "room:create", { room })).error.code, "conflict");
  assert.equal((await call(a, "room:create", { room: "Bad Room" })).error.code, "bad_request");
  assert.equal((await call(b, "room:join", { room: "does-not-exist" })).error.code, "not_found");

  const joined = waitFor(a, "member", (m) => m.user === bob.username);
  const join = await call(b, "room:join", { room });
  assert.equal(join.ok, true);
  assert.equal(join.lastSeq, 0);
  assert.deepEqual(await joined, { room, user: bob.username, action: "joined" });
  assert.equal((await call(b, "room:join", { room })).ok, true); // joining again is ok

  const list = await call(b, "room:list", {});
  assertV1(list.rooms.find((r) => r.name === room), { name: room, topic: "Hello", lastSeq: 0 });

  const left = waitFor(a, "member", (m) => m.action === "left");
  assert.equal((await call(b, "room:leave", { room })).ok, true);
  assert.deepEqual(await left, { room, user: bob.username, action: "left" });
  assert.equal((await call(b, "room:list", {})).rooms.some((r) => r.name === room), false);
});

test("messages: ack, delivery, idempotency, seq order, history paging", async () => {
  const alice = await newUser("alice");
  const bob = await newUser("bob");
  const a = await connectAs(alice);
  const b = await connectAs(bob);
  const createdRoom = await call(a, "room:create", { room: `talk-${userCounter}` });
  assert.equal(createdRoom.ok, true, JSON.stringify(createdRoom));
  const room = createdRoom.room.name;
  await call(b, "room:join", { room });

  const delivered = waitFor(b, "message", (m) => m.clientId === "first");
  const ack = await call(a, "message:send", { room, clientId: "first", text: "héllo 👋" });
  assert.equal(ack.ok, true);
  assert.equal(ack.seq, 1);
  const message = await delivered;
  assertV1(message, { room, id: ack.id, seq: 1, ts: ack.ts, from: alice.username, text: "héllo 👋", clientId: "first" });

  const repeat = await call(a, "message:send", { room, clientId: "first", text: "héllo 👋" });
  assert.deepEqual(repeat, ack);

  const seqs = [];
  b.on("message", (m) => m.room === room && seqs.push(m.seq));
  const acks = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    call(a, "message:send", { room, clientId: `burst-${i}`, text: `n${i}` })));
  assert.deepEqual(acks.map((x) => x.seq).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i + 2));
  await call(b, "room:list", {}); // a round trip after the last delivery
  assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => i + 2));

  const page = await call(b, "history:fetch", { room, afterSeq: 10, limit: 5 });
  assert.deepEqual(page.messages.map((m) => m.seq), [11, 12, 13, 14, 15]);
  const newest = await call(b, "history:fetch", { room, beforeSeq: 51, limit: 3 });
  assert.deepEqual(newest.messages.map((m) => m.seq), [48, 49, 50]);
  assert.equal((await call(b, "history:fetch", { room, limit: 201 })).error.code, "bad_request");
  assert.equal((await call(b, "history:fetch", { room, afterSeq: -1 })).error.code, "bad_request");
});

test("validation: every malformed payload gets bad_request or too_large", async () => {
  const alice = await newUser("val");
  const a = await connectAs(alice);
  const room = (await call(a, "room:create", { room: `val-${userCounter}` })).room.name;
  const cases = [
    ["message:send", { room, clientId: "x", text: "" }, "bad_request"],
    ["message:send", { room, clientId: "x", text: "a".repeat(4001) }, "too_large"],
    ["message:send", { room, clientId: "", text: "hi" }, "bad_request"],
    ["message:send", { room, clientId: 5, text: "hi" }, "bad_request"],
    ["message:send", { room, clientId: "x", text: 12 }, "bad_request"],
    ["message:send", { room, clientId: "x", text: "\ud800" }, "bad_request"],
    ["message:send", "not an object", "bad_request"],
    ["typing", { room, active: "yes" }, "bad_request"],
    ["receipt", { room, seq: 1, kind: "seen" }, "bad_request"],
    ["presence:set", { status: "invisible" }, "bad_request"],
    ["presence:get", { users: "alice" }, "bad_request"],
    ["dm:open", { user: alice.username }, "bad_request"],
    ["dm:open", { user: "nobody-here" }, "not_found"],
    ["room:join", { room: "UPPER" }, "bad_request"],
  ];
  for (const [event, payload, code] of cases) {
    const answer = await call(a, event, payload);
    assert.equal(answer.ok, false, `${event} ${JSON.stringify(payload).slice(0, 60)}`);
    assert.equal(answer.error.code, code, `${event} ${JSON.stringify(payload).slice(0, 60)}`);
  }
  // Still connected and served after all that.
  assert.equal((await call(a, "message:send", { room, clientId: "fine", text: "fine" })).ok, true);
});

test("authorization: a non-member reads and sends nothing", async () => {
  const alice = await newUser("owner");
  const eve = await newUser("eve");
  const a = await connectAs(alice);
  const e = await connectAs(eve);
  const room = (await call(a, "room:create", { room: `secret-${userCounter}` })).room.name;
  let leaked = 0;
  e.on("message", (m) => m.room === room && leaked++);
  e.on("typing", (t) => t.room === room && leaked++);
  await call(a, "message:send", { room, clientId: "s1", text: "secret" });
  await call(a, "typing", { room, active: true });
  assert.equal((await call(e, "message:send", { room, clientId: "e1", text: "hi" })).error.code, "forbidden");
  assert.equal((await call(e, "history:fetch", { room })).error.code, "forbidden");
  assert.equal((await call(e, "typing", { room, active: true })).error.code, "forbidden");
  assert.equal((await call(e, "receipt", { room, seq: 1, kind: "read" })).error.code, "forbidden");
  assert.equal((await call(e, "room:leave", { room })).error.code, "forbidden");
  await call(e, "room:list", {});
  assert.equal(leaked, 0);
});

test("direct messages: both are members, nobody else can join, nobody can leave", async () => {
  const alice = await newUser("dma");
  const bob = await newUser("dmb");
  const carol = await newUser("dmc");
  const a = await connectAs(alice);
  const b = await connectAs(bob);
  const c = await connectAs(carol);
  const opened = await call(a, "dm:open", { user: bob.username });
  assert.equal(opened.ok, true);
  const room = opened.room.name;
  assert.deepEqual(opened.room.members.map((m) => m.user).sort(), [alice.username, bob.username].sort());
  assert.deepEqual((await call(b, "dm:open", { user: alice.username })).room.name, room);
  assert.equal((await call(a, "room:create", { room })).error.code, "bad_request");
  assert.equal((await call(c, "room:join", { room })).error.code, "forbidden");
  assert.equal((await call(a, "room:leave", { room })).error.code, "forbidden");
  const got = waitFor(b, "message", (m) => m.room === room);
  await call(a, "message:send", { room, clientId: "dm1", text: "psst" });
  assert.equal((await got).text, "psst");
});

test("typing goes to the others, receipts to the room", async () => {
  const alice = await newUser("ty");
  const bob = await newUser("ty");
  const a = await connectAs(alice);
  const b = await connectAs(bob);
  const room = (await call(a, "room:create", { room: `ty-${userCounter}` })).room.name;
  await call(b, "room:join", { room });
  let echoed = 0;
  a.on("typing", () => echoed++);
  const typing = waitFor(b, "typing");
  assert.equal((await call(a, "typing", { room, active: true })).ok, true);
  assert.deepEqual(await typing, { room, user: alice.username, active: true });
  const { seq } = await call(a, "message:send", { room, clientId: "r1", text: "read me" });
  const receipt = waitFor(a, "receipt");
  assert.equal((await call(b, "receipt", { room, seq, kind: "read" })).ok, true);
  assert.deepEqual(await receipt, { room, user: bob.username, seq, kind: "read" });
  assert.equal((await call(b, "receipt", { room, seq: seq + 5, kind: "read" })).error.code, "not_found");
  await call(a, "room:list", {});
  assert.equal(echoed, 0);
});

test("presence: only the first and last connection of a user are published", async () => {
  const alice = await newUser("pa");
  const bob = await newUser("pb");
  const watcher = await connectAs(bob);
  const room = (await call(watcher, "room:create", { room: `pr-${userCounter}` })).room.name;
  const a1 = await connectAs(alice);
  await call(a1, "room:join", { room });
  const events = [];
  watcher.on("presence", (p) => p.user === alice.username && events.push(p.status));

  const a2 = await connectAs(alice); // second connection: no event
  const away = waitFor(watcher, "presence", (p) => p.user === alice.username && p.status === "away");
  await call(a2, "presence:set", { status: "away" });
  await away;
  a1.disconnect(); // one connection left: no event
  const got = await call(watcher, "presence:get", { users: [alice.username] });
  assert.equal(got.presence[alice.username].status, "away");
  const offline = waitFor(watcher, "presence", (p) => p.user === alice.username && p.status === "offline");
  a2.disconnect();
  const last = await offline;
  assert.ok(last.lastSeen > 0);
  assert.deepEqual(events, ["away", "offline"]);
  const after = await call(watcher, "presence:get", { users: [alice.username] });
  assert.equal(after.presence[alice.username].status, "offline");
});

test("announcements reach every connected user", async () => {
  const one = await connectAs(await newUser("an"));
  const two = await connectAs(await newUser("an"));
  const both = Promise.all([next(one, "announcement"), next(two, "announcement")]);
  const { status } = await postJson(`${server.url}/api/v1/admin/broadcast`, { text: "maintenance at noon" },
                                    { Authorization: `Bearer ${server.adminToken}` });
  assert.equal(status, 200);
  for (const [announcement] of await both) {
    assert.equal(announcement.text, "maintenance at noon");
    assert.ok(announcement.ts > 0);
  }
  assert.equal((await postJson(`${server.url}/api/v1/admin/broadcast`, { text: "x" }, { Authorization: "Bearer wrong" })).status, 401);
});

test("the per-connection rate limit answers rate_limited", async () => {
  const a = await connectAs(await newUser("rl"));
  // A cheap event: the limiter is under test, not the store (400 room:list under ASan take
  // longer than the test server's 2 s heartbeat).
  const answers = await Promise.all(Array.from({ length: 400 }, () => call(a, "presence:get", { users: [] })));
  assert.ok(answers.some((x) => !x.ok && x.error.code === "rate_limited"));
  assert.ok(answers.some((x) => x.ok));
});

test("polling clients chat too", async () => {
  const alice = await newUser("poll");
  const a = await connectAs(alice, { transports: ["polling"] });
  assert.equal(a.io.engine.transport.name, "polling");
  const room = (await call(a, "room:create", { room: `poll-${userCounter}` })).room.name;
  const got = waitFor(a, "message");
  assert.equal((await call(a, "message:send", { room, clientId: "p1", text: "over xhr" })).ok, true);
  assert.equal((await got).text, "over xhr");
});
