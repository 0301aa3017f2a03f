# The one developer and CI entry point. `make test` runs every test and installs what they need.
CARGO ?= cargo

.PHONY: test lint fmt sample readme-commands browser-test

test: lint
	$(CARGO) test --workspace --all-targets --locked
	$(CARGO) test --workspace --doc --locked
	$(MAKE) readme-commands
	bash scripts/python-test
	CARGO="$(CARGO)" bash scripts/browser-test

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) build -p csc-measures --no-default-features --locked
	$(CARGO) build -p csc-api --no-default-features --locked
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --locked

fmt:
	$(CARGO) fmt --all

# The HTML scorecard in headless Chromium (installed from Debian when missing).
browser-test:
	CARGO="$(CARGO)" bash scripts/browser-test

# The README's first command, and the CLI examples it shows, exactly as written there.
readme-commands:
	$(CARGO) run --release --locked -- report
	test "$$($(CARGO) run --release --locked -q -- workdays 2024-03-28 2024-04-02)" = 1
	$(CARGO) run --release --locked -q -- workdays 2024-03-28 2024-04-02 --convention busday_count

sample:
	$(CARGO) run --release --locked -- report
