import Vapor
import Fluent
import Domain

/// Who to contact for an area: the staff whose role is scoped to it.
enum AreaContacts {
    static let publicRoles: [Role] = [.areaCoordinator, .areaAlderman]

    static func contacts(of area: UUID, on db: any Database) async throws -> [(role: Role, names: [String])] {
        let links = try await UserArea.query(on: db).filter(\.$area.$id == area).with(\.$user).all()
        return publicRoles.map { role in
            (role: role, names: links.map(\.user).filter { $0.role == role && $0.active }.map(\.name).sorted())
        }
    }
}

enum ClassificationService {
    struct AreaOverlap { var classification: String; var groups: [(name: String, shared: Int)] }

    /// For each alternative classification of the municipality, the groups that share buurten with the area.
    static func overlaps(area: MunicipalitySnapshot.AreaInfo, municipality: UUID, on db: any Database) async throws -> [AreaOverlap] {
        let classifications = try await Classification.query(on: db).filter(\.$municipality.$id == municipality).sort(\.$name).all()
        guard !classifications.isEmpty else { return [] }
        let members = try await ClassificationMember.query(on: db)
            .filter(\.$classification.$id ~~ classifications.compactMap(\.id))
            .with(\.$group).with(\.$neighbourhood).all()
        let codes = Set(area.neighbourhoodCodes)
        return classifications.map { c in
            let own = members.filter { $0.$classification.id == c.id }
            let groupOf = Dictionary(own.map { ($0.neighbourhood.code, $0.group.name) }, uniquingKeysWith: { a, _ in a })
            let overlaps = ClassificationOverlap.overlaps(areaNeighbourhoods: codes, groupOf: groupOf)
            return AreaOverlap(classification: c.name, groups: overlaps.map { (name: $0.group, shared: $0.shared) })
        }
    }
}
