// werift's SCTP over raw UDP on loopback (no DTLS), for WeriftSctpInteropTest.
// Usage: node werift-sctp-echo.cjs <werift dir> <client|server> <local port> <remote port>
// Echoes every message back on its stream with its PPID (ordered on even streams), prints "closed" and exits 0 when
// the association closes gracefully, exits 1 after 60 s.
const path = require("path");
const dgram = require("dgram");
const [weriftDir, role, localPort, remotePort] = [process.argv[2], process.argv[3], +process.argv[4], +process.argv[5]];
const { SCTP, createUdpTransport } = require(path.join(weriftDir, "lib/sctp/src/index.js"));
const sock = dgram.createSocket("udp4");
sock.bind(localPort, "127.0.0.1", async () => {
  const transport = createUdpTransport(sock, { address: "127.0.0.1", port: remotePort });
  const sctp = role === "client" ? SCTP.client(transport) : SCTP.server(transport);
  let received = 0;
  sctp.stateChanged.connected.subscribe(() => console.log("connected"));
  sctp.stateChanged.closed.subscribe(() => {
    console.log("closed " + received);
    setTimeout(() => process.exit(0), 100);
  });
  sctp.onReconfigStreams.subscribe((ids) => console.log("reset " + ids.join(",")));
  console.log("ready");
  sctp.onReceive.subscribe(async (sid, ppid, data) => {
    received++;
    await sctp.send(sid, ppid, data, { ordered: sid % 2 === 0 });
  });
  await sctp.start(5000);
  setTimeout(() => process.exit(1), 60000);
});
