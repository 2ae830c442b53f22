import Vapor
import Fluent
import Domain

/// One CBS figure: an indicator of a region (gemeente, wijk or buurt, by CBS code) in a year. A figure CBS keeps
/// secret or does not have is stored as nil ("no figure"), never as 0.
final class CBSFigure: Model, @unchecked Sendable {
    static let schema = "cbs_figures"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "code") var code: String
    @Field(key: "municipality_code") var municipalityCode: String
    @Field(key: "indicator") var indicator: String
    @OptionalField(key: "value") var value: Double?
    init() {}
}

/// What a professional who works in the area notices (wijkagent, welzijn, corporatie, coordinator), with the date
/// and the author's role. Internal unless the author publishes it with the area's profile.
final class ProfileNote: Model, @unchecked Sendable {
    static let schema = "profile_notes"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @OptionalField(key: "author_id") var authorID: UUID?
    @Enum(key: "author_role") var authorRole: ProfessionalRole
    @Field(key: "text") var text: String
    @Field(key: "noted_on") var notedOn: Date
    @Field(key: "public") var isPublic: Bool
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// The municipality's priority ranking: which indicators count, and how much.
final class RankingTerm: Model, @unchecked Sendable {
    static let schema = "ranking_terms"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "indicator") var indicator: String
    @Field(key: "weight") var weight: Double
    init() {}
}

/// A survey figure (beleving) of an area in a year, with the number of respondents it rests on.
final class SurveyFigure: Model, @unchecked Sendable {
    static let schema = "survey_figures"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @Field(key: "year") var year: Int
    @Field(key: "indicator") var indicator: String
    @Field(key: "value") var value: Double
    @Field(key: "respondents") var respondents: Int
    @Field(key: "source") var source: String
    init() {}
}
