// Messages per second one confabd node accepts (acked) and delivers into a 100-member
// room. Starts its own confabd; members are stock socket.io-client connections.
//   node bench/chat-throughput.mjs [--members 100] [--messages 20000] [--window 200]
// Pin like the docs do: taskset -c 1 node bench/chat-throughput.mjs --server-cpu 0
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { cpuTicks, startConfabd } from "./support.mjs";
import { io } from "socket.io-client";

const { values } = parseArgs({ options: {
  members: { type: "string", default: "100" },
  messages: { type: "string", default: "20000" },
  window: { type: "string", default: "200" },
  "server-cpu": { type: "string" },
  binary: { type: "string", default: path.resolve("build/server/confabd") },
} });
const members = Number(values.members);
const total = Number(values.messages);
const window = Number(values.window);

const dataDir = mkdtempSync(path.join(os.tmpdir(), "confab-bench-"));
const serverArgs = ["--data-dir", dataDir, "--scrypt-cost", "10",
                    "--events-per-second", "1000000", "--event-burst", "1000000"];
const { server, url } = await startConfabd({ binary: values.binary, args: serverArgs,
                                                  serverCpu: values["server-cpu"] });

async function user(name) {
  const response = await fetch(`${url}/api/v1/register`, { method: "POST", body: JSON.stringify({ username: name, password: "bench-password" }) });
  return (await response.json()).token;
}
function connect(token) {
  const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  return new Promise((resolve) => socket.once("connect", () => resolve(socket)));
}

const sender = await connect(await user("sender"));
await sender.emitWithAck("room:create", { room: "bench" });
const sockets = [];
for (let i = 0; i < members - 1; i++) {
  const socket = await connect(await user(`member${i}`));
  await socket.emitWithAck("room:join", { room: "bench" });
  sockets.push(socket);
}
let delivered = 0;
for (const socket of [sender, ...sockets]) socket.on("message", () => delivered++);

const cpuBefore = cpuTicks(server.pid);
const started = process.hrtime.bigint();
let sent = 0, acked = 0;
await new Promise((resolve) => {
  const pump = () => {
    while (sent < total && sent - acked < window) {
      sender.emitWithAck("message:send", { room: "bench", clientId: `c${sent++}`, text: "x".repeat(100) }).then((answer) => {
        if (!answer.ok) throw new Error(JSON.stringify(answer));
        if (++acked === total) resolve();
        pump();
      });
    }
  };
  pump();
});
const ackSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const expected = total * members;
while (delivered < expected) await new Promise((r) => setImmediate(r));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const ticks = cpuTicks(server.pid) - cpuBefore;
const metrics = await (await fetch(`${url}/metrics`)).text();
const commits = Number(/confab_store_commits_total (\d+)/.exec(metrics)?.[1] ?? 0);
console.log(JSON.stringify({
  members, messages: total, window,
  ackedPerSecond: Math.round(total / ackSeconds),
  deliveriesPerSecond: Math.round(expected / seconds),
  messagesPerCommit: +(total / Math.max(commits, 1)).toFixed(1),
  serverCpuSeconds: ticks / 100,
  generatorCpuSeconds: +(process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6).toFixed(2),
  wallSeconds: +seconds.toFixed(2),
}));
for (const socket of [sender, ...sockets]) socket.disconnect();
server.kill("SIGTERM");
