import Vapor
import Fluent
import Domain

/// A text in Dutch and English.
struct BilingualText: Codable, Sendable, Hashable {
    var nl: String
    var en: String
    func text(_ language: Language) -> String { language == .en ? en : nl }
}

/// The texts of the mixing panel from Platform31's publication (Resources/Seed/mixing_panel.json).
struct MixingPanelContent: Codable, Sendable {
    struct Slider: Codable, Sendable {
        var code: String
        var name: BilingualText
        var explanation: BilingualText
        var low: BilingualText
        var high: BilingualText
        var optional: Bool
    }
    struct Profile: Codable, Sendable {
        var code: String
        var name: BilingualText
        var description: BilingualText
        var positions: [String: Int]
        var bullets: [String: [BilingualText]]
        var assignment: BilingualText
        var risk: BilingualText?
    }
    var sliders: [Slider]
    var profiles: [Profile]

    func slider(_ code: String) -> Slider? { sliders.first { $0.code == code } }
    func profile(_ code: String) -> Profile? { profiles.first { $0.code == code } }

    static func load(from path: String) throws -> MixingPanelContent {
        guard let data = FileManager.default.contents(atPath: path) else { throw Abort(.internalServerError, reason: "Missing \(path)") }
        return try JSONDecoder().decode(MixingPanelContent.self, from: data)
    }
}

extension Application {
    private struct MixingPanelContentKey: StorageKey { typealias Value = MixingPanelContent }
    var mixingPanelContent: MixingPanelContent {
        get { storage[MixingPanelContentKey.self]! }
        set { storage[MixingPanelContentKey.self] = newValue }
    }

    /// Stores the profiles' slider positions from the seed file the first time (an admin may change them later).
    func ensureMixingPanelProfiles() async throws {
        guard try await MixingPanelProfileRecord.query(on: db).count() == 0 else { return }
        for profile in mixingPanelContent.profiles {
            let record = MixingPanelProfileRecord()
            record.code = profile.code
            record.positionsJSON = AuditLog.json(profile.positions)
            try await record.create(on: db)
        }
    }
}
