// Full-text search latency on the embedded store with a large history: fills --messages
// messages (words drawn from a Zipf-like vocabulary) into --rooms rooms the searching user
// is in, then asks `search` one query at a time and reports p50/p99 per kind of query.
// A --data-dir that already holds the history is reused (filling 1M takes minutes).
//   taskset -c 1 node bench/search.mjs --server-cpu 0 --messages 1000000 --data-dir /var/tmp/confab-search
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { cpuTicks, startConfabd } from "./support.mjs";
import { io } from "socket.io-client";

const { values } = parseArgs({ options: {
  messages: { type: "string", default: "1000000" },
  rooms: { type: "string", default: "10" },
  queries: { type: "string", default: "200" },
  "server-cpu": { type: "string" },
  "data-dir": { type: "string" },
  binary: { type: "string", default: path.resolve("build/server/confabd") },
} });
const total = Number(values.messages);
const roomCount = Number(values.rooms);
const dataDir = values["data-dir"] ?? mkdtempSync(path.join(os.tmpdir(), "confab-search-bench-"));
mkdirSync(dataDir, { recursive: true });
const filled = existsSync(path.join(dataDir, "search-bench-filled"));

const serverArgs = ["--data-dir", dataDir, "--scrypt-cost", "10",
                    "--events-per-second", "1000000", "--event-burst", "1000000"];
const { server, url } = await startConfabd({ binary: values.binary, args: serverArgs,
                                                  serverCpu: values["server-cpu"] });

// A vocabulary of made-up words; word k is drawn with weight 1/(k+1) (Zipf, s = 1).
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "de", "plo", "sta", "ging", "ser", "ver", "ba", "qu"];
const vocabulary = Array.from({ length: 5000 }, (_, k) => {
  let word = "";
  for (let n = k + 1; n > 0; n = Math.floor(n / 16)) word += syllables[n % 16];
  return word;
});
const cumulative = [];
vocabulary.reduce((sum, _, k) => (cumulative[k] = sum + 1 / (k + 1)), 0);
const word = () => {
  const target = random() * cumulative.at(-1);
  let low = 0, high = cumulative.length - 1;
  while (low < high) { const mid = (low + high) >> 1; cumulative[mid] < target ? (low = mid + 1) : (high = mid); }
  return vocabulary[low];
};
const sentence = () => Array.from({ length: 8 + Math.floor(random() * 8) }, word).join(" ");

async function account(name) {
  const body = JSON.stringify({ username: name, password: "bench-password" });
  let response = await fetch(`${url}/api/v1/register`, { method: "POST", body });
  if (response.status === 409) response = await fetch(`${url}/api/v1/login`, { method: "POST", body });
  return (await response.json()).token;
}
const socket = io(url, { auth: { token: await account("searcher") }, transports: ["websocket"], reconnection: false });
await new Promise((resolve) => socket.once("connect", resolve));
const rooms = Array.from({ length: roomCount }, (_, i) => `history${i}`);

if (!filled) {
  for (const room of rooms) await socket.emitWithAck("room:create", { room });
  const started = Date.now();
  let sent = 0, acked = 0;
  await new Promise((resolve) => {
    const pump = () => {
      while (sent < total && sent - acked < 2000) {
        const n = sent++;
        socket.emitWithAck("message:send", { room: rooms[n % roomCount], clientId: `m${n}`, text: sentence() }).then((answer) => {
          if (!answer.ok) throw new Error(JSON.stringify(answer));
          if (++acked === total) resolve();
          if (acked % 100000 === 0) console.error(`filled ${acked} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
          pump();
        });
      }
    };
    pump();
  });
  console.error(`filled ${total} messages in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  (await import("node:fs")).writeFileSync(path.join(dataDir, "search-bench-filled"), String(total));
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const kinds = {
  "common word (rank 3)": () => ({ query: vocabulary[2] }),
  "mid word (rank 300)": () => ({ query: vocabulary[300 + Math.floor(random() * 50)] }),
  "rare word (rank 4000+)": () => ({ query: vocabulary[4000 + Math.floor(random() * 1000)] }),
  "two words, any order": () => ({ query: `${vocabulary[Math.floor(random() * 100)]} ${vocabulary[100 + Math.floor(random() * 400)]}` }),
  "prefix being typed": () => ({ query: vocabulary[200 + Math.floor(random() * 800)].slice(0, 4) }),
  "one room, mid word": () => ({ query: vocabulary[300 + Math.floor(random() * 50)], room: rooms[0] }),
};
const results = {};
for (const [kind, make] of Object.entries(kinds)) {
  const times = [];
  let found = 0;
  for (let i = 0; i < Number(values.queries); i++) {
    const started = process.hrtime.bigint();
    const answer = await socket.emitWithAck("search", { ...make(), limit: 20 });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!answer.ok) throw new Error(JSON.stringify(answer));
    found += answer.messages.length;
  }
  times.sort((a, b) => a - b);
  results[kind] = { p50ms: +percentile(times, 50).toFixed(2), p99ms: +percentile(times, 99).toFixed(2),
                    resultsPerQuery: +(found / times.length).toFixed(1) };
}
console.log(JSON.stringify({ messages: total, rooms: roomCount, queriesEach: Number(values.queries), results }, null, 1));
socket.disconnect();
server.kill("SIGTERM");
