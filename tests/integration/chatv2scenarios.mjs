// Chat protocol v2 (part 1) scenarios, written against "users": objects with
// `name`, `request(event, payload)` (the ack) and `socket` (a socket.io-client socket).
// The embedded test runs them on one confabd; the cluster test with each user on
// another node.
import assert from "node:assert/strict";

// Resolves with the first `event` payload on `user` that satisfies `predicate`.
export function waitEvent(user, event, predicate = () => true, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      user.socket.off(event, handler);
      reject(new Error(`${user.name}: no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      user.socket.off(event, handler);
      resolve(payload);
    };
    user.socket.on(event, handler);
  });
}

export async function ok(user, event, payload) {
  const answer = await user.request(event, payload);
  assert.equal(answer.ok, true, `${user.name} ${event} ${JSON.stringify(payload)}: ${JSON.stringify(answer.error)}`);
  return answer;
}

export async function refused(user, event, payload, code) {
  const answer = await user.request(event, payload);
  assert.equal(answer.ok, false, `${event} should be refused`);
  assert.equal(answer.error.code, code, JSON.stringify(answer.error));
}

let clientIds = 0;
export async function send(user, room, text, extra = {}) {
  return ok(user, "message:send", { room, clientId: `v2-${process.pid}-${++clientIds}`, text, ...extra });
}

// A room with alice (its creator) and bob in it.
export async function roomOf(alice, bob, room) {
  await ok(alice, "room:create", { room });
  await ok(bob, "room:join", { room });
}

// Edit, delete, reactions: acks carry the new rev, revs have no gaps, message:update
// reaches the other member with the whole message, and only the right people may.
export async function changes(alice, bob, room) {
  const first = await send(alice, room, "helo wrold");
  const second = await send(bob, room, "hi");
  const updated = waitEvent(bob, "message:update", (m) => m.id === first.id && m.editedAt);
  const edit = await ok(alice, "message:edit", { room, id: first.id, text: "hello world" });
  assert.ok(edit.editedAt > 0);
  const seen = await updated;
  assert.equal(seen.text, "hello world");
  assert.equal(seen.rev, edit.rev);
  assert.equal(seen.seq, 1);

  await refused(bob, "message:edit", { room, id: first.id, text: "not mine" }, "forbidden");
  await refused(bob, "message:delete", { room, id: first.id }, "forbidden");
  await refused(alice, "message:edit", { room, id: "nosuchid", text: "x" }, "not_found");

  const react = await ok(bob, "reaction:set", { room, id: first.id, emoji: "👍", on: true });
  assert.equal(react.rev, edit.rev + 1);
  const again = await ok(bob, "reaction:set", { room, id: first.id, emoji: "👍", on: true });
  assert.equal(again.rev, react.rev, "a reaction that changes nothing takes no rev");
  const alsoAlice = await ok(alice, "reaction:set", { room, id: first.id, emoji: "👍", on: true });
  const history = await ok(alice, "history:fetch", { room });
  const reacted = history.messages.find((m) => m.id === first.id);
  assert.deepEqual(reacted.reactions, [{ emoji: "👍", count: 2, users: [bob.name, alice.name] }]);
  assert.equal(reacted.rev, alsoAlice.rev);
  assert.equal(history.messages.find((m) => m.id === second.id).reactions, undefined, "absent, not []");

  const deleted = waitEvent(bob, "message:update", (m) => m.id === first.id && m.deleted);
  const del = await ok(alice, "message:delete", { room, id: first.id });
  const tombstone = await deleted;
  assert.equal(tombstone.text, "");
  assert.equal(tombstone.reactions, undefined);
  assert.equal(tombstone.rev, del.rev);
  assert.equal((await ok(alice, "message:delete", { room, id: first.id })).rev, del.rev, "idempotent");
  await refused(alice, "message:edit", { room, id: first.id, text: "back" }, "conflict");

  // updates:fetch: each changed message once, at its latest state, ascending rev.
  const updates = await ok(bob, "updates:fetch", { room, afterRev: 0 });
  assert.deepEqual(updates.messages.map((m) => m.id), [second.id, first.id]);
  assert.equal(updates.messages[1].deleted, true);
  assert.equal(updates.lastRev, del.rev);
  const revs = updates.messages.map((m) => m.rev);
  assert.deepEqual(revs, [...revs].sort((a, b) => a - b));
  assert.deepEqual((await ok(bob, "updates:fetch", { room, afterRev: del.rev })).messages, []);
  const page = await ok(bob, "updates:fetch", { room, afterRev: 0, limit: 1 });
  assert.equal(page.messages.length, 1);
}

// At most 20 distinct emoji per message; the 21st is too_large, more of an existing one is fine.
export async function reactionLimit(alice, bob, room) {
  const { id } = await send(alice, room, "react to me");
  for (let i = 0; i < 20; ++i)
    await ok(alice, "reaction:set", { room, id, emoji: String.fromCodePoint(0x1f600 + i), on: true });
  await refused(bob, "reaction:set", { room, id, emoji: "🦀", on: true }, "too_large");
  await ok(bob, "reaction:set", { room, id, emoji: "😀", on: true });
  await refused(bob, "reaction:set", { room, id, emoji: "not an emoji", on: true }, "bad_request");
}

// replyTo quotes the original as it was; mentions name members only.
export async function repliesAndMentions(alice, bob, room) {
  const original = await send(bob, room, "x".repeat(300));
  const arrived = waitEvent(bob, "message", (m) => m.replyTo?.id === original.id);
  await send(alice, room, `@${bob.name.toUpperCase()} and @nobody-here, see above`, { replyTo: original.id });
  const reply = await arrived;
  assert.equal(reply.replyTo.seq, original.seq);
  assert.equal(reply.replyTo.from, bob.name);
  assert.equal(reply.replyTo.text.length, 200);
  assert.deepEqual(reply.mentions, [bob.name]);
  const answer = await alice.request("message:send", { room, clientId: `v2-${process.pid}-${++clientIds}`, text: "?", replyTo: "nosuchmessage" });
  assert.equal(answer.error.code, "not_found");
}

// room:list counts what is unread and what mentions the caller; a read receipt clears
// them and the user's other connection hears it.
export async function readState(alice, bob, bobElsewhere, room) {
  const listed = async (user) => (await ok(user, "room:list", {})).rooms.find((r) => r.name === room);
  const start = await listed(bob);
  await send(alice, room, "one");
  await send(alice, room, `two @${bob.name}`);
  const third = await send(alice, room, "three");
  await send(bob, room, "mine does not count");
  let state = await listed(bob);
  assert.equal(state.unread, start.unread + 3);
  assert.equal(state.mentions, start.mentions + 1);
  assert.ok(state.lastRev >= third.seq);

  const cleared = waitEvent(bobElsewhere, "read", (r) => r.room === room && r.readSeq === third.seq);
  await ok(bob, "receipt", { room, seq: third.seq, kind: "read" });
  const read = await cleared;
  assert.equal(read.unread, 0);
  assert.equal(read.mentions, 0);
  state = await listed(bob);
  assert.deepEqual([state.readSeq, state.unread, state.mentions], [third.seq, 0, 0]);
  // Never backwards.
  await ok(bob, "receipt", { room, seq: 1, kind: "read" });
  assert.equal((await listed(bob)).readSeq, third.seq);

  // A deleted unread message stops counting; one deleted after it was read changes nothing.
  const later = await send(alice, room, `later @${bob.name}`);
  assert.deepEqual([(await listed(bob)).unread, (await listed(bob)).mentions], [1, 1]);
  await ok(alice, "message:delete", { room, id: later.id });
  assert.deepEqual([(await listed(bob)).unread, (await listed(bob)).mentions], [0, 0]);
  await ok(alice, "message:delete", { room, id: third.id });
  assert.equal((await listed(bob)).unread, 0);

  const reads = await ok(alice, "room:reads", { room });
  assert.equal(reads.reads[bob.name], third.seq);
}

// Receipts sent in a burst reach the other members coalesced (protocol v2: at most one per
// room, user and kind every 250 ms, with the highest seq): seqs only rise, the newest arrives.
export async function receiptsCoalesced(alice, bob, room) {
  const sent = [];
  for (let i = 0; i < 5; ++i) sent.push((await send(alice, room, `burst ${i}`)).seq);
  const heard = [];
  const newest = sent[sent.length - 1];
  const collect = (receipt) => {
    if (receipt.room === room && receipt.user === bob.name && receipt.kind === "read") heard.push(receipt.seq);
  };
  alice.socket.on("receipt", collect);
  const last = waitEvent(alice, "receipt", (r) => r.room === room && r.user === bob.name && r.seq === newest);
  const answers = await Promise.all(sent.map((seq) => bob.request("receipt", { room, seq, kind: "read" })));
  assert.ok(answers.every((answer) => answer.ok), JSON.stringify(answers));
  await last;
  alice.socket.off("receipt", collect);
  assert.ok(heard.length >= 1 && heard.length <= sent.length, JSON.stringify(heard));
  assert.deepEqual(heard, [...heard].sort((a, b) => a - b), "never a lower seq after a higher one");
  assert.equal(new Set(heard).size, heard.length, "no seq twice");
  const reads = await ok(alice, "room:reads", { room });
  assert.equal(reads.reads[bob.name], newest);
}

// Every new event refuses malformed payloads with bad_request and a non-member with forbidden.
export async function refusals(alice, outsider, room) {
  const { id } = await send(alice, room, "guarded");
  for (const [event, payload] of [["message:edit", { room, id }], ["message:edit", { room, id, text: 5 }],
                                  ["message:delete", { room }], ["reaction:set", { room, id, emoji: "👍" }],
                                  ["reaction:set", { room, id, emoji: "", on: true }],
                                  ["updates:fetch", { room }], ["updates:fetch", { room, afterRev: -1 }],
                                  ["room:reads", {}]])
    await refused(alice, event, payload, "bad_request");
  await refused(outsider, "message:edit", { room, id, text: "hi" }, "forbidden");
  await refused(outsider, "reaction:set", { room, id, emoji: "👍", on: true }, "forbidden");
  await refused(outsider, "updates:fetch", { room, afterRev: 0 }, "forbidden");
  await refused(outsider, "room:reads", { room }, "forbidden");
}

// search (embedded store): the member's words in any order, the last one a prefix, edits
// and deletes followed, newest first, a room's pages by beforeSeq; refusals as the contract
// says. With `unavailable` set (a cluster): answered unavailable with its message.
export async function search(alice, bob, outsider, room, { unavailable = false } = {}) {
  const first = await send(alice, room, "deploy the staging server");
  await send(bob, room, "staging looks fine");
  const third = await send(alice, room, "deploy production tonight");
  if (unavailable) {
    const answer = await alice.request("search", { query: "deploy" });
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, "unavailable");
    assert.equal(answer.error.message, "search needs the embedded store");
    return;
  }
  const seqs = async (user, payload) => (await ok(user, "search", payload)).messages.map((m) => m.seq);
  assert.deepEqual(await seqs(bob, { query: "server deploy" }), [first.seq]);
  assert.deepEqual(await seqs(bob, { query: "stag", room }), [2, first.seq]);
  assert.deepEqual(await seqs(bob, { query: "deploy", room, beforeSeq: third.seq }), [first.seq]);
  assert.deepEqual(await seqs(bob, { query: "deploy", limit: 1 }), [third.seq]);
  await ok(alice, "message:edit", { room, id: first.id, text: "deploy the canary" });
  await ok(alice, "message:delete", { room, id: third.id });
  assert.deepEqual(await seqs(bob, { query: "staging deploy" }), []);
  assert.deepEqual(await seqs(bob, { query: "deploy" }), [first.seq]);
  assert.deepEqual(await seqs(outsider, { query: "deploy" }), []); // not the outsider's rooms
  await refused(outsider, "search", { query: "deploy", room }, "forbidden");
  for (const payload of [{}, { query: "" }, { query: "  !! " }, { query: "x".repeat(201) }, { query: "a", limit: 51 },
                         { query: "a", beforeSeq: 3 }, { query: "a", room: "Not A Room" }])
    await refused(alice, "search", payload, "bad_request");
}
