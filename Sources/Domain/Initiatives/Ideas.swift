import Foundation

/// An idea for the area (Nijmegen's platform in seed 001; Decidim's and CONSUL's proposals): not yet an initiative.
/// Others support it, the coordinator answers publicly, and it can become an initiative (and, once those
/// capabilities exist, a project in a budget round or a point on the area's agenda).
public enum IdeaStatus: String, CaseIterable, Codable, Sendable {
    /// Open for support.
    case open
    /// Taken up as an initiative; its page links there.
    case becameInitiative
    /// Closed by the coordinator with a public reason (done, not possible, duplicate).
    case closed

    public var acceptsSupport: Bool { self == .open }
}

public enum IdeaRules {
    /// The idea's public code: "IDEE-2026-0042".
    public static func code(year: Int, sequence: Int) -> String { String(format: "IDEE-%04d-%04d", year, sequence) }
    public static func isWellFormed(_ code: String) -> Bool { code.wholeMatch(of: /IDEE-[0-9]{4}-[0-9]{4,6}/) != nil }

    /// One support per person and idea: the key is a hash of the idea and the normalised address, so the address
    /// itself is never stored with the support and cannot be read back from it.
    public static func supporterKey(idea: UUID, normalisedEmail: String, pepper: String) -> String {
        "\(pepper)|\(idea.uuidString)|\(normalisedEmail)"
    }

    /// How long a confirmation link stays valid.
    public static let confirmationHours = 72
}
