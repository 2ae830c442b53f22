import Foundation

/// Every URL of the product in one place.
enum Paths {
    static func municipality(_ slug: String) -> String { "/gemeenten/\(slug)" }
    static func area(_ municipality: String, _ area: String) -> String { "/gemeenten/\(municipality)/gebieden/\(area)" }
    static func admin(_ municipality: String) -> String { "/beheer/gemeenten/\(municipality)" }
    static func adminAreas(_ municipality: String) -> String { "/beheer/gemeenten/\(municipality)/gebieden" }
    static func adminArea(_ municipality: String, _ id: UUID) -> String { "/beheer/gemeenten/\(municipality)/gebieden/\(id)" }
    static func adminMapping(_ municipality: String) -> String { "/beheer/gemeenten/\(municipality)/indeling" }
    static func adminClassifications(_ municipality: String) -> String { "/beheer/gemeenten/\(municipality)/indelingen" }
    static func adminClassification(_ municipality: String, _ id: UUID) -> String { "/beheer/gemeenten/\(municipality)/indelingen/\(id)" }
    static func adminDepartments(_ municipality: String) -> String { "/beheer/gemeenten/\(municipality)/afdelingen" }
    static func adminDepartment(_ municipality: String, _ id: UUID) -> String { "/beheer/gemeenten/\(municipality)/afdelingen/\(id)" }
    static let adminUsers = "/beheer/gebruikers"
    static func adminUser(_ id: UUID) -> String { "/beheer/gebruikers/\(id)" }
    static let auditLog = "/beheer/logboek"
    static func mixingPanels(_ municipality: String) -> String { "/gemeenten/\(municipality)/mengpaneel" }
    static func mixingPanel(_ municipality: String, _ id: UUID) -> String { "/gemeenten/\(municipality)/mengpaneel/\(id)" }
}
