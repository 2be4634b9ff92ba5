// Upload and download throughput of one confabd (embedded store), and the server's CPU
// per MiB: uploads stream to disk, are hashed, fsynced and renamed; downloads stream from
// disk. Starts its own confabd; the client is Node's http module.
//   taskset -c 1 node bench/files.mjs --server-cpu 0 [--files 20] [--mb 20] [--parallel 1]
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { cpuTicks, startConfabd } from "./support.mjs";

const { values } = parseArgs({ options: {
  files: { type: "string", default: "20" },
  mb: { type: "string", default: "20" },
  parallel: { type: "string", default: "1" },
  "server-cpu": { type: "string" },
  "data-dir": { type: "string" }, // where the files go (the disk measured); a temporary folder by default
  binary: { type: "string", default: path.resolve("build/server/confabd") },
} });
const count = Number(values.files);
const size = Number(values.mb) * 1024 * 1024;
const parallel = Number(values.parallel);

const dataDir = values["data-dir"] ?? mkdtempSync(path.join(os.tmpdir(), "confab-files-bench-"));
const serverArgs = ["--data-dir", dataDir, "--scrypt-cost", "10",
                    "--max-file-mb", String(Math.ceil(size / 1024 / 1024) + 1), "--file-quota-mb", "1000000"];
const { server, port } = await startConfabd({ binary: values.binary, args: serverArgs,
                                                  serverCpu: values["server-cpu"] });
const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
const registered = await fetch(`http://127.0.0.1:${port}/api/v1/register`,
                               { method: "POST", body: JSON.stringify({ username: "bench", password: "bench-password" }) });
const { token } = await registered.json();


function request(method, pathname, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: pathname, agent,
                               headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Length": body.length } : {}) } },
                             (res) => {
                               let bytes = 0;
                               const chunks = [];
                               res.on("data", (chunk) => { bytes += chunk.length; if (method === "POST") chunks.push(chunk); });
                               res.on("end", () => resolve({ status: res.statusCode, bytes, body: Buffer.concat(chunks).toString() }));
                             });
    req.on("error", reject);
    req.end(body);
  });
}

// Each file different (no dedupe), made before the clock starts.
const contents = Array.from({ length: count }, () => randomBytes(size));
async function run(label, one) {
  const ticks = cpuTicks(server.pid);
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await one(next++);
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuMs = (cpuTicks(server.pid) - ticks) * 10; // 100 ticks per second
  const mib = (count * size) / 1024 / 1024;
  return { [label]: { MiBps: Math.round(mib / seconds), serverCpuMsPerMiB: +(cpuMs / mib).toFixed(2), seconds: +seconds.toFixed(2) } };
}

const ids = [];
const uploads = await run("upload", async (i) => {
  const answer = await request("POST", `/api/v1/files?name=f${i}.bin`, contents[i]);
  if (answer.status !== 201) throw new Error(`upload ${answer.status} ${answer.body}`);
  ids[i] = JSON.parse(answer.body).id;
});
const downloads = await run("download", async (i) => {
  const answer = await request("GET", `/api/v1/files/${ids[i]}`);
  if (answer.status !== 200 || answer.bytes !== size) throw new Error(`download ${answer.status} ${answer.bytes}`);
});
console.log(JSON.stringify({ files: count, MiB: size / 1024 / 1024, parallel, ...uploads, ...downloads }));
server.kill("SIGTERM");
agent.destroy();
if (!values["data-dir"]) rmSync(dataDir, { recursive: true, force: true });
