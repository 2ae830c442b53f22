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

/// The village's own view (dorpsspiegel, Opsterland): residents or the area council tell what goes well and what
/// not, with photos. A resident's story waits for the coordinator before it is public; the council's is public at
/// once. The name shown is what the writer chose to show, nothing else about them is kept.
final class AreaStory: Model, @unchecked Sendable {
    static let schema = "area_stories"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @Field(key: "goes_well") var goesWell: String
    @Field(key: "could_be_better") var couldBeBetter: String
    @Field(key: "signed_as") var signedAs: String
    @Enum(key: "author_kind") var authorKind: StoryAuthor
    @Enum(key: "status") var status: StoryStatus
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @OptionalField(key: "reviewed_by") var reviewedBy: UUID?
    init() {}
}

enum StoryAuthor: String, Codable, CaseIterable, Sendable { case resident, council }
enum StoryStatus: String, Codable, CaseIterable, Sendable { case waiting, published, rejected }

final class AreaStoryPhoto: Model, @unchecked Sendable {
    static let schema = "area_story_photos"
    @ID(key: .id) var id: UUID?
    @Parent(key: "story_id") var story: AreaStory
    @Field(key: "position") var position: Int
    @Field(key: "content_type") var contentType: String
    @Field(key: "data") var data: Data
    init() {}
}

/// How many people of each age group took part through a channel, per area and year: the answers to the
/// voluntary age question, counted and never stored with the report, idea or story they came with.
final class ReachAgeCount: Model, @unchecked Sendable {
    static let schema = "reach_age_counts"
    @ID(key: .id) var id: UUID?
    @Parent(key: "area_id") var area: Area
    @Field(key: "channel") var channel: String
    @Field(key: "year") var year: Int
    @Field(key: "age_group") var ageGroup: String
    @Field(key: "count") var count: Int
    init() {}
}
