// confabctl against a real confabd: every command, and a bad token.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { io } from "socket.io-client";
import { startConfabd, postJson, next } from "../interop/support.mjs";

const run = promisify(execFile);
const confabctl = path.join(process.env.CONFAB_BINARY_DIR, "tools/confabctl/confabctl");
let server;

before(async () => { server = await startConfabd(); });
after(async () => { await server.kill("SIGTERM"); });

const ctl = (...args) => run(confabctl, ["--server", server.url, "--admin-token-file", path.join(server.dataDir, "admin-token"), ...args],
                             { env: { ...process.env, NEW_PASSWORD: "operator-made" } });
const lines = (stdout) => stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));

test("user add, list, disable, enable", async () => {
  await ctl("user", "add", "carol", "--password-env", "NEW_PASSWORD");
  const login = await postJson(`${server.url}/api/v1/login`, { username: "carol", password: "operator-made" });
  assert.equal(login.status, 200);
  assert.ok(lines((await ctl("user", "list")).stdout).some((u) => u.user === "carol" && u.disabled === false));
  await ctl("user", "disable", "carol");
  assert.ok(lines((await ctl("user", "list")).stdout).some((u) => u.user === "carol" && u.disabled === true));
  assert.equal((await postJson(`${server.url}/api/v1/login`, { username: "carol", password: "operator-made" })).status, 403);
  // A disabled user's existing token no longer connects.
  const socket = io(server.url, { auth: { token: login.body.token }, reconnection: false, transports: ["websocket"] });
  const [error] = await next(socket, "connect_error");
  assert.equal(error.message, "unauthorized");
  await ctl("user", "enable", "carol");
  assert.equal((await postJson(`${server.url}/api/v1/login`, { username: "carol", password: "operator-made" })).status, 200);
  await assert.rejects(ctl("user", "disable", "nobody"), /HTTP 404/);
});

test("room list, stats and broadcast", async () => {
  const { body } = await postJson(`${server.url}/api/v1/register`, { username: "dave", password: "dave-password" });
  const socket = io(server.url, { auth: { token: body.token }, reconnection: false, transports: ["websocket"] });
  await next(socket, "connect");
  await socket.timeout(5000).emitWithAck("room:create", { room: "ops", topic: "Operations" });
  await socket.timeout(5000).emitWithAck("message:send", { room: "ops", clientId: "1", text: "hello" });
  assert.deepEqual(lines((await ctl("room", "list")).stdout), [{ name: "ops", topic: "Operations", lastSeq: 1, members: 1 }]);
  const [stats] = lines((await ctl("stats")).stdout);
  assert.equal(stats.connectedUsers, 1);
  assert.equal(stats.messagesAccepted, 1);
  assert.equal(stats.connections, 1);
  assert.equal(stats.load, "normal");
  assert.equal(stats.draining, false);
  assert.deepEqual(lines((await ctl("nodes")).stdout), [{ node: "embedded", alive: true, users: 1, self: true }]);
  await assert.rejects(ctl("shed", "none"), /Commands:/); // usage, not a request
  const announced = next(socket, "announcement");
  await ctl("broadcast", "restart in 5 minutes");
  assert.equal((await announced)[0].text, "restart in 5 minutes");
  socket.disconnect();
});

test("room members lists roles; room owner hands a room to someone else", async () => {
  const owner = await postJson(`${server.url}/api/v1/register`, { username: "erin", password: "erin-password" });
  const heir = await postJson(`${server.url}/api/v1/register`, { username: "frank", password: "frank-password" });
  const connect = async (token) => {
    const socket = io(server.url, { auth: { token }, reconnection: false, transports: ["websocket"] });
    await next(socket, "connect");
    return socket;
  };
  const erin = await connect(owner.body.token);
  const frank = await connect(heir.body.token);
  await erin.timeout(5000).emitWithAck("room:create", { room: "recovery" });
  await frank.timeout(5000).emitWithAck("room:join", { room: "recovery" });
  const roles = (stdout) => Object.fromEntries(lines(stdout).map((m) => [m.user, m.role]));
  assert.deepEqual(roles((await ctl("room", "members", "recovery")).stdout), { erin: "owner", frank: "member" });
  const changed = next(frank, "room");
  await ctl("room", "owner", "recovery", "frank");
  const [room] = await changed;
  assert.deepEqual(Object.fromEntries(room.members.map((m) => [m.user, m.role])), { erin: "moderator", frank: "owner" });
  assert.deepEqual(roles((await ctl("room", "members", "recovery")).stdout), { erin: "moderator", frank: "owner" });
  await assert.rejects(ctl("room", "owner", "nothere", "frank"), /HTTP 404/);
  await assert.rejects(ctl("room", "owner", "recovery", "nobody"), /HTTP 404/);
  await assert.rejects(ctl("room", "members", "nothere"), /HTTP 404/);
  erin.disconnect();
  frank.disconnect();
});

test("files usage and files gc", async () => {
  const { body } = await postJson(`${server.url}/api/v1/register`, { username: "uploader", password: "uploader-password" });
  const bytes = Buffer.alloc(1234, 7);
  const uploaded = await fetch(`${server.url}/api/v1/files?name=a.bin`,
                               { method: "POST", body: bytes, headers: { Authorization: `Bearer ${body.token}` } });
  assert.equal(uploaded.status, 201);
  const [usage] = lines((await ctl("files", "usage")).stdout);
  assert.deepEqual(usage, { records: 1, contents: 1, bytes: 1234, topUsers: [{ user: "uploader", bytes: 1234 }] });
  // Within the default grace and a day old at most: nothing to take yet.
  assert.deepEqual(lines((await ctl("files", "gc")).stdout), [{ records: 0, contents: 0, bytes: 0 }]);
  assert.equal(lines((await ctl("files", "usage")).stdout)[0].records, 1);
  await assert.rejects(ctl("files", "purge"), /Commands:/);
});

test("a wrong admin token is refused", async () => {
  await assert.rejects(run(confabctl, ["--server", server.url, "stats"], { env: { ...process.env, CONFAB_ADMIN_TOKEN: "wrong" } }),
                       /HTTP 401/);
});
