// What the benchmarks under bench/ share: a confabd of their own (pinned to a core when
// asked), and its CPU time.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import readline from "node:readline";

// Starts `binary` on an ephemeral port with `args`, under `taskset -c serverCpu` when
// given; resolves once it listens with { server, port, url }.
export async function startConfabd({ binary, args, serverCpu }) {
  const serverArgs = ["--listen", "127.0.0.1:0", ...args];
  const server = serverCpu !== undefined
    ? spawn("taskset", ["-c", serverCpu, binary, ...serverArgs], { stdio: ["ignore", "pipe", "inherit"] })
    : spawn(binary, serverArgs, { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve) => readline.createInterface({ input: server.stdout }).on("line", (line) => {
    const match = /listening on http:\/\/[^ ]+:(\d+)/.exec(line);
    if (match) resolve(Number(match[1]));
  }));
  return { server, port, url: `http://127.0.0.1:${port}` };
}

// The process's user + system CPU so far, in clock ticks (100 per second).
export function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(" ");
  return Number(stat[13]) + Number(stat[14]);
}
