import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

/// Permissions at the route (issue 10): every route declares what it needs, the router is enumerated so no
/// route can be forgotten, every role is tried on every staff route, and docs/permissions.md is current.
@Suite("Access: every route declares what it needs")
struct AccessTests {
    /// A concrete path for a route pattern (parameters filled with values of the demo or unknown ids).
    static func concrete(_ route: Route) -> String {
        "/" + route.path.map { component -> String in
            switch component {
            case .constant(let c): return c
            case .parameter(let name):
                switch name {
                case "municipality": return "oss"
                case "area": return "ruwaard"
                case "file": return "services.json"
                case "code": return "SIG-AAAA-AAAA"
                default: return UUID().uuidString
                }
            case .anything, .catchall: return "x"
            }
        }.joined(separator: "/")
    }

    @Test func everyRouteDeclaresItsAccess() async throws {
        try await withApp(demo: false) { app in
            let missing = app.routes.all.filter { $0.access == nil }.map(\.description)
            #expect(missing.isEmpty, "routes without an access declaration: \(missing)")
            // Staff areas are never public.
            for route in app.routes.all {
                let path = Self.concrete(route)
                if path.hasPrefix("/werk") || path.hasPrefix("/beheer") {
                    #expect(route.access != .public, "\(route.description) is under a staff path but public")
                }
            }
            // The navigation links to routes that need exactly what the link is shown for.
            for item in StaffNavigation.items {
                let route = try #require(app.routes.all.first { $0.method == .GET && Self.concrete($0) == item.path })
                #expect(route.access == item.access, "\(item.path)")
            }
        }
    }

    @Test func thePermissionsDocumentIsCurrent() async throws {
        try await withApp(demo: false) { app in
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let file = root.appendingPathComponent("docs/permissions.md")
            let committed = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            let generated = PermissionsDocument.render(app)
            #expect(committed == generated, "docs/permissions.md is out of date: run `swift run wijkwerk docs permissions > docs/permissions.md`")
            #expect(generated.contains("| GET | `/werk/meldingen` | viewSignal |"))
        }
    }

    /// Every staff route × every role (in and outside its scope) and anonymous: the route's verdict is the rule's.
    @Test func everyRoleOnEveryStaffRoute() async throws {
        try await withApp { app in
            var browsers: [(Role, TestBrowser)] = []
            for role in Role.allCases {
                let email = "\(role.rawValue.lowercased())@oss.test"
                switch role.scopeKind {
                case .areas: try await Fixture.user(app, email: email, role: role, areas: ["ruwaard"])
                case .department: try await Fixture.user(app, email: email, role: role, department: "Openbare ruimte")
                case .municipality: try await Fixture.user(app, email: email, role: role)
                }
                let browser = TestBrowser(app)
                #expect(try await browser.login(email, Fixture.password).status == .seeOther)
                browsers.append((role, browser))
            }
            let staffRoutes = app.routes.all.filter { !($0.access?.kinds.isEmpty ?? true) }
            #expect(staffRoutes.count > 40)
            for route in staffRoutes {
                let path = Self.concrete(route)
                let anonymous = try await app.testing().sendRequest(route.method, path)
                if path.hasPrefix("/api/") {
                    #expect(anonymous.status == .unauthorized, "anonymous \(route.description)")
                } else {
                    #expect(anonymous.status == .seeOther && anonymous.headers.first(name: .location)?.hasPrefix("/inloggen") == true, "anonymous \(route.description)")
                }
                for (role, browser) in browsers {
                    let allowed = route.access!.kinds.contains { Permissions.mayEver(role, $0) }
                    let response = route.method == .GET ? try await browser.get(path) : try await browser.post(path, form: [])
                    if allowed {
                        #expect(response.status != .internalServerError, "\(role) on \(route.description)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) on \(route.description): \(response.status)")
                    }
                }
            }
        }
    }

    @Test func staffOfAnotherMunicipalityAreRefused() async throws {
        try await withApp(demoSignals: 5) { app in
            try await Fixture.user(app, email: "beheer@oosterhout.test", role: .admin, municipality: "GM0826")
            try await Fixture.user(app, email: "wijk@oosterhout.test", role: .areaManager, municipality: "GM0826")
            let admin = TestBrowser(app), manager = TestBrowser(app)
            #expect(try await admin.login("beheer@oosterhout.test", Fixture.password).status == .seeOther)
            #expect(try await manager.login("wijk@oosterhout.test", Fixture.password).status == .seeOther)
            for path in ["/beheer/gemeenten/oss/meldingen", "/beheer/gemeenten/oss/gebieden", "/beheer/gemeenten/oss/raden", "/beheer/gemeenten/oss/afdelingen"] {
                #expect(try await admin.get(path).status == .forbidden, "\(path)")
            }
            let signal = try #require(try await Signal.query(on: app.db).first())
            #expect([.forbidden, .notFound].contains(try await manager.get("/werk/meldingen/\(signal.trackingCode)").status))
            let council = try #require(try await Council.query(on: app.db).first())
            #expect(try await manager.get("/werk/raden/\(council.id!)").status == .forbidden)
            #expect(try await manager.get("/gemeenten/oss/mengpaneel").status == .forbidden)
        }
    }

    /// Every state-changing browser route refuses a post without the session's token before its handler runs,
    /// and gives the form back to send again with what was typed (issue 10: CSRF in one place).
    @Test func everyFormRouteNeedsTheToken() async throws {
        try await withApp { app in
            let admin = try await Fixture.adminBrowser(app)
            _ = try await admin.get("/beheer") // a session with a token
            let entriesBefore = try await AuditEntry.query(on: app.db).count()
            let posts = app.routes.all.filter { $0.method == .POST && !Self.concrete($0).hasPrefix("/api/") && !Self.concrete($0).hasPrefix("/open311/") }
            let forms = posts.filter { CSRFGuard.applies(method: .POST, path: Self.concrete($0)) }
            // The only exception: the one-click unsubscribe from a mail program (RFC 8058), authorised by its token.
            let exempt = Set(posts.map(\.description)).subtracting(forms.map(\.description))
            #expect(exempt == ["POST /volgen/:token/stoppen"])
            #expect(forms.count > 30)
            for route in forms {
                let path = Self.concrete(route)
                let response = try await admin.post(path, form: [("csrf", "verkeerd"), ("omschrijving", "Wat ik typte"), ("password", "geheim-geheim")])
                #expect(response.status == .forbidden, "\(route.description): \(response.status)")
                #expect(response.text.contains("Uw formulier was verlopen") && response.text.contains("value=\"Wat ik typte\""), "\(route.description)")
                #expect(!response.text.contains("geheim-geheim"), "passwords are never sent back")
            }
            #expect(try await AuditEntry.query(on: app.db).count() == entriesBefore, "no handler ran")
        }
    }
}
