// The stock Socket.IO 4 server (npm) with the slice of the chat protocol confab-bench
// uses, for side-by-side runs (bench/compare-socketio): room:create / room:join join a
// room, message:send acks and broadcasts `message` to the room. No store, no auth: it
// does strictly less work per message than confabd. With --redis URL it uses the
// official Redis adapter (the cluster case).
//   node bench/socketio-server.mjs --port 3000 [--redis redis://127.0.0.1:6379]
import http from "node:http";
import { parseArgs } from "node:util";
import { Server } from "socket.io";

const { values } = parseArgs({ options: { port: { type: "string", default: "3000" }, redis: { type: "string" } } });
const httpServer = http.createServer((request, response) => { response.writeHead(404).end(); });
const io = new Server(httpServer, { transports: ["websocket", "polling"] });
if (values.redis) {
  const { createClient } = await import("redis");
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const publisher = createClient({ url: values.redis });
  const subscriber = publisher.duplicate();
  await Promise.all([publisher.connect(), subscriber.connect()]);
  io.adapter(createAdapter(publisher, subscriber));
}
let seq = 0;
io.on("connection", (socket) => {
  const join = (payload, ack) => {
    socket.join(payload.room);
    ack?.({ ok: true, room: { name: payload.room, topic: "", members: [] }, lastSeq: seq });
  };
  socket.on("room:create", join);
  socket.on("room:join", join);
  socket.on("message:send", (payload, ack) => {
    const message = { room: payload.room, id: String(++seq), seq, ts: Date.now(), from: "bench", text: payload.text,
                      clientId: payload.clientId };
    io.to(payload.room).emit("message", message);
    ack?.({ ok: true, id: message.id, seq: message.seq, ts: message.ts });
  });
});
httpServer.listen(Number(values.port), "127.0.0.1", () => console.log(`socket.io listening on ${httpServer.address().port}`));
