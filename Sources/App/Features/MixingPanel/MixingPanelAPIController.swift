import Vapor
import Fluent
import Domain

/// The mixing panel's public API: the profiles, and a comparison of positions with them.
struct MixingPanelAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.access(.public).grouped("api", "v1", "mixing-panel")
        api.get("profiles", use: apiProfiles)
        api.post("compare", use: apiCompare)
    }

    // MARK: API

    struct ProfileDTO: Content { var code: String; var name: String; var positions: [String: Int]; var assignment: String; var risk: String? }
    struct CompareRequest: Content { var scale: Int?; var positions: [String: Int]?; var sixthSlider: Bool? }
    struct CompareResponse: Content {
        struct Difference: Content { var slider: String; var panel: Int; var profile: Double }
        struct Distance: Content { var profile: String; var distance: Double; var differences: [Difference] }
        var nearest: String
        var distances: [Distance]
    }

    func apiProfiles(req: Request) async throws -> [ProfileDTO] {
        let content = req.application.mixingPanelContent
        let stored = try await MixingPanelService.profiles(on: req.db)
        return content.profiles.map { ProfileDTO(code: $0.code, name: $0.name.text(req.language), positions: stored[$0.code] ?? $0.positions,
                                                 assignment: $0.assignment.text(req.language), risk: $0.risk?.text(req.language)) }
    }

    func apiCompare(req: Request) async throws -> CompareResponse {
        guard let body = try? req.content.decode(CompareRequest.self) else { throw AppError.badRequest("mixingPanel.api.body") }
        let scale = MixingPanel.Scale(steps: body.scale ?? 3)
        let positions = body.positions ?? [:]
        if let problem = MixingPanelService.fieldErrors(MixingPanel.validate(positions, scale: scale, sixthSlider: body.sixthSlider ?? false)).first {
            throw AppError(status: .unprocessableEntity, key: problem.key, values: problem.values + [String(problem.field.dropFirst(problem.field.hasPrefix("pos_") ? 4 : 0))])
        }
        let distances = MixingPanel.compare(positions, scale: scale, profiles: try await MixingPanelService.profiles(on: req.db))
        return CompareResponse(nearest: distances.first?.profile ?? "", distances: distances.map { d in
            .init(profile: d.profile, distance: d.distance, differences: d.differences.map { .init(slider: $0.slider, panel: $0.panel, profile: $0.profile) })
        })
    }
}
