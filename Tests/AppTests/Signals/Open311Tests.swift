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

/// Parses an XML answer into (element path → texts), checking it is well-formed.
private final class XMLCollector: NSObject, XMLParserDelegate {
    var stack: [String] = []
    var values: [String: [String]] = [:]
    var text = ""
    var root: String?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = name }
        stack.append(name)
        text = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        values[stack.joined(separator: "/"), default: []].append(text)
        stack.removeLast()
        text = ""
    }
    static func parse(_ xml: String) -> XMLCollector? {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }
}

private func json(_ response: TestingHTTPResponse) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
}

@Suite("Open311 GeoReport v2", .serialized)
struct Open311Tests {
    func withKey(_ body: (Application, String) async throws -> Void) async throws {
        try await withApp(now: monday) { app in
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let (_, key) = try await Open311Key.issue(municipality: try oss.requireID(), name: "Testapp", at: monday, on: app.db)
            try await body(app, key)
        }
    }

    func post(_ app: Application, _ format: String, _ fields: [(String, String)], query: String = "", headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        headers.contentType = .urlEncodedForm
        return try await app.testing().sendRequest(.POST, "/open311/v2/requests.\(format)\(query)", headers: headers, body: ByteBuffer(string: TestBrowser.encode(fields)))
    }

    @Test func discoveryServicesAndDefinitionsInJSONAndXML() async throws {
        try await withKey { app, _ in
            let discovery = try await app.testing().sendRequest(.GET, "/open311/v2/discovery.json")
            let endpoints = try #require((try json(discovery) as? [String: Any])?["endpoints"] as? [[String: Any]])
            #expect(endpoints.first?["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")

            let services = try await app.testing().sendRequest(.GET, "/open311/v2/services.json?jurisdiction_id=oss.nl")
            #expect(services.headers.contentType?.subType == "json")
            let list = try #require(try json(services) as? [[String: Any]])
            #expect(list.contains { $0["service_code"] as? String == "straatverlichting" && $0["group"] as? String == "Straat en openbare ruimte" && $0["metadata"] as? Bool == true })
            #expect(!list.contains { $0["service_code"] as? String == "afval" }, "main categories with sub categories are groups, not services")

            let xml = try await app.testing().sendRequest(.GET, "/open311/v2/services.xml?jurisdiction_id=oss.nl")
            #expect(xml.body.string.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>"))
            #expect(!xml.body.string.contains("xmlns"))
            let parsed = try #require(XMLCollector.parse(xml.body.string))
            #expect(parsed.root == "services")
            #expect(parsed.values["services/service/service_code"]?.count == list.count)

            let definition = try await app.testing().sendRequest(.GET, "/open311/v2/services/straatverlichting.xml?jurisdiction_id=oss.nl")
            let def = try #require(XMLCollector.parse(definition.body.string))
            #expect(def.root == "service_definition")
            #expect(def.values["service_definition/attributes/attribute/code"] == ["lichtpunt", "hoeveel"])
            #expect(def.values["service_definition/attributes/attribute/values/value/key"] == ["Eén", "Meer dan één"])
            #expect(try await app.testing().sendRequest(.GET, "/open311/v2/services/bestaat-niet.json?jurisdiction_id=oss.nl").status == .notFound)
            let noJurisdiction = try await app.testing().sendRequest(.GET, "/open311/v2/services.json")
            #expect(noJurisdiction.status == .badRequest)
            #expect(((try json(noJurisdiction) as? [[String: Any]])?.first?["code"] as? Int) == 400)
            #expect(try await app.testing().sendRequest(.GET, "/open311/v2/services.json?jurisdiction_id=amsterdam.nl").status == .notFound)
        }
    }

    @Test func postingARequestAndReadingItBack() async throws {
        try await withKey { app, key in
            let created = try await post(app, "json", [("jurisdiction_id", "oss.nl"), ("api_key", key), ("service_code", "straatverlichting"),
                                                       ("lat", "51.7650"), ("long", "5.5180"), ("description", "Lamp kapot"), ("attribute[hoeveel]", "Eén"),
                                                       ("email", "melder@voorbeeld.nl"), ("first_name", "Anne")])
            #expect(created.status == .ok)
            let answer = try #require((try json(created) as? [[String: Any]])?.first)
            let id = try #require(answer["service_request_id"] as? String)
            #expect(answer["service_notice"] as? String != nil)
            let signal = try #require(try await Signal.query(on: app.db).filter(\.$trackingCode == id).first())
            #expect(signal.source == "open311" && signal.reporterEmail == "melder@voorbeeld.nl" && signal.answers["hoeveel"] == "Eén")

            let one = try await app.testing().sendRequest(.GET, "/open311/v2/requests/\(id).json?jurisdiction_id=oss.nl")
            let request = try #require((try json(one) as? [[String: Any]])?.first)
            #expect(request["status"] as? String == "open" && request["service_code"] as? String == "straatverlichting")
            #expect((request["requested_datetime"] as? String)?.hasSuffix("+01:00") == true)
            #expect(!one.body.string.contains("melder@voorbeeld.nl") && !one.body.string.contains("Anne"), "no personal data in answers")
            let token = try await app.testing().sendRequest(.GET, "/open311/v2/tokens/\(id).xml?jurisdiction_id=oss.nl")
            #expect(XMLCollector.parse(token.body.string)?.values["service_requests/request/service_request_id"] == [id])

            // Closing shows as closed with the public text as status notes.
            try await SignalService.change(signal, expectedVersion: signal.version, to: .afgehandeld, publicText: "Lamp vervangen.", note: "intern",
                                           user: nil, initiator: .staff, at: monday, on: app.db, mailer: SignalMailer(app))
            let xml = try await app.testing().sendRequest(.GET, "/open311/v2/requests.xml?jurisdiction_id=oss.nl&status=closed")
            let parsed = try #require(XMLCollector.parse(xml.body.string))
            #expect(parsed.root == "service_requests")
            #expect(parsed.values["service_requests/request/service_request_id"] == [id])
            #expect(parsed.values["service_requests/request/status_notes"] == ["Lamp vervangen."])
            #expect(!xml.body.string.contains("intern"))
            let open = try await app.testing().sendRequest(.GET, "/open311/v2/requests.json?jurisdiction_id=oss.nl&status=open")
            #expect((try json(open) as? [[String: Any]])?.isEmpty == true)
            let filtered = try await app.testing().sendRequest(.GET, "/open311/v2/requests.json?jurisdiction_id=oss.nl&service_code=zwerfafval")
            #expect((try json(filtered) as? [[String: Any]])?.isEmpty == true)
            let dated = try await app.testing().sendRequest(.GET, "/open311/v2/requests.json?jurisdiction_id=oss.nl&start_date=2026-11-01T00:00:00%2B01:00&end_date=2026-11-30T00:00:00%2B01:00&page_size=1")
            #expect((try json(dated) as? [[String: Any]])?.count == 1)
            #expect(try await app.testing().sendRequest(.GET, "/open311/v2/requests.json?jurisdiction_id=oss.nl&start_date=gisteren").status == .badRequest)
            #expect(try await app.testing().sendRequest(.GET, "/open311/v2/requests.json?jurisdiction_id=oss.nl&page_size=5000").status == .badRequest)
            #expect(try await app.testing().sendRequest(.GET, "/open311/v2/requests.json?jurisdiction_id=oss.nl&page=9223372036854775807").status == .badRequest)
        }
    }

    @Test func apiKeyFromBodyOrHeaderNeverFromTheURLAndBuurtCodes() async throws {
        try await withKey { app, key in
            let keyInURL = try await post(app, "xml", [("service_code", "zwerfafval"), ("address_id", "BU08280000"), ("description", "Rommel")],
                                          query: "?jurisdiction_id=oss.nl&api_key=\(key)")
            #expect(keyInURL.status == .badRequest, "a key in the URL ends up in logs: refused")
            #expect(XMLCollector.parse(keyInURL.body.string)?.values["errors/error/description"]?.first?.contains("X-Api-Key") == true)
            #expect(try await Signal.query(on: app.db).count() == 0)
            let viaQuery = try await post(app, "xml", [("service_code", "zwerfafval"), ("address_id", "BU08280000"), ("description", "Rommel")],
                                          query: "?jurisdiction_id=oss.nl", headers: ["X-Api-Key": key])
            #expect(viaQuery.status == .ok)
            #expect(XMLCollector.parse(viaQuery.body.string)?.values["service_requests/request/service_request_id"]?.count == 1)
            let signal = try #require(try await Signal.query(on: app.db).first())
            #expect(signal.neighbourhoodID != nil && signal.areaID != nil)
            let address = try await post(app, "json", [("jurisdiction_id", "oss.nl"), ("api_key", key), ("service_code", "zwerfafval"),
                                                       ("address_string", "Molenstraat 1, Oss"), ("description", "Rommel")])
            #expect(address.status == .ok)
        }
    }

    @Test func badRequestsGetOpen311Errors() async throws {
        try await withKey { app, key in
            let base = [("jurisdiction_id", "oss.nl"), ("api_key", key)]
            let cases: [([(String, String)], HTTPResponseStatus, String)] = [
                ([("jurisdiction_id", "oss.nl"), ("api_key", "verkeerd"), ("service_code", "zwerfafval"), ("lat", "51.765"), ("long", "5.518"), ("description", "x")], .forbidden, "api_key"),
                ([("jurisdiction_id", "oss.nl"), ("service_code", "zwerfafval"), ("lat", "51.765"), ("long", "5.518"), ("description", "x")], .forbidden, "api_key"),
                (base + [("lat", "51.765"), ("long", "5.518"), ("description", "x")], .badRequest, "service_code"),
                (base + [("service_code", "bestaat-niet"), ("lat", "51.765"), ("long", "5.518"), ("description", "x")], .notFound, "service_code"),
                (base + [("service_code", "zwerfafval"), ("description", "x")], .badRequest, "location"),
                (base + [("service_code", "zwerfafval"), ("lat", "52.3730"), ("long", "4.8924"), ("description", "x")], .badRequest, "lat"),
                (base + [("service_code", "zwerfafval"), ("lat", "51.765"), ("long", "5.518")], .badRequest, "description"),
                (base + [("service_code", "straatverlichting"), ("lat", "51.765"), ("long", "5.518"), ("description", "x")], .badRequest, "attribute[hoeveel]"),
                (base + [("service_code", "zwerfafval"), ("address_id", "BU99999999"), ("description", "x")], .badRequest, "address_id"),
            ]
            for (fields, status, mention) in cases {
                let response = try await post(app, "json", fields)
                #expect(response.status == status, "\(fields)")
                let error = try #require((try json(response) as? [[String: Any]])?.first)
                #expect(error["code"] as? Int == Int(status.code))
                #expect((error["description"] as? String)?.contains(mention) == true, "\(error)")
            }
            #expect(try await Signal.query(on: app.db).count() == 0, "nothing half-saved")
            let revoked = try #require(try await Open311Key.query(on: app.db).first())
            revoked.revokedAt = monday
            try await revoked.update(on: app.db)
            #expect(try await post(app, "json", base + [("service_code", "zwerfafval"), ("lat", "51.765"), ("long", "5.518"), ("description", "x")]).status == .forbidden)
        }
    }

    @Test func multipartWithAMediaFile() async throws {
        try await withKey { app, key in
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0] + Array("IEND".utf8) + [0, 0, 0, 0]
            let (headers, body) = Multipart.body([("jurisdiction_id", "oss.nl"), ("api_key", key), ("service_code", "graffiti"), ("lat", "51.765"), ("long", "5.518"), ("description", "Graffiti")],
                                                 file: .init(field: "media", filename: "a.png", contentType: "image/png", data: Data(png)))
            let response = try await app.testing().sendRequest(.POST, "/open311/v2/requests.json", headers: headers, body: body)
            #expect(response.status == .ok)
            #expect(try await SignalPhoto.query(on: app.db).first()?.contentType == "image/png")
        }
    }
}
