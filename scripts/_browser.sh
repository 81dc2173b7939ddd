# Sourced by scripts/test: Debian's chromium for the console's browser tests
# (tests/e2e/console, driven by Playwright with this executable: nothing is downloaded).
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests …" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq chromium >/dev/null 2>&1 ||
      { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null; }
  else
    echo "chromium is not installed and there is no apt-get: the browser tests are skipped" >&2
  fi
fi
