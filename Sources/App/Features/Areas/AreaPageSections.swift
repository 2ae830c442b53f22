import Vapor
import Domain

/// What other features add to the public area page (a council, the area's signals, later the area cycle),
/// so that the area feature does not depend on them: each feature registers its section and map layer at
/// start-up (`routes.swift`), renders it from its own template, and the area page places it.
struct AreaPageContext: Sendable {
    var municipality: MunicipalitySnapshot
    var area: MunicipalitySnapshot.AreaInfo
    /// The area's map extent, for layers that draw on the map.
    var bounds: BoundingBox?
}

protocol AreaPageSection: Sendable {
    /// HTML for the page (rendered from the feature's own template), or nil when there is nothing to show.
    func html(_ context: AreaPageContext, req: Request) async throws -> String?
}

/// Something a feature draws on the area's map, with a sentence for the map's caption.
struct AreaMapOverlay: Sendable { var svg: String; var caption: String }

protocol AreaMapLayer: Sendable {
    func overlay(_ context: AreaPageContext, req: Request) async throws -> AreaMapOverlay?
}

/// What other features add to the municipality page (the area cycle at a glance), in the same way.
protocol MunicipalityPageSection: Sendable {
    func html(_ municipality: MunicipalitySnapshot, req: Request) async throws -> String?
}

struct AreaPageRegistry: Sendable {
    var sections: [any AreaPageSection] = []
    var mapLayers: [any AreaMapLayer] = []
    var municipalitySections: [any MunicipalityPageSection] = []
}

extension Application {
    private struct AreaPageKey: StorageKey { typealias Value = AreaPageRegistry }
    var areaPage: AreaPageRegistry {
        get { storage[AreaPageKey.self] ?? AreaPageRegistry() }
        set { storage[AreaPageKey.self] = newValue }
    }
}

extension Request {
    /// A template rendered to text, for a section of another feature's page.
    func renderHTML(_ template: String, _ context: some Encodable) async throws -> String {
        String(buffer: try await view.render(template, context).data)
    }
}
