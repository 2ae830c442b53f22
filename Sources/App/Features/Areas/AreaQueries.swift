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
    /// Buurt codes come from the cached division, so no boundary is read here.
    static func overlaps(area: MunicipalitySnapshot.AreaInfo, snapshot: MunicipalitySnapshot, on db: any Database) async throws -> [AreaOverlap] {
        let classifications = try await Classification.query(on: db).filter(\.$municipality.$id == snapshot.id).sort(\.$name).all()
        guard !classifications.isEmpty else { return [] }
        let ids = classifications.compactMap(\.id)
        let groups = try await ClassificationGroup.query(on: db).filter(\.$classification.$id ~~ ids).all()
        let groupName = Dictionary(uniqueKeysWithValues: groups.compactMap { g in g.id.map { ($0, g.name) } })
        let codeOf = Dictionary(uniqueKeysWithValues: snapshot.neighbourhoods.map { ($0.id, $0.code) })
        let members = try await ClassificationMember.query(on: db).filter(\.$classification.$id ~~ ids).all()
        let codes = Set(area.neighbourhoodCodes)
        return classifications.map { c in
            var groupOf: [String: String] = [:]
            for member in members where member.$classification.id == c.id {
                if let code = codeOf[member.$neighbourhood.id], let name = groupName[member.$group.id] { groupOf[code] = name }
            }
            let overlaps = ClassificationOverlap.overlaps(areaNeighbourhoods: codes, groupOf: groupOf)
            return AreaOverlap(classification: c.name, groups: overlaps.map { (name: $0.group, shared: $0.shared) })
        }
    }
}
