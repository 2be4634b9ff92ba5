// Chat protocol v2 across nodes: the same scenarios as on one embedded node, with each
// user on another node of the cluster (edits, deletes, reactions, replies, mentions, read
// positions, files, roles, kicks and the directory cross nodes through Redis and the
// shared --files-dir).
import { test, after } from "node:test";
import { existsSync } from "node:fs";
import path from "node:path";
import { startRedis, startCluster, stopAll } from "./support.mjs";
import { ChatUser, register } from "./chatclient.mjs";
import * as v2 from "../integration/chatv2scenarios.mjs";
import * as rooms from "../integration/roomscenarios.mjs";
import { attachmentsAndAccess, garbageCollection } from "../integration/filescenarios.mjs";

const redis = await startRedis();
// No grace for the files gc (only run on demand): the last test needs nothing to wait.
const { nodes, filesDir } = await startCluster({
  redisUrl: `redis://127.0.0.1:${redis.port}`,
  nodeArgs: ["--file-gc-grace-minutes", "0", "--file-unsent-hours", "0", "--file-gc-interval-minutes", "0"] });
const users = [];
after(async () => {
  for (const user of users) user.close();
  await stopAll();
});

let counter = 0;
async function user(prefix, node, givenToken) {
  const name = givenToken ? prefix : `${prefix}${++counter}`;
  const token = givenToken ?? (await register(nodes[0].url, name));
  const chatUser = new ChatUser(node.url, name, token);
  users.push(chatUser);
  await chatUser.connected();
  return { name, socket: chatUser.socket, request: (event, payload) => chatUser.request(event, payload, 5000), token };
}

async function pair(room) {
  const alice = await user("alice", nodes[0]);
  const bob = await user("bob", nodes[1]);
  await v2.roomOf(alice, bob, room);
  return { alice, bob };
}

test("edits, deletes and reactions cross nodes and catch up by rev", async () => {
  const { alice, bob } = await pair("v2-changes");
  await v2.changes(alice, bob, "v2-changes");
});

test("replies and mentions across nodes", async () => {
  const { alice, bob } = await pair("v2-replies");
  await v2.repliesAndMentions(alice, bob, "v2-replies");
});

test("read positions reach the user's connection on another node", async () => {
  const { alice, bob } = await pair("v2-reads");
  const bobElsewhere = await (async () => {
    const login = await fetch(`${nodes[2].url}/api/v1/login`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: bob.name, password: "password123" }) });
    return user(bob.name, nodes[2], (await login.json()).token);
  })();
  await v2.readState(alice, bob, bobElsewhere, "v2-reads");
});

test("a burst of receipts reaches the other node coalesced, newest last", async () => {
  const { alice, bob } = await pair("v2-receipts");
  await v2.receiptsCoalesced(alice, bob, "v2-receipts");
});

test("the reaction limit holds across nodes", async () => {
  const { alice, bob } = await pair("v2-limit");
  await v2.reactionLimit(alice, bob, "v2-limit");
});

test("search is answered unavailable in a cluster, as the contract says", async () => {
  const { alice, bob } = await pair("v2-search");
  await v2.search(alice, bob, null, "v2-search", { unavailable: true });
});

test("files: uploaded through one node, read through another, by what Redis says who may", async () => {
  const { alice, bob } = await pair("v2-files");
  const carol = await user("carol", nodes[2]);
  await attachmentsAndAccess({ alice, bob, carol, room: "v2-files", uploadUrl: nodes[0].url, downloadUrl: nodes[1].url });
});

test("files gc: run on another node, by what Redis holds, on the shared directory", async () => {
  const { alice, bob } = await pair("v2-files-gc");
  const contentExists = (sha) => existsSync(path.join(filesDir, sha.slice(0, 2), sha));
  await garbageCollection({ alice, bob, room: "v2-files-gc", url: nodes[0].url, gcUrl: nodes[2].url,
                            adminToken: nodes[2].adminToken, contentExists });
});

test("roles across nodes: a kick on n1 takes n3's connections out of the room at once", async () => {
  // bob (the moderator who kicks) on n1, carol (kicked) on n3, alice (the owner) on n2.
  const alice = await user("alice", nodes[1]);
  const bob = await user("bob", nodes[0]);
  const carol = await user("carol", nodes[2]);
  await rooms.rolesAndModeration({ alice, bob, carol, room: "v2-roles" });
});

test("private rooms, direct rooms and the directory across nodes", async () => {
  const alice = await user("alice", nodes[0]);
  const bob = await user("bob", nodes[1]);
  const carol = await user("carol", nodes[2]);
  await rooms.privateRooms({ alice, bob, carol, room: "v2-private" });
  await rooms.directRoomsRefuse({ alice, bob });
  await rooms.directory({ alice, bob, prefix: "v2-dir" });
});
