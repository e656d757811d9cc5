import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// The units under the real service manager: systemd 252 as PID 1 of its own namespaces
/// (`Tests/Systemd/harness.sh`), with deadlined installed as a package would install it.
/// The harness's systemd is always powered off and killed, whatever happens to the test.
@Suite("Under a real systemd", .serialized)
struct SystemdTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let harness = root.appendingPathComponent("Tests/Systemd/harness.sh").path

    /// A booted sandbox; `stop` ends it.
    final class Machine {
        let pid: String
        init(share: String) throws {
            let p = try RunningProcess("/bin/bash", [SystemdTests.harness, "start", share], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
            let status = p.waitForExit(timeout: 90)
            pid = p.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(status == 0 && Int(pid) != nil, "systemd did not boot: \(p.stderrLines.map(\.1))")
        }
        /// Runs a shell command inside; its exit status and output.
        @discardableResult
        func sh(_ command: String, timeout: TimeInterval = 60) throws -> (status: Int32?, out: String) {
            let p = try RunningProcess("/bin/bash", [SystemdTests.harness, "run", pid, "/bin/sh", "-c", command + " 2>&1"],
                                       environment: ["PATH": "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])
            let status = p.waitForExit(timeout: timeout)
            return (status, p.stdout)
        }
        func show(_ property: String) throws -> String {
            try sh("systemctl show -p \(property) --value deadlined.service").out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        /// Polls `command` inside until `until` holds for its output; false after `timeout`.
        func wait(_ command: String, timeout: TimeInterval = 30, until: (String) -> Bool) throws -> Bool {
            let end = Date().addingTimeInterval(timeout)
            while Date() < end {
                if until(try sh(command).out) { return true }
                usleep(200_000)
            }
            return false
        }
        /// Powers off and kills what is left, then lets host files change again.
        func stop() {
            if let p = try? RunningProcess("/bin/bash", [SystemdTests.harness, "stop", pid], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]) {
                _ = p.waitForExit(timeout: 30)
            }
            hostFilesLock.unlock()
        }
    }

    /// A folder for the sandbox's /srv/share: the built binaries, `units/` as in the checkout,
    /// and the test receivers. Fails (as a test can) where systemd cannot be run here.
    static func share() throws -> (box: Sandbox, path: String) {
        try Binaries.require()
        try #require(getuid() == 0, "needs root to run systemd in namespaces")
        try #require(FileManager.default.isExecutableFile(atPath: "/lib/systemd/systemd"), "systemd is not installed")
        let box = try Sandbox()
        let share = box.path + "/share"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        for binary in [Binaries.deadlined, Binaries.deadlinectl] {
            try FileManager.default.copyItem(atPath: binary, toPath: share + "/" + (binary as NSString).lastPathComponent)
        }
        try FileManager.default.copyItem(atPath: root.path + "/units", toPath: share + "/units")
        for receiver in ["webhook_receiver.py", "smtp_receiver.py"] {
            try FileManager.default.copyItem(atPath: root.path + "/Tests/IntegrationTests/Receivers/" + receiver,
                                             toPath: share + "/" + receiver)
        }
        chmod(box.path, 0o755)
        chmod(share, 0o755)
        return (box, share)
    }

    /// A booted sandbox over a fresh share. Its lower layer is the live host `/`, so host files
    /// must not change while it runs: `hostFilesLock` is held until `machine.stop()`.
    static func boot() throws -> (box: Sandbox, machine: Machine) {
        let (box, share) = try Self.share()
        hostFilesLock.lock()
        do { return (box, try Machine(share: share)) } catch {
            hostFilesLock.unlock()
            throw error
        }
    }

    @Test("the system unit's hardening scores 1.5 or better, offline")
    func hardening() throws {
        let p = try RunningProcess("/usr/bin/systemd-analyze", ["security", "--offline=true", Self.root.path + "/units/deadlined.service"],
                                   environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        #expect(p.waitForExit(timeout: 60) != nil)
        let line = try #require(p.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(p.stdout)")
        let score = try #require(line.split(separator: " ").compactMap { Double(String($0)) }.last, "\(line)")
        #expect(score <= 1.5, "\(line)")
    }

    @Test("socket activation, StatusText, journal fields, reload, watchdog restart with reminders kept, clean stop")
    func lifecycle() throws {
        let (box, machine) = try Self.boot()
        _ = box
        defer { machine.stop() }

        // Install as a package would, plus a drop-in that makes the watchdog quick to trip.
        let install = try machine.sh("""
            set -e
            install -m 0755 /srv/share/deadlined /srv/share/deadlinectl /usr/local/bin/
            install -m 0644 /srv/share/units/deadlined.service /srv/share/units/deadlined.socket /etc/systemd/system/
            install -D -m 0644 /srv/share/units/deadlined.sysusers /usr/lib/sysusers.d/deadlined.conf
            systemd-sysusers
            mkdir -p /etc/deadlined/credentials /etc/systemd/system/deadlined.service.d
            printf 'debug:\\n  stall_on_sigusr2: "on"\\n' > /etc/deadlined/deadlined.yaml
            printf '[Service]\\nWatchdogSec=2s\\n' > /etc/systemd/system/deadlined.service.d/test.conf
            systemctl daemon-reload
            systemd-analyze verify /etc/systemd/system/deadlined.service /etc/systemd/system/deadlined.socket
            """)
        try #require(install.status == 0, "install failed: \(install.out)")
        let group = try machine.sh("getent group deadline")
        let diagnosis = group.status == 0 ? "" : try machine.sh("systemctl is-system-running; tail -2 /etc/group; ls -la /usr/lib/sysusers.d/deadlined.conf; readlink /proc/1/exe; cat /proc/1/cmdline | tr '\\0' ' '").out
        #expect(group.status == 0, "sysusers made the group: \(group) \(diagnosis) install: \(install.out)")

        // Socket activation: the first call starts the service.
        #expect(try machine.sh("systemctl start deadlined.socket").status == 0)
        #expect(try machine.sh("systemctl is-active deadlined.service").out.hasPrefix("inactive"))
        #expect(try machine.sh("stat -c '%G %a' /run/deadlined/control.sock").out.hasPrefix("deadline 660"))
        let status = try machine.sh("deadlinectl status")
        #expect(status.status == 0 && status.out.contains("deadlined"), "\(status.out)")
        #expect(try machine.show("ActiveState") == "active")
        // Started, the service has not taken the socket from the group: a member may change things.
        #expect(try machine.sh("stat -c '%G %a' /run/deadlined/control.sock").out.hasPrefix("deadline 660"))
        let member = try machine.sh("useradd -G deadline clerk && runuser -u clerk -- deadlinectl add deadline 'ส่งแผน' --due +30d --key by-clerk")
        #expect(member.status == 0, "a member of deadline adds: \(member.out)")
        // The calendar feed is in the (private) state directory; the README's recipe publishes
        // it where a web server, another user, reads it.
        #expect(try machine.sh("test -s /var/lib/deadlined/deadlined.ics && head -1 /var/lib/deadlined/deadlined.ics").out.hasPrefix("BEGIN:VCALENDAR"))
        let publish = try machine.sh("""
            set -e
            install -d -m 2775 -g www-data /srv/calendar
            mkdir -p /etc/systemd/system/deadlined.service.d
            printf '[Service]\\nSupplementaryGroups=www-data\\nReadWritePaths=/srv/calendar\\nEnvironment=DEADLINED_CALENDAR_FEED=/srv/calendar/agenda.ics\\n' > /etc/systemd/system/deadlined.service.d/feed.conf
            systemctl daemon-reload
            systemctl restart deadlined
            for i in $(seq 50); do [ -s /srv/calendar/agenda.ics ] && break; sleep 0.1; done
            stat -c '%a %G' /srv/calendar/agenda.ics
            runuser -u www-data -- grep -c 'X-DEADLINED-KEY:by-clerk' /srv/calendar/agenda.ics
            """)
        #expect(publish.status == 0 && publish.out.contains("644 www-data"), "\(publish.out)")

        // A reminder fires; its structured fields are in the journal; StatusText counts pending.
        let soon = DateOutput.iso8601(Date().addingTimeInterval(2), timeZone: TimeZone(identifier: "Asia/Bangkok")!)
        #expect(try machine.sh("deadlinectl add meeting 'ประชุม systemd' --at '\(soon)' --remind 0 --key sd-1").status == 0)
        let later = DateOutput.iso8601(Date().addingTimeInterval(20), timeZone: TimeZone(identifier: "Asia/Bangkok")!)
        #expect(try machine.sh("deadlinectl add meeting 'หลังรีสตาร์ท' --at '\(later)' --remind 0 --key sd-2").status == 0)
        #expect(try machine.wait("systemctl show -p StatusText --value deadlined.service") { $0.range(of: #"^[1-9][0-9]* pending"#, options: .regularExpression) != nil })
        let fired = try machine.wait("journalctl -u deadlined -o json ITEM_KEY=sd-1") { $0.contains("\"EVENT\":\"meeting\"") }
        let tail = try machine.sh("journalctl -u deadlined --no-pager | tail -20").out
        #expect(fired, "\(tail)")
        let entry = try machine.sh("journalctl -u deadlined -o json ITEM_KEY=sd-1 | head -1").out
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(entry.utf8)) as? [String: Any], "\(entry)")
        #expect(fields["MESSAGE_ID"] as? String == "5d2f4c2a8e0b4d7f9a61c3e1b7a04f12")
        #expect(fields["KIND"] as? String == "meeting" && fields["LEAD"] as? String == "0")
        #expect((fields["MESSAGE"] as? String)?.contains("ประชุม systemd") == true)

        // Reload applies a good config and refuses a broken one, keeping the old.
        #expect(try machine.sh("""
            printf 'channels:\\n  log-file:\\n    type: file\\n    path: /var/lib/deadlined/r.jsonl\\ndelivery:\\n  channels: journal, log-file\\ndebug:\\n  stall_on_sigusr2: "on"\\n' > /etc/deadlined/deadlined.yaml
            systemctl reload deadlined
            """).status == 0)
        #expect(try machine.wait("deadlinectl status") { $0.contains("log-file (file)") })
        #expect(try machine.sh("printf 'channels:\\n  x:\\n    type: pigeon\\n' > /etc/deadlined/deadlined.yaml && systemctl reload deadlined").status == 0)
        #expect(try machine.wait("systemctl show -p StatusText --value deadlined.service") { $0.contains("reload refused") })
        #expect(try machine.sh("journalctl -u deadlined --no-pager").out.contains("deadlined.yaml:3:11"))
        #expect(try machine.sh("deadlinectl status").out.contains("log-file (file)"), "the old config stays in force")
        try machine.sh("printf 'debug:\\n  stall_on_sigusr2: \"on\"\\n' > /etc/deadlined/deadlined.yaml")

        // A wedged timer core stops the watchdog pings: systemd kills and restarts it; the
        // reminder still ahead survives in the store and fires after the restart.
        let restartsBefore = Int(try machine.show("NRestarts")) ?? -1
        #expect(try machine.sh("systemctl kill -s SIGUSR2 --kill-who=main deadlined.service").status == 0)
        let restarted = try machine.wait("systemctl show -p NRestarts --value deadlined.service", timeout: 30) {
            (Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > restartsBefore
        }
        let log = try machine.sh("journalctl -u deadlined --no-pager | tail -15").out
        #expect(restarted, "\(log)")
        #expect(try machine.sh("journalctl -u deadlined --no-pager").out.contains("Watchdog timeout"))
        #expect(try machine.wait("systemctl is-active deadlined.service") { $0.hasPrefix("active") })
        #expect(try machine.wait("journalctl -u deadlined -o json ITEM_KEY=sd-2", timeout: 60) { $0.contains("\"EVENT\":\"meeting\"") },
                "the reminder planned before the restart fired after it")

        // Under the unit's hardening, a webhook channel whose token comes from the unit's
        // credentials directory (LoadCredential=) and an e-mail channel through msmtp (a
        // sendmail that needs no setuid/setgid, which NoNewPrivileges= rules out) reach their
        // receivers on the sandbox's loopback.
        let python = try python3()
        let channels = try machine.sh("""
            set -e
            printf 'secret-token-42\\n' > /etc/deadlined/credentials/chat-token
            deadlinectl audit key --new /etc/deadlined/credentials/audit-signing-key > /tmp/audit.pub
            systemd-run --unit=receiver --property=Type=exec \(python) /srv/share/webhook_receiver.py /tmp/posts.jsonl 200 > /dev/null 2>&1
            systemd-run --unit=smtp --property=Type=exec \(python) /srv/share/smtp_receiver.py /tmp/mail.jsonl > /dev/null 2>&1
            port() { for i in $(seq 100); do p=$(journalctl -u "$1" -o cat | grep -E '^[0-9]+$' | tail -1); [ -n "$p" ] && { echo "$p"; return; }; sleep 0.1; done; }
            printf 'channels:\\n  chat:\\n    type: webhook\\n    url: http://127.0.0.1:%s/hook\\n    token_credential: chat-token\\n  mail:\\n    type: email\\n    sendmail: /usr/bin/msmtp --host=127.0.0.1 --port=%s --auth=off --tls=off\\n    from: deadlined@example.go.th\\n    to: clerk@example.go.th\\ndelivery:\\n  channels: journal, chat, mail\\n' "$(port receiver)" "$(port smtp)" > /etc/deadlined/deadlined.yaml
            # Credentials are loaded when the service starts, so a new one needs a restart.
            systemctl restart deadlined
            deadlinectl test-channel chat
            deadlinectl test-channel mail
            # The audit key now comes from the credential; the first start's checkpoints were
            # signed by the key it made in the state directory: counted, not trusted.
            test "$(deadlinectl audit key)" = "$(cat /tmp/audit.pub)"
            deadlinectl audit checkpoint > /dev/null
            deadlinectl audit verify
            """)
        let serviceLog = try machine.sh("journalctl -u deadlined --no-pager | tail -8").out
        #expect(channels.status == 0 && channels.out.contains("chat: delivered") && channels.out.contains("mail: delivered")
                && channels.out.contains("signed by a key not trusted were left aside"),
                "\(channels.out)\n\(serviceLog)")
        #expect(try machine.sh("cat /tmp/posts.jsonl").out.contains("Bearer secret-token-42"))
        let mail = try machine.sh("cat /tmp/mail.jsonl").out
        #expect(mail.contains("\"rcpt_tos\": [\"clerk@example.go.th\"]") && mail.contains("ทดสอบช่องทางแจ้งเตือน"), "\(mail)")

        // A clean stop.
        #expect(try machine.sh("systemctl stop deadlined.service").status == 0)
        #expect(try machine.show("ActiveState") == "inactive")
        #expect(try machine.show("Result") == "success")
    }

    @Test("the user-service units under a user manager: socket activation, the owner may change things, reload, stop")
    func userService() throws {
        let (box, machine) = try Self.boot()
        _ = box
        defer { machine.stop() }

        let setup = try machine.sh("""
            set -e
            install -m 0755 /srv/share/deadlined /srv/share/deadlinectl /usr/local/bin/
            install -d /etc/systemd/user
            install -m 0644 /srv/share/units/user/deadlined.service /srv/share/units/user/deadlined.socket /etc/systemd/user/
            useradd -m clerk
            systemctl start user@$(id -u clerk).service
            """)
        try #require(setup.status == 0, "\(setup.out)")
        let uid = try machine.sh("id -u clerk").out.trimmingCharacters(in: .whitespacesAndNewlines)
        func user(_ command: String) throws -> (status: Int32?, out: String) {
            try machine.sh("runuser -u clerk -- env XDG_RUNTIME_DIR=/run/user/\(uid) sh -c '\(command)'")
        }
        let verify = try user("systemd-analyze verify --user /etc/systemd/user/deadlined.service /etc/systemd/user/deadlined.socket")
        #expect(verify.status == 0, "\(verify.out)")
        #expect(try user("systemctl --user start deadlined.socket").status == 0)
        #expect(try user("systemctl --user is-active deadlined.service").out.hasPrefix("inactive"))
        #expect(try machine.sh("stat -c %U:%a /run/user/\(uid)/deadlined/control.sock").out.hasPrefix("clerk:600"))
        let status = try user("deadlinectl status")
        #expect(status.status == 0 && status.out.contains("/home/clerk/.local/state/deadlined/deadlined.sqlite"), "\(status.out)")
        #expect(try user("systemctl --user show -p ActiveState --value deadlined.service").out.hasPrefix("active"))
        // The owner may change things over its own socket, without any group.
        let add = try user("deadlinectl add deadline \"ส่งแผน\" --due 2099-05-31 --key u-1")
        #expect(add.status == 0, "\(add.out)")
        #expect(try user("deadlinectl list").out.contains("ส่งแผน"))
        #expect(try user("systemctl --user show -p StatusText --value deadlined.service").out.contains("pending"))
        #expect(try user("systemctl --user reload deadlined").status == 0)
        #expect(try machine.wait("journalctl _SYSTEMD_USER_UNIT=deadlined.service --no-pager") { $0.contains("reloaded") })
        #expect(try user("systemctl --user stop deadlined.service").status == 0)
        #expect(try user("systemctl --user show -p Result --value deadlined.service").out.hasPrefix("success"))
    }
}
