import Vapor
import Fluent
import Domain

/// Who a role covers: the staff that escalations and notices go to, for any feature.
enum StaffDirectory {
    /// The active users with this role whose scope covers the area (area roles), the department
    /// (department roles) or the municipality; nobody when the needed area or department is unknown.
    static func people(with role: Role, municipality: UUID, area: UUID?, department: UUID?, on db: any Database) async throws -> [User] {
        let base = User.query(on: db).filter(\.$role == role).filter(\.$active == true).filter(\.$municipality.$id == municipality)
        switch role.scopeKind {
        case .areas:
            guard let area else { return [] }
            let ids = try await UserArea.query(on: db).filter(\.$area.$id == area).all().map(\.$user.id)
            return ids.isEmpty ? [] : try await base.filter(\.$id ~~ ids).all()
        case .department:
            guard let department else { return [] }
            return try await base.filter(\.$department.$id == department).all()
        case .municipality:
            return try await base.all()
        }
    }
}
