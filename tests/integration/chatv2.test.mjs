// Chat protocol v2 (part 1) against a real confabd on its embedded store, driven by the
// stock socket.io-client: edits, deletes, reactions, replies, mentions, revisions and
// read state; part 2: rooms with roles, invites, kicks, bans and the directory (the
// scenarios are shared with the cluster test).
import { test, before, after } from "node:test";
import { io } from "socket.io-client";
import { startConfabd, postJson } from "../interop/support.mjs";
import * as v2 from "./chatv2scenarios.mjs";
import * as rooms from "./roomscenarios.mjs";

let server;
const sockets = [];
let counter = 0;

before(async () => {
  server = await startConfabd();
});

after(async () => {
  for (const socket of sockets) socket.disconnect();
  await server.kill("SIGTERM");
});

async function register(prefix) {
  const username = `${prefix}${++counter}`;
  const { body } = await postJson(`${server.url}/api/v1/register`, { username, password: "correct horse" });
  return { name: username, token: body.token };
}

async function connect(account, transports = ["websocket"]) {
  const socket = io(server.url, { auth: { token: account.token }, reconnection: false, forceNew: true, transports });
  sockets.push(socket);
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return { name: account.name, socket, request: (event, payload) => socket.timeout(5000).emitWithAck(event, payload) };
}

async function pair(room) {
  const alice = await connect(await register("alice"));
  const bobAccount = await register("bob");
  const bob = await connect(bobAccount, ["polling"]); // one of them on long-polling
  await v2.roomOf(alice, bob, room);
  return { alice, bob, bobAccount };
}

test("edits, deletes and reactions take revs, reach members and catch up by rev", async () => {
  const { alice, bob } = await pair("v2-changes");
  await v2.changes(alice, bob, "v2-changes");
});

test("at most 20 distinct emoji per message", async () => {
  const { alice, bob } = await pair("v2-reactions");
  await v2.reactionLimit(alice, bob, "v2-reactions");
});

test("replies quote the original, mentions name members only", async () => {
  const { alice, bob } = await pair("v2-replies");
  await v2.repliesAndMentions(alice, bob, "v2-replies");
});

test("unread and mention counts are exact, read positions reach every connection", async () => {
  const { alice, bob, bobAccount } = await pair("v2-reads");
  const bobElsewhere = await connect(bobAccount);
  await v2.readState(alice, bob, bobElsewhere, "v2-reads");
});

test("a burst of receipts reaches the room coalesced, newest last", async () => {
  const { alice, bob } = await pair("v2-receipts");
  await v2.receiptsCoalesced(alice, bob, "v2-receipts");
});

test("the new events refuse bad payloads and non-members", async () => {
  const { alice } = await pair("v2-refusals");
  const outsider = await connect(await register("eve"));
  await v2.refusals(alice, outsider, "v2-refusals");
});

test("search finds members' words in any order, follows edits and deletes, pages by beforeSeq", async () => {
  const { alice, bob } = await pair("v2-search");
  const outsider = await connect(await register("mallory"));
  await v2.search(alice, bob, outsider, "v2-search");
});

test("roles: the owner names moderators, who moderate; a kicked user hears nothing more", async () => {
  const alice = await connect(await register("alice"));
  const bob = await connect(await register("bob"), ["polling"]);
  const carol = await connect(await register("carol"));
  await rooms.rolesAndModeration({ alice, bob, carol, room: "v2-roles" });
});

test("private rooms are joined by invitation only and not listed", async () => {
  const alice = await connect(await register("alice"));
  const bob = await connect(await register("bob"), ["polling"]);
  const carol = await connect(await register("carol"));
  await rooms.privateRooms({ alice, bob, carol, room: "v2-private" });
});

test("direct-message rooms refuse the administrative events", async () => {
  const alice = await connect(await register("alice"));
  const bob = await connect(await register("bob"));
  await rooms.directRoomsRefuse({ alice, bob });
});

test("the directory lists public rooms by name or topic, most members first", async () => {
  const alice = await connect(await register("alice"));
  const bob = await connect(await register("bob"));
  await rooms.directory({ alice, bob, prefix: "v2-dir" });
});
