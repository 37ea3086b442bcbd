// Follows a status WebSocket: reconnects with backoff when the connection drops, falls back to polling a GET
// address while the socket cannot connect, and stops once a final status has arrived.

const MAX_BACKOFF_MS = 15_000;
const POLL_MS = 3_000;

export function follow({ socketPath, pollUrl, onStatus, isFinal, onConnection = () => {} }) {
  let stopped = false;
  let socket = null;
  let failures = 0;
  let pollTimer = null;
  let retryTimer = null;

  const deliver = (status) => {
    onStatus(status);
    if (isFinal(status)) {
      stop();
    }
  };

  const connect = () => {
    if (stopped) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${window.location.host}${socketPath}`);
    socket.addEventListener('open', () => {
      failures = 0;
      stopPolling();
      onConnection('live');
    });
    socket.addEventListener('message', (event) => deliver(JSON.parse(event.data)));
    socket.addEventListener('close', () => {
      if (stopped) return;
      failures += 1;
      onConnection('reconnecting');
      startPolling();
      const delay = Math.min(1_000 * 2 ** (failures - 1), MAX_BACKOFF_MS) * (0.75 + Math.random() / 2);
      retryTimer = setTimeout(connect, delay);
    });
  };

  const poll = async () => {
    try {
      const response = await fetch(pollUrl, { headers: { Accept: 'application/json' } });
      if (response.ok) {
        deliver(await response.json());
        // The server answers again: reconnect now instead of at the end of a long pause.
        if (!stopped && socket && socket.readyState === WebSocket.CLOSED) {
          clearTimeout(retryTimer);
          connect();
        }
      }
    } catch {
      // Offline for now; the next tick tries again.
    }
  };

  const startPolling = () => {
    if (!pollTimer && !stopped) {
      poll();
      pollTimer = setInterval(poll, POLL_MS);
    }
  };

  const stopPolling = () => {
    clearInterval(pollTimer);
    pollTimer = null;
  };

  function stop() {
    stopped = true;
    stopPolling();
    clearTimeout(retryTimer);
    if (socket && socket.readyState === WebSocket.OPEN) socket.close(1000, 'done');
    onConnection('done');
  }

  connect();
  return { stop };
}
