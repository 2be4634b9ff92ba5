// A three-node cluster on loopback (Redis with AOF fsync always, HAProxy in front),
// measured three ways:
//   latency   one sender on n1, receivers on n2 and n3: cross-node delivery p50/p99
//   throughput senders on every node into one room (windowed acks): messages/s acked
//   storm     N clients through HAProxy, kill -9 of one node: time until all are back
//   node bench/cluster.mjs [--clients 300] [--messages 5000] [--window 50]
import { parseArgs } from "node:util";
import { startRedis, startCluster, stopAll } from "../tests/cluster/support.mjs";
import { ChatUser, register } from "../tests/cluster/chatclient.mjs";

const { values } = parseArgs({ options: {
  clients: { type: "string", default: "300" },
  messages: { type: "string", default: "5000" },
  window: { type: "string", default: "50" },
} });
const redis = await startRedis();
const { nodes, haproxy } = await startCluster({ redisUrl: `redis://127.0.0.1:${redis.port}`,
                                                nodeArgs: ["--events-per-second", "1000000", "--event-burst", "1000000"] });
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function user(name, url, options) {
  const u = new ChatUser(url, name, await register(nodes[0].url, name), options);
  await u.connected();
  return u;
}

// Latency: one message at a time, n1 -> n2 and n3, measured at the receivers.
{
  const sender = await user("lat-s", nodes[0].url);
  const receivers = [await user("lat-r2", nodes[1].url), await user("lat-r3", nodes[2].url)];
  await sender.request("room:create", { room: "latency" });
  for (const r of receivers) await r.request("room:join", { room: "latency" });
  const samples = [];
  for (let i = 0; i < 2000; ++i) {
    const start = process.hrtime.bigint();
    const arrivals = receivers.map((r) => new Promise((resolve) => r.socket.once("message", () =>
      resolve(Number(process.hrtime.bigint() - start) / 1e6))));
    sender.socket.emit("message:send", { room: "latency", text: `m${i}`, clientId: `lat-${i}` }, () => {});
    samples.push(...await Promise.all(arrivals));
  }
  samples.sort((a, b) => a - b);
  console.log(`cross-node delivery latency (send on n1 -> receive on n2/n3, ${samples.length} samples): ` +
              `p50 ${percentile(samples, 0.5).toFixed(2)} ms, p99 ${percentile(samples, 0.99).toFixed(2)} ms`);
  for (const u of [sender, ...receivers]) u.close();
}

// Throughput: three senders (one per node), each keeping `window` sends in flight.
{
  const senders = [];
  for (const [i, node] of nodes.entries()) senders.push(await user(`tp-${i}`, node.url));
  await senders[0].request("room:create", { room: "throughput" });
  for (const s of senders.slice(1)) await s.request("room:join", { room: "throughput" });
  const perSender = Math.floor(Number(values.messages) / senders.length);
  const window = Number(values.window);
  let delivered = 0;
  for (const s of senders) s.socket.on("message", () => ++delivered);
  const start = process.hrtime.bigint();
  await Promise.all(senders.map(async (s) => {
    let next = 0;
    const worker = async () => {
      while (next < perSender) {
        const i = next++;
        const ack = await s.socket.emitWithAck("message:send", { room: "throughput", text: `t${i}`, clientId: `${s.username}-${i}` });
        if (!ack.ok) throw new Error(JSON.stringify(ack));
      }
    };
    await Promise.all(Array.from({ length: window }, worker));
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const total = perSender * senders.length;
  console.log(`throughput: ${total} messages acked in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} msgs/s ` +
              `(3 senders, one per node, ${window} in flight each; ${delivered} deliveries seen)`);
  for (const s of senders) s.close();
}

// Storm: clients through HAProxy, kill -9 one node, time until all of its clients are back.
{
  const count = Number(values.clients);
  const token = await register(nodes[0].url, "storm-user");
  const clients = Array.from({ length: count }, () => new ChatUser(haproxy.url, "storm-user", token));
  await Promise.all(clients.map((c) => c.connected()));
  const victim = nodes[2];
  const orphans = clients.filter((c) => c.node() === victim.nodeId);
  const killedAt = Date.now();
  await victim.kill("SIGKILL");
  const backTimes = await Promise.all(orphans.map((c) => new Promise((resolve) =>
    c.socket.once("connect", () => resolve(Date.now() - killedAt)))));
  backTimes.sort((a, b) => a - b);
  console.log(`node kill: ${orphans.length} of ${count} clients were on ${victim.nodeId}; all back on other nodes after ` +
              `${backTimes.at(-1)} ms (p50 ${percentile(backTimes, 0.5)} ms; client backoff 100 ms..1 s, jitter 0.5)`);
  for (const c of clients) c.close();
}
await stopAll();
process.exit(0);
