// Protocol v2 part 2: rooms with visibility and roles, invites, kicks, bans, the `room`
// and extended `member` events, and the directory. Written against "users" (`name`,
// `request(event, payload)`, `socket`) like chatv2scenarios.mjs: the embedded test runs
// them on one confabd, the cluster test with each user on another node.
import assert from "node:assert/strict";
import { waitEvent, send, ok, refused } from "./chatv2scenarios.mjs";

const roleOf = (room, user) => room.members.find((m) => m.user === user)?.role;
const memberEvent = (room, user, action) => (e) => e.room === room && e.user === user && e.action === action;

// Collects the texts of `room`'s messages reaching `user` from now on.
function collect(user, room) {
  const texts = [];
  user.socket.on("message", (m) => { if (m.room === room) texts.push(m.text); });
  return texts;
}

// The creator owns a public room; the owner names moderators; moderators change the topic,
// delete others' messages, kick and ban; nobody acts on the owner; members only invite.
// A kicked user's connections leave the room at once: nothing sent after reaches them.
export async function rolesAndModeration({ alice, bob, carol, room }) {
  const created = await ok(alice, "room:create", { room, topic: "first" });
  assert.equal(created.room.visibility, "public");
  assert.equal(roleOf(created.room, alice.name), "owner");
  const bobJoined = waitEvent(alice, "member", memberEvent(room, bob.name, "joined"));
  const joined = await ok(bob, "room:join", { room });
  assert.equal(roleOf(joined.room, bob.name), "member");
  assert.equal((await bobJoined).by, undefined);

  await refused(bob, "room:update", { room, topic: "mine now" }, "forbidden");
  await refused(bob, "room:role", { room, user: alice.name, role: "member" }, "forbidden");
  const promoted = waitEvent(bob, "room", (r) => r.name === room && roleOf(r, bob.name) === "moderator");
  await ok(alice, "room:role", { room, user: bob.name, role: "moderator" });
  assert.equal(roleOf(await promoted, alice.name), "owner");
  const retitled = waitEvent(alice, "room", (r) => r.name === room && r.topic === "second");
  const update = await ok(bob, "room:update", { room, topic: "second" });
  assert.equal(update.room.topic, "second");
  assert.equal((await retitled).visibility, "public");

  // A member invites to a public room: the invitee and the room hear who did.
  const invitedHere = waitEvent(carol, "member", memberEvent(room, carol.name, "invited"));
  const invitedThere = waitEvent(alice, "member", memberEvent(room, carol.name, "invited"));
  await ok(bob, "room:invite", { room, user: carol.name });
  assert.equal((await invitedHere).by, bob.name);
  assert.equal((await invitedThere).by, bob.name);
  await ok(bob, "room:invite", { room, user: carol.name }); // already in: nothing to do
  await refused(bob, "room:invite", { room, user: "nobody-here" }, "not_found");
  const listed = await ok(carol, "room:list", {});
  assert.equal(listed.rooms.find((r) => r.name === room)?.visibility, "public");

  // Moderators delete anyone's message; members only their own; the owner is untouchable.
  const carols = await send(carol, room, "spam spam");
  const alices = await send(alice, room, "owner speaking");
  await refused(carol, "message:delete", { room, id: alices.id }, "forbidden");
  await ok(bob, "message:delete", { room, id: carols.id });
  await refused(carol, "room:kick", { room, user: bob.name }, "forbidden");
  await refused(bob, "room:kick", { room, user: alice.name }, "forbidden");
  await refused(bob, "room:ban", { room, user: alice.name, on: true }, "forbidden");
  await refused(bob, "room:kick", { room, user: bob.name }, "forbidden");
  await refused(bob, "room:kick", { room, user: "nobody-here" }, "not_found");

  // The kick: carol and the room are told who did it; carol's connections leave the
  // channel (sent after the kick, nothing reaches her) and she may no longer write.
  const carolSaw = collect(carol, room);
  const kickedHere = waitEvent(carol, "member", memberEvent(room, carol.name, "kicked"));
  const kickedThere = waitEvent(alice, "member", memberEvent(room, carol.name, "kicked"));
  await ok(bob, "room:kick", { room, user: carol.name });
  assert.equal((await kickedHere).by, bob.name);
  assert.equal((await kickedThere).by, bob.name);
  await refused(carol, "message:send", { room, clientId: `kicked-${Date.now()}`, text: "still here?" }, "forbidden");
  await refused(carol, "history:fetch", { room }, "forbidden");
  await send(alice, room, "after the kick");
  // Published after that message from the same node: when it arrives, the message would have.
  const back = waitEvent(carol, "member", memberEvent(room, carol.name, "invited"));
  await ok(alice, "room:invite", { room, user: carol.name });
  await back;
  assert.deepEqual(carolSaw, [], "a kicked user's connection got the room's messages");

  // A ban kicks, and keeps the user out (join and invite) until lifted.
  const banned = waitEvent(carol, "member", memberEvent(room, carol.name, "banned"));
  await ok(bob, "room:ban", { room, user: carol.name, on: true });
  assert.equal((await banned).by, bob.name);
  await refused(carol, "room:join", { room }, "forbidden");
  await refused(alice, "room:invite", { room, user: carol.name }, "forbidden");
  await ok(bob, "room:ban", { room, user: carol.name, on: false });
  await ok(carol, "room:join", { room });

  // The owner leaves: the moderator takes over, and the room hears it.
  const heir = waitEvent(bob, "room", (r) => r.name === room && roleOf(r, bob.name) === "owner");
  await ok(alice, "room:leave", { room });
  assert.equal(roleOf(await heir, carol.name), "member");
}

// A private room: not listed, joined only by invitation of its owner or a moderator.
export async function privateRooms({ alice, bob, carol, room }) {
  const created = await ok(alice, "room:create", { room, visibility: "private" });
  assert.equal(created.room.visibility, "private");
  await refused(bob, "room:join", { room }, "forbidden");
  const directory = await ok(bob, "room:directory", { query: room });
  assert.deepEqual(directory.rooms, []);
  await ok(alice, "room:invite", { room, user: bob.name });
  const joined = await ok(bob, "room:join", { room }); // a member may (re)join
  assert.equal(joined.room.visibility, "private");
  await refused(bob, "room:invite", { room, user: carol.name }, "forbidden");
  await ok(alice, "room:role", { room, user: bob.name, role: "moderator" });
  await ok(bob, "room:invite", { room, user: carol.name });
  const listed = await ok(carol, "room:list", {});
  assert.equal(listed.rooms.find((r) => r.name === room)?.visibility, "private");
  await ok(alice, "room:role", { room, user: bob.name, role: "member" });
  await refused(bob, "room:kick", { room, user: carol.name }, "forbidden");
}

// Direct-message rooms have no roles and refuse every administrative event.
export async function directRoomsRefuse({ alice, bob }) {
  const dm = await ok(alice, "dm:open", { user: bob.name });
  const room = dm.room.name;
  assert.equal(dm.room.visibility, "private");
  assert.ok(dm.room.members.every((m) => m.role === undefined), JSON.stringify(dm.room.members));
  await refused(alice, "room:update", { room, topic: "x" }, "forbidden");
  await refused(alice, "room:kick", { room, user: bob.name }, "forbidden");
  await refused(alice, "room:ban", { room, user: bob.name, on: true }, "forbidden");
  await refused(alice, "room:role", { room, user: bob.name, role: "moderator" }, "forbidden");
  await refused(alice, "room:invite", { room, user: "someone" }, "forbidden");
}

// The directory: public rooms matching name or topic (any case), most members first,
// with their last activity; limits and bad payloads refused.
export async function directory({ alice, bob, prefix }) {
  const big = `${prefix}-big`, small = `${prefix}-small`;
  await ok(alice, "room:create", { room: small, topic: "Tea and Cakes" });
  await ok(alice, "room:create", { room: big, topic: "Coffee lovers" });
  await ok(bob, "room:join", { room: big });
  const sent = await send(alice, big, "the beans are here");
  const all = await ok(bob, "room:directory", { query: prefix });
  assert.deepEqual(all.rooms.map((r) => r.name), [big, small]);
  assert.deepEqual(Object.keys(all.rooms[0]).sort(), ["lastActivity", "memberCount", "name", "topic"]);
  assert.equal(all.rooms[0].memberCount, 2);
  assert.equal(all.rooms[0].topic, "Coffee lovers");
  assert.equal(all.rooms[0].lastActivity, sent.ts);
  assert.ok(all.rooms[1].lastActivity > 0); // created, nothing said yet
  const coffee = await ok(bob, "room:directory", { query: "COFFEE LOV" });
  assert.ok(coffee.rooms.some((r) => r.name === big));
  assert.ok(!coffee.rooms.some((r) => r.name === small));
  assert.equal((await ok(bob, "room:directory", { query: prefix, limit: 1 })).rooms.length, 1);
  assert.ok((await ok(bob, "room:directory", {})).rooms.length >= 2);
  await refused(bob, "room:directory", { limit: 101 }, "bad_request");
  await refused(bob, "room:directory", { query: 5 }, "bad_request");
}
