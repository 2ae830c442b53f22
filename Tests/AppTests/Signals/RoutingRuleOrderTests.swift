import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Routing rules: order and a confirmation before deleting")
struct RoutingRuleOrderTests {
    static let page = "/beheer/gemeenten/oss/meldingen"

    @Test func rulesMoveUpAndDownAndDeletingAsksFirst() async throws {
        try await withApp { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let rules = try await RoutingRuleRecord.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).sort(\.$position).all()
            try #require(rules.count >= 2)
            let (first, second) = (rules[0], rules[1])
            #expect(try await admin.submit(Self.page, to: Self.page + "/regels/\(second.id!)/omhoog", []).status == .seeOther)
            let after = try await RoutingRuleRecord.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).sort(\.$position).all()
            #expect(after.prefix(2).map(\.id) == [second.id, first.id], "the second rule now matches first")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "signals.rule.move").count() == 1)
            // Moving the first rule up changes nothing.
            #expect(try await admin.submit(Self.page, to: Self.page + "/regels/\(second.id!)/omhoog", []).status == .seeOther)
            #expect(try await RoutingRuleRecord.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).sort(\.$position).first()?.id == second.id)
            // The list links to a confirmation page; only its form deletes.
            let list = try await admin.get(Self.page).text
            #expect(list.contains("href=\"\(Self.page)/regels/\(first.id!)/verwijderen\""))
            let confirm = try await admin.get(Self.page + "/regels/\(first.id!)/verwijderen")
            #expect(confirm.status == .ok && confirm.text.contains("Ja, verwijderen"))
            #expect(try await RoutingRuleRecord.find(first.id, on: app.db) != nil, "looking at the confirmation deletes nothing")
            #expect(try await admin.submit(Self.page + "/regels/\(first.id!)/verwijderen", []).status == .seeOther)
            #expect(try await RoutingRuleRecord.find(first.id, on: app.db) == nil)
        }
    }
}
