// A chat user on the stock socket.io-client, written the way the protocol asks a
// careful client to behave: every message has a stable clientId and is re-sent until
// acknowledged; after every reconnect, history:fetch afterSeq fills what was missed.
import assert from "node:assert/strict";
import { io } from "socket.io-client";

export async function register(url, username, password = "password123") {
  for (;;) {
    const response = await fetch(`${url}/api/v1/register`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username, password }) });
    if (response.status === 201) return (await response.json()).token;
    if (response.status !== 503) throw new Error(`register ${username}: HTTP ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// A new account `name` on `node`, connected; added to `users` (for the test's clean-up).
export async function signUp(node, name, users) {
  const user = new ChatUser(node.url, name, await register(node.url, name));
  users.push(user);
  await user.connected();
  return user;
}

export class ChatUser {
  constructor(url, username, token, { transports = ["websocket"], reconnection = true } = {}) {
    this.username = username;
    this.acked = new Map();     // clientId -> seq of messages the server acknowledged
    this.received = new Map();  // room -> Map(seq -> message), live and filled
    this.reacted = new Map();   // message id -> rev of this user's acknowledged reaction
    this.edited = new Map();    // message id -> { rev, text } of this user's latest acknowledged edit
    this.states = new Map();    // room -> Map(id -> message at the highest rev seen), v2
    this.presence = [];
    this.typing = [];
    this.reconnects = 0;
    this.socket = io(url, { auth: { token }, transports, reconnection, reconnectionDelay: 100,
                            reconnectionDelayMax: 1000, randomizationFactor: 0.5 });
    this.socket.on("message", (message) => this.#store(message));
    this.socket.on("message:update", (message) => this.#update(message));
    this.socket.on("presence", (presence) => this.presence.push(presence));
    this.socket.on("typing", (typing) => this.typing.push(typing));
    this.socket.on("connect", () => {
      if (this.connectedOnce) {
        ++this.reconnects;
        this.resync().catch(() => {});
      }
      this.connectedOnce = true;
    });
    this.socket.io.on("reconnect_attempt", () => { this.lastDrop ??= Date.now(); });
  }

  connected() {
    return this.socket.connected ? Promise.resolve() : new Promise((resolve) => this.socket.once("connect", resolve));
  }

  node() { return this.socket.io.engine?.id?.split(".")[0]; }

  #store(message) {
    if (!this.received.has(message.room)) this.received.set(message.room, new Map());
    this.received.get(message.room).set(message.seq, message);
    this.#update(message);
  }

  // A message's latest state: the highest rev wins, whatever order updates arrive in.
  #update(message) {
    if (!this.states.has(message.room)) this.states.set(message.room, new Map());
    const states = this.states.get(message.room);
    if ((states.get(message.id)?.rev ?? -1) < message.rev) states.set(message.id, message);
  }

  // Resolves with the ack, or with { ok: false, error: { code: "timeout" } }.
  async request(event, payload, timeoutMs = 3000) {
    try {
      return await this.socket.timeout(timeoutMs).emitWithAck(event, payload);
    } catch {
      return { ok: false, error: { code: "timeout" } };
    }
  }

  // Sends until acknowledged: the same clientId every time, so nothing is stored twice.
  async sendReliably(room, text, clientId) {
    for (;;) {
      await this.connected();
      const ack = await this.request("message:send", { room, text, clientId });
      if (ack.ok) {
        this.acked.set(clientId, ack.seq);
        return ack;
      }
      if (!["timeout", "unavailable"].includes(ack.error?.code)) throw new Error(`send refused: ${JSON.stringify(ack)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  // Asks until answered ok; only for idempotent events and reads. A timeout or unavailable
  // (a slow build under load, a node that died) is asked again 100 ms later on the
  // connection as it is then; any other refusal throws.
  async requestReliably(event, payload) {
    for (;;) {
      await this.connected();
      const ack = await this.request(event, payload);
      if (ack.ok) return ack;
      if (!["timeout", "unavailable"].includes(ack.error?.code)) throw new Error(`${event} refused: ${JSON.stringify(ack)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  // Reacts until acknowledged: reaction:set is idempotent.
  async reactReliably(room, id, emoji) {
    const ack = await this.requestReliably("reaction:set", { room, id, emoji, on: true });
    this.reacted.set(id, ack.rev);
    return ack;
  }

  // Edits until acknowledged: setting the text it already has takes no new rev.
  async editReliably(room, id, text) {
    const ack = await this.requestReliably("message:edit", { room, id, text });
    this.edited.set(id, { rev: ack.rev, text });
    return ack;
  }

  // Everything after the newest contiguous seq this user holds, page by page.
  async resync() {
    for (const room of this.received.keys()) await this.fill(room);
  }

  // The server's latest state of every message in the room: updates:fetch from rev 0,
  // page by page (id -> message), leaving this user's own view as it is.
  async storedStates(room) {
    const stored = new Map();
    for (let after = 0; ;) {
      const page = await this.requestReliably("updates:fetch", { room, afterRev: after, limit: 200 });
      for (const message of page.messages) stored.set(message.id, message);
      if (page.messages.length < 200) return stored;
      after = page.messages.at(-1).rev;
    }
  }

  // Every change in the room from the start (a test's full check; a client that kept up
  // would start after the highest rev it saw without a gap).
  async fillUpdates(room) {
    for (const message of (await this.storedStates(room)).values()) this.#update(message);
  }

  async fill(room) {
    const seen = this.received.get(room) ?? new Map();
    let after = 0;
    while (seen.has(after + 1)) ++after;
    for (;;) {
      const page = await this.requestReliably("history:fetch", { room, afterSeq: after, limit: 200 });
      for (const message of page.messages) this.#store(message);
      if (page.messages.length < 200) return;
      after = page.messages.at(-1).seq;
    }
  }

  seqs(room) { return [...(this.received.get(room)?.keys() ?? [])].sort((a, b) => a - b); }
  close() { this.socket.disconnect(); }
}

// Resolves when `predicate` holds for an event of `name` on the user's socket.
export function waitFor(user, name, predicate, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { user.socket.off(name, check); reject(new Error(`no ${name} event matched in ${timeoutMs} ms`)); }, timeoutMs);
    function check(payload) {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      user.socket.off(name, check);
      resolve(payload);
    }
    user.socket.on(name, check);
  });
}

// What must hold after a fault: each user's last acknowledged edit of a message and each
// acknowledged reaction (user n's emoji is emojiOf(n)) are in the server's state of the
// message, and every user, caught up by rev, holds each message exactly at that state.
export async function assertChangesKept(users, room, emojiOf) {
  const stored = await users[0].storedStates(room);
  for (const [n, u] of users.entries()) {
    for (const [id, edit] of u.edited) {
      assert.equal(stored.get(id)?.text, edit.text, `${u.username}'s last edit of ${id}`);
      assert.ok(stored.get(id).rev >= edit.rev, `${id} at rev ${edit.rev} or later`);
    }
    for (const [id, rev] of u.reacted) {
      const mine = (r) => r.emoji === emojiOf(n) && r.users.includes(u.username);
      assert.ok(stored.get(id)?.reactions?.some(mine), `${u.username}'s reaction on ${id}`);
      assert.ok(stored.get(id).rev >= rev, `${id} at rev ${rev} or later`);
    }
  }
  for (const u of users) {
    await u.fillUpdates(room);
    const states = u.states.get(room);
    assert.equal(states.size, stored.size, `${u.username} holds every message`);
    for (const [id, message] of stored) assert.deepEqual(states.get(id), message, `${u.username}'s ${id}`);
  }
}

export const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

// Sends one message every 50 ms until `running` is cleared, each until acknowledged;
// remembers how long each attempt took to be answered and how many were refused (only
// ever `unavailable`, which a careful client retries with the same clientId).
export function traffic(user, room) {
  const state = { running: true, latencies: [], refusals: 0, sent: 0 };
  state.done = (async () => {
    while (state.running) {
      const clientId = `${user.username}-${++state.sent}`;
      for (;;) {
        await user.connected();
        const started = Date.now();
        const ack = await user.request("message:send", { room, text: clientId, clientId }, 8000);
        state.latencies.push(Date.now() - started);
        if (ack.ok) {
          user.acked.set(clientId, ack.seq);
          break;
        }
        ++state.refusals;
        assert.equal(ack.error?.code, "unavailable", `${user.username}: ${JSON.stringify(ack)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return state;
}

// Every user, filling gaps by seq, holds every message any of them had acknowledged, at
// its seq, none twice, and every seq from 1.
export async function assertHoldsEveryAck(users, room) {
  const acked = new Map();
  for (const user of users) for (const [clientId, seq] of user.acked) acked.set(clientId, seq);
  for (const user of users) {
    await user.fill(room);
    const held = user.received.get(room);
    for (const [clientId, seq] of acked) assert.equal(held.get(seq)?.clientId, clientId, `${user.username}: ${clientId} at seq ${seq}`);
    const clientIds = [...held.values()].map((message) => message.clientId);
    assert.equal(new Set(clientIds).size, clientIds.length, `${user.username} holds no message twice`);
    const seqs = user.seqs(room);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `${user.username} holds every seq from 1`);
  }
}
