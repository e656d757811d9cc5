# deadlined — build, run, test, install.
#   make run       install missing system packages, build, run the daemon on built-in defaults
#   make test      install what the tests need, build, run the whole test suite
#   make install   PREFIX=/usr/local DESTDIR= : binaries, units, sample config
#   make uninstall
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(DESTDIR)$(PREFIX)/bin
UNITDIR ?= $(DESTDIR)/etc/systemd/system
CATALOGDIR ?= $(DESTDIR)/usr/lib/systemd/catalog
SHAREDIR := $(DESTDIR)$(PREFIX)/share/deadlined
DOCDIR := $(DESTDIR)$(PREFIX)/share/doc/deadlined
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test-deps build release run test install uninstall clean

# System packages the build needs (libsystemd for the CSystemd module).
deps:
	@pkg-config --exists libsystemd 2>/dev/null || { \
	  echo "installing libsystemd-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libsystemd-dev pkg-config; }

# What the tests use beyond the build: systemd-socket-activate and journalctl (package
# systemd), faketime, msmtp (the sendmail the e-mail test uses), and aiosmtpd (its SMTP server).
test-deps: deps
	@command -v systemd-socket-activate >/dev/null && command -v faketime >/dev/null && command -v msmtp >/dev/null || { \
	  echo "installing systemd (systemd-socket-activate), faketime and msmtp"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd faketime msmtp; }
	@python3 -c "import aiosmtpd, varlink" 2>/dev/null || python3 -m pip install -q aiosmtpd varlink

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: build
	@echo "deadlined on built-in defaults; talk to it with: .build/debug/deadlinectl status"
	exec .build/debug/deadlined

# The integration tests run the built binaries, so build the products before the tests.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

install: release
	install -d $(BINDIR) $(UNITDIR) $(SHAREDIR) $(DOCDIR)
	install -m 0755 .build/release/deadlined .build/release/deadlinectl $(BINDIR)/
	sed 's|/usr/local/|$(PREFIX)/|g' units/deadlined.service > $(UNITDIR)/deadlined.service
	install -m 0644 units/deadlined.socket $(UNITDIR)/deadlined.socket
	install -d $(CATALOGDIR)
	install -m 0644 units/deadlined.catalog $(CATALOGDIR)/deadlined.catalog
	install -m 0644 Config/deadlined.yaml $(SHAREDIR)/deadlined.yaml.sample
	install -d $(SHAREDIR)/holidays $(SHAREDIR)/agenda
	install -m 0644 Config/holidays/*.yaml $(SHAREDIR)/holidays/
	install -m 0644 Config/agenda/*.yaml $(SHAREDIR)/agenda/
	install -m 0644 README.md $(DOCDIR)/README.md

uninstall:
	rm -f $(BINDIR)/deadlined $(BINDIR)/deadlinectl
	rm -f $(UNITDIR)/deadlined.service $(UNITDIR)/deadlined.socket $(CATALOGDIR)/deadlined.catalog
	rm -rf $(SHAREDIR) $(DOCDIR)

clean:
	rm -rf .build
