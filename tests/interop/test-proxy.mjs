// A small HTTP proxy in front of a server, for client tests:
//   node test-proxy.mjs --target PORT [--refuse-upgrades] [--overloaded N]
// --refuse-upgrades answers every WebSocket upgrade with 403, as some corporate proxies
// do. --overloaded N answers the first N new Engine.IO handshakes with 503 and
// Retry-After: 1, as an overloaded node does. Prints "listening on PORT".
import http from "node:http";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: {
  target: { type: "string" },
  "refuse-upgrades": { type: "boolean", default: false },
  overloaded: { type: "string", default: "0" },
} });
let overloaded = Number(values.overloaded);

const proxy = http.createServer((request, response) => {
  const query = new URL(request.url, "http://x").searchParams;
  if (overloaded > 0 && query.get("EIO") && !query.get("sid")) {
    overloaded--;
    response.writeHead(503, { "Retry-After": "1", "Content-Type": "text/plain" });
    return response.end("overloaded\n");
  }
  const upstream = http.request({ host: "127.0.0.1", port: Number(values.target), path: request.url,
                                  method: request.method, headers: request.headers }, (answer) => {
    response.writeHead(answer.statusCode, answer.headers);
    answer.pipe(response);
  });
  upstream.on("error", () => response.destroy());
  request.pipe(upstream);
});
proxy.on("upgrade", (request, socket) => {
  if (values["refuse-upgrades"]) {
    socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  if (overloaded > 0 && !new URL(request.url, "http://x").searchParams.get("sid")) {
    overloaded--;
    socket.end("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  socket.destroy(); // plain WebSocket tunnelling is not needed by these tests
});
proxy.listen(0, "127.0.0.1", () => console.log(`listening on ${proxy.address().port}`));
