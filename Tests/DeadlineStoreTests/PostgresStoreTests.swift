import DeadlineCore
import DeadlineStore
import Foundation
import PostgresStore
import PostgresTestKit
import Testing

/// What only the PostgreSQL backend has: a URL, a login, a server that can go away.
@Suite("PostgreSQL store: URL, login, migrations, a server that restarts")
struct PostgresStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_494_918_000)

    static func deadline(_ key: String) -> NewItem {
        NewItem(kind: .deadline, key: key, title: "ส่งแผน", when: .instant(t0.addingTimeInterval(86_400)), timeZone: "Asia/Bangkok")
    }

    @Test("URLs as libpq writes them: a socket directory, a TCP host and port, the password never shown")
    func urls() throws {
        let socket = try PostgresLocation(url: "postgresql://deadlined@/center?host=/run/postgresql")
        #expect(socket.socketDirectory == "/run/postgresql" && socket.host == nil && socket.database == "center" && socket.user == "deadlined")
        #expect(socket.sslMode == .disable)
        let local = try PostgresLocation(url: "postgresql:///deadlined")
        #expect(local.socketDirectory == "/run/postgresql" && local.port == 5432, "no host: the local socket, as libpq")
        let tcp = try PostgresLocation(url: "postgres://node%40a:s%3Acret@db.example:6432/center?sslmode=verify-full")
        #expect(tcp.host == "db.example" && tcp.port == 6432 && tcp.user == "node@a" && tcp.password == "s:cret" && tcp.sslMode == .verifyFull)
        #expect(!tcp.description.contains("cret"), "the password is not in what people see: \(tcp)")
        let file = try PostgresLocation(url: "postgresql://u:inline@h/d", password: "fromfile")
        #expect(file.password == "fromfile", "a password file wins over the URL's")
    }

    @Test("a bad URL is refused with what is wrong, and without its password",
          arguments: [("mysql://u@h/d", "postgresql://"), ("postgresql://u:hunter22@h:99999/d", "port '99999'"),
                      ("postgresql://u@h/d?sslmode=maybe", "sslmode 'maybe'"), ("postgresql://u@h/d?timeout=3", "unknown parameter 'timeout'")])
    func badURLs(url: String, says: String) {
        do {
            _ = try PostgresLocation(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect("\(error)".contains(says), "\(error)")
            #expect(!"\(error)".contains("hunter22"), "\(error)")
        }
    }

    @Test("a fresh database is migrated, reopening migrates nothing again, two nodes starting at once agree")
    func migrations() async throws {
        let cluster = try PostgresTestCluster.shared.get()
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        // Three nodes open the same empty database at once: one migrates, the others wait for it.
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<3 { group.addTask { try PostgresStore(PostgresLocation(url: url)).appliedMigrations() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(applied.count == 3 && Set(applied.map { $0.joined(separator: "|") }).count == 1)
        #expect(applied[0].first?.hasPrefix("v1:") == true)
        #expect(try cluster.psql("SELECT count(*) FROM schema_migration", database: database) == String(applied[0].count))
    }

    @Test("a password from a file logs in over TCP; a wrong one is refused with the server's reason, not the password")
    func passwordLogin() throws {
        let cluster = try PostgresTestCluster.shared.get()
        let url = cluster.tcpURL(database: try cluster.createDatabase())
        let store = try PostgresStore(PostgresLocation(url: url, password: cluster.password))
        _ = try store.add(Self.deadline("d1"), reminders: [], dayTime: TimeOfDay(hour: 9, minute: 0)!, now: Self.t0)
        #expect(try store.item(key: "d1")?.fields.title == "ส่งแผน")
        do {
            _ = try PostgresStore(PostgresLocation(url: url, password: "wrong-password"))
            Issue.record("a wrong password was accepted")
        } catch {
            #expect("\(error)".contains("password authentication failed"), "\(error)")
            #expect(!"\(error)".contains("wrong-password"))
        }
    }

    @Test("no server at the address: an error naming the store, soon")
    func noServer() throws {
        let started = ContinuousClock.now
        do {
            _ = try PostgresStore(PostgresLocation(url: "postgresql://deadlined@/d?host=/tmp/deadlined-no-server-here"))
            Issue.record("a store opened with no server")
        } catch {
            #expect("\(error)".contains("/tmp/deadlined-no-server-here"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("the server restarts: statements in between fail with a clear error, and the store reconnects by itself")
    func serverRestart() throws {
        let cluster = try PostgresTestCluster(name: "restart")
        let store = try PostgresStore(PostgresLocation(url: cluster.url(database: try cluster.createDatabase())))
        let day = TimeOfDay(hour: 9, minute: 0)!
        _ = try store.add(Self.deadline("before"), reminders: [PlannedReminder(fireAt: Self.t0, purpose: .lead("0"))], dayTime: day, now: Self.t0)
        try cluster.stop()
        do {
            _ = try store.add(Self.deadline("while-down"), reminders: [], dayTime: day, now: Self.t0)
            Issue.record("a write succeeded with the server down")
        } catch {
            #expect("\(error)".contains("nothing was changed"), "\(error)")
        }
        try cluster.start()
        _ = try store.add(Self.deadline("after"), reminders: [], dayTime: day, now: Self.t0)
        #expect(try store.items().map(\.fields.key) == ["before", "after"])
        #expect(try store.countsByState() == [.pending: 1])
        try cluster.stop(mode: "immediate")
    }

    @Test("backup is refused with what to use instead")
    func backup() throws {
        let cluster = try PostgresTestCluster.shared.get()
        let store = try PostgresStore(PostgresLocation(url: cluster.url(database: try cluster.createDatabase())))
        #expect(throws: StoreError.self) { try store.backup(to: "/tmp/x") }
        do { try store.backup(to: "/tmp/x") } catch { #expect("\(error)".contains("pg_dump")) }
    }
}
