# Sourced by benches that start a stack: free_low_port prints a base port B with B..B+4 free, below
# the kernel's ephemeral range (32768-60999 by default), because a port from that range can be the
# local end of one of the stack's own outgoing connections by the time a service binds it.
free_low_port() {
  python3 -c 'import random, socket
for _ in range(200):
    port = random.randrange(20000, 32000, 10)
    try:
        for p in range(port, port + 5):
            socket.create_server(("127.0.0.1", p)).close()
        print(port); break
    except OSError:
        pass'
}
