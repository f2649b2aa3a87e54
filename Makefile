# SPDX-License-Identifier: GPL-2.0
#
# ixdp: the build driver.  Our files are an overlay on Debian's
# linux-source-6.12; see README.md.
#
#   make             install what is missing, build the perf kernel
#   make run         ... boot it and show the dataplane
#   make check       lint, host tests, debug kernel, VM selftests
#   make lint        checkpatch, sparse, uapi header as C90
#   make vm [CMD=..] boot a kernel (KERNEL=perf|debug|deb) and run CMD or a shell
#   make host-test   the host harness (tools/testing/ix) only
#   make fuzz        fuzz the RX path, then the command ring, FUZZ_SECONDS (600) s each
#   make bench       ixdp against Linux, side by side (QUICK=1: a short run)
#   make bench-insn  instructions per request-response through the stack
#   make qemu-insn   the QEMU plugin counting guest instructions, and its client
#   make kernel-debug the debug kernel only
#   make deb         Debian packages: the kernel from Debian's 6.12 config, ixdp-tools
#   make clean       remove build outputs but keep the unpacked tree
#   make distclean   remove build/ entirely

ROOT    := $(CURDIR)
BUILD   := $(ROOT)/build
SRC     := $(BUILD)/linux
NPROC   := $(shell nproc)
KERNEL  ?= perf
S       := $(ROOT)/scripts/ixdp

KOUT_perf  := $(BUILD)/kbuild-perf
KOUT_debug := $(BUILD)/kbuild-debug
CFG_perf   := kernel/configs/ixdp.config
CFG_debug  := kernel/configs/ixdp.config kernel/configs/ixdp-debug.config
# The kernel VMs boot, and their initramfs (KERNEL=deb: the packages of
# make deb, with the modules the VM needs added by deb-vm.sh).
IMAGE_perf   := $(KOUT_perf)/arch/x86/boot/bzImage
IMAGE_debug  := $(KOUT_debug)/arch/x86/boot/bzImage
IMAGE_deb    := $(BUILD)/kbuild-deb/vm/vmlinuz
INITRD_deb   := $(BUILD)/kbuild-deb/vm/initramfs.cpio.gz

KMAKE = $(MAKE) -C $(SRC) O=$(KOUT_$(1)) -j$(NPROC)

.PHONY: all help deps prepare kernel-perf kernel-debug kernel-deb run check lint vm \
	vm-build host-test fuzz bench bench-insn qemu-insn selftests initramfs \
	deb clean distclean

all: kernel-perf

help:
	@sed -n 's/^#   //p' Makefile

deps:
	@$(S)/deps.sh

prepare: deps
	@$(S)/prepare.sh

$(KOUT_perf)/.config: $(CFG_perf) | prepare
	$(S)/kconfig.sh $(KOUT_perf) $(CFG_perf)

$(KOUT_debug)/.config: $(CFG_debug) | prepare
	$(S)/kconfig.sh $(KOUT_debug) $(CFG_debug)

kernel-perf kernel-debug: kernel-%: prepare $(BUILD)/kbuild-%/.config
	+$(call KMAKE,$*) bzImage
	@echo "ixdp: $* kernel $$(cat $(SRC)/.ixdp-base) at $(KOUT_$*)/arch/x86/boot/bzImage"

initramfs: deps
	@$(S)/initramfs.sh $(BUILD)/initramfs.cpio.gz

selftests: prepare
	+@$(S)/selftests.sh

# Concurrent `make vm` runs share the build: one builds, the others wait.
vm-build:
	@mkdir -p $(BUILD)
	+@flock $(BUILD)/.build.lock $(MAKE) --no-print-directory \
		kernel-$(KERNEL) initramfs selftests

# CMD reaches vm.sh as written: not expanded by make, quotes kept.
# VM_NOBUILD=1: the kernel, initramfs and selftests are known to be
# built (make check builds them once for its three VM runs).
vm: $(if $(filter 1,$(VM_NOBUILD)),,vm-build)
	@CMD='$(subst ','\'',$(value CMD))' \
		VM_INITRD='$(or $(VM_INITRD),$(INITRD_$(KERNEL)))' \
		$(S)/vm.sh $(IMAGE_$(KERNEL))

run:
	+@$(MAKE) --no-print-directory vm KERNEL=perf CMD=/ixdp/scripts/ixdp/demo.sh \
		VM_HOST_CMD=$(S)/host-agent.sh

host-test: prepare
	+@$(MAKE) -s -C $(SRC)/tools/testing/ix O=$(BUILD)/host-test run

FUZZ_SECONDS ?= 600
fuzz: prepare
	+@$(MAKE) -s -C $(SRC)/tools/testing/ix O=$(BUILD)/host-test fuzz-run \
		FUZZ_SECONDS=$(FUZZ_SECONDS)

bench: prepare qemu-insn
	+@$(S)/bench.sh

qemu-insn: deps
	+@$(MAKE) -s -C tools/ix/bench/qemu-insn O=$(BUILD)/qemu-insn \
		QEMU_INC=$(BUILD)/qemu-plugin

bench-insn: prepare
	+@$(MAKE) -s -C $(SRC)/tools/testing/ix O=$(BUILD)/host-test bench

# DEB_CONFIG=FILE: another base configuration than Debian's;
# DEB_DEBUG_INFO=y keeps its debug info (BTF, a -dbg package).
deb: prepare
	@DEB_CONFIG='$(DEB_CONFIG)' DEB_DEBUG_INFO='$(DEB_DEBUG_INFO)' $(S)/deb.sh

# Not built here: make deb takes hours.  What make vm KERNEL=deb boots.
kernel-deb: initramfs
	@$(S)/deb-vm.sh

lint: prepare
	+@$(S)/lint.sh

check: deps
	+@$(S)/check.sh

clean:
	rm -rf $(KOUT_perf) $(KOUT_debug) $(BUILD)/host-test $(BUILD)/kselftest \
		$(BUILD)/initramfs* $(BUILD)/vm $(BUILD)/qemu-insn

distclean:
	rm -rf $(BUILD)
