# Sourced by run.sh and test.sh: installs what the stack needs, only when it is missing (safe to run again).

RABBITMQ_SERVER=/usr/lib/rabbitmq/bin/rabbitmq-server
_apt_updated=false

_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

_apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: $* is missing and this is not a Debian/Ubuntu machine; install it with your package manager." >&2
    exit 1
  fi
  if [ "$_apt_updated" = false ]; then
    _as_root apt-get update -qq
    _apt_updated=true
  fi
  echo "==> installing $* (apt)"
  _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET 10 SDK is required: https://dotnet.microsoft.com/download" >&2
    exit 1
  fi
  # Some machines (this one, CI) set UseSharedCompilation=false, so every project starts and warms a compiler of its
  # own: a clean build took 52 s instead of 28 s. The compiler server is the SDK's default; the scripts ask for it.
  export UseSharedCompilation=true
}

# The compiler server outlives a build by minutes; the scripts stop it once they have built what they run.
stop_build_servers() {
  dotnet build-server shutdown >/dev/null 2>&1 || true
}

# The repository's .NET tools (dotnet-tools.json): smtp4dev, the dev mail server the app host runs without Docker.
ensure_dotnet_tools() {
  dotnet tool restore >/dev/null
}

# PostgreSQL 15 for the scale-out shape (EventBooking:Database=postgres) when no container runtime answers.
# As root, setfacl too: it lets the postgres user through a private folder (mode 700) to the cluster.
ensure_postgres() {
  if container_runtime_answers; then
    return
  fi
  if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
    _apt_install postgresql-15
  fi
  if [ "$(id -u)" -eq 0 ] && ! command -v setfacl >/dev/null 2>&1; then
    _apt_install acl
  fi
}

container_runtime_answers() {
  command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1
}

# RabbitMQ: the app host uses the container when Docker answers, else the rabbitmq-server package as a process.
ensure_broker() {
  if container_runtime_answers; then
    return
  fi
  if [ ! -x "$RABBITMQ_SERVER" ]; then
    _apt_install rabbitmq-server
    # The package starts a system-wide broker we do not use; ours runs per app host with its own data.
    _as_root systemctl disable --now rabbitmq-server >/dev/null 2>&1 || true
  fi
}

# Debian's Chromium, driven by Playwright in the browser tests (Playwright's own browser download is not used).
ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    _apt_install chromium
  fi
}

# DCP and .NET write temporary files; a private folder keeps them apart from other users and easy to clean.
use_private_tmpdir() {
  export TMPDIR="$PWD/.tmp"
  mkdir -p "$TMPDIR"
}
