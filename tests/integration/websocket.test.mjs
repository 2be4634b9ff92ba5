// confabd's own WebSocket layer (RFC 6455, served by I/O worker threads) at the frame
// level, over raw TCP: the opening handshake, pings, fragments, the close handshake, and
// each protocol violation closing only its own connection with the right close code.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { once } from "node:events";
import { createHash, randomBytes } from "node:crypto";
import { io } from "socket.io-client";
import { startConfabd, postJson } from "../interop/support.mjs";

let server;
before(async () => { server = await startConfabd({ args: ["--max-payload", "65536", "--workers", "2"] }); });
after(async () => { await server.kill("SIGTERM"); });

// A masked client frame (RFC 6455 5.2); `masked: false` makes an illegal one.
function frame(first, payload, { masked = true, length = payload.length } = {}) {
  const header = [first];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else { header.push(maskBit | 127); const big = Buffer.alloc(8); big.writeBigUInt64BE(BigInt(length)); header.push(...big); }
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]));
  return Buffer.concat([Buffer.from(header), key, body]);
}
const text = (string, first = 0x81) => frame(first, Buffer.from(string));

// Parses the server's (unmasked) frames as they arrive.
class RawWebSocket {
  static async open(query = "EIO=4&transport=websocket", headers = {}) {
    const socket = net.connect(server.port, "127.0.0.1");
    await once(socket, "connect");
    const key = randomBytes(16).toString("base64");
    const lines = [`GET /socket.io/?${query} HTTP/1.1`, "Host: localhost", "Upgrade: websocket", "Connection: Upgrade",
                   `Sec-WebSocket-Key: ${key}`, "Sec-WebSocket-Version: 13",
                   ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    socket.write(lines.join("\r\n") + "\r\n\r\n");
    const raw = new RawWebSocket(socket, key);
    await raw.head;
    return raw;
  }
  constructor(socket, key) {
    this.socket = socket;
    this.key = key;
    this.buffer = Buffer.alloc(0);
    this.frames = [];
    this.waiters = [];
    this.closed = new Promise((resolve) => socket.on("close", resolve));
    socket.on("error", () => {});
    this.head = new Promise((resolve) => {
      const onData = (chunk) => {
        this.buffer = Buffer.concat([this.buffer, chunk]);
        const end = this.buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        this.response = this.buffer.subarray(0, end).toString();
        this.buffer = this.buffer.subarray(end + 4);
        socket.off("data", onData);
        socket.on("data", (more) => { this.buffer = Buffer.concat([this.buffer, more]); this.parse(); });
        this.parse();
        resolve();
      };
      socket.on("data", onData);
    });
  }
  parse() {
    for (;;) {
      if (this.buffer.length < 2) return;
      let length = this.buffer[1] & 0x7f, offset = 2;
      assert.equal(this.buffer[1] & 0x80, 0, "server frames are never masked");
      if (length === 126) { if (this.buffer.length < 4) return; length = this.buffer.readUInt16BE(2); offset = 4; }
      else if (length === 127) { if (this.buffer.length < 10) return; length = Number(this.buffer.readBigUInt64BE(2)); offset = 10; }
      if (this.buffer.length < offset + length) return;
      this.frames.push({ opcode: this.buffer[0] & 0x0f, fin: !!(this.buffer[0] & 0x80),
                         payload: this.buffer.subarray(offset, offset + length) });
      this.buffer = this.buffer.subarray(offset + length);
      this.waiters = this.waiters.filter((waiter) => !waiter());
    }
  }
  // The next frame matching `predicate` (frames before it are kept for later calls).
  next(predicate = () => true) {
    return new Promise((resolve) => {
      const check = () => {
        const index = this.frames.findIndex(predicate);
        if (index < 0) return false;
        resolve(this.frames.splice(index, 1)[0]);
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }
  send(bytes) { this.socket.write(bytes); }
  async closeCode() {
    const close = await this.next((f) => f.opcode === 0x8);
    await this.closed;
    return close.payload.readUInt16BE(0);
  }
}

test("the opening handshake answers 101 with the RFC's accept key, and the Engine.IO open packet follows", async () => {
  const ws = await RawWebSocket.open();
  assert.match(ws.response, /^HTTP\/1\.1 101 /);
  const expected = createHash("sha1").update(ws.key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
  assert.match(ws.response, new RegExp(`Sec-WebSocket-Accept: ${expected.replace(/[+/]/g, "\\$&")}\r?$`, "m"));
  const open = await ws.next();
  assert.equal(open.opcode, 0x1);
  assert.equal(JSON.parse(open.payload.toString().slice(1)).maxPayload, 65536);
  assert.equal(open.payload.toString()[0], "0");
  ws.socket.destroy();
});

test("a handshake for another WebSocket version gets 426 and the version we speak", async () => {
  const socket = net.connect(server.port, "127.0.0.1");
  await once(socket, "connect");
  socket.write("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
  let answer = "";
  socket.on("data", (chunk) => { answer += chunk; });
  await once(socket, "close");
  assert.match(answer, /^HTTP\/1\.1 426 /);
  assert.match(answer, /Sec-WebSocket-Version: 13/);
});

test("pings are answered with the same payload, and a fragmented message is put together", async () => {
  const ws = await RawWebSocket.open();
  await ws.next(); // open
  ws.send(frame(0x89, Buffer.from("are you there")));
  const pong = await ws.next((f) => f.opcode === 0xa);
  assert.equal(pong.payload.toString(), "are you there");
  // "40" (Socket.IO CONNECT without a token) in two fragments with a ping between them.
  ws.send(Buffer.concat([text("4", 0x01), frame(0x89, Buffer.from("p")), text("0", 0x80)]));
  const refusal = await ws.next((f) => f.opcode === 0x1 && f.payload.toString().startsWith("44"));
  assert.deepEqual(JSON.parse(refusal.payload.toString().slice(2)), { message: "unauthorized" });
  ws.socket.destroy();
});

test("the client's close frame is echoed and the connection ends", async () => {
  const ws = await RawWebSocket.open();
  await ws.next();
  const code = Buffer.alloc(2);
  code.writeUInt16BE(1000);
  ws.send(frame(0x88, Buffer.concat([code, Buffer.from("bye")])));
  assert.equal(await ws.closeCode(), 1000);
});

test("each violation closes its connection with its code while a chat on the same node goes on", async () => {
  const { body } = await postJson(`${server.url}/api/v1/register`, { username: "ws-bystander", password: "password123" });
  const bystander = io(server.url, { auth: { token: body.token }, transports: ["websocket"], reconnection: false });
  await once(bystander, "connect");
  await bystander.emitWithAck("room:create", { room: "ws-room" });

  const cases = [
    ["unmasked", frame(0x81, Buffer.from("4x"), { masked: false }), 1002],
    ["reserved bit", frame(0xc1, Buffer.from("4x")), 1002],
    ["unknown opcode", frame(0x83, Buffer.from("x")), 1002],
    ["continuation first", frame(0x80, Buffer.from("x")), 1002],
    ["invalid UTF-8", frame(0x81, Buffer.from([0x34, 0xff, 0xfe])), 1007],
    ["over --max-payload, refused on its header", frame(0x82, Buffer.alloc(0), { length: 1 << 20 }).subarray(0, 14), 1009],
  ];
  for (const [name, bytes, expected] of cases) {
    const ws = await RawWebSocket.open();
    await ws.next();
    ws.send(bytes);
    assert.equal(await ws.closeCode(), expected, name);
    const reply = await bystander.emitWithAck("message:send", { room: "ws-room", text: `after ${name}`, clientId: name });
    assert.equal(reply.ok, true, name);
  }
  bystander.close();
});
