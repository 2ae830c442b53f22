import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

private let monday = DutchTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 10))!

private func wellFormed(_ xml: String) -> Bool { XMLParser(data: Data(xml.utf8)).parse() }

/// Open311's answers at its edges (issue 9, items 7, 12 and 13): errors always in the client's format,
/// retries without duplicates, and no personal data from a description in public answers.
@Suite("Open311 edges and privacy", .serialized)
struct Open311EdgeTests {
    func withKey(_ body: (Application, String) async throws -> Void) async throws {
        try await withApp(now: monday) { app in
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let (_, key) = try await Open311Key.issue(municipality: try oss.requireID(), name: "Testapp", at: monday, on: app.db)
            try await body(app, key)
        }
    }

    func post(_ app: Application, _ path: String = "/open311/v2/requests.json", body: String, contentType: HTTPMediaType = .urlEncodedForm, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        headers.contentType = contentType
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    static func form(_ key: String, description: String = "Lamp kapot") -> String {
        TestBrowser.encode([("jurisdiction_id", "oss.nl"), ("api_key", key), ("service_code", "bestrating"), ("lat", "51.765"), ("long", "5.518"), ("description", description)])
    }

    @Test func errorsAreOpen311DocumentsInTheRequestedFormat() async throws {
        try await withKey { app, key in
            let control = try await app.testing().sendRequest(.GET, "/open311/v2/services/ab%01%02cd.xml?jurisdiction_id=oss.nl")
            #expect(control.status == .notFound)
            #expect(wellFormed(control.body.string), "a control character in the code still gives well-formed XML")

            let lat = try await post(app, body: Self.form(key).replacingOccurrences(of: "lat=51.765", with: "lat=123.4"))
            #expect(lat.status == .badRequest && lat.body.string.contains("lat: must be a number from -90 to 90"))

            var invalid = ByteBuffer(string: "jurisdiction_id=oss.nl&api_key=\(key)&service_code=bestrating&lat=51.765&long=5.518&description=")
            invalid.writeBytes([0xC3, 0x28, 0xFF])
            var headers = HTTPHeaders(); headers.contentType = .urlEncodedForm
            let raw = try await app.testing().sendRequest(.POST, "/open311/v2/requests.json", headers: headers, body: invalid)
            #expect(raw.status == .badRequest && raw.body.string.contains("not valid UTF-8"))
            let encoded = try await post(app, body: Self.form(key) + "&description=%C3%28%FF")
            #expect(encoded.status == .badRequest && encoded.body.string.contains("not valid UTF-8"))

            let json = try await post(app, body: #"{"service_code":"straatverlichting"}"#, contentType: .json)
            #expect(json.status == .unsupportedMediaType && json.body.string.contains("application/x-www-form-urlencoded"))

            // (A body over the limit is refused while it streams in; that is tested against the running server
            // in Tests/BrowserTests/test_security.py.)
            for method in [HTTPMethod.PUT, .DELETE, .PATCH] {
                let response = try await app.testing().sendRequest(method, "/open311/v2/requests.json")
                #expect(response.status == .methodNotAllowed && response.headers.first(name: .allow) == "GET, POST")
            }
            let postService = try await post(app, "/open311/v2/services/straatverlichting.xml", body: "")
            #expect(postService.status == .methodNotAllowed && wellFormed(postService.body.string))
            #expect(try await Signal.query(on: app.db).count() == 0, "nothing was stored by any of these")
        }
    }

    @Test func aRetryWithTheSameIdempotencyKeyCreatesOneSignal() async throws {
        try await withKey { app, key in
            let first = try await post(app, body: Self.form(key), headers: ["Idempotency-Key": "retry-1"])
            let second = try await post(app, body: Self.form(key), headers: ["Idempotency-Key": "retry-1"])
            #expect(first.status == .ok && second.status == .ok)
            #expect(first.body.string == second.body.string, "the retry gets the first answer")
            #expect(try await Signal.query(on: app.db).count() == 1)
            // At the same moment: still one.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = try await post(app, body: Self.form(key), headers: ["Idempotency-Key": "parallel-1"]) } }
                try await group.waitForAll()
            }
            #expect(try await Signal.query(on: app.db).count() == 2)
            #expect(try await post(app, body: Self.form(key), headers: ["Idempotency-Key": "ander"]).status == .ok)
            #expect(try await Signal.query(on: app.db).count() == 3, "another key is another request")
            #expect(try await post(app, body: Self.form(key), headers: ["Idempotency-Key": "met spatie"]).status == .badRequest)
        }
    }

    @Test func phoneNumbersAndAddressesInADescriptionAreNeverPublished() async throws {
        try await withKey { app, key in
            let text = "Lamp kapot, bel mij op 0612345678 of mail jan.jansen@example.nl"
            let created = try await post(app, body: Self.form(key, description: text))
            #expect(created.status == .ok)
            let signal = try #require(try await Signal.query(on: app.db).first())
            #expect(signal.text == text, "staff still read what the resident typed")
            for format in ["json", "xml"] {
                let one = try await app.testing().sendRequest(.GET, "/open311/v2/requests/\(signal.trackingCode).\(format)?jurisdiction_id=oss.nl").body.string
                let list = try await app.testing().sendRequest(.GET, "/open311/v2/requests.\(format)?jurisdiction_id=oss.nl").body.string
                for body in [one, list] {
                    #expect(body.contains("Lamp kapot, bel mij op"))
                    #expect(!body.contains("0612345678") && !body.contains("jan.jansen@example.nl"))
                }
            }
            let form = try await TestBrowser(app).get("/gemeenten/oss/melden/formulier?categorie=bestrating").text
            #expect(form.contains("Telefoonnummers en e-mailadressen in de omschrijving laten we nooit openbaar zien"))
        }
    }
}
