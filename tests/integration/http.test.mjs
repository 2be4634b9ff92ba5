// The HTTP side of confabd: health and metrics, CORS, TLS, and hostile requests that
// must close only their own connection.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import net from "node:net";
import { once } from "node:events";
import { io } from "socket.io-client";
import { startConfabd, postJson, next, sample, makeTestCertificate } from "../interop/support.mjs";

let server;
before(async () => { server = await startConfabd({ args: ["--cors-origin", "https://chat.example"] }); });
after(async () => { await server.kill("SIGTERM"); });

// Sends raw bytes; resolves with everything the server wrote before it closed.
async function raw(bytes, { port = server.port, end = false } = {}) {
  const socket = net.connect(port, "127.0.0.1");
  await once(socket, "connect");
  const chunks = [];
  socket.on("data", (chunk) => chunks.push(chunk));
  socket.write(bytes);
  if (end) socket.end();
  await once(socket, "close");
  return Buffer.concat(chunks).toString("latin1");
}

test("healthz, readyz and metrics", async () => {
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  for (const name of ["confab_engine_sessions", "confab_engine_handshakes_total", "confab_socketio_packets_total",
                      "confab_messages_accepted_total", "confab_store_commits_total"])
    assert.match(metrics, new RegExp(`# TYPE ${name} `));
  assert.equal((await fetch(`${server.url}/nowhere`)).status, 404);
});

test("metrics for running a node: load, backpressure, store and delivery latency histograms", async () => {
  const { body } = await postJson(`${server.url}/api/v1/register`, { username: "metered", password: "metered-password" });
  const socket = io(server.url, { auth: { token: body.token }, reconnection: false, transports: ["websocket"] });
  await next(socket, "connect");
  await socket.timeout(5000).emitWithAck("room:create", { room: "metered" });
  const delivered = next(socket, "message");
  await socket.timeout(5000).emitWithAck("message:send", { room: "metered", clientId: "m1", text: "count me" });
  await delivered;
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  for (const name of ["confab_load_level", "confab_resident_bytes", "confab_event_loop_lag_ms", "confab_outbound_queued_bytes",
                      "confab_outbound_largest_queued_bytes",
                      "confab_admission_refused_total", "confab_connections_shed_total", "confab_slow_consumers_total",
                      "confab_outbound_dropped_total", "confab_messages_delivered_total", "confab_engine_sessions_in_state"])
    assert.match(metrics, new RegExp(`# TYPE ${name} `), name);
  for (const name of ["confab_store_append_seconds", "confab_delivery_seconds"]) {
    assert.match(metrics, new RegExp(`# TYPE ${name} histogram`));
    const buckets = [...metrics.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)$`, "gm"))].map((m) => Number(m[2]));
    assert.ok(buckets.length > 5 && buckets.every((count, i) => i === 0 || count >= buckets[i - 1]), `${name} is cumulative`);
    assert.ok(sample(metrics, `${name}_count`) >= 1, `${name} observed the message`);
    assert.equal(buckets.at(-1), sample(metrics, `${name}_count`));
  }
  assert.ok(sample(metrics, "confab_messages_delivered_total") >= 1);
  // Every series the example Grafana dashboard plots exists (Redis ones only on a cluster node).
  const dashboard = readFileSync(new URL("../../packaging/grafana/confab-dashboard.json", import.meta.url), "utf8");
  const plotted = new Set([...JSON.parse(dashboard).panels.flatMap((p) => p.targets.map((t) => t.expr)).join(" ")
                           .matchAll(/confab_[a-z_]+/g)].map((m) => m[0].replace(/_bucket$/, "")));
  for (const name of plotted) {
    if (!name.startsWith("confab_redis_")) assert.match(metrics, new RegExp(`# TYPE ${name} `), `dashboard plots ${name}`);
  }
  socket.close();
});

test("CORS: allowed origins are answered, others are not", async () => {
  const allowed = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: "https://chat.example" } });
  assert.equal(allowed.headers.get("access-control-allow-origin"), "https://chat.example");
  const other = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: "https://evil.example" } });
  assert.equal(other.headers.get("access-control-allow-origin"), null);
  const preflight = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`,
                                { method: "OPTIONS", headers: { Origin: "https://chat.example" } });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get("access-control-allow-methods"), /POST/);
});

test("Engine.IO errors use the spec's codes", async () => {
  const cases = [
    ["/socket.io/?EIO=3&transport=polling", 5],
    ["/socket.io/?EIO=4&transport=carrier-pigeon", 0],
    ["/socket.io/?EIO=4&transport=polling&sid=unknown", 1],
  ];
  for (const [target, code] of cases) {
    const response = await fetch(server.url + target);
    assert.equal(response.status, 400);
    assert.equal((await response.json()).code, code);
  }
  const post = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { method: "POST", body: "4x" });
  assert.equal((await post.json()).code, 2);
});

test("hostile HTTP gets an error and closes only that connection", async () => {
  const bystanderUser = await postJson(`${server.url}/api/v1/register`, { username: "bystander", password: "bystander-pass" });
  const bystander = io(server.url, { auth: { token: bystanderUser.body.token }, reconnection: false, transports: ["websocket"] });
  await next(bystander, "connect");

  assert.match(await raw("GARBAGE\r\n\r\n"), /^HTTP\/1\.1 400 /);
  assert.match(await raw("GET / HTTP/3.0\r\n\r\n"), /^HTTP\/1\.1 505 /);
  assert.match(await raw(`GET / HTTP/1.1\r\nX-Big: ${"a".repeat(20000)}\r\n\r\n`), /^HTTP\/1\.1 431 /);
  assert.match(await raw("POST /api/v1/login HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n"), /^HTTP\/1\.1 413 /);
  assert.match(await raw("POST /api/v1/login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), /^HTTP\/1\.1 501 /);
  assert.match(await raw("POST /api/v1/login HTTP/1.1\r\nConnection: close\r\nContent-Length: 5\r\n\r\n{bad}"), /^HTTP\/1\.1 400 /);
  // Half a head and then silence: the server gives up on it (slowloris) instead of waiting forever.
  assert.match(await raw("GET /healthz HTTP/1.1\r\nHost: x\r\n"), /^HTTP\/1\.1 408 /);

  const { ok } = await bystander.timeout(5000).emitWithAck("room:list", {});
  assert.equal(ok, true);
  bystander.disconnect();
});

test("keep-alive serves several requests on one connection", async () => {
  const replies = await raw("GET /healthz HTTP/1.1\r\n\r\nGET /readyz HTTP/1.1\r\nConnection: close\r\n\r\n");
  assert.equal(replies.match(/HTTP\/1\.1 200 /g).length, 2);
});

test("TLS: https API and wss with the server's certificate", async () => {
  const { cert, key } = makeTestCertificate();
  const secure = await startConfabd({ args: ["--tls-cert", cert, "--tls-key", key] });
  try {
    const https = await import("node:https");
    const ca = readFileSync(cert);
    const registered = await new Promise((resolve, reject) => {
      const request = https.request(`https://127.0.0.1:${secure.port}/api/v1/register`, { method: "POST", ca }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode, body: JSON.parse(body) }));
      });
      request.on("error", reject);
      request.end(JSON.stringify({ username: "tls-user", password: "tls-password" }));
    });
    assert.equal(registered.status, 201);
    const socket = io(`https://127.0.0.1:${secure.port}`, { auth: { token: registered.body.token }, ca,
                                                            transports: ["websocket"], reconnection: false });
    await next(socket, "connect");
    assert.equal((await socket.timeout(5000).emitWithAck("room:create", { room: "secure" })).ok, true);
    socket.disconnect();
    // A client that does not trust the certificate is refused.
    const untrusting = io(`https://127.0.0.1:${secure.port}`, { auth: { token: registered.body.token },
                                                               transports: ["websocket"], reconnection: false });
    const [error] = await next(untrusting, "connect_error");
    assert.ok(error);
  } finally {
    await secure.kill("SIGTERM");
  }
});
