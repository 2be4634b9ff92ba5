// A TCP proxy for partition tests: it forwards between its clients and one upstream until
// told to black-hole, then passes nothing in either direction and closes nothing (no RST, no
// FIN reaches either side), as a network partition does. Connections opened meanwhile are
// accepted and held silent too. heal() lets through what waited, as TCP's retransmissions
// would once the network is back.
import net from "node:net";
import { once } from "node:events";

export async function startBlackholeProxy(upstreamPort) {
  const pipes = new Set();
  let holed = false;

  // One direction of one connection: data passes, or waits while the hole is open.
  function forward(from, to) {
    const waiting = [];
    from.on("data", (chunk) => { if (holed) waiting.push(chunk); else to.write(chunk); });
    const pipe = {
      hold() { from.pause(); },
      release() {
        for (const chunk of waiting.splice(0)) to.write(chunk);
        from.resume();
      },
    };
    pipes.add(pipe);
    return pipe;
  }

  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    const directions = [forward(client, upstream), forward(upstream, client)];
    if (holed) for (const direction of directions) direction.hold();
    const close = () => {
      client.destroy();
      upstream.destroy();
      for (const direction of directions) pipes.delete(direction);
    };
    for (const socket of [client, upstream]) {
      socket.on("error", close);
      socket.on("close", close);
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: server.address().port,
    blackhole() {
      holed = true;
      for (const pipe of pipes) pipe.hold();
    },
    heal() {
      holed = false;
      for (const pipe of pipes) pipe.release();
    },
    close() { server.close(); },
  };
}
