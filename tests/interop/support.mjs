// Helpers for the interop tests: start real server processes built by CMake and stop
// them when a test ends.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import readline from "node:readline";

const binaryDir = process.env.CONFAB_BINARY_DIR;
if (!binaryDir) throw new Error("CONFAB_BINARY_DIR is not set: run these tests through ctest");

// Starts tools/protocol-fixture on a free port; resolves once it listens.
export async function startFixture(args = []) {
  const binary = path.join(binaryDir, "tools/protocol-fixture/protocol-fixture");
  const child = spawn(binary, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout });
  const port = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`protocol-fixture exited with ${code}`)));
    lines.on("line", (line) => {
      const match = /^listening on (\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
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
