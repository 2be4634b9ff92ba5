// Files over HTTP against a real confabd on its embedded store, with the stock
// socket.io-client for the messages that carry them: uploads (limits, quota, dedupe, a
// cut upload), downloads (who may, Range, ETag, how a browser is told to show them),
// attachments in messages, and garbage collection.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { io } from "socket.io-client";
import { startConfabd, postJson, sample } from "../interop/support.mjs";
import { attachmentsAndAccess, download, garbageCollection, sha256, upload } from "./filescenarios.mjs";

const MaxFileMb = 2;
const QuotaMb = 5;
let server;
const sockets = [];
let counter = 0;

before(async () => {
  server = await startConfabd({ args: ["--max-file-mb", String(MaxFileMb), "--file-quota-mb", String(QuotaMb),
                                       "--file-gc-grace-minutes", "0", "--file-unsent-hours", "0",
                                       "--file-gc-interval-minutes", "0"] });
});

after(async () => {
  for (const socket of sockets) socket.disconnect();
  await server.kill("SIGTERM");
});

async function account(prefix) {
  const name = `${prefix}${++counter}`;
  const { body } = await postJson(`${server.url}/api/v1/register`, { username: name, password: "correct horse" });
  const socket = io(server.url, { auth: { token: body.token }, reconnection: false, forceNew: true,
                                  transports: ["websocket"] });
  sockets.push(socket);
  await new Promise((resolve, reject) => { socket.once("connect", resolve); socket.once("connect_error", reject); });
  return { name, token: body.token, request: (event, payload) => socket.timeout(5000).emitWithAck(event, payload) };
}

// Every file under the files directory (tmp/ included), relative to it.
function storedFiles() {
  const root = path.join(server.dataDir, "files");
  const walk = (dir) => readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [path.relative(root, full)];
  });
  return walk(root);
}

test("an upload answers 201 {id, name, size, type, sha256}; the same bytes twice are stored once", async () => {
  const ann = await account("ann");
  const bytes = randomBytes(1024 * 1024 + 7); // several reads of the socket
  const first = await upload(server.url, ann.token, "report final (v2).pdf", bytes, "application/pdf; charset=binary");
  assert.equal(first.status, 201);
  assert.match(first.body.id, /^[A-Za-z0-9_-]{20}$/);
  assert.deepEqual(first.body, { id: first.body.id, name: "report final (v2).pdf", size: bytes.length,
                                 type: "application/pdf", sha256: sha256(bytes) });
  const again = await upload(server.url, ann.token, "copy.pdf", bytes, "application/pdf");
  assert.equal(again.status, 201);
  assert.notEqual(again.body.id, first.body.id);
  assert.equal(again.body.sha256, first.body.sha256);
  const copies = storedFiles().filter((file) => file.endsWith(sha256(bytes)));
  assert.deepEqual(copies, [path.join(sha256(bytes).slice(0, 2), sha256(bytes))]);
  const got = await download(server.url, ann.token, again.body.id);
  assert.equal(got.status, 200);
  assert.ok(got.bytes.equals(bytes));
});

test("too large (413) and over quota (507) are refused before the body; no token 401; bad names and types 400", async () => {
  const bea = await account("bea");
  const tooLarge = await upload(server.url, bea.token, "big.bin", randomBytes(MaxFileMb * 1024 * 1024 + 1));
  assert.equal(tooLarge.status, 413);
  assert.match(tooLarge.body.error, /at most 2 MiB/);
  for (let i = 0; i < Math.floor(QuotaMb / MaxFileMb); ++i) // 2 × 2 MiB of the 5 MiB quota
    assert.equal((await upload(server.url, bea.token, `part${i}`, randomBytes(MaxFileMb * 1024 * 1024))).status, 201);
  const over = await upload(server.url, bea.token, "one more", randomBytes(MaxFileMb * 1024 * 1024));
  assert.equal(over.status, 507);
  assert.match(over.body.error, /quota/);
  // The same content again costs no quota: it is stored once.
  const small = randomBytes(1000);
  assert.equal((await upload(server.url, bea.token, "small", small)).status, 201);
  assert.equal((await upload(server.url, bea.token, "small again", small)).status, 201);

  assert.equal((await upload(server.url, null, "anon.txt", randomBytes(10))).status, 401);
  assert.equal((await upload(server.url, "not-a-token", "anon.txt", randomBytes(10))).status, 401);
  for (const name of ["", "../etc/passwd", "a/b", "a\\b", "..", "bell\u0007", "x".repeat(256)])
    assert.equal((await upload(server.url, bea.token, name, randomBytes(10))).status, 400, JSON.stringify(name));
  assert.equal((await upload(server.url, bea.token, "t.txt", randomBytes(10), "text/html<script>")).status, 400);
  assert.equal((await upload(server.url, bea.token, "empty.txt", Buffer.alloc(0))).status, 400);
  const refused = sample(await (await fetch(`${server.url}/metrics`)).text(),
                         'confab_file_uploads_refused_total{status="413"}');
  assert.ok(refused >= 1);
});

test("a cut upload leaves nothing behind", async () => {
  const cy = await account("cy");
  const { port } = new URL(server.url);
  const socket = net.connect(Number(port), "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(`POST /api/v1/files?name=cut.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${cy.token}\r\n` +
               `Content-Length: ${1024 * 1024}\r\n\r\n`);
  await new Promise((resolve) => socket.write(randomBytes(200 * 1024), resolve));
  // The partial upload exists while the body is coming...
  while (!storedFiles().some((file) => file.startsWith("tmp")))
    await new Promise((resolve) => setImmediate(resolve));
  socket.destroy();
  // ...and is gone once the connection is: polled, as nothing signals a file's removal.
  const deadline = Date.now() + 10000;
  while (storedFiles().some((file) => file.startsWith("tmp")) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(storedFiles().filter((file) => file.startsWith("tmp")), []);
  // The cut upload took no quota and no record: the whole quota is still there.
  assert.equal((await upload(server.url, cy.token, "after", randomBytes(MaxFileMb * 1024 * 1024))).status, 201);
});

test("an upload slower than --upload-timeout-s is cut with 408 and leaves nothing", async () => {
  const slowServer = await startConfabd({ args: ["--upload-timeout-s", "1"] });
  try {
    const { body } = await postJson(`${slowServer.url}/api/v1/register`, { username: "snail", password: "correct horse" });
    const socket = net.connect(Number(new URL(slowServer.url).port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    let answer = "";
    socket.on("data", (chunk) => { answer += chunk.toString("latin1"); });
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.write(`POST /api/v1/files?name=slow.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${body.token}\r\n` +
                 `Content-Length: 100000\r\n\r\n`);
    // A trickle: never a pause long enough for the 30 s pause deadline, never done.
    const trickle = setInterval(() => socket.writable && socket.write("x".repeat(10)), 100);
    await closed;
    clearInterval(trickle);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    const temporaries = path.join(slowServer.dataDir, "files", "tmp");
    for (let i = 0; i < 200 && readdirSync(temporaries).length > 0; ++i) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(readdirSync(temporaries), []);
    assert.equal((await upload(slowServer.url, body.token, "fast.bin", randomBytes(1000))).status, 201);
  } finally {
    await slowServer.kill("SIGTERM");
  }
});

test("downloads: Range, ETag and 304, nosniff, images inline and everything else (HTML too) as an attachment", async () => {
  const dee = await account("dee");
  const png = randomBytes(50000);
  const image = await upload(server.url, dee.token, "photo.png", png, "image/png");
  const whole = await download(server.url, dee.token, image.body.id);
  assert.equal(whole.headers.get("content-type"), "image/png");
  assert.equal(whole.headers.get("content-disposition"), "inline; filename=\"photo.png\"; filename*=UTF-8''photo.png");
  assert.equal(whole.headers.get("x-content-type-options"), "nosniff");
  assert.equal(whole.headers.get("etag"), `"${sha256(png)}"`);
  assert.equal(whole.headers.get("accept-ranges"), "bytes");

  const part = await download(server.url, dee.token, image.body.id, { Range: "bytes=100-199" });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 100-199/${png.length}`);
  assert.ok(part.bytes.equals(png.subarray(100, 200)));
  const tail = await download(server.url, dee.token, image.body.id, { Range: "bytes=-10" });
  assert.ok(tail.bytes.equals(png.subarray(png.length - 10)));
  const open = await download(server.url, dee.token, image.body.id, { Range: `bytes=${png.length - 5}-` });
  assert.ok(open.bytes.equals(png.subarray(png.length - 5)));
  const outside = await download(server.url, dee.token, image.body.id, { Range: `bytes=${png.length}-` });
  assert.equal(outside.status, 416);
  assert.equal(outside.headers.get("content-range"), `bytes */${png.length}`);

  const cached = await download(server.url, dee.token, image.body.id, { "If-None-Match": `"${sha256(png)}"` });
  assert.equal(cached.status, 304);
  assert.equal(cached.bytes.length, 0);
  assert.equal(cached.headers.get("content-length"), null); // only the 200's length would be allowed
  assert.equal(cached.headers.get("etag"), `"${sha256(png)}"`);
  const changed = await download(server.url, dee.token, image.body.id, { "If-None-Match": '"something-else"' });
  assert.equal(changed.status, 200);

  // HTML (even claiming to be text/html) is never shown by a browser: an attachment, as bytes.
  const html = Buffer.from("<html><script>alert(1)</script></html>");
  const page = await upload(server.url, dee.token, "page \"one\" ünï.html", html, "text/html");
  const served = await download(server.url, dee.token, page.body.id);
  assert.equal(served.headers.get("content-type"), "application/octet-stream");
  assert.equal(served.headers.get("content-disposition"),
               "attachment; filename=\"page _one_ _n_.html\"; filename*=UTF-8''page%20%22one%22%20%C3%BCn%C3%AF.html");
  assert.match(served.headers.get("content-security-policy"), /default-src 'none'/);

  // The ?token= form (an <img src> cannot send a header); unknown ids are 404.
  const byQuery = await fetch(`${server.url}/api/v1/files/${image.body.id}?token=${dee.token}`);
  assert.equal(byQuery.status, 200);
  assert.equal((await download(server.url, dee.token, "no-such-file")).status, 404);
  assert.equal((await download(server.url, dee.token, "../../admin-token")).status, 404);
});

test("attachments: only one's own uploads, members may download, a deleted message's files are the uploader's again", async () => {
  const alice = await account("alice");
  const bob = await account("bob");
  const carol = await account("carol");
  await alice.request("room:create", { room: "files-room" });
  await bob.request("room:join", { room: "files-room" });
  await attachmentsAndAccess({ alice, bob, carol, room: "files-room", uploadUrl: server.url, downloadUrl: server.url });
});

test("message:send validates attachments: at most 10, well-formed, text optional only with them", async () => {
  const eve = await account("eve");
  await eve.request("room:create", { room: "files-checks" });
  const { body } = await upload(server.url, eve.token, "a.txt", randomBytes(10), "text/plain");
  const send = (payload) => eve.request("message:send", { room: "files-checks", clientId: `c${++counter}`, ...payload });
  assert.equal((await send({ attachments: Array(11).fill({ file: body.id }) })).error.code, "bad_request");
  assert.equal((await send({ attachments: [{ file: "../x" }] })).error.code, "bad_request");
  assert.equal((await send({ attachments: [{ file: body.id, width: 10 }] })).error.code, "bad_request");
  assert.equal((await send({ attachments: [{ file: body.id, width: 0, height: 0 }] })).error.code, "bad_request");
  assert.equal((await send({ attachments: [{ file: "nosuchfile" }] })).error.code, "forbidden");
  assert.equal((await send({ text: "" })).error.code, "bad_request");
  const withText = await send({ text: "see attached", attachments: [{ file: body.id }] });
  assert.equal(withText.ok, true);
});

// Last: with no grace, a pass takes every unsent upload the tests above left.
test("garbage collection: deleted messages' and never-sent files go, shared bytes stay, the quota follows", async () => {
  const alice = await account("gcalice");
  const bob = await account("gcbob");
  await alice.request("room:create", { room: "files-gc" });
  await bob.request("room:join", { room: "files-gc" });
  const adminToken = readFileSync(path.join(server.dataDir, "admin-token"), "utf8").trim();
  const contentExists = (sha) => existsSync(path.join(server.dataDir, "files", sha.slice(0, 2), sha));
  await garbageCollection({ alice, bob, room: "files-gc", url: server.url, adminToken, contentExists });
});
