// confab-bench drives confabd and the stock Socket.IO server alike: a short fan-out run
// against each delivers every subscriber something, and the idle-connections scenario
// holds all its connections. (Figures come from bench/compare-socketio, not from here.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import readline from "node:readline";
import { promisify } from "node:util";
import { startConfabd } from "../interop/support.mjs";

const run = promisify(execFile);
const bench = path.join(process.env.CONFAB_BINARY_DIR, "tools/bench/confab-bench");
const root = new URL("../../", import.meta.url).pathname;

async function fanout(url) {
  const { stdout } = await run(bench, ["fanout", "--url", url, "--subscribers", "20", "--rate", "50", "--duration", "1",
                                       "--warmup", "0.5"]);
  return JSON.parse(stdout);
}

test("fanout and connections against confabd", async () => {
  const server = await startConfabd({ args: ["--events-per-second", "100000", "--event-burst", "100000"] });
  try {
    const result = await fanout(server.url);
    assert.equal(result.subscribers, 20);
    assert.ok(result.published >= 25, `published ${result.published}`);
    assert.ok(result.deliveriesPerSecond > 0 && result.p50Ms > 0);
    const { stdout } = await run(bench, ["connections", "--url", server.url, "--count", "50", "--hold", "0",
                                         "--server-pid", String(server.child.pid)]);
    const held = JSON.parse(stdout);
    assert.equal(held.connected, 50);
    assert.ok(held.serverHeldKb > 0);
    // The realistic mix: every user set up, every message acknowledged and delivered.
    const chat = JSON.parse((await run(bench, ["chat", "--url", server.url, "--users", "20", "--rooms", "4",
                                                "--messages-per-minute", "600", "--duration", "1"])).stdout);
    assert.equal(chat.ready, 20);
    assert.ok(chat.messagesSent > 0);
    assert.equal(chat.failed, 0);
    assert.ok(chat.deliveriesPerSecond > 0 && chat.ackP50Ms > 0);
  } finally {
    await server.kill();
  }
});

test("fanout against the stock Socket.IO server", async () => {
  const child = spawn(process.execPath, [path.join(root, "bench/socketio-server.mjs"), "--port", "0"],
                      { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const [line] = await once(readline.createInterface({ input: child.stdout }), "line");
    const port = /listening on (\d+)/.exec(line)[1];
    const result = await fanout(`http://127.0.0.1:${port}`);
    assert.ok(result.published >= 25 && result.deliveriesPerSecond > 0);
  } finally {
    child.kill();
  }
});
