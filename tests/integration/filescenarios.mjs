// Files (protocol v2 "Files (HTTP)") scenarios, shared by the embedded-store test and the
// cluster test: `upload` and `download` take the base URL of the node to use, so a
// cluster test can upload through one node and download through another.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";

export const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

export async function upload(url, token, name, bytes, type = "application/octet-stream") {
  const headers = { "Content-Type": type };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${url}/api/v1/files?name=${encodeURIComponent(name)}`,
                               { method: "POST", body: bytes, headers });
  return { status: response.status, body: await response.json() };
}

export async function download(url, token, id, headers = {}) {
  const response = await fetch(`${url}/api/v1/files/${id}`,
                               { headers: token ? { Authorization: `Bearer ${token}`, ...headers } : headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

// alice and bob are { name, token, request(event, payload) } members of `room`; carol is
// not a member. The file is uploaded through uploadUrl and read through downloadUrl.
export async function attachmentsAndAccess({ alice, bob, carol, room, uploadUrl, downloadUrl }) {
  const bytes = randomBytes(300 * 1024);
  const uploaded = await upload(uploadUrl, alice.token, "diagram.png", bytes, "image/png");
  assert.equal(uploaded.status, 201);
  assert.deepEqual(uploaded.body, { id: uploaded.body.id, name: "diagram.png", size: bytes.length, type: "image/png",
                                    sha256: sha256(bytes) });
  const thumbnail = await upload(uploadUrl, alice.token, "diagram-thumb.png", randomBytes(2000), "image/png");
  const file = uploaded.body.id;

  // Before any message carries it only the uploader may read it.
  assert.equal((await download(downloadUrl, alice.token, file)).status, 200);
  assert.equal((await download(downloadUrl, bob.token, file)).status, 404);

  // Only one's own uploads may be attached.
  const stolen = await bob.request("message:send", { room, clientId: "steal", attachments: [{ file }] });
  assert.equal(stolen.ok, false);
  assert.equal(stolen.error.code, "forbidden");

  // A picture alone: no text needed.
  const sent = await alice.request("message:send", {
    room, clientId: "pic", attachments: [{ file, thumbnail: thumbnail.body.id, width: 640, height: 480 }] });
  assert.equal(sent.ok, true);
  const [message] = (await bob.request("history:fetch", { room, afterSeq: sent.seq - 1, limit: 1 })).messages;
  assert.equal(message.text, "");
  assert.deepEqual(message.attachments, [{ id: file, name: "diagram.png", size: bytes.length, type: "image/png",
                                           width: 640, height: 480, thumbnail: thumbnail.body.id }]);

  // Members read it (and its thumbnail) now; others still do not.
  const asMember = await download(downloadUrl, bob.token, file);
  assert.equal(asMember.status, 200);
  assert.ok(asMember.bytes.equals(bytes));
  assert.equal((await download(downloadUrl, bob.token, thumbnail.body.id)).status, 200);
  assert.equal((await download(downloadUrl, carol.token, file)).status, 404);
  assert.equal((await download(downloadUrl, null, file)).status, 401);

  // Deleting the message withdraws it from everyone but the uploader.
  assert.equal((await alice.request("message:delete", { room, id: message.id })).ok, true);
  const [tombstone] = (await bob.request("history:fetch", { room, afterSeq: sent.seq - 1, limit: 1 })).messages;
  assert.equal(tombstone.attachments, undefined);
  assert.equal((await download(downloadUrl, bob.token, file)).status, 404);
  assert.equal((await download(downloadUrl, alice.token, file)).status, 200);
}

async function admin(url, adminToken, method, path) {
  const response = await fetch(`${url}/api/v1/admin${path}`, { method, headers: { Authorization: `Bearer ${adminToken}` } });
  return { status: response.status, body: await response.json() };
}

// Garbage collection, on a server started with --file-gc-grace-minutes 0 and
// --file-unsent-hours 0 (so nothing waits): a file a live message carries stays, one only
// a deleted message carried goes and so does one never sent; bytes another record shares
// stay on disk. `contentExists(sha256)` looks at the files directory. gcUrl may be another
// node than the one the files went through.
export async function garbageCollection({ alice, bob, room, url, gcUrl = url, adminToken, contentExists }) {
  const kept = randomBytes(50_000), shared = randomBytes(40_000), unsent = randomBytes(30_000);
  const keptUpload = (await upload(url, alice.token, "kept.bin", kept)).body;
  const deletedUpload = (await upload(url, alice.token, "deleted.bin", shared)).body;
  const unsentUpload = (await upload(url, alice.token, "unsent.bin", unsent)).body;
  const sharedUpload = (await upload(url, bob.token, "shared.bin", shared)).body; // the same bytes, bob's
  const thumbnailUpload = (await upload(url, alice.token, "deleted-thumb.png", randomBytes(3000), "image/png")).body;
  const send = async (user, file, clientId, thumbnail) => {
    const attachment = thumbnail ? { file, thumbnail } : { file };
    const sent = await user.request("message:send", { room, clientId, attachments: [attachment] });
    assert.equal(sent.ok, true);
    return sent;
  };
  await send(alice, keptUpload.id, "gc-kept");
  const doomed = await send(alice, deletedUpload.id, "gc-deleted", thumbnailUpload.id);
  await send(bob, sharedUpload.id, "gc-shared");
  assert.equal((await alice.request("message:delete", { room, id: doomed.id })).ok, true);
  const usageOf = (usage, name) => usage.topUsers.find((u) => u.user === name)?.bytes ?? 0;
  const before = (await admin(gcUrl, adminToken, "GET", "/files")).body;
  assert.ok(before.records >= 4 && before.contents >= 3);

  const gc = await admin(gcUrl, adminToken, "POST", "/files/gc");
  assert.equal(gc.status, 200);
  assert.ok(gc.body.records >= 3, JSON.stringify(gc.body)); // the deleted message's file and thumbnail, the unsent one
  assert.ok(gc.body.contents >= 1 && gc.body.bytes >= unsent.length);
  // Gone for everyone, the uploader too; the bytes of the unsent one are gone from disk,
  // the shared bytes stay for bob's record.
  assert.equal((await download(url, alice.token, deletedUpload.id)).status, 404);
  assert.equal((await download(url, alice.token, unsentUpload.id)).status, 404);
  assert.equal((await download(url, alice.token, thumbnailUpload.id)).status, 404);
  assert.equal(contentExists(sha256(unsent)), false);
  assert.equal(contentExists(sha256(shared)), true);
  const sharedCopy = await download(url, alice.token, sharedUpload.id);
  assert.equal(sharedCopy.status, 200);
  assert.ok(sharedCopy.bytes.equals(shared));
  assert.ok((await download(url, bob.token, keptUpload.id)).bytes.equals(kept));
  // The quota counts what is left: alice's two collected uploads no longer.
  const after = (await admin(gcUrl, adminToken, "GET", "/files")).body;
  assert.equal(usageOf(before, alice.name) - usageOf(after, alice.name), shared.length + unsent.length + 3000);
  assert.equal(before.records - after.records, gc.body.records);
  assert.equal((await admin(gcUrl, adminToken, "POST", "/files/gc")).body.records, 0); // nothing left to take
  assert.equal((await admin(gcUrl, null, "POST", "/files/gc")).status, 401);
}
