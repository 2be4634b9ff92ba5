// The stock socket.io-client 4 (npm) against Confab's Socket.IO server (protocol-fixture).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { startFixture, next, sample } from "./support.mjs";

let fixture;
const sockets = [];

before(async () => {
  fixture = await startFixture(["--max-payload", "100000", "--ping-interval", "5000", "--ping-timeout", "5000"]);
});

after(async () => {
  for (const socket of sockets) socket.disconnect();
  await fixture.stop();
});

function connect(nsp = "/", options = {}) {
  const socket = io(fixture.url + nsp, { reconnection: false, forceNew: true, ...options });
  sockets.push(socket);
  return socket;
}

async function connected(socket) {
  if (!socket.connected) await next(socket, "connect");
  return socket;
}

for (const transports of [["websocket"], ["polling"]]) {
  test(`echo over ${transports[0]} only`, async () => {
    const socket = await connected(connect("/", { transports }));
    assert.equal(socket.io.engine.transport.name, transports[0]);
    const back = next(socket, "message-back");
    socket.emit("message", 1, "two", { three: [true] });
    assert.deepEqual(await back, [1, "two", { three: [true] }]);
  });
}

test("polling upgrades to websocket", async () => {
  const socket = connect("/", { transports: ["polling", "websocket"] });
  const [initial, upgradedTo] = await new Promise((resolve) => {
    socket.io.once("open", () => {
      const engine = socket.io.engine;
      const initialName = engine.transport.name;
      engine.once("upgrade", (transport) => resolve([initialName, transport.name]));
    });
  });
  assert.equal(initial, "polling");
  assert.equal(upgradedTo, "websocket");
  await connected(socket);
  const back = next(socket, "message-back");
  socket.emit("message", "after upgrade");
  assert.deepEqual(await back, ["after upgrade"]);
});

test("two namespaces share one connection", async () => {
  const main = io(fixture.url, { reconnection: false, forceNew: true });
  sockets.push(main);
  const custom = main.io.socket("/custom", { auth: { token: "abc" } });
  sockets.push(custom);
  const [auth] = await next(custom, "auth");
  assert.deepEqual(auth, { token: "abc" });
  await connected(main);
  assert.equal(main.io.engine, custom.io.engine);
  const [mainBack, customBack] = await Promise.all([
    next(main, "message-back"),
    next(custom, "message-back"),
    main.emit("message", "to main"),
    custom.emit("message", "to custom"),
  ]);
  assert.deepEqual(mainBack, ["to main"]);
  assert.deepEqual(customBack, ["to custom"]);
});

test("unknown namespace gets connect_error", async () => {
  const socket = connect("/nowhere");
  const [error] = await next(socket, "connect_error");
  assert.equal(error.message, "Invalid namespace");
});

test("acks from client to server and from server to client", async () => {
  const socket = await connected(connect());
  const answer = await socket.timeout(5000).emitWithAck("message-with-ack", 42, "x");
  assert.deepEqual(answer, 42); // the stock client hands the first ack argument back
  socket.on("server-ack", (value, callback) => callback({ doubled: value * 2 }));
  const result = await socket.timeout(5000).emitWithAck("request-server-ack", 21);
  assert.deepEqual(result, { timedOut: false, answer: [{ doubled: 42 }] });
});

test("server-side ack times out when the client never answers", async () => {
  const socket = await connected(connect());
  socket.on("server-ack", () => {}); // takes the callback, never calls it
  const result = await socket.timeout(5000).emitWithAck("request-server-ack", 1);
  assert.deepEqual(result, { timedOut: true, answer: [] });
});

for (const transports of [["websocket"], ["polling"]]) {
  test(`binary payloads over ${transports[0]}`, async () => {
    const socket = await connected(connect("/", { transports }));
    const blob = Buffer.from([0, 1, 2, 253, 254, 255]);
    const back = next(socket, "message-back");
    socket.emit("message", { name: "file", data: blob }, Buffer.from("second"));
    const [first, second] = await back;
    assert.equal(first.name, "file");
    assert.deepEqual(Buffer.from(first.data), blob);
    assert.deepEqual(Buffer.from(second), Buffer.from("second"));
    const acked = await socket.timeout(5000).emitWithAck("message-with-ack", Buffer.from([9, 8, 7]));
    assert.deepEqual(Buffer.from(acked), Buffer.from([9, 8, 7]));
  });
}

test("broadcast to a room reaches its members except the sender", async () => {
  const [a, b, c, outsider] = await Promise.all([connect(), connect(), connect(), connect()].map(connected));
  for (const socket of [a, b, c]) await socket.timeout(5000).emitWithAck("join", "lobby");
  let outsiderGot = 0;
  outsider.on("broadcast", () => outsiderGot++);
  const received = Promise.all([next(b, "broadcast"), next(c, "broadcast")]);
  const count = await a.timeout(5000).emitWithAck("broadcast", "lobby", "hello");
  assert.equal(count, 2);
  assert.deepEqual(await received, [["hello"], ["hello"]]);
  // A round trip on the outsider's own connection proves nothing was queued for it.
  await outsider.timeout(5000).emitWithAck("message-with-ack", 0);
  assert.equal(outsiderGot, 0);
});

test("a client that stops answering pings is dropped", async () => {
  // Its own fixture with the suites' short heartbeat (300 + 200 ms).
  const quick = await startFixture();
  const before = sample(await quick.metrics(), 'confab_engine_closes_total{reason="ping timeout"}');
  const socket = io(quick.url, { reconnection: false, forceNew: true, transports: ["websocket"] });
  await connected(socket);
  const engine = socket.io.engine;
  // Play dead: the stock client answers each ping in _sendPacket("pong").
  const sendPacket = engine._sendPacket.bind(engine);
  engine._sendPacket = (type, ...rest) => (type === "pong" ? undefined : sendPacket(type, ...rest));
  const [reason] = await next(socket, "disconnect");
  assert.match(reason, /transport close|ping timeout/);
  const after = sample(await quick.metrics(), 'confab_engine_closes_total{reason="ping timeout"}');
  assert.equal(after, before + 1);
  await quick.stop();
});

for (const transports of [["websocket"], ["polling"]]) {
  test(`an over-size payload over ${transports[0]} closes only that connection`, async () => {
    const bystander = await connected(connect());
    const socket = await connected(connect("/", { transports }));
    const gone = next(socket, "disconnect");
    socket.emit("message", "x".repeat(200000));
    const [reason] = await gone;
    assert.match(reason, /transport (close|error)/);
    const back = next(bystander, "message-back");
    bystander.emit("message", "still here");
    assert.deepEqual(await back, ["still here"]);
  });
}

test("a burst of 10,000 events arrives complete and in order", async () => {
  const socket = await connected(connect("/", { transports: ["websocket"] }));
  const total = 10000;
  const received = [];
  const done = new Promise((resolve, reject) => {
    socket.on("disconnect", (reason) => reject(new Error(`disconnected after ${received.length}: ${reason}`)));
    socket.on("message-back", (i) => {
      received.push(i);
      if (received.length === total) resolve();
    });
  });
  for (let i = 0; i < total; i++) socket.emit("message", i);
  await done;
  assert.deepEqual(received, Array.from({ length: total }, (_, i) => i));
});
