# Sourced by benches that start a stack. free_low_port prints a base port B with B..B+4 free, below
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

# await_ready PID OUT TRIES: waits (TRIES half-seconds) until `edgeloop up` (PID, console in OUT) is
# ready; prints its console and returns 1 when it exits first or is not ready in time.
await_ready() {
  local pid=$1 out=$2 tries=$3
  for _ in $(seq 1 "$tries"); do
    if grep -q "edgeloop ready" "$out"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$out"; echo "edgeloop up exited" >&2; return 1; fi
    sleep 0.5
  done
  tail -20 "$out"; echo "edgeloop up not ready in $((tries / 2)) s" >&2; return 1
}
