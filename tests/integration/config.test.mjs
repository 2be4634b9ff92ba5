// confabd's configuration: flag > CONFAB_* environment > INI file, --version/--help,
// clear errors, and token-secret rotation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import readline from "node:readline";
import { mkdtempSync, writeFileSync, readFileSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { io } from "socket.io-client";
import { startConfabd, postJson, next } from "../interop/support.mjs";

const run = promisify(execFile);
const confabd = process.env.CONFAB_CONFABD || path.join(process.env.CONFAB_BINARY_DIR, "server/confabd");

async function registerStatus(server) {
  return (await postJson(`${server.url}/api/v1/register`, { username: `u${Date.now() % 100000}`, password: "password-123" })).status;
}

test("--version and --help", async () => {
  assert.match((await run(confabd, ["--version"])).stdout, /^confabd \d+\.\d+\.\d+/);
  const help = (await run(confabd, ["--help"])).stdout;
  for (const option of ["--listen", "--data-dir", "--allow-register", "--token-secret-file", "--token-ttl",
                        "--tls-cert", "--tls-key", "--cors-origin", "--config"])
    assert.ok(help.includes(option), option);
});

test("bad settings are refused with a clear message", async () => {
  await assert.rejects(run(confabd, ["--listen", "nonsense"]), /--listen must be ADDR:PORT/);
  await assert.rejects(run(confabd, ["--allow-register", "maybe"]), /--allow-register must be on or off/);
  await assert.rejects(run(confabd, ["--tls-cert", "x.pem"]), /--tls-cert and --tls-key go together/);
  await assert.rejects(run(confabd, ["--token-ttl", "5"]), /--token-ttl must be a number/);
  await assert.rejects(run(confabd, ["--config", "/nonexistent.ini"]), /does not exist/);
  await assert.rejects(run(confabd, ["--lag-high-ms", "500", "--lag-critical-ms", "100"]), /high mark must not be above/);
});

test("--check-config validates flags, environment and file, and names a misspelt key", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "confab-check-"));
  const good = path.join(dir, "good.ini");
  writeFileSync(good, "listen = 127.0.0.1:7999\nmax-connections = 100\n");
  assert.match((await run(confabd, ["--config", good, "--check-config"])).stdout, /configuration OK/);
  const typo = path.join(dir, "typo.ini");
  writeFileSync(typo, "max-conections = 100\n");
  await assert.rejects(run(confabd, ["--config", typo, "--check-config"]), /unknown key "max-conections"/);
  await assert.rejects(run(confabd, ["--check-config"], { env: { ...process.env, CONFAB_MAX_CONNECTIONS: "lots" } }),
                       /--max-connections must be a number/);
  await assert.rejects(run(confabd, ["--check-config", "--tls-cert", path.join(dir, "none.pem"), "--tls-key", good]),
                       /not readable/);
});

test("flag beats environment beats config file", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "confab-config-"));
  const ini = path.join(dir, "confabd.ini");
  writeFileSync(ini, "allow-register=off\n");
  const fromFile = await startConfabd({ args: ["--config", ini] });
  assert.equal(await registerStatus(fromFile), 403);
  await fromFile.kill("SIGTERM");

  process.env.CONFAB_ALLOW_REGISTER = "on";
  try {
    const fromEnvironment = await startConfabd({ args: ["--config", ini] });
    assert.equal(await registerStatus(fromEnvironment), 201);
    await fromEnvironment.kill("SIGTERM");
    const fromFlag = await startConfabd({ args: ["--config", ini, "--allow-register", "off"] });
    assert.equal(await registerStatus(fromFlag), 403);
    await fromFlag.kill("SIGTERM");
  } finally {
    delete process.env.CONFAB_ALLOW_REGISTER;
  }
});

test("token secrets rotate: the previous secret's tokens keep working until it is dropped", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "confab-rotate-"));
  const first = await startConfabd({ dataDir: dir });
  const { body } = await postJson(`${first.url}/api/v1/register`, { username: "rotor", password: "rotor-password" });
  await first.kill("SIGTERM");

  const oldSecret = path.join(dir, "old-secret");
  writeFileSync(oldSecret, readFileSync(path.join(dir, "token-secret")));
  chmodSync(oldSecret, 0o600);
  const newSecret = path.join(dir, "new-secret");
  writeFileSync(newSecret, "a brand new secret of enough length\n");
  chmodSync(newSecret, 0o600);

  const connects = async (server) => {
    const socket = io(server.url, { auth: { token: body.token }, reconnection: false, transports: ["websocket"] });
    const outcome = await Promise.race([next(socket, "connect").then(() => true), next(socket, "connect_error").then(() => false)]);
    socket.disconnect();
    return outcome;
  };
  const rotated = await startConfabd({ dataDir: dir, args: ["--token-secret-file", newSecret, "--previous-token-secret-file", oldSecret] });
  assert.equal(await connects(rotated), true);
  await rotated.kill("SIGTERM");
  const dropped = await startConfabd({ dataDir: dir, args: ["--token-secret-file", newSecret] });
  assert.equal(await connects(dropped), false);
  await dropped.kill("SIGTERM");
});

test("a secret file readable by others is refused", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "confab-perm-"));
  const secret = path.join(dir, "secret");
  writeFileSync(secret, "a secret that everyone can read\n");
  chmodSync(secret, 0o644);
  await assert.rejects(run(confabd, ["--data-dir", dir, "--token-secret-file", secret, "--listen", "127.0.0.1:0"]),
                       /readable by other users/);
});

test("--log-format json: one JSON object per line, with categories; text by default", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "confab-log-"));
  const child = spawn(confabd, ["--listen", "127.0.0.1:0", "--data-dir", dir, "--log-format", "json", "--drain-seconds", "1"],
                      { stdio: ["ignore", "ignore", "pipe"] });
  const entries = [];
  const lines = readline.createInterface({ input: child.stderr });
  lines.on("line", (line) => entries.push(JSON.parse(line)));
  while (!entries.some((e) => e.category === "confab.node")) await once(lines, "line");
  const started = entries.find((e) => e.category === "confab.node");
  assert.equal(started.level, "info");
  assert.match(started.msg, /^listening on http:\/\/127\.0\.0\.1:\d+, embedded store$/);
  assert.ok(!Number.isNaN(Date.parse(started.ts)));
  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  assert.equal(code, 0);
  assert.ok(entries.some((e) => e.category === "confab.load" && /^draining 0 connections/.test(e.msg)));
  assert.ok(entries.some((e) => e.category === "confab.node" && /^drained/.test(e.msg)));

  const { JOURNAL_STREAM, ...terminal } = process.env; // as on a terminal, not under systemd
  const text = spawn(confabd, ["--listen", "127.0.0.1:0", "--data-dir", dir], { stdio: ["ignore", "ignore", "pipe"], env: terminal });
  const [first] = await once(readline.createInterface({ input: text.stderr }), "line");
  text.kill("SIGKILL");
  assert.match(first, /^\d{4}-\d\d-\d\dT[\d:.]+Z info\s+confab\.node: listening on /);
});

test("under systemd (JOURNAL_STREAM set) log lines carry journald priorities", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "confab-journal-"));
  const child = spawn(confabd, ["--listen", "127.0.0.1:0", "--data-dir", dir], { stdio: ["ignore", "ignore", "pipe"],
                                                                               env: { ...process.env, JOURNAL_STREAM: "8:12345" } });
  const [first] = await once(readline.createInterface({ input: child.stderr }), "line");
  child.kill("SIGKILL");
  assert.match(first, /^<6>confab\.node: listening on /);
});

test("docs/OPERATIONS.md documents every setting confabd takes, with its flag and variable", async () => {
  const { stdout } = await run(confabd, ["--help"]);
  const settings = [...stdout.matchAll(/^ {2}--([a-z0-9-]+) </gm)].map((m) => m[1]).filter((name) => name !== "config");
  assert.ok(settings.length > 30);
  const doc = readFileSync(new URL("../../docs/OPERATIONS.md", import.meta.url), "utf8");
  for (const name of settings) {
    const variable = `CONFAB_${name.toUpperCase().replaceAll("-", "_")}`;
    assert.ok(doc.includes(`| \`${name}\` | \`--${name}\` | \`${variable}\` |`), `${name} is documented`);
  }
});
