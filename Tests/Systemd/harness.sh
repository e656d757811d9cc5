#!/usr/bin/env bash
# Runs the installed systemd as PID 1 of its own namespaces, over a throw-away overlay of /,
# for the project's real-systemd integration tests (see ../../docs/design.md).
#
#   harness.sh start SHARE   boot; prints systemd's pid (SHARE is bound to /srv/share inside)
#   harness.sh run PID CMD…  run a command inside (nsenter), exit status passed on
#   harness.sh stop PID      power off, then kill what is left; always returns
set -uo pipefail

cgroot() { if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then echo /sys/fs/cgroup; else echo /sys/fs/cgroup/unified; fi; }

case "${1:-}" in
start)
    share="$2"
    state="$(mktemp -d /tmp/dl-systemd-XXXXXX)"
    cg="$(cgroot)/deadlined-test-$$"
    mkdir -p "$cg"
    echo "$cg" > "$state/cgroup"
    cat > "$state/inner.sh" <<'INNER'
set -e
share="$1"; state="$2"
mount -t tmpfs tmpfs "$state"
mkdir -p "$state/upper" "$state/work" "$state/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$state/upper,workdir=$state/work" "$state/root"
r="$state/root"
mount -t proc proc "$r/proc"
mount --bind "$r/proc/sys" "$r/proc/sys"; mount -o remount,bind,ro "$r/proc/sys"
mount -t sysfs -o ro sysfs "$r/sys"
mount -t cgroup2 cgroup2 "$r/sys/fs/cgroup"
mount -t tmpfs -o mode=755 tmpfs "$r/dev"
for d in null zero full random urandom tty; do touch "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"; done
touch "$r/dev/console"; mount --bind /dev/null "$r/dev/console"
mkdir -p "$r/dev/pts" "$r/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts"; ln -sf pts/ptmx "$r/dev/ptmx"
mount -t tmpfs tmpfs "$r/dev/shm"
mount -t tmpfs -o mode=755 tmpfs "$r/run"
mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
mkdir -p "$r/srv/share"; mount --bind "$share" "$r/srv/share"
systemd-id128 new > "$r/etc/machine-id"
for u in getty@.service console-getty.service serial-getty@.service systemd-timesyncd.service postgresql.service prometheus.service \
         apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer systemd-networkd.service \
         systemd-resolved.service ssh.service cron.service atd.service exim4.service postfix.service; do
    ln -sf /dev/null "$r/etc/systemd/system/$u"
done
mkdir -p "$r/old"
cd "$r"
pivot_root . old
umount -l /old
# systemd leaves mount propagation to the container manager (it makes / shared only on a
# real boot). Services' private namespaces (credentials, PrivateTmp=) need it shared.
mount --make-rshared /
exec env -i container=other PATH=/usr/sbin:/usr/bin /lib/systemd/systemd --system --unit=multi-user.target
INNER
    setsid bash -c "echo \$\$ > '$cg/cgroup.procs'; exec unshare -pfmiu --cgroup --net --propagation private bash '$state/inner.sh' '$share' '$state'" \
        > "$state/console.log" 2>&1 < /dev/null &
    launcher=$!
    echo "$launcher" > "$state/launcher"
    pid=""
    # systemd is the launcher's child (setsid may have forked once more: then its grandchild).
    # Take the shallowest match: systemd's own children (sd-executor, forked to start a unit)
    # also show /usr/lib/systemd/systemd as their executable, and picking one of them was why
    # the sandbox looked as if it had not booted ("Failed to connect to bus").
    for _ in $(seq 1 100); do
        for c in $(cat /proc/$launcher/task/*/children 2>/dev/null); do
            if [ "$(readlink /proc/$c/exe 2>/dev/null)" = /usr/lib/systemd/systemd ]; then pid=$c; break; fi
        done
        if [ -z "$pid" ]; then
            for c in $(cat /proc/$launcher/task/*/children 2>/dev/null); do
                for g in $(cat /proc/$c/task/*/children 2>/dev/null); do
                    if [ "$(readlink /proc/$g/exe 2>/dev/null)" = /usr/lib/systemd/systemd ]; then pid=$g; break 2; fi
                done
            done
        fi
        [ -n "$pid" ] && break
        sleep 0.1
    done
    if [ -z "$pid" ]; then echo "systemd did not start; console:" >&2; cat "$state/console.log" >&2; exit 1; fi
    echo "$state" > "/tmp/dl-systemd-$pid"
    # `is-system-running --wait` gives up at once while systemd's bus socket is not there yet,
    # so wait for the socket first (bounded), then for the boot to finish.
    for _ in $(seq 1 200); do
        nsenter -t "$pid" -a test -S /run/systemd/private 2>/dev/null && break
        sleep 0.05
    done
    timeout 60 nsenter -t "$pid" -a systemctl is-system-running --wait > /dev/null 2>&1 || true
    echo "$pid"
    ;;
run)
    pid="$2"; shift 2
    nsenter -t "$pid" -a "$@"
    ;;
stop)
    pid="$2"
    state="$(cat "/tmp/dl-systemd-$pid" 2>/dev/null || true)"
    nsenter -t "$pid" -a systemctl poweroff --no-block > /dev/null 2>&1 || true
    launcher="$(cat "$state/launcher" 2>/dev/null || true)"
    for _ in $(seq 1 50); do
        [ -n "$launcher" ] && kill -0 "$launcher" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    [ -n "$launcher" ] && kill -KILL "$launcher" 2>/dev/null || true
    sleep 0.2
    cg="$(cat "$state/cgroup" 2>/dev/null || true)"
    if [ -n "$cg" ] && [ -d "$cg" ]; then
        # Everything in the sandbox's cgroup tree, however deep systemd put it.
        [ -e "$cg/cgroup.kill" ] && echo 1 > "$cg/cgroup.kill" 2>/dev/null
        for _ in 1 2 3; do
            for p in $(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
            sleep 0.2
        done
        find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    fi
    if kill -0 "$pid" 2>/dev/null && [ "$(readlink /proc/$pid/exe 2>/dev/null)" = /usr/lib/systemd/systemd ]; then
        echo "harness: systemd $pid is still running" >&2
    fi
    rm -rf "$state" "/tmp/dl-systemd-$pid"
    ;;
*)
    echo "usage: harness.sh start SHARE | run PID CMD… | stop PID" >&2; exit 2 ;;
esac
