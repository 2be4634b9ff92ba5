// Helpers for the interop tests: start real server processes built by CMake and stop
// them when a test ends.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

const binaryDir = process.env.CONFAB_BINARY_DIR;
if (!binaryDir) throw new Error("CONFAB_BINARY_DIR is not set: run these tests through ctest");

// Spawns a server binary and resolves with [child, port] once it prints its port.
// `logs`: an array that gets each line the child writes to stderr (still shown).
// `prefix`: a command that execs the binary (e.g. prlimit with its options and "--").
async function spawnListening(binary, args, portPattern, logs = null, prefix = []) {
  const [command, ...commandArgs] = [...prefix, binary, ...args];
  const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", logs ? "pipe" : "inherit"] });
  if (logs) {
    readline.createInterface({ input: child.stderr }).on("line", (line) => {
      logs.push(line);
      process.stderr.write(`${line}\n`);
    });
  }
  const lines = readline.createInterface({ input: child.stdout });
  const port = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${path.basename(binary)} exited with ${code}`)));
    lines.on("line", (line) => {
      const match = portPattern.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return [child, port];
}

// Starts tools/protocol-fixture on a free port; resolves once it listens.
export async function startFixture(args = []) {
  const binary = path.join(binaryDir, "tools/protocol-fixture/protocol-fixture");
  const [child, port] = await spawnListening(binary, ["--port", "0", ...args], /^listening on (\d+)/);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async metrics() {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      return response.text();
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

// Resolves with the arguments of the next `event` on `emitter`.
export function next(emitter, event) {
  return new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
}

// The value of one Prometheus sample, or 0.
export function sample(metricsText, nameWithLabels) {
  for (const line of metricsText.split("\n")) {
    if (line.startsWith(nameWithLabels + " ")) return Number(line.slice(nameWithLabels.length + 1));
  }
  return 0;
}

// Starts a real confabd on a free port with its own data dir; `dataDir` reuses one (restarts).
export async function startConfabd({ dataDir, args = [], logs = null, prefix = [] } = {}) {
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), "confabd-"));
  const binary = process.env.CONFAB_CONFABD || path.join(binaryDir, "server/confabd");
  // scrypt-cost 12 keeps account creation fast in tests; production default is 15.
  const [child, port] = await spawnListening(binary, ["--listen", "127.0.0.1:0", "--data-dir", dir, "--scrypt-cost", "12",
                                                      "--ping-interval", "1000", "--ping-timeout", "1000", ...args],
                                             /listening on https?:\/\/[^ ]+:(\d+)/, logs, prefix);
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    url,
    dataDir: dir,
    adminToken: readFileSync(path.join(dir, "admin-token"), "utf8").trim(),
    async kill(signal = "SIGKILL") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await once(child, "exit");
    },
  };
}

// POSTs JSON; resolves with { status, body }.
export async function postJson(url, body, headers = {}) {
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body),
                                      headers: { "Content-Type": "application/json", ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

// A self-signed certificate for 127.0.0.1 and localhost; resolves with { cert, key } paths.
export function makeTestCertificate() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "confab-tls-"));
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                           "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                           "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], { stdio: "ignore" });
  return { cert, key };
}
