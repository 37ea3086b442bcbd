// Live updates over WebSockets: a socket that reconnects with a growing pause when it drops, and, on top of it,
// following one status document (with polling while the socket cannot connect) until a final status arrives.

const MAX_BACKOFF_MS = 15_000;
const POLL_MS = 3_000;

/** A socket to `path` that reconnects with a growing pause (1 s, 2 s, 4 s… up to 15 s) until closed. */
export function reconnecting({ path, onMessage, onOpen = () => {}, onDown = () => {} }) {
  let closed = false;
  let socket = null;
  let failures = 0;
  let retryTimer = null;

  const connect = () => {
    if (closed) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${window.location.host}${path}`);
    socket.addEventListener('open', () => {
      failures = 0;
      onOpen();
    });
    socket.addEventListener('message', (event) => onMessage(JSON.parse(event.data)));
    socket.addEventListener('close', () => {
      if (closed) return;
      failures += 1;
      onDown();
      const delay = Math.min(1_000 * 2 ** (failures - 1), MAX_BACKOFF_MS) * (0.75 + Math.random() / 2);
      retryTimer = setTimeout(connect, delay);
    });
  };

  connect();
  return {
    /** Reconnects now if the socket is down (e.g. the server answers again). */
    retryNow() {
      if (!closed && socket?.readyState === WebSocket.CLOSED) {
        clearTimeout(retryTimer);
        connect();
      }
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      if (socket?.readyState === WebSocket.OPEN) socket.close(1000, 'done');
    },
  };
}

/**
 * Follows one status document: the socket, polling `pollUrl` while the socket is down, and a stop once `isFinal`
 * says so.
 */
export function follow({ socketPath, pollUrl, onStatus, isFinal, onConnection = () => {} }) {
  let stopped = false;
  let pollTimer = null;

  const deliver = (status) => {
    onStatus(status);
    if (isFinal(status)) stop();
  };

  const poll = async () => {
    try {
      const response = await fetch(pollUrl, { headers: { Accept: 'application/json' } });
      if (response.ok) {
        deliver(await response.json());
        // The server answers again: reconnect now instead of at the end of a long pause.
        socket.retryNow();
      }
    } catch {
      // Offline for now; the next tick tries again.
    }
  };

  const stopPolling = () => {
    clearInterval(pollTimer);
    pollTimer = null;
  };

  const socket = reconnecting({
    path: socketPath,
    onMessage: deliver,
    onOpen: () => {
      stopPolling();
      onConnection('live');
    },
    onDown: () => {
      onConnection('reconnecting');
      if (!pollTimer && !stopped) {
        poll();
        pollTimer = setInterval(poll, POLL_MS);
      }
    },
  });

  function stop() {
    stopped = true;
    stopPolling();
    socket.close();
    onConnection('done');
  }

  return { stop };
}
