import Foundation
import Testing
@testable import App
@testable import Domain

@Suite("The audit log describes itself")
struct AuditLabelTests {
    @Test func everyActionTypeAndRoleHasDutchAndEnglishText() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources/Localization").path + "/"
        let texts = try Localizer(directory: folder)
        var keys = AuditAction.allCases.map(\.labelKey) + AuditEntityType.allCases.map(\.labelKey) + Role.allCases.map { "role." + $0.rawValue }
        keys += ["planned", "held", "cancelled", "applied", "checked", "ineligible", "nominated", "notNominated", "appointed", "withdrawn"].map { "audit.value.status." + $0 }
        keys += HandlingTerm.Unit.allCases.map { "audit.value.termUnit." + $0.rawValue }
        keys += CouncilMeetingRules.DecisionKind.allCases.map { "audit.value.kind." + $0.rawValue }
        for key in keys {
            for language in [Language.nl, .en] {
                #expect(texts.text(key, language) != key, "\(key) has no \(language) text")
            }
            #expect(texts.text(key, .nl) != texts.text(key, .en) || key.hasPrefix("role."), "\(key) is not translated")
        }
    }

    @Test func everyActionBelongsToAKindOfRecordTheFilterOffers() {
        for action in AuditAction.allCases { #expect(AuditEntityType.allCases.contains(action.entityType)) }
        #expect(Set(AuditAction.allCases.map(\.entityType)) == Set(AuditEntityType.allCases), "every kind of record has actions")
    }
}
