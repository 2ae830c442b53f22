import Vapor
import Fluent
import Domain

/// A theme group: a topic, the areas it concerns, a period shorter than a council term, members who join and leave.
final class ThemeGroup: Model, @unchecked Sendable {
    static let schema = "theme_groups"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "topic") var topic: String
    @Field(key: "description") var text: String
    @Field(key: "starts_on") var startsOn: Date
    @Field(key: "ends_on") var endsOn: Date
    /// Comma-separated area ids.
    @Field(key: "area_ids") var areaIDsText: String
    init() {}
    var areaIDs: [UUID] { areaIDsText.split(separator: ",").compactMap { UUID(uuidString: String($0)) } }
}

/// A resident in a theme group. Names and contact details are for staff; the public sees the number of members.
final class ThemeGroupMember: Model, @unchecked Sendable {
    static let schema = "theme_group_members"
    @ID(key: .id) var id: UUID?
    @Parent(key: "group_id") var group: ThemeGroup
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @Field(key: "joined_on") var joinedOn: Date
    @OptionalField(key: "left_on") var leftOn: Date?
    init() {}
}

/// A theme group's advice on a request for advice (the same question a council answers).
final class ThemeGroupAdvice: Model, @unchecked Sendable {
    static let schema = "theme_group_advice"
    @ID(key: .id) var id: UUID?
    @Parent(key: "group_id") var group: ThemeGroup
    @Parent(key: "advice_id") var request: CouncilAdvice
    @Field(key: "text") var text: String
    @Field(key: "given_on") var givenOn: Date
    init() {}
}
