// confab-cli (on the client library) against a real confabd: send and listen, the
// outbox across a client and a server restart, resync after being away, polling,
// history, presence, protocol v2's edit, delete, react, reply, updates and reads, files
// (send --attach, download, attached offline), running rooms (create, invite, roles, kick,
// ban, directory), and its exit codes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { io } from "socket.io-client";
import { startConfabd, makeTestCertificate } from "../interop/support.mjs";

const execFileAsync = promisify(execFile);
const binary = path.join(process.env.CONFAB_BINARY_DIR, "client/cli/confab-cli");
let server;
const home = mkdtempSync(path.join(os.tmpdir(), "confab-cli-"));

before(async () => { server = await startConfabd(); });
after(async () => { await server.kill("SIGTERM"); });

// Runs confab-cli as `user`; resolves with { code, lines, stderr }.
async function cli(user, args, { url = server.url, password = "cli-password", cwd = undefined } = {}) {
  try {
    const { stdout, stderr } = await execFileAsync(binary, ["--server", url, "--user", user, "--data-dir", path.join(home, user), ...args],
                                                   { env: { ...process.env, CONFAB_PASSWORD: password }, cwd });
    return { code: 0, lines: stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)), stderr };
  } catch (error) {
    return { code: error.code, lines: [], stderr: error.stderr };
  }
}

test("join, send, listen, history, rooms, presence", async () => {
  assert.equal((await cli("cli-alice", ["--register", "join", "cli-room"])).code, 0);
  assert.equal((await cli("cli-bob", ["--register", "join", "cli-room"])).code, 0);
  const listening = cli("cli-bob", ["listen", "cli-room", "--count", "2", "--timeout", "20"]);
  // Give the listener time to connect: it prints nothing useful until then, so poll presence.
  for (let i = 0; i < 100; i++) {
    const { lines } = await cli("cli-alice", ["presence", "cli-bob"]);
    if (lines[0]?.status === "online") break;
  }
  const sent = await cli("cli-alice", ["send", "cli-room", "first"]);
  assert.equal(sent.code, 0);
  assert.equal(sent.lines[0].seq, 1);
  assert.ok(sent.lines[0].id && sent.lines[0].clientId);
  assert.equal((await cli("cli-alice", ["--transport", "polling", "send", "cli-room", "second"])).lines[0].seq, 2);
  const heard = await listening;
  assert.equal(heard.code, 0);
  assert.deepEqual(heard.lines.filter((l) => l.seq).map((m) => m.text), ["first", "second"]);

  const history = await cli("cli-bob", ["history", "cli-room", "--after", "1", "--limit", "5"]);
  assert.deepEqual(history.lines.map((m) => m.seq), [2]);
  assert.deepEqual((await cli("cli-bob", ["rooms"])).lines,
                   [{ name: "cli-room", topic: "", visibility: "public", lastSeq: 2, lastRev: 2, readSeq: 0, unread: 2,
                      mentions: 0 }]);
});

test("resync after being away fills what was missed, in order", async () => {
  await cli("cli-carol", ["--register", "join", "away-room"]);
  await cli("cli-dave", ["--register", "join", "away-room"]);
  await cli("cli-carol", ["send", "away-room", "one"]);
  // Dave's cache now holds seq 1.
  assert.deepEqual((await cli("cli-dave", ["listen", "away-room", "--count", "1", "--timeout", "20"])).lines.filter((l) => l.seq).map((m) => m.seq), [1]);
  for (const text of ["two", "three", "four"]) await cli("cli-carol", ["send", "away-room", text]);
  // On reconnect Dave fetches afterSeq=1 and sees exactly what he missed.
  const caught = await cli("cli-dave", ["listen", "away-room", "--count", "3", "--timeout", "20"]);
  assert.deepEqual(caught.lines.filter((l) => l.seq).map((m) => [m.seq, m.text]), [[2, "two"], [3, "three"], [4, "four"]]);
});

test("the outbox survives a client restart and a server restart", async () => {
  await cli("cli-erin", ["--register", "join", "outbox-room"]);
  const dataDir = server.dataDir;
  const url = server.url;
  await server.kill("SIGKILL");
  const queued = [];
  for (const text of ["while down 1", "while down 2"]) {
    const result = await cli("cli-erin", ["--queue", "--timeout", "20", "send", "outbox-room", text], { url });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.lines[0].queued, true);
    queued.push(result.lines[0].clientId);
  }
  // Without --queue an unreachable server is an error.
  assert.notEqual((await cli("cli-erin", ["--timeout", "3", "send", "outbox-room", "lost?"], { url })).code, 0);

  server = await startConfabd({ dataDir, args: ["--listen", url.replace("http://", "")] });
  const flushed = await cli("cli-erin", ["flush"]);
  assert.equal(flushed.code, 0, flushed.stderr);
  assert.deepEqual(flushed.lines.map((l) => l.clientId), queued); // in the order written
  const history = await cli("cli-erin", ["history", "outbox-room"]);
  assert.deepEqual(history.lines.map((m) => m.text), ["while down 1", "while down 2"]);
  assert.equal((await cli("cli-erin", ["flush"])).lines.length, 0); // nothing sent twice
});

test("listen: a room the user is not in is refused, --join joins it and shows its latest", async () => {
  assert.equal((await cli("cli-ivan", ["--register", "join", "readme-room"])).code, 0);
  assert.equal((await cli("cli-ivan", ["send", "readme-room", "hello"])).code, 0);
  // Without --join it would hear nothing until the timeout: it says so at once instead.
  const refused = await cli("cli-judy", ["--register", "listen", "readme-room", "--count", "1", "--timeout", "20"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /readme-room: forbidden/);
  const missing = await cli("cli-judy", ["listen", "no-such-room", "--count", "1", "--timeout", "20"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /not_found/);
  // The README's example, word for word but for the names.
  const joined = await cli("cli-judy", ["--register", "listen", "readme-room", "--join", "--count", "1", "--timeout", "20"]);
  assert.equal(joined.code, 0, joined.stderr);
  assert.deepEqual(joined.lines.map((m) => m.text), ["hello"]);
  assert.deepEqual((await cli("cli-judy", ["rooms"])).lines.map((r) => r.name), ["readme-room"]);
});

test("v2: reply, edit, react, delete, updates and reads", async () => {
  assert.equal((await cli("cli-kim", ["--register", "join", "v2-room"])).code, 0);
  assert.equal((await cli("cli-lee", ["--register", "join", "v2-room"])).code, 0);
  const first = (await cli("cli-kim", ["send", "v2-room", "first"])).lines[0];
  const reply = await cli("cli-lee", ["send", "v2-room", "answer", "--reply-to", first.id]);
  assert.equal(reply.code, 0, reply.stderr);

  const edited = await cli("cli-kim", ["edit", "v2-room", first.id, "first, edited"]);
  assert.equal(edited.code, 0, edited.stderr);
  assert.equal(edited.lines.length, 1);
  assert.equal(edited.lines[0].room, "v2-room");
  assert.equal(edited.lines[0].id, first.id);
  assert.ok(edited.lines[0].rev > 2 && edited.lines[0].editedAt > 0);
  const reacted = await cli("cli-lee", ["react", "v2-room", first.id, "👍"]);
  assert.equal(reacted.code, 0, reacted.stderr);
  assert.equal(reacted.lines[0].rev, edited.lines[0].rev + 1);
  assert.equal((await cli("cli-kim", ["react", "v2-room", first.id, "🎉"])).code, 0);
  assert.equal((await cli("cli-kim", ["react", "v2-room", first.id, "🎉", "--off"])).code, 0);
  const deleted = await cli("cli-lee", ["delete", "v2-room", reply.lines[0].id]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(Object.keys(deleted.lines[0]).sort(), ["id", "rev", "room"]);

  // Another's message cannot be edited: the refusal is printed, and nothing stays queued.
  const refused = await cli("cli-kim", ["edit", "v2-room", reply.lines[0].id, "not mine"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /forbidden|conflict/);
  assert.equal((await cli("cli-kim", ["flush"])).lines.length, 0);

  // Each message changed after the edit once, in its latest state, in rev order.
  const updates = await cli("cli-kim", ["updates", "v2-room", "--after-rev", String(edited.lines[0].rev - 1)]);
  assert.equal(updates.code, 0, updates.stderr);
  assert.deepEqual(updates.lines.map((m) => m.seq), [1, 2]);
  assert.equal(updates.lines[0].text, "first, edited");
  assert.deepEqual(updates.lines[0].reactions, [{ emoji: "👍", count: 1, users: ["cli-lee"] }]);
  assert.equal(updates.lines[1].deleted, true);
  assert.equal(updates.lines[1].text, "");
  assert.ok(updates.lines[0].rev < updates.lines[1].rev);
  const all = await cli("cli-kim", ["updates", "v2-room"]);
  assert.deepEqual(all.lines.map((m) => m.seq), [1, 2]);
  const history = await cli("cli-kim", ["history", "v2-room"]);
  assert.equal(history.lines[0].text, "first, edited");

  // reads: where each member has read (lee reads up to 2 with a receipt).
  const token = readFileSync(path.join(home, "cli-lee", "token-cli-lee"), "utf8").trim();
  const socket = io(server.url, { auth: { token }, reconnection: false, forceNew: true, transports: ["websocket"] });
  try {
    await new Promise((resolve, reject) => { socket.on("connect", resolve); socket.on("connect_error", reject); });
    const receipt = await socket.emitWithAck("receipt", { room: "v2-room", seq: 2, kind: "read" });
    assert.equal(receipt.ok, true);
  } finally {
    socket.close();
  }
  const reads = await cli("cli-kim", ["reads", "v2-room"]);
  assert.equal(reads.code, 0, reads.stderr);
  assert.deepEqual(reads.lines.find((l) => l.user === "cli-lee"), { user: "cli-lee", readSeq: 2 });
  assert.ok(reads.lines.every((l) => typeof l.user === "string" && Number.isInteger(l.readSeq)));
  const rooms = await cli("cli-lee", ["rooms"]);
  assert.deepEqual({ ...rooms.lines[0], lastRev: undefined },
                   { name: "v2-room", topic: "", visibility: "public", lastSeq: 2, lastRev: undefined, readSeq: 2, unread: 0, mentions: 0 });
  // unread: nothing left for lee; then kim names lee, and it is one unread mention.
  assert.deepEqual((await cli("cli-lee", ["unread"])).lines, []);
  assert.deepEqual((await cli("cli-lee", ["unread", "v2-room"])).lines,
                   [{ room: "v2-room", readSeq: 2, unread: 0, mentions: 0 }]);
  assert.equal((await cli("cli-kim", ["send", "v2-room", "@cli-lee one more"])).code, 0);
  assert.deepEqual((await cli("cli-lee", ["unread"])).lines, [{ room: "v2-room", readSeq: 2, unread: 1, mentions: 1 }]);
});

test("v2: an edit queued while the server is down is applied by flush, once", async () => {
  assert.equal((await cli("cli-mia", ["--register", "join", "v2-queue"])).code, 0);
  const sent = (await cli("cli-mia", ["send", "v2-queue", "draft"])).lines[0];
  const dataDir = server.dataDir;
  const url = server.url;
  await server.kill("SIGKILL");
  const queued = await cli("cli-mia", ["--queue", "--timeout", "20", "edit", "v2-queue", sent.id, "final"], { url });
  assert.equal(queued.code, 0, queued.stderr);
  assert.equal(queued.lines[0].queued, true);
  server = await startConfabd({ dataDir, args: ["--listen", url.replace("http://", "")] });
  const flushed = await cli("cli-mia", ["flush"]);
  assert.equal(flushed.code, 0, flushed.stderr);
  assert.deepEqual(flushed.lines.map((l) => [l.clientId, l.id]), [[queued.lines[0].clientId, sent.id]]);
  assert.equal((await cli("cli-mia", ["flush"])).lines.length, 0);
  const updates = await cli("cli-mia", ["updates", "v2-queue", "--after-rev", "1"]);
  assert.deepEqual(updates.lines.map((m) => [m.text, m.rev]), [["final", 2]]);
});

test("files: send --attach uploads and attaches, download fetches for members only, byte for byte", async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "confab-cli-files-"));
  const notes = path.join(folder, "notes.html");
  const blob = path.join(folder, "blob.bin");
  writeFileSync(notes, "<b>not rendered</b>\n");
  writeFileSync(blob, randomBytes(300_000));
  assert.equal((await cli("cli-nora", ["--register", "join", "files-room"])).code, 0);
  assert.equal((await cli("cli-otto", ["--register", "join", "files-room"])).code, 0);
  assert.equal((await cli("cli-pia", ["--register", "join", "elsewhere"])).code, 0);
  const sent = await cli("cli-nora", ["send", "files-room", "two files", "--attach", notes, "--attach", blob]);
  assert.equal(sent.code, 0, sent.stderr);
  const message = (await cli("cli-otto", ["history", "files-room"])).lines.at(-1);
  assert.equal(message.id, sent.lines[0].id);
  assert.deepEqual(message.attachments.map((a) => [a.name, a.size, a.type]),
                   [["notes.html", 20, "text/html"], ["blob.bin", 300_000, "application/octet-stream"]]);

  // To the uploader's name in the current folder, or to -o.
  const got = await cli("cli-otto", ["download", message.attachments[1].id], { cwd: folder + "/.." });
  assert.equal(got.code, 0, got.stderr);
  assert.equal(got.lines[0].file, path.join(path.dirname(folder), "blob.bin"));
  assert.ok(readFileSync(got.lines[0].file).equals(readFileSync(blob)));
  const named = path.join(folder, "copy.html");
  assert.equal((await cli("cli-otto", ["download", message.attachments[0].id, "-o", named])).code, 0);
  assert.equal(readFileSync(named, "utf8"), "<b>not rendered</b>\n");
  // Not a member of the room: not found, and nothing written.
  const refused = await cli("cli-pia", ["download", message.attachments[0].id, "-o", path.join(folder, "no")]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /not_found/);
  assert.ok(!existsSync(path.join(folder, "no")));
  // Text alone or files alone, but not neither; an unreadable file is refused before anything is queued.
  assert.equal((await cli("cli-nora", ["send", "files-room"])).code, 64);
  assert.equal((await cli("cli-nora", ["send", "files-room", "x", "--attach", path.join(folder, "missing")])).code, 64);
  assert.equal((await cli("cli-nora", ["send", "files-room", "--attach", notes])).code, 0);
});

test("files: attached while the server is down, uploaded and sent once when it is back", async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "confab-cli-files-"));
  const photo = path.join(folder, "photo.bin");
  writeFileSync(photo, randomBytes(100_000));
  assert.equal((await cli("cli-quinn", ["--register", "join", "files-offline"])).code, 0);
  const dataDir = server.dataDir;
  const url = server.url;
  await server.kill("SIGKILL");
  const queued = await cli("cli-quinn", ["--queue", "--timeout", "20", "send", "files-offline", "later", "--attach", photo], { url });
  assert.equal(queued.code, 0, queued.stderr);
  assert.equal(queued.lines[0].queued, true);
  server = await startConfabd({ dataDir, args: ["--listen", url.replace("http://", "")] });
  const flushed = await cli("cli-quinn", ["flush"]);
  assert.equal(flushed.code, 0, flushed.stderr);
  assert.deepEqual(flushed.lines.map((l) => l.clientId), [queued.lines[0].clientId]);
  assert.equal((await cli("cli-quinn", ["flush"])).lines.length, 0);
  const history = (await cli("cli-quinn", ["history", "files-offline"])).lines;
  assert.deepEqual(history.map((m) => [m.text, m.attachments?.length]), [["later", 1]]);
  const copy = path.join(folder, "copy.bin");
  assert.equal((await cli("cli-quinn", ["download", history[0].attachments[0].id, "-o", copy])).code, 0);
  assert.ok(readFileSync(copy).equals(readFileSync(photo)));
});

test("v2: search, in every room of the user's or one, newest first, paged with --before", async () => {
  assert.equal((await cli("cli-nia", ["--register", "join", "search-a"])).code, 0);
  assert.equal((await cli("cli-nia", ["join", "search-b"])).code, 0);
  for (const [room, text] of [["search-a", "release notes drafted"], ["search-b", "release tomorrow"],
                              ["search-a", "notes on the release"]])
    assert.equal((await cli("cli-nia", ["send", room, text])).code, 0);
  const everywhere = await cli("cli-nia", ["search", "release"]);
  assert.deepEqual(everywhere.lines.map((m) => [m.room, m.seq]), [["search-a", 2], ["search-b", 1], ["search-a", 1]]);
  assert.deepEqual((await cli("cli-nia", ["search", "notes rel", "search-a"])).lines.map((m) => m.seq), [2, 1]);
  assert.deepEqual((await cli("cli-nia", ["search", "release", "search-a", "--before", "2"])).lines.map((m) => m.seq),
                   [1]);
  assert.deepEqual((await cli("cli-nia", ["search", "release", "--limit", "1"])).lines.map((m) => m.text),
                   ["notes on the release"]);
  const refused = await cli("cli-nia", ["search", "release", "--before", "2"]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /bad_request/);
});

test("rooms: create private, invite, roles, topic, kick, ban and the directory", async () => {
  const owner = "cli-owner", helper = "cli-helper", guest = "cli-guest";
  for (const user of [owner, helper, guest]) assert.equal((await cli(user, ["--register", "rooms"])).code, 0);
  const created = await cli(owner, ["create", "cli-private", "Backstage", "--private"]);
  assert.equal(created.code, 0);
  assert.equal(created.lines[0].visibility, "private");
  assert.deepEqual(created.lines[0].members.map((m) => [m.user, m.role]), [[owner, "owner"]]);
  assert.equal((await cli(guest, ["join", "cli-private"])).code, 1); // private: by invitation only
  assert.deepEqual((await cli(guest, ["directory", "cli-private"])).lines, []);
  assert.equal((await cli(owner, ["invite", "cli-private", helper])).code, 0);
  assert.equal((await cli(helper, ["invite", "cli-private", guest])).code, 1); // a member may not, here
  assert.equal((await cli(owner, ["role", "cli-private", helper, "moderator"])).code, 0);
  assert.equal((await cli(owner, ["role", "cli-private", helper, "owner"])).code, 64); // usage
  assert.equal((await cli(helper, ["invite", "cli-private", guest])).code, 0);
  const topic = await cli(helper, ["topic", "cli-private", "Backstage crew"]);
  assert.equal(topic.lines[0].topic, "Backstage crew");
  assert.ok((await cli(guest, ["rooms"])).lines.some((r) => r.name === "cli-private" && r.visibility === "private"));
  assert.equal((await cli(helper, ["kick", "cli-private", guest])).code, 0);
  assert.ok(!(await cli(guest, ["rooms"])).lines.some((r) => r.name === "cli-private"));
  assert.equal((await cli(helper, ["ban", "cli-private", guest])).code, 0);
  const refused = await cli(owner, ["invite", "cli-private", guest]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /forbidden/);
  assert.equal((await cli(helper, ["ban", "cli-private", guest, "--off"])).code, 0);
  assert.equal((await cli(owner, ["invite", "cli-private", guest])).code, 0);

  assert.equal((await cli(owner, ["create", "cli-public", "Open to all"])).code, 0);
  const listed = await cli(guest, ["directory", "open TO"]);
  assert.deepEqual(listed.lines.map((r) => [r.name, r.topic, r.memberCount]), [["cli-public", "Open to all", 1]]);
});

test("exit codes: refusals and bad logins are errors", async () => {
  await cli("cli-frank", ["--register", "rooms"]);
  const forbidden = await cli("cli-frank", ["send", "cli-room", "not a member"]);
  assert.equal(forbidden.code, 1);
  assert.match(forbidden.stderr, /forbidden/);
  const badLogin = await cli("cli-nobody", ["rooms"], { password: "wrong-password" });
  assert.equal(badLogin.code, 77);
  assert.equal((await cli("cli-frank", ["bogus-command"])).code, 64);
});

test("TLS: trusts a given CA, refuses an unknown certificate", async () => {
  const { cert, key } = makeTestCertificate();
  const secure = await startConfabd({ args: ["--tls-cert", cert, "--tls-key", key] });
  try {
    const url = `https://127.0.0.1:${secure.port}`;
    const trusted = await cli("cli-tls", ["--ca-file", cert, "--register", "join", "tls-room"], { url });
    assert.equal(trusted.code, 0, trusted.stderr);
    const sent = await cli("cli-tls", ["--ca-file", cert, "send", "tls-room", "over wss"], { url });
    assert.equal(sent.lines[0].seq, 1);
    const untrusted = await cli("cli-tls-2", ["--register", "--timeout", "5", "rooms"], { url });
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.stderr, /certificate|SSL|TLS/i);
  } finally {
    await secure.kill("SIGTERM");
  }
});

// Starts test-proxy.mjs in front of the server; resolves with { url, stop }.
async function startProxy(args) {
  const { spawn } = await import("node:child_process");
  const readline = await import("node:readline");
  const child = spawn(process.execPath, [new URL("../interop/test-proxy.mjs", import.meta.url).pathname,
                                         "--target", String(server.port), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve) => readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const match = /listening on (\d+)/.exec(line);
    if (match) resolve(Number(match[1]));
  }));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

test("a proxy that refuses WebSocket upgrades: the client falls back to polling", async () => {
  await cli("cli-gina", ["--register", "join", "proxied"]);
  const proxy = await startProxy(["--refuse-upgrades"]);
  try {
    const sent = await cli("cli-gina", ["send", "proxied", "through a proxy"], { url: proxy.url });
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.lines[0].seq, 1);
  } finally {
    proxy.stop();
  }
});

test("an overloaded server's 503 + Retry-After is honoured, then the client gets in", async () => {
  await cli("cli-hugo", ["--register", "join", "busy"]);
  const proxy = await startProxy(["--overloaded", "2"]); // the WebSocket try and the polling try
  try {
    const sent = await cli("cli-hugo", ["send", "busy", "after the wait"], { url: proxy.url });
    assert.equal(sent.code, 0, sent.stderr);
    // The retry waited the advised second plus jitter of at most half of it.
    const waits = [...sent.stderr.matchAll(/retry \d+ in (\d+) ms/g)].map((m) => Number(m[1]));
    assert.equal(waits.length, 1, sent.stderr);
    assert.ok(waits[0] >= 1000 && waits[0] <= 1500, sent.stderr);
  } finally {
    proxy.stop();
  }
});
