// The stock Socket.IO 4 server from npm, for testing Confab's client library against it.
//   node stock-server.mjs [--port N] [--polling-only] [--no-direct-websocket]
// Prints "listening on PORT". --no-direct-websocket refuses WebSocket connections that do
// not name a session (like a proxy that breaks fresh upgrades) but lets a polling session
// upgrade.
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { Server } from "socket.io";

const { values } = parseArgs({ options: {
  "polling-only": { type: "boolean", default: false },
  "no-direct-websocket": { type: "boolean", default: false },
  port: { type: "string", default: "0" },
} });

const http = createServer();
const io = new Server(http, {
  transports: values["polling-only"] ? ["polling"] : ["polling", "websocket"],
  pingInterval: 1000,
  pingTimeout: 1000,
  allowRequest: (request, callback) => {
    const query = new URL(request.url, "http://x").searchParams;
    const direct = query.get("transport") === "websocket" && !query.get("sid");
    callback(null, !(values["no-direct-websocket"] && direct));
  },
});

function serve(socket) {
  socket.emit("welcome", { nsp: socket.nsp.name, auth: socket.handshake.auth });
  socket.on("message", (...args) => socket.emit("message-back", ...args));
  socket.on("message-with-ack", (...args) => args.pop()(...args));
  // Like a node shedding load: advise a wait, then close the transport.
  socket.on("advise-me", (reconnectAfterMs) => {
    socket.emit("server:advice", { reconnectAfterMs, reason: "shedding" });
    setImmediate(() => socket.conn.close());
  });
  socket.on("ask-client", async (value, done) => {
    try {
      done({ answer: await socket.timeout(3000).emitWithAck("question", value) });
    } catch {
      done({ timedOut: true });
    }
  });
}
io.on("connection", serve);
io.of("/admin").on("connection", serve);

http.listen(Number(values.port), "127.0.0.1", () => console.log(`listening on ${http.address().port}`));
