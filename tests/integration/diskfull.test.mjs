// The embedded store on a full disk (a small tmpfs this test mounts and fills): sends are
// answered 'unavailable' and never acked, confabd says so in its log and /metrics,
// /readyz answers 503 while it lasts, and once space is freed it recovers by itself,
// losing nothing it acked. Where the test may not mount, it says so and uses the closest
// honest substitute: a file size limit on confabd (RLIMIT_FSIZE), whose writes past it
// fail as they would on a full disk, lifted to "free space" (CONFAB_TEST_DISK=limit
// picks it anywhere).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { startConfabd, postJson, sample } from "../interop/support.mjs";

const asRoot = (command, args) => execFileSync(process.getuid() === 0 ? command : "sudo",
                                               process.getuid() === 0 ? args : ["-n", command, ...args]);
const mountPoint = mkdtempSync(path.join(os.tmpdir(), "confab-full-"));
let server = null;

function mountedDisk() {
  asRoot("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint]);
  let filler = null;
  return {
    dataDir: path.join(mountPoint, "data"),
    prefix: [],
    fill: () => (filler = fillDisk(mountPoint)),
    free: () => unlinkSync(filler),
  };
}

function limitedDisk(why) {
  console.log(`# no tmpfs (${why}): a 1 MB file size limit on confabd stands in for the full disk`);
  return {
    dataDir: path.join(mountPoint, "data"),
    prefix: ["prlimit", "--fsize=1048576:unlimited", "--"],
    fill: () => {}, // the store's files outgrow the limit as the sends go on
    free: () => execFileSync("prlimit", ["--pid", String(server.child.pid), "--fsize=unlimited"]),
  };
}

function fullDisk() {
  if (process.env.CONFAB_TEST_DISK === "limit") return limitedDisk("CONFAB_TEST_DISK=limit");
  try {
    return mountedDisk();
  } catch (error) {
    return limitedDisk(`cannot mount here: ${String(error.message).split("\n")[0]}`);
  }
}

after(async () => {
  await server?.kill();
  try {
    asRoot("umount", [mountPoint]);
  } catch {
    // not mounted: the file size limit stood in
  }
  rmSync(mountPoint, { recursive: true, force: true });
});

// Writes until the filesystem refuses (ENOSPC); returns the file to delete to free it.
function fillDisk(dir) {
  const file = path.join(dir, "filler");
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    assert.equal(error.code, "ENOSPC");
  } finally {
    closeSync(fd);
  }
  return file;
}

async function until(predicate, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const readyz = async () => (await fetch(`${server.url}/readyz`)).status;
const metric = async (name) => sample(await (await fetch(`${server.url}/metrics`)).text(), name);

test("a full disk: unavailable, visible, nothing acked lost, recovery without a restart", async () => {
  const disk = fullDisk();
  const logs = [];
  const args = ["--events-per-second", "100000", "--event-burst", "100000"];
  server = await startConfabd({ dataDir: disk.dataDir, args, logs, prefix: disk.prefix });
  const { body } = await postJson(`${server.url}/api/v1/register`, { username: "filler", password: "filler-pass" });
  const socket = io(server.url, { auth: { token: body.token }, reconnection: false, transports: ["websocket"] });
  await new Promise((resolve) => socket.once("connect", resolve));
  assert.equal((await socket.timeout(5000).emitWithAck("room:create", { room: "full" })).ok, true);

  const acked = [];
  let sent = 0;
  const send = async () => {
    const clientId = `m${sent++}`;
    const answer = await socket.timeout(10000).emitWithAck("message:send",
                                                           { room: "full", clientId, text: `${clientId} ${"x".repeat(2000)}` });
    if (answer.ok) acked.push({ clientId, seq: answer.seq });
    return answer;
  };
  for (let i = 0; i < 20; ++i) assert.equal((await send()).ok, true);
  assert.equal(await readyz(), 200);
  assert.equal(await metric("confab_store_errors_total"), 0);

  // Full: the store's spare pages go first, then sends are refused, never acked.
  disk.fill();
  let refusal = null;
  for (let i = 0; i < 10000 && !refusal; ++i) {
    const answer = await send();
    if (!answer.ok) refusal = answer;
  }
  assert.ok(refusal, "a send was refused once the disk was full");
  assert.equal(refusal.error.code, "unavailable", JSON.stringify(refusal));
  assert.equal(await readyz(), 503);
  assert.ok((await metric("confab_store_errors_total")) >= 1);
  assert.ok(logs.some((line) => /commits are failing/.test(line)), "the log says commits fail");

  // Space again: the node notices without traffic, then accepts and acks.
  disk.free();
  await until(async () => (await readyz()) === 200, "/readyz 200 after space was freed");
  assert.ok(logs.some((line) => /commits succeed again/.test(line)), "the log says commits work again");
  for (let i = 0; i < 5; ++i) assert.equal((await send()).ok, true);

  // Everything acked is there, without gaps.
  const stored = new Map();
  for (let afterSeq = 0; ;) {
    const page = await socket.timeout(5000).emitWithAck("history:fetch", { room: "full", afterSeq, limit: 200 });
    assert.equal(page.ok, true);
    if (page.messages.length === 0) break;
    for (const message of page.messages) stored.set(message.clientId, message.seq);
    afterSeq = page.messages.at(-1).seq;
  }
  for (const { clientId, seq } of acked) assert.equal(stored.get(clientId), seq, `acked ${clientId}`);
  const seqs = [...stored.values()].sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
  socket.disconnect();
});
