import Foundation
import Testing
import VaporTesting
@testable import App
@testable import Domain

@Suite("Operations: health, metrics, headers, configuration, texts")
struct OperationsTests {
    @Test func healthAndMetrics() async throws {
        try await withApp { app in
            let health = try await TestBrowser(app).get("/health")
            #expect(health.status == .ok)
            #expect(health.text.contains("\"status\":\"ok\""))
            _ = try await TestBrowser(app).get("/gemeenten/oss")
            app.config.metricsToken = "test-token-met-genoeg-tekens"
            let metrics = try await TestBrowser(app).get("/metrics", headers: ["Authorization": "Bearer test-token-met-genoeg-tekens"]).text
            #expect(metrics.contains("wijkwerk_http_requests_total{"))
            #expect(metrics.contains("route=\"GET /gemeenten/:municipality\""))
            #expect(metrics.contains("wijkwerk_http_request_duration_seconds_bucket"))
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await withApp { app in
            for path in ["/", "/api/v1/areas", "/nergens"] {
                let r = try await TestBrowser(app).get(path)
                #expect(r.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
                #expect(r.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                #expect(r.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(r.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(r.headers.first(name: "Referrer-Policy") == "same-origin")
                #expect(r.headers.first(name: "X-Request-ID")?.isEmpty == false)
            }
        }
    }

    @Test func noInlineScriptOrStyleOnPages() async throws {
        try await withApp { app in
            for path in ["/", "/gemeenten/oss", "/gemeenten/oss/gebieden/lith", "/inloggen"] {
                let html = try await TestBrowser(app).get(path).text
                #expect(!html.contains("<script"), "\(path)")
                #expect(!html.contains("style=\""), "\(path)")
            }
        }
    }

    @Test func configurationFailsFastWithEveryProblem() {
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["DATABASE_URL": "mysql://x", "WIJKWERK_DEMO": "misschien"]) }
        do {
            _ = try AppConfig.load(from: ["DATABASE_URL": "mysql://x", "WIJKWERK_DEMO": "misschien"])
        } catch let error as AppConfig.Invalid {
            #expect(error.problems.count == 2)
            #expect(error.description.contains("DATABASE_URL"))
            #expect(error.description.contains("WIJKWERK_DEMO"))
        } catch { Issue.record("unexpected \(error)") }
        let config = try? AppConfig.load(from: ["DATABASE_URL": "postgres://u:p@localhost:5432/db"])
        #expect(config?.database == .postgres(URL(string: "postgres://u:p@localhost:5432/db")!))
        #expect((try? AppConfig.load(from: [:]))?.database == .sqliteFile("./data/wijkwerk.sqlite"))
    }

    @Test func dutchAndEnglishTextsAreComplete() throws {
        let directory = DirectoryConfiguration.detect().resourcesDirectory + "Localization/"
        let localizer = try Localizer(directory: directory)
        #expect(localizer.keys(.nl) == localizer.keys(.en), "missing in en: \(localizer.keys(.nl).subtracting(localizer.keys(.en))); missing in nl: \(localizer.keys(.en).subtracting(localizer.keys(.nl)))")
        // Every key a template uses exists.
        let views = DirectoryConfiguration.detect().viewsDirectory
        let files = FileManager.default.enumerator(atPath: views)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".leaf") }
        #expect(files.count > 5)
        let pattern = try Regex(#"#t\("([^"]+)""#)
        for file in files {
            let text = try String(contentsOfFile: views + file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                let key = String(match.output[1].substring ?? "")
                #expect(localizer.keys(.nl).contains(key), "\(file): \(key)")
            }
        }
    }
}

@Suite("Dates typed in forms")
struct DateInputTests {
    @Test(arguments: [("2026-11-23", true), ("61101-01-01", false), ("2026-1-3", false), ("23-11-2026", false), ("2026-13-01", false), ("2026-02-30", false)])
    func onlyRealYearMonthDayDates(text: String, valid: Bool) {
        var errors: [FieldError] = []
        let date = Input.day(text, field: "van", errors: &errors)
        #expect((date != nil) == valid, "\(text)")
        #expect(errors.isEmpty == valid)
    }
}
