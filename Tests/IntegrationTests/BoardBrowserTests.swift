import Foundation
import Glibc
import Testing

/// The HTML board the daemon writes, opened in a real browser: Debian's headless Chromium with
/// the Thai fonts of fonts-thai-tlwg. The DOM it builds must hold the counts and the Thai names;
/// its screenshot is kept (`.build/test-artefacts/board.png`) for a person to look at.
@Suite("The board in a real browser", .serialized)
struct BoardBrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let registry = root.appendingPathComponent("Tests/Fixtures/organisations/khonkaen-windows-874.csv").path
    static let agenda = root.appendingPathComponent("Config/agenda/khon-kaen-center-2560.yaml").path

    func chromium() throws -> String {
        try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
                     "chromium is not installed (apt-get install chromium fonts-thai-tlwg)")
    }

    func browse(_ args: [String]) throws -> RunningProcess {
        let p = try RunningProcess(try chromium(), ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                                                    "--user-data-dir=/tmp/dl-chromium-\(getpid())"] + args,
                                   environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp"])
        #expect(p.waitForExit(timeout: 90) == 0, "chromium: \(p.stderrLines.suffix(5).map(\.1))")
        return p
    }

    @Test("the daemon's board for the province: Chromium's DOM holds the counts and the Thai names; a screenshot is kept")
    func boardInChromium() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        #expect(try box.ctl(["org", "import", Self.registry]).status == 0)
        #expect(try box.ctl(["import", Self.agenda]).status == 0)
        #expect(try box.ctl(["submit", "submit-nacc-2560-kk", "--org", "4000001", "--ref", "ขก 0023/1", "--date", "22 พ.ค. 60"]).status == 0)
        #expect(try box.ctl(["submit", "submit-nacc-2560-kk", "--org", "4000102", "--ref", "ขก 0023/2", "--date", "26 พ.ค. 60"]).status == 0)
        #expect(try box.ctl(["exempt", "submit-nacc-2560-kk", "--org", "4000103", "--reason", "ยุบรวม"]).status == 0)
        // The daemon rewrites the board after the changes, spaced: wait for the last one to show.
        let page = box.state + "/board-nacc-2560-2564.html"
        #expect(waitFor({ ((try? String(contentsOfFile: page, encoding: .utf8)) ?? "").contains("id=\"count-exempted\">1<") }, timeout: 20),
                "\(daemon.stderrLines.suffix(5).map(\.1))")

        let dom = try browse(["--dump-dom", "file://" + page]).stdout
        #expect(dom.contains("<title>แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2560-2564)</title>"), "\(dom.prefix(500))")
        for (id, n) in [("count-total", 4), ("count-on-time", 1), ("count-late", 1), ("count-overdue", 1), ("count-exempted", 1),
                        ("count-not-submitted", 1)] {
            #expect(dom.contains("id=\"\(id)\">\(n)<"), "\(id) should be \(n)")
        }
        // The one not submitted, by name and contact; the chart drawn as SVG.
        let notSubmitted = try #require(dom.range(of: "id=\"not-submitted\"").map { String(dom[$0.lowerBound...]) })
        #expect(notSubmitted.contains("เทศบาลนครขอนแก่น") && notSubmitted.contains("saraban.4000101@example.org"))
        #expect(!notSubmitted.contains("องค์การบริหารส่วนจังหวัดขอนแก่น"), "it submitted")
        #expect(dom.contains("<svg class=\"chart\"") && dom.contains("กำหนดส่ง 24 พ.ค. 60"))
        #expect(!dom.contains("<script"), "no script is needed")

        let artefacts = Self.root.appendingPathComponent(".build/test-artefacts").path
        try FileManager.default.createDirectory(atPath: artefacts, withIntermediateDirectories: true)
        let shot = artefacts + "/board.png"
        try? FileManager.default.removeItem(atPath: shot)
        _ = try browse(["--window-size=1400,1000", "--hide-scrollbars", "--screenshot=" + shot, "file://" + page])
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "\(png.count) bytes")
        print("board screenshot: \(shot)")
        // Printed to PDF as A4 landscape: the page's own @page rule.
        let pdf = artefacts + "/board.pdf"
        _ = try browse(["--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + page])
        let pdfText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: pdf)), as: UTF8.self)
        #expect(pdfText.range(of: #"/MediaBox \[0 0 84[12](\.[0-9]+)? 59[45](\.[0-9]+)?\]"#, options: .regularExpression) != nil,
                "A4 landscape is 842 × 595 points")
    }
}
